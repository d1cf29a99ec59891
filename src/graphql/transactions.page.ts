/**
 * A page of a transaction list that the upstream returns whole: filter, order, cursor and slice,
 * done locally on the rows the loader shares between every field that asked for the same days.
 */
import type { TransactionRecord } from '../woori/domain';
import type { CursorCodec, CursorScope } from './cursor';
import { ArgumentError } from './errors';
import { toTransaction, transactionType } from './mappers';
import { DEFAULT_PAGE_SIZE, type TransactionsArgs } from './types/args';
import {
  type PageInfo,
  type Transaction,
  type TransactionConnection,
  type TransactionEdge,
  TransactionOrder,
} from './types/transaction.type';

/** The offset after which a page starts; throws BAD_USER_INPUT for a cursor we did not issue. */
export function startOffset(
  codec: CursorCodec,
  scope: CursorScope,
  after: string | null | undefined,
): number {
  if (after === undefined || after === null) return 0;
  const offset = codec.decode(scope, after);
  if (offset === null) {
    throw new ArgumentError([
      {
        argument: 'after',
        rule: 'issuedCursor',
        message:
          'Argument "after" is not a cursor this service issued for this account, range, type and order.',
      },
    ]);
  }
  return offset + 1;
}

export function scopeOf(accountNumber: string, args: TransactionsArgs): CursorScope {
  return {
    accountNumber,
    from: args.from,
    to: args.to,
    type: args.type,
    order: args.order ?? TransactionOrder.NEWEST_FIRST,
  };
}

/**
 * Builds the page from rows sorted oldest first. Its parts are built when a query reads them, and
 * once: a field that asks only `totalCount` (the dashboard's last month) maps no row and signs no
 * cursor, and `edges` and `nodes` share their transactions.
 */
export function buildPage(
  rows: readonly TransactionRecord[],
  args: TransactionsArgs,
  scope: CursorScope,
  start: number,
  codec: CursorCodec,
  accountCurrency: string,
  fetchedAt: string,
): TransactionConnection {
  const filtered = args.type ? rows.filter((r) => transactionType(r) === args.type) : rows;
  const newestFirst = (args.order ?? TransactionOrder.NEWEST_FIRST) === TransactionOrder.NEWEST_FIRST;
  return new Page(
    filtered,
    newestFirst,
    start,
    args.first ?? DEFAULT_PAGE_SIZE,
    scope,
    codec,
    accountCurrency,
    fetchedAt,
  );
}

class Page implements TransactionConnection {
  readonly totalCount: number;
  private readonly end: number;
  private transactions?: Transaction[];
  private builtEdges?: TransactionEdge[];

  constructor(
    private readonly rows: readonly TransactionRecord[],
    private readonly newestFirst: boolean,
    private readonly start: number,
    first: number,
    private readonly scope: CursorScope,
    private readonly codec: CursorCodec,
    private readonly currency: string,
    readonly fetchedAt: string,
  ) {
    this.totalCount = rows.length;
    this.end = Math.min(rows.length, start + first);
  }

  get nodes(): Transaction[] {
    if (!this.transactions) {
      this.transactions = [];
      for (let i = this.start; i < this.end; i++) {
        const row = this.rows[this.newestFirst ? this.totalCount - 1 - i : i];
        this.transactions.push(toTransaction(row, this.currency));
      }
    }
    return this.transactions;
  }

  get edges(): TransactionEdge[] {
    this.builtEdges ??= this.nodes.map((node, k) => ({ cursor: this.cursor(this.start + k), node }));
    return this.builtEdges;
  }

  get pageInfo(): PageInfo {
    const empty = this.end <= this.start;
    return {
      hasNextPage: this.end < this.totalCount,
      hasPreviousPage: this.start > 0,
      startCursor: empty ? null : this.cursor(this.start),
      endCursor: empty ? null : this.cursor(this.end - 1),
    };
  }

  private cursor(offset: number): string {
    return this.codec.encode(this.scope, offset);
  }
}
