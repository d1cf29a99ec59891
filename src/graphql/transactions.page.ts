/**
 * A page of a transaction list that the upstream returns whole: filter, order, cursor and slice,
 * done locally on the rows the loader shares between every field that asked for the same days.
 */
import type { TransactionRecord } from '../woori/domain';
import type { CursorCodec, CursorScope } from './cursor';
import { ArgumentError } from './errors';
import { toTransaction, transactionType } from './mappers';
import { DEFAULT_PAGE_SIZE, type TransactionsArgs } from './types/args';
import { type TransactionConnection, TransactionOrder } from './types/transaction.type';

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

/** Builds the page from rows sorted oldest first. */
export function buildPage(
  rows: readonly TransactionRecord[],
  args: TransactionsArgs,
  scope: CursorScope,
  start: number,
  codec: CursorCodec,
  accountCurrency: string,
): TransactionConnection {
  const filtered = args.type ? rows.filter((r) => transactionType(r) === args.type) : rows;
  const total = filtered.length;
  const newestFirst = (args.order ?? TransactionOrder.NEWEST_FIRST) === TransactionOrder.NEWEST_FIRST;
  const end = Math.min(total, start + (args.first ?? DEFAULT_PAGE_SIZE));
  const edges = [];
  for (let i = start; i < end; i++) {
    const row = filtered[newestFirst ? total - 1 - i : i];
    edges.push({ cursor: codec.encode(scope, i), node: toTransaction(row, accountCurrency) });
  }
  return {
    edges,
    nodes: edges.map((e) => e.node),
    totalCount: total,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
