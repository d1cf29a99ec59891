/**
 * What the probes of large answers share (bench/decode-stream.ts, stall-probe.ts, memory-probe.ts):
 * the `heavy` customer's first page over its 100,000-transaction year, a raw transactions call to the
 * sandbox, and the settings of a service under probe.
 */
import { request, type Dispatcher } from 'undici';
import { daysBefore } from './dashboard';

export const HEAVY_TOKEN = 'sandbox-token-heavy';

/** The first page of 50 with `totalCount` over a range: the large-range query of `npm run bench`. */
export const FIRST_PAGE_QUERY = `query FirstPage($from: Date!, $to: Date!) {
  accounts { number transactions(from: $from, to: $to, first: 50) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { occurredAt type amount { amount currency } balanceAfter { amount } memo }
  } }
}`;

/** The device fields every upstream call carries. */
export const DEVICE_HEADER = {
  UTZPE_CNCT_IPAD: '127.0.0.1',
  UTZPE_CNCT_MCHR_UNQ_ID: 'woori-graphql-bench',
  UTZPE_CNCT_TEL_NO_TXT: '',
  UTZPE_CNCT_MCHR_IDF_SRNO: 'server',
  UTZ_MCHR_OS_DSCD: '1',
  UTZ_MCHR_OS_VER_NM: 'server',
  UTZ_MCHR_MDL_NM: 'server',
  UTZ_MCHR_APP_VER_NM: '0.1.0',
};

/** What a probe knows of the sandbox it started. */
export interface ProbeSandbox {
  url: string;
  appKey: string;
  secretKey: string;
  today: string;
}

/**
 * The service's environment under a probe: production, on the sandbox, no client-side rate limit or
 * per-customer ceiling, and the answer cache off, so that every large range is fetched and decoded
 * (what the probes measure).
 */
export function probeServiceEnv(sandbox: ProbeSandbox): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    WOORI_BASE_URL: sandbox.url,
    WOORI_APP_KEY: sandbox.appKey,
    WOORI_SECRET_KEY: sandbox.secretKey,
    WOORI_MAX_RPS: '10000',
    WOORI_CUSTOMER_MAX_CALLS: '0',
    WOORI_TIMEOUT_MS: '30000',
    CURSOR_SECRET: 'benchmark-cursor-secret-0123456789abcdef',
    CACHE_TTL_SECONDS: '0',
    CACHE_HISTORY_TTL_SECONDS: '0',
  };
}

/** Asks the service at `url` for the heavy customer's first page over the year; its time in ms. */
export async function firstPage(url: string, today: string, dispatcher?: Dispatcher): Promise<number> {
  const started = performance.now();
  const response = await request(`${url}/graphql`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${HEAVY_TOKEN}` },
    body: JSON.stringify({ query: FIRST_PAGE_QUERY, variables: { from: daysBefore(today, 365), to: today } }),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200 || !text.includes('"totalCount":100000')) {
    throw new Error(`The large range failed (${response.statusCode}): ${text.slice(0, 500)}`);
  }
  return performance.now() - started;
}

/** One transactions call to the sandbox (dates `YYYYMMDD`); the body as the chunks that arrived. */
export async function transactionChunks(
  sandbox: Omit<ProbeSandbox, 'today'>,
  token: string,
  accountNumber: string,
  from: string,
  to: string,
): Promise<Buffer[]> {
  const response = await request(`${sandbox.url}/oai/wb/v1/finance/getAccTransList`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      appKey: sandbox.appKey,
      secretKey: sandbox.secretKey,
      authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      dataHeader: DEVICE_HEADER,
      dataBody: { INQ_ACNO: accountNumber, INQ_STA_DT: from, INQ_END_DT: to },
    }),
  });
  const chunks: Buffer[] = [];
  for await (const chunk of response.body as AsyncIterable<Buffer>) chunks.push(chunk);
  if (response.statusCode !== 200) throw new Error(`The sandbox answered ${response.statusCode}`);
  return chunks;
}
