/**
 * The service as a company's platform runs it: in production mode, in front of a sandbox of its
 * own (so that the upstream calls of each request can be read from the sandbox's counters), with
 * the platform settings under test.
 */
import { join } from 'node:path';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { type RunningSandbox, startSandbox } from '../../src/sandbox';

/** The manifest codegen writes for test/operations (see codegen.yml). */
export const MANIFEST = join(__dirname, '..', 'generated', 'client', 'persisted-documents.json');

export interface Platform {
  sandbox: RunningSandbox;
  service: RunningService;
  /** Upstream calls the sandbox answered since the last `resetCalls()`. */
  upstreamCalls(): number;
  resetCalls(): void;
  close(): Promise<void>;
}

/** Starts a sandbox and the service in production mode over it, with `env` added. */
export async function startPlatform(env: Record<string, string>): Promise<Platform> {
  const sandbox = await startSandbox();
  try {
    const service = await startService(
      loadConfig({
        NODE_ENV: 'production',
        PORT: '0',
        HOST: '127.0.0.1',
        WOORI_BASE_URL: sandbox.url,
        WOORI_APP_KEY: sandbox.credentials.appKey,
        WOORI_SECRET_KEY: sandbox.credentials.secretKey,
        CURSOR_SECRET: 'p'.repeat(48),
        // The answer cache off: these tests compare upstream call counts request by request.
        CACHE_TTL_SECONDS: '0',
        CACHE_HISTORY_TTL_SECONDS: '0',
        LOG_LEVEL: 'silent',
        ...env,
      }),
    );
    return {
      sandbox,
      service,
      upstreamCalls: () => sandbox.counters().calls.total,
      resetCalls: () => sandbox.reset(),
      close: async () => {
        await service.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/** The token of a sandbox customer. */
export const TOKENS = { demo: 'sandbox-token-demo', many: 'sandbox-token-many' } as const;
