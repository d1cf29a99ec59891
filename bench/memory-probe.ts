/**
 * What a large range costs in memory, and whether any of it stays between requests (issue 12):
 * `node dist/bench/bench/memory-probe.js [requests]` after `npm run build && tsc -p bench/tsconfig.json`.
 *
 * For each wire format and each way of decoding (the whole text at once, as before; streamed), a
 * fresh service process (production settings, `--expose-gc` so that the probe can ask it for a full
 * collection) is asked for the first page of 50 of the heavy customer's 100,000-transaction year,
 * `requests` times in a row, as `npm run bench`'s large-range figure does. It prints the time of each
 * request, the peak RSS after each (VmHWM), and the heap in use after a full collection before the
 * requests (after one warm-up) and after them: if that grows, something holds on to memory between
 * requests, and `--snapshots` writes heap snapshots before and after to bench/results/ to find it.
 */
import { request } from 'undici';
import { startFlags } from './lib/baseline';
import { firstPage, probeServiceEnv } from './lib/large-range';
import { memoryOf } from './lib/proc';
import { benchScript, startChild } from './lib/processes';
import type { ServiceDecodeOptions } from './targets/service-decode';

const VARIANTS: Array<{ name: string; options: ServiceDecodeOptions }> = [
  { name: 'whole text at once (before)', options: { streamFromBytes: -1, decodeSliceMs: 0 } },
  { name: 'streamed', options: {} },
];
const MB = 1024;

interface SandboxDetail {
  appKey: string;
  secretKey: string;
  today: string;
}

async function main(): Promise<void> {
  const requests = Number(process.argv[2] ?? 5);
  const snapshots = process.argv.includes('--snapshots');
  const sandbox = await startChild({
    name: 'memory-sandbox',
    script: benchScript('targets/sandbox'),
    args: [JSON.stringify({ latencyMs: 0, jitterMs: 0 })],
    ready: { ipc: true },
  });
  const detail = sandbox.detail as unknown as SandboxDetail;
  const lines = [
    '| decoding | wire format | time per request ms | peak RSS after each MB | RSS before MB | heap after GC: after warm-up → after the requests MB |',
    '|---|---|---|---|---:|---|',
  ];
  try {
    for (const format of ['document', 'woori']) {
      await json(`${sandbox.url}/__sandbox/config`, 'POST', { wireFormat: format });
      for (const variant of VARIANTS) {
        const service = await startChild({
          name: 'memory-service',
          script: benchScript('targets/service-decode'),
          args: [JSON.stringify(variant.options)],
          execArgv: [...startFlags(), '--expose-gc'],
          env: probeServiceEnv({ url: sandbox.url, ...detail }),
          ready: { ipc: true },
        });
        try {
          const control = service.detail.controlUrl as string;
          const rssBefore = memoryOf(service.pid).rssKb;
          await firstPage(service.url, detail.today);
          const heapBefore = ((await json(`${control}/memory`)) as NodeJS.MemoryUsage).heapUsed;
          const tag = `${format}-${variant.options.streamFromBytes === -1 ? 'whole' : 'streamed'}`;
          if (snapshots) await json(`${control}/snapshot?name=${tag}-before`);
          const times: number[] = [];
          const peaks: number[] = [];
          for (let i = 0; i < requests; i++) {
            times.push(await firstPage(service.url, detail.today));
            peaks.push(memoryOf(service.pid).peakKb);
          }
          const heapAfter = ((await json(`${control}/memory`)) as NodeJS.MemoryUsage).heapUsed;
          if (snapshots) await json(`${control}/snapshot?name=${tag}-after`);
          lines.push(
            `| ${variant.name} | ${format} | ${times.map((t) => t.toFixed(0)).join(', ')} | ` +
              `${peaks.map((kb) => (kb / MB).toFixed(0)).join(', ')} | ${(rssBefore / MB).toFixed(0)} | ` +
              `${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} |`,
          );
        } finally {
          await service.stop();
        }
        process.stderr.write(`${format}: ${variant.name} done\n`);
      }
    }
  } finally {
    await sandbox.stop();
  }
  process.stdout.write(`${lines.join('\n')}\n\nnode ${process.version}, ${requests} requests per process\n`);
}

async function json(url: string, method: 'GET' | 'POST' = 'GET', body?: unknown): Promise<unknown> {
  const response = await request(url, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${url} answered ${response.statusCode}: ${text}`);
  return JSON.parse(text) as unknown;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
