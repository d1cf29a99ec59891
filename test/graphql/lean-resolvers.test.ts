import 'reflect-metadata';
import type { GraphQLObjectType } from 'graphql';
import { buildSchema } from 'type-graphql';
import { useLeanResolvers } from '../../src/graphql/lean-resolvers';
import { createSchema, RESOLVER_CLASSES } from '../../src/graphql/schema';
import { TransactionsArgs } from '../../src/graphql/types/args';

describe('lean resolvers', () => {
  it("replaces type-graphql's wrapper of every resolver method: the queries and the field resolvers", async () => {
    const schema = await buildSchema({ resolvers: RESOLVER_CLASSES, validate: false });
    // Query.accounts, Query.account, Query.balances, Account.detail, Account.transactions.
    expect(useLeanResolvers(schema, RESOLVER_CLASSES)).toBe(5);
  });

  it('calls the method with the parent as given and the arguments as an instance of their class', async () => {
    const schema = await createSchema();
    const seen: unknown[] = [];
    const context = {
      loaders: 'the loaders',
      accounts: {
        transactions: (...params: unknown[]) => {
          seen.push(...params);
          return Promise.resolve(null);
        },
      },
    };
    const parent = { number: '1002146788200' };
    const account = schema.getType('Account') as GraphQLObjectType;
    await account.getFields().transactions.resolve!(
      parent,
      { from: '2019-01-01', to: '2019-01-31', first: 20 },
      context,
      {} as never,
    );
    const [loaders, root, args] = seen;
    expect(loaders).toBe('the loaders');
    expect(root).toBe(parent);
    expect(args).toBeInstanceOf(TransactionsArgs);
    expect(args).toEqual(
      Object.assign(new TransactionsArgs(), { from: '2019-01-01', to: '2019-01-31', first: 20 }),
    );
    // As type-graphql makes them: arguments not given are absent unless their class gives a default.
    expect(Object.keys(args as object).sort()).toEqual(['first', 'from', 'order', 'to']);
    expect(args).toMatchObject({ order: new TransactionsArgs().order });
  });
});
