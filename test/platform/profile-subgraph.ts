/**
 * A second subgraph for the federation tests: a small customer-profile service that another team
 * might run. It extends this service's `Account` entity (by its key, `number`) with a nickname, and
 * points at accounts from its own `profile` field, so that a router fetches both ways.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';

export const PROFILE_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  # Account and its key are described by the Woori subgraph, which owns them.
  type Account @key(fields: "number") {
    number: String!
    "The name the customer gave the account."
    nickname: String
  }

  "The signed-in customer's profile."
  type Profile {
    "How the customer is greeted."
    displayName: String!
    "The account the customer pinned in the app."
    favouriteAccount: Account
  }

  type Query {
    "The signed-in customer's profile."
    profile: Profile
  }
`;

/** The profile subgraph's executable schema; `favouriteAccount` is the account numbered `favourite`. */
export function profileSchema(favourite: string): GraphQLSchema {
  return buildSubgraphSchema({
    typeDefs: parse(PROFILE_SDL),
    resolvers: {
      Query: { profile: () => ({ displayName: 'Demo', favouriteAccount: { number: favourite } }) },
      Account: { nickname: (account: { number: string }) => `pocket ${account.number.slice(-4)}` },
    },
  });
}
