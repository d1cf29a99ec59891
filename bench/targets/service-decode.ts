/**
 * The service as `startService(loadConfig(env))` builds it, with the upstream client's decoding
 * options given by the parent (bench/stall-probe.ts and bench/memory-probe.ts compare them).
 * `streamFromBytes: -1` stands for "never stream" (JSON has no Infinity).
 *
 * Beside the service it serves its parent a control port (its URL is the ready message's
 * `controlUrl`): `GET /memory` runs a full garbage collection (with `--expose-gc`) and answers
 * `process.memoryUsage()`; `GET /snapshot?name=…` writes a heap snapshot to bench/results/.
 */
import 'reflect-metadata';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type * as App from '../../src/server/app';
import type * as Config from '../../src/server/config';
import { announceReady, childOptions, closeOnStop, runTarget } from '../lib/child';
import { fromDist, RESULTS } from '../lib/dist';

export interface ServiceDecodeOptions {
  streamFromBytes?: number;
  decodeSliceMs?: number;
}

runTarget(async () => {
  const { startService } = fromDist<typeof App>('server/app');
  const { loadConfig } = fromDist<typeof Config>('server/config');
  const options = childOptions<ServiceDecodeOptions>();
  const upstreamClient = {
    ...options,
    streamFromBytes: options.streamFromBytes === -1 ? Infinity : options.streamFromBytes,
  };
  const service = await startService(loadConfig(process.env), { upstreamClient });
  const control = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    if (url.pathname === '/memory') {
      (globalThis as { gc?: () => void }).gc?.();
      res.end(JSON.stringify(process.memoryUsage()));
    } else if (url.pathname === '/snapshot') {
      const name = (url.searchParams.get('name') ?? 'heap').replace(/[^\w.-]/g, '_');
      res.end(JSON.stringify({ file: writeHeapSnapshot(join(RESULTS, `${name}.heapsnapshot.tmp`)) }));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  closeOnStop(async () => {
    control.close();
    await service.close();
  });
  const { port } = control.address() as AddressInfo;
  announceReady(service.url, { controlUrl: `http://127.0.0.1:${port}` });
});
