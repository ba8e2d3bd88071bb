/** `logbook server` options for authentication and the browser-facing defences (docs/decisions/0005). */
import { hostname, networkInterfaces } from 'node:os'
import { DEFAULT_ALLOWED_HOSTS, type AuthConfig, type SecurityConfig } from '@logbook/server'
import { PERMISSIONS, type LogbookStore, type PermissionName } from '@logbook/store'

export const AUTH_OPTIONS = {
  auth: { type: 'boolean', default: false },
  'admin-username': { type: 'string', default: 'admin' },
  'admin-password': { type: 'string' },
  'default-permission': { type: 'string', default: 'READ' },
  'allowed-hosts': { type: 'string' },
  'cors-origins': { type: 'string' },
} as const

export const AUTH_HELP = `  --auth                           Require users (Basic, bearer tokens, UI login) and permissions
  --admin-username <name>          Bootstrap admin, created when no user exists (default admin)
  --admin-password <password>      Its password (or LOGBOOK_ADMIN_PASSWORD; required on first --auth start)
  --default-permission <level>     READ, USE, EDIT, MANAGE or NO_PERMISSIONS where no grant exists
                                   (default READ, as MLflow)
  --allowed-hosts <list>           Host headers accepted, comma-separated, * wildcards
                                   (default localhost,127.0.0.1,[::1] and the bind host)
  --cors-origins <list>            Origins allowed to call the API cross-site (default none)`

interface AuthValues {
  auth?: boolean
  'admin-username'?: string
  'admin-password'?: string
  'default-permission'?: string
  'allowed-hosts'?: string
  'cors-origins'?: string
}

const list = (value: string | undefined) => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')

/** Host entries for a bind address; a wildcard bind adds this machine's name and addresses. */
function bindHosts(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]') return [host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]
  const out = [hostname()]
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) out.push(a.family === 'IPv6' ? `[${a.address.replace(/%.*$/, '')}]` : a.address)
  }
  return out
}

/** Parse the options; throws a message for the user on bad values. */
export function parseAuthOptions(values: AuthValues, bindHost: string): { security: SecurityConfig; auth?: AuthConfig } {
  const allowed = values['allowed-hosts'] !== undefined ? list(values['allowed-hosts']) : [...DEFAULT_ALLOWED_HOSTS, ...bindHosts(bindHost)]
  const security: SecurityConfig = { allowedHosts: [...new Set(allowed)], corsOrigins: list(values['cors-origins']) }
  if (!values.auth) return { security }
  const level = values['default-permission'] ?? 'READ'
  if (!(PERMISSIONS as readonly string[]).includes(level)) {
    throw new Error(`Invalid --default-permission '${level}': use one of ${PERMISSIONS.join(', ')}`)
  }
  return { security, auth: { defaultPermission: level as PermissionName } }
}

/** Create the bootstrap admin when no user exists; without a password that is an error. */
export async function bootstrapAdmin(store: LogbookStore, values: AuthValues, log: (line: string) => void): Promise<void> {
  if ((await store.countUsers()) > 0) return
  const username = values['admin-username'] ?? 'admin'
  const password = values['admin-password'] ?? process.env.LOGBOOK_ADMIN_PASSWORD
  if (!password) {
    throw new Error('--auth needs a first admin: pass --admin-password or set LOGBOOK_ADMIN_PASSWORD (used only while no user exists)')
  }
  try {
    await store.createUser(username, password, true)
    log(`Created admin user '${username}'`)
  } catch (e) {
    // Another worker or process created the first user at the same moment.
    if ((await store.countUsers()) === 0) throw e
  }
}
