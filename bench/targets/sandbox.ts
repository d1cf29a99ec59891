/** The upstream: the Woori API sandbox from `dist/`, alone in its process, with a fixed latency. */
import type * as Sandbox from '../../src/sandbox';
import { announceReady, childOptions, closeOnStop, runTarget } from '../lib/child';
import { fromDist } from '../lib/dist';

export interface SandboxTargetOptions {
  latencyMs: number;
  jitterMs: number;
}

runTarget(async () => {
  const { startSandbox } = fromDist<typeof Sandbox>('sandbox/index');
  const { latencyMs, jitterMs } = childOptions<SandboxTargetOptions>();
  const sandbox = await startSandbox({ host: '127.0.0.1', port: 0, latencyMs, jitterMs });
  closeOnStop(() => sandbox.close());
  announceReady(sandbox.url, {
    ...sandbox.credentials,
    today: sandbox.settings.today,
    customers: sandbox.customers,
  });
});
