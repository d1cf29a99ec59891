/**
 * What the fuzz test runs against: one sandbox (with a few upstream faults, so that typed upstream
 * failures occur) and the service twice over it, in development and in production mode, each in
 * this process with its error-level log lines captured. Cursors each service issues to each
 * customer are harvested first, for the cursor probes.
 */
import { type RunningSandbox, SANDBOX_TOKENS, startSandbox } from '../../src/sandbox';
import { type RunningService, startService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import type { Oracle } from './invariants';
import type { Mode } from './model';
import { BAD_TOKEN, type World } from './render';

/** Keys and seals the answer cache in both modes; like every secret, it must never reach an answer. */
const CACHE_SECRET = 'fuzz cache secret: forty characters long!!';

const CURSOR_SECRETS: Record<Mode, string> = {
  dev: 'fuzz development cursor secret, 40+ chars long',
  prod: 'fuzz production cursor secret, 40+ chars long',
};

export const HUGE_BALANCE = '123456789012345678';

export interface FuzzWorld {
  world: World;
  oracle: Oracle;
  sandbox: RunningSandbox;
  services: Record<Mode, RunningService>;
  /** How many error-level lines the services have logged since the start (each one a defect of ours). */
  defectCount(): number;
  /** The error-level lines after the first `count` (the first 1,000 of a run are kept). */
  defectsSince(count: number): string[];
  close(): Promise<void>;
}

export interface WorldOptions {
  /** Share of upstream calls that fail (half SYSCD09999, half a malformed body). Default 0.01. */
  faultRate?: number;
}

export async function startWorld({ faultRate = 0.01 }: WorldOptions = {}): Promise<FuzzWorld> {
  const sandbox = await startSandbox({
    faults: [
      { code: 'SYSCD09999', rate: faultRate / 2 },
      { kind: 'malformed', rate: faultRate / 2 },
    ],
  });
  const defects: string[] = [];
  let defectCount = 0;
  const services = {} as Record<Mode, RunningService>;
  for (const mode of ['dev', 'prod'] as const) {
    services[mode] = await startService(
      loadConfig({
        NODE_ENV: mode === 'prod' ? 'production' : 'development',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        WOORI_BASE_URL: sandbox.url,
        WOORI_APP_KEY: sandbox.credentials.appKey,
        WOORI_SECRET_KEY: sandbox.credentials.secretKey,
        CURSOR_SECRET: CURSOR_SECRETS[mode],
        CACHE_SECRET: CACHE_SECRET,
        // Thousands of operations per customer: the per-customer ceiling would answer most of them.
        WOORI_CUSTOMER_MAX_CALLS: '0',
        // The sandbox has no per-second limit; the service's default (10/s with an upstream) would only add waiting.
        WOORI_MAX_RPS: '0',
        WOORI_RETRY_BACKOFF_BASE_MS: '5',
        WOORI_RETRY_BACKOFF_MAX_MS: '20',
      }),
      {
        logDestination: {
          write: (line: string) => {
            defectCount += 1;
            if (defects.length < 1_000) defects.push(`${mode}: ${line.trim()}`);
          },
        },
      },
    );
  }
  const names = ['demo', 'many', 'ten'] as const;
  const customers = names.map((name) => {
    const found = sandbox.customers.find((c) => c.token === SANDBOX_TOKENS[name]);
    if (!found) throw new Error(`the sandbox has no customer ${name}`);
    return { name, token: found.token, accounts: found.accountNumbers };
  });
  const lastDay = sandbox.ledgerEnd.slice(0, 10);
  const world: World = {
    baseUrls: { dev: services.dev.url, prod: services.prod.url },
    customers,
    cursors: { dev: [], prod: [] },
    lastDay,
  };
  for (const mode of ['dev', 'prod'] as const) {
    for (const customer of customers)
      world.cursors[mode].push(await harvestCursors(services[mode], customer.token, lastDay));
  }
  const hugeAccount = await findHugeAccount(services.dev, customers[1].token);
  sandbox.reset();
  defects.length = 0;
  defectCount = 0;
  const oracle: Oracle = {
    world,
    secrets: [
      sandbox.credentials.appKey,
      sandbox.credentials.secretKey,
      ...Object.values(CURSOR_SECRETS),
      CACHE_SECRET,
    ],
    tokens: [...Object.values(SANDBOX_TOKENS), BAD_TOKEN],
    hugeAccount,
    hugeBalance: HUGE_BALANCE,
  };
  return {
    world,
    oracle,
    sandbox,
    services,
    defectCount: () => defectCount,
    defectsSince: (count) => {
      if (defectCount <= count) return [];
      const kept = defects.slice(count);
      return kept.length > 0 ? kept : ['(an error-level line past the first 1,000: not kept)'];
    },
    close: async () => {
      await services.dev.close();
      await services.prod.close();
      await sandbox.close();
    },
  };
}

async function ask(service: RunningService, token: string, query: string): Promise<unknown> {
  const response = await fetch(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

/** Up to four cursors the service issued to one customer (pages of its accounts' last year). */
async function harvestCursors(service: RunningService, token: string, lastDay: string): Promise<string[]> {
  const from = new Date(`${lastDay}T00:00:00Z`);
  from.setUTCDate(from.getUTCDate() - 300);
  for (let attempt = 0; attempt < 5; attempt++) {
    const body = (await ask(
      service,
      token,
      `{ accounts { transactions(from: "${from.toISOString().slice(0, 10)}", to: "${lastDay}", first: 2) { edges { cursor } } } }`,
    )) as { data?: { accounts: { transactions: { edges: { cursor: string }[] } | null }[] } };
    const cursors = (body.data?.accounts ?? []).flatMap(
      (a) => a.transactions?.edges.map((e) => e.cursor) ?? [],
    );
    if (cursors.length > 0) return cursors.slice(0, 4);
  }
  throw new Error('could not harvest any cursor');
}

async function findHugeAccount(service: RunningService, token: string): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const body = (await ask(service, token, '{ accounts { number balance { amount } } }')) as {
      data?: { accounts: { number: string; balance: { amount: string } }[] };
    };
    const huge = body.data?.accounts.find((a) => a.balance.amount.replace(/\..*/, '').length >= 18);
    if (huge) {
      if (huge.balance.amount !== HUGE_BALANCE)
        throw new Error(`the 18-digit balance came back as ${huge.balance.amount}`);
      return huge.number;
    }
  }
  throw new Error('could not find the account with the 18-digit balance');
}
