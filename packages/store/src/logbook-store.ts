import type { AuthStore } from './auth-store.ts'
import type { GcStore } from './gc-store.ts'
import type { LoggedModelStore } from './logged-model-store.ts'
import type { RegistryStore } from './registry-store.ts'
import type { TrackingStore } from './tracking-store.ts'
import type { UiQueries } from './ui-queries.ts'

/** Everything the server needs from storage: tracking, logged models, the registry and gc, one adapter. */
export type LogbookStore = TrackingStore & RegistryStore & LoggedModelStore & GcStore & UiQueries & AuthStore
