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
import { createCallContext, type RequestCallContext } from '../woori/call-context';
import type { DeviceInfo } from '../woori/domain';
import { BodyError, discardRest, readBody, UploadAbortedError } from './body';
import { RequestDeadline } from './deadline';
import type { RequestState, ServerContext } from './request-state';
import { BadHeaderError, bearerToken, deviceFromRequest } from './request-input';
import { sendJson, writeJson } from './responses';

export interface GraphQLRouteOptions {
  apollo: ApolloServer<ServerContext>;
  /** The GraphQL layer's context of one request, for its call context. */
  createContext(call: RequestCallContext): GraphQLContext;
  bodyLimitBytes: number;
  requestDeadlineMs: number;
  deviceDefaults: Readonly<DeviceInfo>;
  trustProxy: boolean;
  /** Upstream calls one request may have in flight at once; unset: no cap of its own. */
  maxCallsInFlightPerRequest?: number;
  /** The upstream policy's clock, for the deadline on the call context. Default `performance.now`. */
  now?: () => number;
}

export class GraphQLRoute {
  private readonly now: () => number;

  constructor(private readonly options: GraphQLRouteOptions) {
    this.now = options.now ?? (() => performance.now());
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL, state: RequestState): Promise<void> {
    const input = await this.readInput(req, res, state);
    if (!input) return;
    const { apollo, createContext, requestDeadlineMs, maxCallsInFlightPerRequest } = this.options;
    const deadline = new RequestDeadline(res, requestDeadlineMs, this.now);
    try {
      const call = createCallContext({
        token: bearerToken(req.headers),
        device: input.device,
        signal: deadline.signal,
        deadline: deadline.at,
        maxInFlight: maxCallsInFlightPerRequest,
      });
      state.call = call;
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: toHttpGraphQLRequest(req, url, input.body),
        context: async () => ({ ...createContext(call), request: state }),
      });
      await writeGraphQLResponse(res, response);
    } finally {
      deadline.dispose();
    }
  }

  /** The device fields and the body, or null when the request was answered with a 4xx here. */
  private async readInput(
    req: IncomingMessage,
    res: ServerResponse,
    state: RequestState,
  ): Promise<{ device: DeviceInfo; body: unknown } | null> {
    const { bodyLimitBytes, deviceDefaults, trustProxy } = this.options;
    try {
      const device = deviceFromRequest(
        { headers: req.headers, remoteAddress: req.socket.remoteAddress },
        deviceDefaults,
        trustProxy,
      );
      state.secrets.push(device.phone);
      const body = req.method === 'POST' ? await readBody(req, bodyLimitBytes) : undefined;
      return { device, body };
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

function toHttpGraphQLRequest(req: IncomingMessage, url: URL, body: unknown): HTTPGraphQLRequest {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body };
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
