/** Minimal keep-alive HTTP/1.1 client on node:http, timing each request to its last byte. */
import http from 'node:http'

export interface HttpResult {
  status: number
  body: string
  ms: number
}

const JSON_HEADERS = { 'Content-Type': 'application/json' }

export class HttpClient {
  readonly agent: http.Agent

  constructor(
    readonly port: number,
    maxSockets: number,
    readonly host = '127.0.0.1',
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets })
  }

  /** One request; resolves with status, body and latency (never rejects on HTTP errors). */
  request(
    method: 'GET' | 'POST',
    path: string,
    body?: Buffer | string,
    timeoutMs = 120_000,
  ): Promise<HttpResult> {
    return new Promise((resolve, reject) => {
      const t0 = performance.now()
      const headers: Record<string, string | number> = body === undefined ? {} : { ...JSON_HEADERS }
      if (body !== undefined) headers['Content-Length'] = Buffer.byteLength(body)
      const req = http.request(
        { host: this.host, port: this.port, method, path, agent: this.agent, headers },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', reject)
          res.on('end', () => {
            const text =
              chunks.length === 1
                ? (chunks[0] as Buffer).toString()
                : Buffer.concat(chunks).toString()
            resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - t0 })
          })
        },
      )
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
      )
      req.on('error', reject)
      req.end(body)
    })
  }

  /** A JSON RPC that must answer 200; throws with the error body otherwise. */
  async json<T = Record<string, unknown>>(
    method: 'GET' | 'POST',
    path: string,
    payload?: unknown,
  ): Promise<T> {
    const res = await this.request(
      method,
      path,
      payload === undefined ? undefined : JSON.stringify(payload),
    )
    if (res.status !== 200)
      throw new Error(`${method} ${path} -> HTTP ${res.status}: ${res.body.slice(0, 500)}`)
    return (res.body.trim() === '' ? {} : JSON.parse(res.body)) as T
  }

  close(): void {
    this.agent.destroy()
  }
}

export const API = '/api/2.0/mlflow'

export async function createExperiment(client: HttpClient, name: string): Promise<string> {
  const res = await client.json<{ experiment_id: string }>('POST', `${API}/experiments/create`, {
    name,
  })
  return res.experiment_id
}

export async function createRun(
  client: HttpClient,
  experimentId: string,
  runName: string,
  startTime = Date.now(),
): Promise<string> {
  const res = await client.json<{ run: { info: { run_id: string } } }>(
    'POST',
    `${API}/runs/create`,
    {
      experiment_id: experimentId,
      run_name: runName,
      start_time: startTime,
    },
  )
  return res.run.info.run_id
}

/** Keeps the first few error bodies of a phase, to report them verbatim. */
export class ErrorLog {
  count = 0
  readonly samples: string[] = []

  add(what: string): void {
    this.count++
    if (this.samples.length < 5) this.samples.push(what.slice(0, 400))
  }
}
