/**
 * A page of a transaction list that the upstream returns whole: filter, order, cursor and slice,
 * done locally on the rows the loader shares between every field that asked for the same days.
 */
import type { TransactionRecord } from '../woori/domain';
import type { CursorCodec, CursorScope, ListScope } from './cursor';
import { ArgumentError, type ArgumentViolation } from './errors';
import { toTransaction, transactionType } from './mappers';
import { summarize } from './summary';
import { DEFAULT_PAGE_SIZE, type TransactionsArgs } from './types/args';
import type { TransactionSummary } from './types/summary.type';
import {
  type PageInfo,
  type Transaction,
  type TransactionConnection,
  type TransactionEdge,
  TransactionOrder,
} from './types/transaction.type';

/**
 * The offset after which a page starts. Throws BAD_USER_INPUT for a cursor we did not issue for
 * this list, or issued for another account's.
 */
export function startOffset(
  codec: CursorCodec,
  scope: CursorScope,
  after: string | null | undefined,
): number {
  if (after === undefined || after === null) return 0;
  if (codec.verify(scope, after) === null) throw new ArgumentError([UNSIGNED_CURSOR]);
  const offset = codec.decode(scope, after);
  if (offset === null) {
    throw new ArgumentError([
      {
        argument: 'after',
        rule: 'cursorAccount',
        message:
          'Argument "after" needs a cursor issued for this account\'s list, got one issued for another account.',
      },
    ]);
  }
  return offset + 1;
}

/** A cursor whose signature does not hold for the list the field's arguments name. */
export const UNSIGNED_CURSOR: Readonly<ArgumentViolation> = {
  argument: 'after',
  rule: 'issuedCursor',
  message:
    'Argument "after" needs a cursor this service issued for this range, type and order, got one it did not.',
};

/** The list a field's arguments name, of whichever account. */
export function listScopeOf(args: TransactionsArgs): ListScope {
  return {
    from: args.from,
    to: args.to,
    type: args.type,
    order: args.order ?? TransactionOrder.NEWEST_FIRST,
  };
}

export function scopeOf(accountNumber: string, args: TransactionsArgs): CursorScope {
  return { accountNumber, ...listScopeOf(args) };
}

/**
 * Builds the page from rows sorted oldest first. Its parts are built when a query reads them, and
 * once: a field that asks only `totalCount` (the dashboard's last month) maps no row, signs no
 * cursor and sums nothing, and `edges` and `nodes` share their transactions. The summary is of
 * every row of the range, not of the page.
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
    () => summarize(rows, args.type, accountCurrency),
    fetchedAt,
  );
}

class Page implements TransactionConnection {
  readonly totalCount: number;
  private readonly end: number;
  private transactions?: Transaction[];
  private builtEdges?: TransactionEdge[];
  private builtSummary?: TransactionSummary;

  constructor(
    private readonly rows: readonly TransactionRecord[],
    private readonly newestFirst: boolean,
    private readonly start: number,
    first: number,
    private readonly scope: CursorScope,
    private readonly codec: CursorCodec,
    private readonly currency: string,
    private readonly sum: () => TransactionSummary,
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

  get summary(): TransactionSummary {
    this.builtSummary ??= this.sum();
    return this.builtSummary;
  }

  private cursor(offset: number): string {
    return this.codec.encode(this.scope, offset);
  }
}
