/**
 * The embedded sandbox: the one module of the service that imports from `src/sandbox`, used only
 * when no upstream is configured outside production. Everything else sees {@link EmbeddedSandbox}.
 */
import { SANDBOX_TOKENS, startSandbox } from '../sandbox';
import type { Config } from './config';

export interface EmbeddedSandbox {
  url: string;
  appKey: string;
  secretKey: string;
  /** The demo customer's access token, for GraphiQL's `Authorization` header. */
  demoToken: string;
  /** One of the demo customer's accounts, for GraphiQL's example variables. */
  demoAccountNumber: string;
  close(): Promise<void>;
}

export async function startEmbeddedSandbox(settings: Config['sandbox']): Promise<EmbeddedSandbox> {
  const sandbox = await startSandbox({ latencyMs: settings.latencyMs, wireFormat: settings.wireFormat });
  const demo = sandbox.customers.find((customer) => customer.token === SANDBOX_TOKENS.demo);
  return {
    url: sandbox.url,
    appKey: sandbox.credentials.appKey,
    secretKey: sandbox.credentials.secretKey,
    demoToken: SANDBOX_TOKENS.demo,
    demoAccountNumber: demo?.accountNumbers[0] ?? '',
    close: () => sandbox.close(),
  };
}
