/**
 * Composition: this service's subgraph (subgraph.graphql, which a freshness test keeps equal to
 * what the service serves) composes with a second team's subgraph that extends `Account`.
 */
import { composeServices } from '@apollo/composition';
import { isObjectType, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { SUBGRAPH_PATH } from '../../scripts/print-schema';
import { PROFILE_SDL } from './profile-subgraph';

function compose() {
  return composeServices([
    {
      name: 'woori',
      url: 'http://woori.invalid/graphql',
      typeDefs: parse(readFileSync(SUBGRAPH_PATH, 'utf8')),
    },
    { name: 'profiles', url: 'http://profiles.invalid/graphql', typeDefs: parse(PROFILE_SDL) },
  ]);
}

describe('composition with a profile subgraph that extends Account', () => {
  it('succeeds, with no hint at warning level', () => {
    const result = compose();
    expect(result.errors?.map(String)).toBeUndefined();
    const warnings = (result.hints ?? []).filter((h) => h.definition.level.name === 'WARN');
    expect(warnings.map((h) => h.toString())).toEqual([]);
  });

  it("gives the supergraph's Account the fields of both subgraphs, keyed by number in each", () => {
    const { supergraphSdl, schema } = compose();
    expect(supergraphSdl).toMatch(
      /type Account\s+@join__type\(graph: PROFILES, key: "number"\)\s+@join__type\(graph: WOORI, key: "number"\)/,
    );
    const api = schema!.toAPISchema().toGraphQLJSSchema();
    const account = api.getType('Account');
    expect(isObjectType(account) && Object.keys(account.getFields())).toEqual(
      expect.arrayContaining(['number', 'nickname', 'balance', 'detail', 'transactions']),
    );
    expect(Object.keys(api.getQueryType()!.getFields()).sort()).toEqual([
      'account',
      'accounts',
      'balances',
      'profile',
    ]);
  });
});
