import type { PermissionName } from '@logbook/store'

/** Browser-facing defences; on whether or not authentication is. */
export interface SecurityConfig {
  /** Host header values accepted (`*` wildcards, optional `:port`); DNS rebinding defence. */
  allowedHosts?: string[]
  /** Origins allowed to call the API from other sites (CORS); none by default. `*` allows any. */
  corsOrigins?: string[]
}

/** Authentication and authorization (docs/decisions/0005); absent = off. */
export interface AuthConfig {
  /** Permission of a user on an experiment or registered model without an explicit grant. */
  defaultPermission: PermissionName
}

/** Hosts a laptop server answers by default; the CLI adds the bind host. */
export const DEFAULT_ALLOWED_HOSTS = ['localhost', '127.0.0.1', '[::1]']

/** API path prefixes: everything that is not the UI's static files. */
export const API_PATH_PREFIXES = ['/api/', '/ajax-api/', '/get-artifact', '/model-versions/get-artifact']

/** True when the path belongs to the API rather than the UI. */
export function isApiPath(path: string): boolean {
  return API_PATH_PREFIXES.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))
}
