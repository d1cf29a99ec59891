import { request, type Dispatcher } from 'undici';
import { SANDBOX_APP_KEY, SANDBOX_SECRET_KEY, type RunningSandbox } from '../../src/sandbox';

/** The device fields of the document's request examples. */
export const DEVICE = {
  UTZPE_CNCT_IPAD: '10.0.0.1',
  UTZPE_CNCT_MCHR_UNQ_ID: '3B5E6E7B',
  UTZPE_CNCT_TEL_NO_TXT: '01012341234',
  UTZPE_CNCT_MCHR_IDF_SRNO: 'IMEI',
  UTZ_MCHR_OS_DSCD: '1',
  UTZ_MCHR_OS_VER_NM: '8.0.0',
  UTZ_MCHR_MDL_NM: 'SM-G930S',
  UTZ_MCHR_APP_VER_NM: '1.0.0',
};

/**
 * The document's list balance of 1002146788200 (spec §5, PBOK_BAL 71888): the sandbox's balance of
 * that account now, which the list and its basics as of today answer.
 */
export const DOCUMENT_BALANCE_NOW = 71888;

export const PATHS = {
  accounts: '/oai/wb/v1/finance/getIndivAllAccInfo',
  accountsDocumentSpelling: '/oai/wb/v1/finance/getIndivAllAcclInfo',
  basics: '/oai/wb/v1/finance/getAccBasicInfo',
  transactions: '/oai/wb/v1/finance/getAccTransList',
  tokenCheck: '/oap/wb/v2/oauth/tokencheck',
} as const;

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PUT';
  /** The customer's token; null sends none. Default: the demo customer's. */
  token?: string | null;
  /** How the token travels. Default: `Authorization: Bearer`. */
  tokenHeader?: 'bearer' | 'token';
  appKey?: string | null;
  secretKey?: string | null;
  dataHeader?: Record<string, unknown> | null;
  dataBody?: Record<string, unknown>;
  /** Sent as is instead of the JSON envelope. */
  rawBody?: string;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
}

/** Parsed response JSON: tests read into it freely and let assertions do the checking. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface CallResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

/** One API call over real HTTP, GET with a JSON body by default, as the document describes. */
export async function call(
  sandbox: RunningSandbox,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const appKey = options.appKey === undefined ? SANDBOX_APP_KEY : options.appKey;
  const secretKey = options.secretKey === undefined ? SANDBOX_SECRET_KEY : options.secretKey;
  const token = options.token === undefined ? 'sandbox-token-demo' : options.token;
  if (appKey !== null) headers.appKey = appKey;
  if (secretKey !== null) headers.secretKey = secretKey;
  if (token !== null) {
    if (options.tokenHeader === 'token') headers.token = token;
    else headers.authorization = `Bearer ${token}`;
  }
  const dataHeader = options.dataHeader === undefined ? DEVICE : options.dataHeader;
  const envelope: Record<string, unknown> = { dataBody: options.dataBody ?? {} };
  if (dataHeader !== null) envelope.dataHeader = dataHeader;
  const response = await request(`${sandbox.url}${path}`, {
    method: options.method ?? 'GET',
    headers,
    body: options.rawBody ?? JSON.stringify(envelope),
    reset: false,
    dispatcher: options.dispatcher,
    signal: options.signal,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export function transactions(
  sandbox: RunningSandbox,
  accountNumber: string,
  from: string,
  to: string,
  options: CallOptions = {},
): Promise<CallResult> {
  return call(sandbox, PATHS.transactions, {
    ...options,
    dataBody: { INQ_ACNO: accountNumber, INQ_STA_DT: from, INQ_END_DT: to },
  });
}

export function basics(
  sandbox: RunningSandbox,
  accountNumber: string,
  asOf: string,
  options: CallOptions = {},
): Promise<CallResult> {
  return call(sandbox, PATHS.basics, { ...options, dataBody: { INQ_ACNO: accountNumber, INQ_BAS_DT: asOf } });
}

/** A control endpoint of the sandbox, over HTTP. */
export async function control(
  sandbox: RunningSandbox,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Json }> {
  const response = await request(`${sandbox.url}/__sandbox/${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, json: await response.body.json() };
}

export function accountsOf(sandbox: RunningSandbox, name: string): string[] {
  const customer = sandbox.customers.find((candidate) => candidate.name === name);
  if (!customer) throw new Error(`no customer named ${name}`);
  return customer.accountNumbers;
}

/** `YYYYMMDD` of a day `offset` days from `today` (`YYYY-MM-DD`). */
export function compactDay(today: string, offset = 0): string {
  const date = new Date(`${today}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + offset);
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}
