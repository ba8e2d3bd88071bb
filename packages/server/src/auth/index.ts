import type { Hono } from 'hono'
import type { LogbookStore } from '@logbook/store'
import type { AuthConfig, SecurityConfig } from './config.ts'
import { authMiddleware } from './middleware.ts'
import { securityMiddleware } from './security.ts'
import { sessionRoutes, whoamiRoute } from './session-routes.ts'
import { userRoutes } from './user-routes.ts'

export type { AuthConfig, SecurityConfig } from './config.ts'
export { DEFAULT_ALLOWED_HOSTS } from './config.ts'
export { currentUser } from './middleware.ts'

/**
 * Install the browser-facing defences (always) and, when `auth` is given, authentication and
 * authorization before every route; call before registering any other route.
 */
export function installSecurity(app: Hono, store: LogbookStore, security: SecurityConfig | undefined, auth: AuthConfig | undefined): void {
  app.use('*', securityMiddleware(security))
  if (auth !== undefined) app.use('*', authMiddleware(app, store, auth))
  whoamiRoute(app, auth === undefined ? undefined : store)
  if (auth !== undefined) {
    sessionRoutes(app, store)
    userRoutes(app, store, auth)
  }
}
