/**
 * The physical limit: a hand-written aggregator of the dashboard's data, with no GraphQL at all.
 * Plain `node:http` and the same upstream client (`WooriClient` from `dist/`, same pool size) as the
 * service; the same upstream calls (one list, then per account the basics as of today in KST and
 * one transactions call over both months, all at once); the same JSON as the service's `data`.
 * Everything the service does beyond this is the price of GraphQL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { CallContext } from '../../src/woori/api';
import type * as Dates from '../../src/graphql/dates';
import type * as Client from '../../src/woori/client';
import type * as TransactionOrder from '../../src/woori/transaction-order';
import type { AccountSummary, DeviceInfo, TransactionRecord } from '../../src/woori/domain';
import { announceReady, childOptions, closeOnStop, runTarget } from '../lib/child';
import { DASHBOARD_PAGE_SIZE, type DashboardVariables } from '../lib/dashboard';
import { fromDist } from '../lib/dist';

export interface AggregatorOptions {
  upstream: { baseUrl: string; appKey: string; secretKey: string; connections: number };
  /** The device fields sent upstream (the service's defaults for callers that send none). */
  device: DeviceInfo;
}

const JSON_TYPE = 'application/json; charset=utf-8';
/** The service's own row order and slicing, so that both answer the same rows. */
const { sortOldestFirst, firstOnOrAfter } = fromDist<typeof TransactionOrder>('woori/transaction-order');
/** Today in KST as the service reckons it, for the basics' as-of date. */
const { todayInKst } = fromDist<typeof Dates>('graphql/dates');

runTarget(async () => {
  const { WooriClient } = fromDist<typeof Client>('woori/client');
  const { upstream, device } = childOptions<AggregatorOptions>();
  const client = new WooriClient(upstream);

  const dashboard = async (ctx: CallContext, v: DashboardVariables): Promise<unknown> => {
    const today = todayInKst();
    const accounts = await client.listAccounts(ctx);
    const rows = accounts.map(async (account) => {
      const [basics, transactions] = await Promise.all([
        client.getAccountBasics(ctx, account.number, today),
        client.listTransactions(ctx, account.number, v.prevFrom, v.to),
      ]);
      return accountData(account, basics, sortOldestFirst(transactions), v);
    });
    return { accounts: await Promise.all(rows) };
  };

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.url !== '/graphql')
      return send(res, 404, errors('not found', 'NOT_FOUND'));
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return send(res, 401, errors('A bearer token is required.', 'UNAUTHENTICATED'));
    let variables: DashboardVariables;
    try {
      variables = (JSON.parse(body) as { variables: DashboardVariables }).variables;
    } catch {
      return send(res, 400, errors('The body is not JSON.', 'BAD_REQUEST'));
    }
    try {
      send(res, 200, `{"data":${JSON.stringify(await dashboard({ token, device }, variables))}}`);
    } catch (error) {
      const kind = (error as { kind?: string }).kind ?? 'INTERNAL_SERVER_ERROR';
      send(res, 502, errors(error instanceof Error ? error.message : String(error), kind));
    }
  };

  const server = createServer({ noDelay: true }, (req, res) => void answer(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The aggregator has no TCP address');
  closeOnStop(async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    await client.close();
  });
  announceReady(`http://127.0.0.1:${address.port}/graphql`);
});

/** One account of the dashboard, field for field in the query's order (so the JSON is identical). */
function accountData(
  account: AccountSummary,
  basics: { statusCode: string | null; currentBalance: string },
  rows: readonly TransactionRecord[],
  v: DashboardVariables,
): unknown {
  const start = firstOnOrAfter(rows, v.from);
  const end = firstOnOrAfter(rows, nextDay(v.to));
  const nodes = [];
  for (let i = end - 1; i >= start && nodes.length < DASHBOARD_PAGE_SIZE; i--)
    nodes.push(transaction(rows[i]));
  return {
    number: account.number,
    productName: account.productName,
    balance: { amount: account.balance, currency: account.currency },
    detail: { statusCode: basics.statusCode, currentBalance: { amount: basics.currentBalance } },
    thisMonth: { totalCount: end - start, nodes },
    lastMonth: { totalCount: firstOnOrAfter(rows, nextDay(v.prevTo)) - firstOnOrAfter(rows, v.prevFrom) },
  };
}

function transaction(t: TransactionRecord): unknown {
  const isDeposit = t.deposit !== '0';
  const type = isDeposit === (t.withdrawal !== '0') ? null : isDeposit ? 'DEPOSIT' : 'WITHDRAWAL';
  return {
    occurredAt: `${t.date}T${t.time}+09:00`,
    type,
    amount: { amount: type === 'WITHDRAWAL' ? t.withdrawal : t.deposit },
    memo: t.memo,
  };
}

function nextDay(date: string): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(ms + 86_400_000).toISOString().slice(0, 10);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

function errors(message: string, code: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}
