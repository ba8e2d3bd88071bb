import type { GcStore } from './gc-store.ts'
import type { LoggedModelStore } from './logged-model-store.ts'
import type { RegistryStore } from './registry-store.ts'
import type { TrackingStore } from './tracking-store.ts'

/** Everything the server needs from storage: tracking, logged models, the registry and gc, one adapter. */
export type LogbookStore = TrackingStore & RegistryStore & LoggedModelStore & GcStore
