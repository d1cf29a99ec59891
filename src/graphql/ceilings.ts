/**
 * Ceilings that only execution can tell are crossed: the upstream calls one request makes. The
 * estimates before execution (`protection.ts`) refuse what is plainly too much, but they assume a
 * number of accounts; this counts the calls really made. The call past the ceiling fails, as does
 * every call after it, so the request stops spending at once; the response is then one
 * LIMIT_EXCEEDED error, not one per field that was cut short.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { CallContext, WooriApi } from '../woori/api';
import { LimitExceededError } from './errors';

/** The ceilings' settings. */
export interface Ceilings {
  /** Upstream calls one request may make (retries are the retry budget's, not counted here). */
  maxUpstreamCallsPerRequest: number;
  /** The largest GraphQL response body the HTTP layer sends, in bytes. */
  maxResponseBytes: number;
}

/**
 * A 50-account dashboard is 1 + 2 × 50 = 101 calls (151 with a third range per account). A page
 * of 1,000 transactions with every field is well under 1 MB.
 */
export const DEFAULT_CEILINGS: Readonly<Ceilings> = {
  maxUpstreamCallsPerRequest: 200,
  maxResponseBytes: 8 * 1024 * 1024,
};

/** One request's count of upstream calls against its ceiling. */
export class CallCeiling {
  private made = 0;

  constructor(readonly max: number) {}

  /** Counts one more call; throws LIMIT_EXCEEDED, and for good, when it would pass the ceiling. */
  admit(): void {
    if (this.made >= this.max) {
      throw new LimitExceededError(
        `The request needs more than ${this.max} upstream calls, the most one request may make; it was stopped. Ask for fewer accounts, ranges or fields per request.`,
        'maxUpstreamCallsPerRequest',
        this.max,
      );
    }
    this.made += 1;
  }
}

/** `api`, with every call first admitted by `ceiling`. */
export function withCallCeiling(api: WooriApi, ceiling: CallCeiling): WooriApi {
  return {
    async listAccounts(ctx: CallContext) {
      ceiling.admit();
      return api.listAccounts(ctx);
    },
    async getAccountBasics(ctx, accountNumber, asOf) {
      ceiling.admit();
      return api.getAccountBasics(ctx, accountNumber, asOf);
    },
    async listTransactions(ctx, accountNumber, from, to) {
      ceiling.admit();
      return api.listTransactions(ctx, accountNumber, from, to);
    },
  };
}

/**
 * A request that crossed a ceiling answers with that one error and no data: fields cut short
 * would otherwise each report it, and the fields that made it would pass for a whole answer.
 */
export function ceilingPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          const crossed = result.errors?.find((e) => e.extensions?.code === 'LIMIT_EXCEEDED');
          if (!crossed) return;
          const { path: _path, locations: _locations, ...error } = crossed;
          result.data = null;
          result.errors = [error];
        },
      };
    },
  };
}
