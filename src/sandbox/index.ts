/**
 * A faithful, deterministic simulator of Woori Bank's financial-data Open API, served over real
 * HTTP: the service's tests, `npm start` without a configured upstream, and the benchmarks all
 * talk to it. It imports nothing from the rest of `src/`.
 */
import { SandboxServer } from './server';
import { resolveSettings } from './settings';
import type { RunningSandbox, SandboxSettings } from './types';

export { SANDBOX_TOKENS } from './data/customers';
export { SANDBOX_APP_KEY, SANDBOX_SECRET_KEY } from './settings';
export type {
  RunningSandbox,
  SandboxCallRecord,
  SandboxCounters,
  SandboxCustomer,
  SandboxFault,
  SandboxOperation,
  SandboxPatch,
  SandboxSettings,
} from './types';

/**
 * Starts a sandbox and resolves once it listens. Settings left out take their defaults (see
 * `SandboxSettings`); a bad setting rejects with a TypeError naming it.
 */
export async function startSandbox(settings: Partial<SandboxSettings> = {}): Promise<RunningSandbox> {
  const now = Date.now();
  const server = new SandboxServer(resolveSettings(settings, now), now);
  const url = await server.listen();
  const customers = server.customers();
  return {
    url,
    ledgerEnd: server.ledgerEnd(),
    get settings() {
      return server.currentSettings();
    },
    get credentials() {
      const { appKey, secretKey } = server.currentSettings();
      return { appKey, secretKey };
    },
    customers,
    counters: () => server.counters(),
    reset: () => server.reset(),
    configure: (patch) => server.configure(patch),
    close: () => server.close(),
  };
}
