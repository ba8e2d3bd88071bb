import { resolve } from 'node:path'
import { openArtifactStore, type ArtifactStore } from '@logbook/artifacts'
import { openTrackingStore, type LogbookStore, type ServingOptions } from '@logbook/store'

/** The `--backend-store-uri` / `--artifacts-destination` options every storage command shares. */
export const STORAGE_OPTIONS = {
  'backend-store-uri': { type: 'string' },
  'artifacts-destination': { type: 'string' },
} as const

export const STORAGE_HELP = `  --backend-store-uri <uri>        sqlite:///path/to.db, postgresql://user@host/db, or a file path
                                   (default: sqlite:///./logbook-data/logbook.db)
  --artifacts-destination <uri>    Where the server stores proxied artifacts: a folder,
                                   file:///path or s3://bucket/prefix (S3 settings from
                                   MLFLOW_S3_ENDPOINT_URL / AWS_* variables)
                                   (default: ./logbook-data/artifacts)`

/** The embedded default: a data folder under the current directory. */
export function storageLocations(values: { 'backend-store-uri'?: string; 'artifacts-destination'?: string }): {
  backend: string
  destination: string
} {
  const dataDir = resolve('logbook-data')
  return {
    backend: values['backend-store-uri'] ?? `sqlite:///${dataDir}/logbook.db`,
    destination: values['artifacts-destination'] ?? `${dataDir}/artifacts`,
  }
}

/** Open the metadata store and the artifact store named by the options. */
export async function openStorage(
  values: { 'backend-store-uri'?: string; 'artifacts-destination'?: string },
  defaultArtifactRoot = 'mlflow-artifacts:',
  serving: ServingOptions = {},
): Promise<{ store: LogbookStore; artifacts: ArtifactStore; backend: string; destination: string }> {
  const { backend, destination } = storageLocations(values)
  const store = await openTrackingStore(backend, { defaultArtifactRoot, ...serving })
  return { store, artifacts: await openArtifactStore(destination), backend, destination }
}

/** Hide a password in a connection URI before printing it. */
export function redact(uri: string): string {
  return uri.replace(/:[^:@/]*@/, ':***@')
}
