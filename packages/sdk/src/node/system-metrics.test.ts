import { totalmem } from 'node:os'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LogbookClient } from '../client.ts'
import { startRun } from '../node.ts'
import { startTestServer } from '../testing/server.ts'
import type { TestServer } from '../testing/server.ts'
import { SystemSampler, parseDiskstats, parseNvidiaSmi } from './system-metrics.ts'

let server: TestServer
let client: LogbookClient

beforeAll(async () => {
  server = await startTestServer()
  client = new LogbookClient({ trackingUri: server.url })
})
afterAll(async () => {
  await server?.dispose()
})

const totalMb = totalmem() / 1e6

describe('system metrics', () => {
  it('samples plausible CPU, memory, disk and network values from /proc', async () => {
    const sampler = new SystemSampler()
    await sampler.start()
    const until = Date.now() + 200
    while (Date.now() < until); // keep one core busy so CPU use is above zero
    const s = await sampler.sample()
    expect(s.cpu_utilization_percentage).toBeGreaterThan(0)
    expect(s.cpu_utilization_percentage).toBeLessThanOrEqual(100)
    expect(s.system_memory_usage_megabytes).toBeGreaterThan(10)
    expect(s.system_memory_usage_megabytes).toBeLessThan(totalMb)
    expect(s.system_memory_usage_percentage).toBeGreaterThan(0)
    expect(s.system_memory_usage_percentage).toBeLessThan(100)
    expect(s.disk_usage_megabytes).toBeGreaterThan(0)
    expect(s.disk_available_megabytes).toBeGreaterThan(0)
    expect(s.disk_usage_percentage).toBeGreaterThan(0)
    expect(s.disk_usage_percentage).toBeLessThanOrEqual(100)
    for (const key of ['network_receive_megabytes', 'network_transmit_megabytes'])
      expect(s[key]).toBeGreaterThanOrEqual(0)
    expect(s.disk_read_megabytes).toBeGreaterThanOrEqual(0)
    expect(s.load_average_1m).toBeGreaterThanOrEqual(0)
  })

  it('counts network bytes sent through loopback', async () => {
    const sampler = new SystemSampler()
    await sampler.start()
    const payload = 'x'.repeat(2_000_000)
    for (let i = 0; i < 3; i++) await client.uploadArtifact(`0/netcheck/${i}.txt`, payload)
    const s = await sampler.sample()
    // 6 MB went over lo; counters include every interface, as psutil's do.
    expect(s.network_transmit_megabytes).toBeGreaterThanOrEqual(6)
    expect(s.network_receive_megabytes).toBeGreaterThanOrEqual(6)
  })

  it('logs system/* metrics at steps 0, 1, ... while the run is live and stops at end()', async () => {
    const run = await startRun({
      client,
      exitHandlers: false,
      capture: false,
      systemMetrics: { intervalMs: 150 },
    })
    await vi.waitFor(
      async () => {
        await run.flush()
        const history = await client.getMetricHistory(run.id, 'system/cpu_utilization_percentage')
        expect(history.length).toBeGreaterThanOrEqual(3)
      },
      { timeout: 15_000, interval: 200 },
    )
    await run.end()
    const got = await client.getRun(run.id)
    const keys = got.data.metrics.map((m) => m.key)
    for (const name of [
      'cpu_utilization_percentage',
      'system_memory_usage_megabytes',
      'system_memory_usage_percentage',
      'disk_usage_percentage',
      'disk_usage_megabytes',
      'disk_available_megabytes',
      'network_receive_megabytes',
      'network_transmit_megabytes',
    ])
      expect(keys).toContain(`system/${name}`)
    const mem = await client.getMetricHistory(run.id, 'system/system_memory_usage_megabytes')
    expect(mem.map((m) => m.step)).toEqual(mem.map((_, i) => i))
    for (const m of mem) expect(m.value).toBeGreaterThan(0)
    for (const m of mem) expect(m.value).toBeLessThan(totalMb)
    const after = mem.length
    await new Promise((r) => setTimeout(r, 400))
    const later = await client.getMetricHistory(run.id, 'system/system_memory_usage_megabytes')
    expect(later).toHaveLength(after)
  })

  it('reads nvidia-smi CSV and whole disks from diskstats', () => {
    // Output format of `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` (no GPU here).
    const csv = '0, 87, 30512, 40960, 250.31, 400.00\n1, 0, 5, 40960, [N/A], [N/A]\n'
    expect(parseNvidiaSmi(csv)).toEqual({
      gpu_0_utilization_percentage: 87,
      gpu_0_memory_usage_megabytes: 31994.2, // 30512 MiB
      gpu_0_memory_usage_percentage: 74.5,
      gpu_0_power_usage_watts: 250.3,
      gpu_0_power_usage_percentage: 62.6,
      gpu_1_utilization_percentage: 0,
      gpu_1_memory_usage_megabytes: 5.2,
      gpu_1_memory_usage_percentage: 0,
    })
    const stats = [
      ' 254 0 vda 100 0 2000 10 50 0 4000 20 0 30 30',
      ' 254 1 vda1 90 0 1800 10 40 0 3000 20 0 30 30',
      '   7 0 loop0 5 0 999 0 0 0 0 0 0 0 0',
    ].join('\n')
    expect(parseDiskstats(stats, (name) => name === 'vda')).toEqual({
      read: 2000 * 512,
      write: 4000 * 512,
    })
  })
})
