import { useState } from 'react'
import { ConfirmDialog } from '../components/dialog.tsx'
import { navigate } from '../router.tsx'
import { bulkLifecycle } from './bulk.ts'

/**
 * Actions on the selected runs: compare, chart, delete, restore, CSV export (selected, or every
 * loaded row when nothing is selected), clear.
 */
export function SelectionBar({
  selectedIds,
  loadedCount,
  onExport,
  onChanged,
  onClear,
}: {
  selectedIds: string[]
  loadedCount: number
  onExport: () => void
  onChanged: (message: string | undefined) => void
  onClear: () => void
}) {
  const [confirm, setConfirm] = useState<'delete' | 'restore'>()
  const n = selectedIds.length
  const runs = selectedIds.join(',')
  return (
    <div className="selection-bar" role="toolbar" aria-label="Selected runs">
      <span className="muted">{n ? `${n} selected` : 'None selected'}</span>
      <button type="button" disabled={n < 2} onClick={() => navigate(`/compare?runs=${runs}`)}>
        Compare
      </button>
      <button type="button" disabled={n < 1} onClick={() => navigate(`/charts?runs=${runs}`)}>
        Chart
      </button>
      <button
        type="button"
        className="danger"
        disabled={n < 1}
        onClick={() => setConfirm('delete')}
      >
        Delete
      </button>
      <button type="button" disabled={n < 1} onClick={() => setConfirm('restore')}>
        Restore
      </button>
      <button type="button" onClick={onExport} disabled={n === 0 && loadedCount === 0}>
        Export CSV ({n || `all ${loadedCount} loaded`})
      </button>
      {n > 0 && (
        <button type="button" className="ghost" onClick={onClear}>
          Clear selection
        </button>
      )}
      {confirm && (
        <ConfirmDialog
          title={
            confirm === 'delete'
              ? `Delete ${n} run${n === 1 ? '' : 's'}`
              : `Restore ${n} run${n === 1 ? '' : 's'}`
          }
          message={
            <p>
              {confirm === 'delete'
                ? 'Deleted runs can be restored until they are deleted permanently (logbook gc).'
                : 'Restore the selected runs?'}
            </p>
          }
          confirmLabel={confirm === 'delete' ? 'Delete' : 'Restore'}
          danger={confirm === 'delete'}
          onClose={() => setConfirm(undefined)}
          onConfirm={async () => {
            const failures = await bulkLifecycle(confirm, selectedIds)
            onChanged(
              failures.length
                ? `${failures.length} of ${n} failed: ${failures[0]!.message}`
                : undefined,
            )
          }}
        />
      )}
    </div>
  )
}
