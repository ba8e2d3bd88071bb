import { logbook, mlflow } from '../api.ts'
import { ConfirmDialog, PromptDialog } from '../components/dialog.tsx'
import type { Experiment } from './experiment-types.ts'

/** Which dialog the experiments page shows. */
export type ExperimentAction =
  { kind: 'create' } | { kind: 'rename' | 'delete' | 'restore' | 'purge'; experiment: Experiment }

/** The dialog for one action; `done` reloads the list after a change. */
export function ExperimentActionDialog({
  action,
  onClose,
  done,
}: {
  action: ExperimentAction
  onClose: () => void
  done: (createdId?: string) => void
}) {
  switch (action.kind) {
    case 'create':
      return (
        <PromptDialog
          title="Create experiment"
          label="Name"
          submitLabel="Create"
          onClose={onClose}
          onSubmit={async (name) => {
            const r = await mlflow.post<{ experiment_id: string }>('experiments/create', {
              name: name.trim(),
            })
            done(r.experiment_id)
          }}
        />
      )
    case 'rename':
      return (
        <PromptDialog
          title={`Rename experiment ${action.experiment.experiment_id}`}
          label="New name"
          initial={action.experiment.name}
          submitLabel="Rename"
          onClose={onClose}
          onSubmit={async (name) => {
            await mlflow.post('experiments/update', {
              experiment_id: action.experiment.experiment_id,
              new_name: name.trim(),
            })
            done()
          }}
        />
      )
    case 'delete':
      return (
        <ConfirmDialog
          title="Delete experiment"
          message={
            <p>
              Delete <strong>{action.experiment.name}</strong> and all its runs? It can be restored
              until it is deleted permanently.
            </p>
          }
          confirmLabel="Delete"
          danger
          onClose={onClose}
          onConfirm={async () => {
            await mlflow.post('experiments/delete', {
              experiment_id: action.experiment.experiment_id,
            })
            done()
          }}
        />
      )
    case 'restore':
      return (
        <ConfirmDialog
          title="Restore experiment"
          message={
            <p>
              Restore <strong>{action.experiment.name}</strong> and its runs?
            </p>
          }
          confirmLabel="Restore"
          onClose={onClose}
          onConfirm={async () => {
            await mlflow.post('experiments/restore', {
              experiment_id: action.experiment.experiment_id,
            })
            done()
          }}
        />
      )
    case 'purge':
      return (
        <ConfirmDialog
          title="Delete permanently"
          message={
            <p>
              Permanently delete <strong>{action.experiment.name}</strong>, its runs and their
              artifacts? This cannot be undone.
            </p>
          }
          confirmLabel="Delete permanently"
          danger
          onClose={onClose}
          onConfirm={async () => {
            await logbook.post('gc', { experiment_ids: [action.experiment.experiment_id] })
            done()
          }}
        />
      )
  }
}
