/**
 * A real S3-compatible server for tests: moto's server (PyPI `moto[server]`) on 127.0.0.1 and a
 * free port, with one bucket created; `stop()` ends the process.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3'
import { s3ClientConfig } from '../s3-config.ts'
import { freePort } from '../../../store/src/testing/free-port.ts'

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const VENV_BIN = `${REPO_ROOT}.venv/bin`
const START_TIMEOUT_MS = 60_000

/** Credentials moto accepts (any value works); never real ones. */
export const TEST_CREDENTIALS = { accessKeyId: 'logbook-test', secretAccessKey: 'logbook-test' }

/** A running S3-compatible server. */
export interface S3TestServer {
  endpoint: string
  bucket: string
  stop(): Promise<void>
}

function python(): string {
  return existsSync(`${VENV_BIN}/python`) ? `${VENV_BIN}/python` : 'python3'
}

/** Why moto's server cannot run here, or undefined when it can. */
export function s3ServerMissing(): string | undefined {
  const check = spawnSync(python(), ['-c', 'import moto.server, flask, flask_cors'], {
    encoding: 'utf8',
  })
  if (check.error !== undefined) return `${python()} cannot run: ${check.error.message}`
  if (check.status !== 0) {
    return `moto's server is not installed for ${python()} (pip install 'moto[server]')`
  }
  return undefined
}

/** Starts moto's server, waits for its "Running on" line, creates a bucket. */
export async function startS3Server(bucket = 'logbook-test'): Promise<S3TestServer> {
  const port = await freePort()
  const endpoint = `http://127.0.0.1:${port}`
  const child = spawn(python(), ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail('did not start in time'), START_TIMEOUT_MS)
    function fail(why: string): void {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`moto server ${why}:\n${output.slice(-2000)}`))
    }
    const onData = (data: Buffer): void => {
      output += data.toString()
      if (output.includes(`Running on ${endpoint}`)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('exit', (code) => fail(`exited with code ${code}`))
    child.once('error', (error) => fail(`could not start: ${error.message}`))
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const client = new S3Client({
    ...s3ClientConfig({ AWS_ENDPOINT_URL: endpoint }),
    credentials: TEST_CREDENTIALS,
  })
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }))
  } catch (error) {
    await stop()
    throw error
  } finally {
    client.destroy()
  }
  return { endpoint, bucket, stop }
}
