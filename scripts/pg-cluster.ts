/**
 * Shell-script wrapper around the test helper's throwaway PostgreSQL cluster.
 *   npx tsx scripts/pg-cluster.ts start <stateDir>   prints the URL, leaves the cluster running
 *   npx tsx scripts/pg-cluster.ts stop <stateDir>    stops it and deletes its data
 * The cluster lives in <stateDir>/postgres.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import {
  postgresAvailable,
  startPostgresCluster,
  stopPostgresCluster,
} from '../packages/store/src/testing/postgres-cluster.ts'

const USAGE = 'usage: tsx scripts/pg-cluster.ts start|stop|available <stateDir>'

async function main(argv: string[]): Promise<number> {
  const [command, stateDir] = argv
  if (command === 'available') return postgresAvailable() ? 0 : 1
  if (stateDir === undefined || (command !== 'start' && command !== 'stop')) {
    console.error(USAGE)
    return 2
  }
  const dir = join(resolve(stateDir), 'postgres')
  if (command === 'start') {
    const cluster = await startPostgresCluster({ dir })
    process.stdout.write(`${cluster.url}\n`)
    return 0
  }
  if (existsSync(dir)) await stopPostgresCluster(dir)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exit(1)
  },
)
