/**
 * The bridge from `node:http` to Apollo Server: reads what the GraphQL layer needs from the request
 * (device fields, body), makes the request's call context once, with its deadline, runs the
 * operation (`executeHTTPGraphQLRequest`) and writes Apollo's answer, streamed or whole.
 */
import {
  type ApolloServer,
  HeaderMap,
  type HTTPGraphQLRequest,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, type GraphQLContext } from '../graphql';
import { createCallContext, customerKeyOf, type RequestCallContext } from '../woori/call-context';
import type { Freshness } from '../woori/api';
import type { DeviceInfo } from '../woori/domain';
import { BodyError, discardRest, readBody, UploadAbortedError } from './body';
import { freshnessOf } from './cache-control';
import { RequestDeadline } from './deadline';
import { bindCall, type RequestState, type ServerContext } from './request-state';
import { BadHeaderError, bearerToken, deviceFromRequest } from './request-input';
import { send, sendJson, writeJson } from './responses';
import { NOT_IN_LIST, refusalContentType, type TrustedDocuments } from './trusted-documents';

export interface GraphQLRouteOptions {
  apollo: ApolloServer<ServerContext>;
  /** The GraphQL layer's context of one request, for its call context. */
  createContext(call: RequestCallContext): GraphQLContext;
  bodyLimitBytes: number;
  /** The largest response body sent; a larger one is replaced by one LIMIT_EXCEEDED error. Unset: no ceiling. */
  maxResponseBytes?: number;
  requestDeadlineMs: number;
  deviceDefaults: Readonly<DeviceInfo>;
  trustProxy: boolean;
  /** Upstream calls one request may have in flight at once; unset: no cap of its own. */
  maxCallsInFlightPerRequest?: number;
  /** The upstream policy's clock, for the deadline on the call context. Default `performance.now`. */
  now?: () => number;
  /** When set (TRUSTED_DOCUMENTS), only the documents it lists reach Apollo. */
  trustedDocuments?: TrustedDocuments | null;
  /** The secret of each request's `customerKey` (`customerKeyOf`); unset: requests carry none. */
  customerKeySecret?: string;
}

export class GraphQLRoute {
  private readonly now: () => number;

