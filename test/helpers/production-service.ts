/**
 * The service in production mode, which needs a real upstream: a sandbox of its own stands in for
 * it. For tests of what production turns off or hardens.
 */
import { type RunningSandbox, startSandbox } from '../../src/sandbox';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

export interface ProductionService {
  sandbox: RunningSandbox;
  service: RunningService;
  /** Closes the service, then its sandbox. */
  close(): Promise<void>;
}

/** Starts a sandbox and the service in production mode on it; `env` adds or overrides settings. */
export async function startProductionService(env: Record<string, string> = {}): Promise<ProductionService> {
  const sandbox = await startSandbox();
  const service = await startService(
    loadConfig({
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      WOORI_BASE_URL: sandbox.url,
      WOORI_APP_KEY: sandbox.credentials.appKey,
      WOORI_SECRET_KEY: sandbox.credentials.secretKey,
      CURSOR_SECRET: 'a production cursor secret of forty chars!',
      CACHE_SECRET: 'a production cache secret of forty chars!!',
      ...env,
    }),
  );
  return {
    sandbox,
    service,
    close: async () => {
      await service.close();
      await sandbox.close();
    },
  };
}
