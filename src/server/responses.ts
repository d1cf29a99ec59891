/**
 * Writing plain answers on `node:http`: JSON bodies, static bodies, and the 405 of routes that
 * only read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from '../graphql/errors';
import type { StaticResponse } from './graphiql';

const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, { status, headers: JSON_HEADERS, body: Buffer.from(JSON.stringify(body)) });
}

/**
 * Writes a whole JSON answer (its length declared) but leaves the response open: the client can
 * read it, and the connection cannot close before the caller ends the response.
 */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(payload.length) });
  res.write(payload);
}

export function send(res: ServerResponse, { status, headers, body }: StaticResponse): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

/** True for GET and HEAD; otherwise answers 405 and returns false. */
export function onlyGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.setHeader('allow', 'GET, HEAD');
  sendJson(
    res,
    405,
    errorBody(`This path needs GET or HEAD, got ${req.method ?? 'no method'}.`, 'BAD_REQUEST'),
  );
  return false;
}

/** A request header's value; repeated headers are joined. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