  constructor(private readonly options: GraphQLRouteOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL, state: RequestState): Promise<void> {
    const input = await this.readInput(req, res, state);
    if (!input) return;
    const admitted = this.admit(req, res, url, input.body, state);
    if (!admitted) return;
    const { apollo, createContext, requestDeadlineMs, maxCallsInFlightPerRequest } = this.options;
    const deadline = new RequestDeadline(res, requestDeadlineMs, this.now);
    try {
      const token = bearerToken(req.headers);
      const { customerKeySecret } = this.options;
      const call = createCallContext({
        token,
        customerKey: token && customerKeySecret ? customerKeyOf(token, customerKeySecret) : undefined,
        freshness: input.freshness,
        device: input.device,
        signal: deadline.signal,
        deadline: deadline.at,
        maxInFlight: maxCallsInFlightPerRequest,
      });
      bindCall(state, call);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: toHttpGraphQLRequest(req, admitted.search, admitted.body),
        context: async () => ({ ...createContext(call), request: state }),
      });
      await writeGraphQLResponse(res, this.withinCeiling(response, call, state));
    } finally {
      deadline.dispose();
    }
  }

  /**
   * The request as Apollo is to see it: as it came, or, with trusted documents, with the listed
   * text in place of its hash. Null when it was refused here (a 400, before anything is parsed).
   */
  private admit(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: unknown,
    state: RequestState,
  ): { body: unknown; search: string } | null {
    const gate = this.options.trustedDocuments;
    if (!gate) return { body, search: url.search };
    const admission = gate.admit((req.method ?? 'GET').toUpperCase(), url.search, body);
    if (admission.admitted) return admission;
    state.outcome = 'rejected';
    state.errorCodes = [NOT_IN_LIST];
    send(res, {
      status: 400,
      headers: {
        'content-type': refusalContentType(req.headers.accept),
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store',
      },
      body: Buffer.from(JSON.stringify(errorBody(admission.message, NOT_IN_LIST))),
    });
    return null;
  }

  /**
   * `response`, or one LIMIT_EXCEEDED error in its place when its body is over `maxResponseBytes`.
   * The estimate before execution refuses most such requests; this is the ceiling behind it.
   */
  private withinCeiling(
    response: HTTPGraphQLResponse,
    call: RequestCallContext,
    state: RequestState,
  ): HTTPGraphQLResponse {
    const max = this.options.maxResponseBytes;
    if (max === undefined || response.body.kind !== 'complete') return response;
    const bytes = Buffer.byteLength(response.body.string);
    if (bytes <= max) return response;
    state.log.warn({ bytes, maxResponseBytes: max }, 'response over MAX_RESPONSE_BYTES: not sent');
    const { calls, retries, durationMs } = call.stats;
    const body = {
      data: null,
      ...errorBody(
        `The response needs ${bytes} bytes, more than the ${max} one response may carry; it was not sent. Ask for smaller pages or fewer fields.`,
        'LIMIT_EXCEEDED',
        { limit: 'maxResponseBytes', value: max },
      ),
      extensions: { upstream: { calls, retries, durationMs: Math.round(durationMs * 10) / 10 } },
    };
    return { ...response, body: { kind: 'complete', string: JSON.stringify(body) } };
  }

  /** The device fields and the body, or null when the request was answered with a 4xx here. */
  private async readInput(
    req: IncomingMessage,
    res: ServerResponse,
    state: RequestState,
  ): Promise<{ device: DeviceInfo; freshness?: Freshness; body: unknown } | null> {
    const { bodyLimitBytes, deviceDefaults, trustProxy } = this.options;
    try {
      const device = deviceFromRequest(
        { headers: req.headers, remoteAddress: req.socket.remoteAddress },
        deviceDefaults,
        trustProxy,
      );
      state.secrets.push(device.phone);
      const freshness = freshnessOf(req.headers);
      const body = req.method === 'POST' ? await readBody(req, bodyLimitBytes) : undefined;
      return { device, freshness, body };
    } catch (error) {
      if (error instanceof BadHeaderError) {
        sendJson(res, 400, errorBody(error.message, 'BAD_USER_INPUT', { header: error.header }));
        return null;
      }
      if (error instanceof UploadAbortedError) {
        // Once, at info: a client that goes away is not a failure of ours. Unless the connection
        // guard already answered it (too slow) and logged it.
        if (!res.headersSent)
          state.log.info({ receivedBytes: error.receivedBytes }, 'upload aborted by the client');
        return null;
      }
      if (error instanceof BodyError) {
        if (error.status === 413) await refuseTooLarge(req, res, error.message);
        else sendJson(res, error.status, errorBody(error.message, 'BAD_REQUEST'));
        return null;
      }
      throw error;
    }
  }
}

/**
 * The 413 of a body over the limit: written at once, but ended only once the rest of the body has
 * been read and dropped (up to DISCARD_LIMIT_BYTES). Most clients write the whole body before they
 * read; closing the connection on them mid-upload resets it, and the reset can destroy the answer
 * before they read it. Past the bound, the connection is closed once the answer is out.
 */
async function refuseTooLarge(req: IncomingMessage, res: ServerResponse, message: string): Promise<void> {
  writeJson(res, 413, errorBody(message, 'BAD_REQUEST'));
  if ((await discardRest(req)) === 'too much') res.once('finish', () => req.socket.destroy());
  res.end();
}

function toHttpGraphQLRequest(req: IncomingMessage, search: string, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search, body };
}

async function writeGraphQLResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = response.status ?? 200;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  const chunks = response.body.asyncIterator;
  try {
    for await (const chunk of chunks) {
      if (res.destroyed) break;
      // Respect backpressure: an incremental response can be long.
      if (!res.write(chunk))
        await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
    }
  } finally {
    if (res.destroyed) await chunks.return?.();
    else res.end();
  }
}
