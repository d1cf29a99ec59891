/**
 * A service variant (loaded with `node --require`): the prototype of a proposed change to
 * `buildPage` (src/graphql/transactions.page.ts). A page's `edges` and `nodes` are built only when
 * a query reads them, and each cursor (an HMAC) only when it is read. The dashboard's `lastMonth`
 * reads only `totalCount`, and no field of it reads a cursor: today each of its pages maps up to
 * 100 transactions and signs a cursor for each.
 */
import 'reflect-metadata';
import type * as Mappers from '../../src/graphql/mappers';
import type * as Page from '../../src/graphql/transactions.page';
import type * as Args from '../../src/graphql/types/args';
import type * as Types from '../../src/graphql/types/transaction.type';
import type { TransactionEdge } from '../../src/graphql/types/transaction.type';
import { fromDist } from '../lib/dist';
import { replaceExport } from '../lib/patch';

const { toTransaction, transactionType } = fromDist<typeof Mappers>('graphql/mappers');
const { DEFAULT_PAGE_SIZE } = fromDist<typeof Args>('graphql/types/args');
const { TransactionOrder } = fromDist<typeof Types>('graphql/types/transaction.type');

replaceExport<typeof Page, 'buildPage'>('graphql/transactions.page', 'buildPage', () => {
  return (rows, args, scope, start, codec, accountCurrency) => {
    const filtered = args.type ? rows.filter((r) => transactionType(r) === args.type) : rows;
    const total = filtered.length;
    const newestFirst = (args.order ?? TransactionOrder.NEWEST_FIRST) === TransactionOrder.NEWEST_FIRST;
    const end = Math.min(total, start + (args.first ?? DEFAULT_PAGE_SIZE));
    const cursor = (i: number): string | null => (i >= start && i < end ? codec.encode(scope, i) : null);
    let edges: TransactionEdge[] | undefined;
    const allEdges = (): TransactionEdge[] => {
      if (!edges) {
        edges = [];
        for (let i = start; i < end; i++) {
          const row = filtered[newestFirst ? total - 1 - i : i];
          const at = i;
          let signed: string | undefined;
          edges.push({
            get cursor() {
              return (signed ??= codec.encode(scope, at));
            },
            node: toTransaction(row, accountCurrency),
          });
        }
      }
      return edges;
    };
    return {
      get edges() {
        return allEdges();
      },
      get nodes() {
        return allEdges().map((e) => e.node);
      },
      totalCount: total,
      pageInfo: {
        hasNextPage: end < total,
        hasPreviousPage: start > 0,
        get startCursor() {
          return cursor(start);
        },
        get endCursor() {
          return cursor(end - 1);
        },
      },
    };
  };
});
