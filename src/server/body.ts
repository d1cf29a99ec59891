import type { IncomingMessage } from 'node:http';

/**
 * How much of a refused body is still read (and dropped) after its 413. Most clients write the
 * whole body before they read the answer: closing on them mid-upload resets the connection, and
 * the reset can destroy the 413 before they read it. Past this, the connection is closed anyway.
 */
export const DISCARD_LIMIT_BYTES = 8 * 1024 * 1024;

/** A request body this service will not read; `status` is the HTTP answer (400, 413, 415). */
export class BodyError extends Error {
  override readonly name = 'BodyError';
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a request body of at most `limit` bytes. JSON bodies (any `…json` content type) are parsed;
 * others are returned as text, for Apollo to judge. Refuses early on a `Content-Length` over the
 * limit, and stops reading the moment a streamed body passes it.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);

  const raw = await collect(req, limit);
  const text = raw.toString('utf8');
  if (!/\bjson\b/i.test(req.headers['content-type'] ?? '')) return text;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON.');
  }
}

/**
 * Events rather than `for await`: leaving an async iterator early destroys the request, and with
 * it the socket, before the 413 can be sent. Past the limit the rest is left to {@link discardRest}.
 */
function collect(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      reject(tooLarge(limit));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    // A connection that closes mid-body ends the request with 'error' (ECONNRESET) or only 'close'.
    const aborted = (): void => reject(new UploadAbortedError(size));
    req.once('error', aborted);
    req.once('close', () => {
      if (!req.complete) aborted();
    });
  });
}

/**
 * The body stopped before its end: the client went away, or was cut off as too slow (the
 * server's request timeout). Nothing of the client's is wrong and there is nobody to answer.
 */
export class UploadAbortedError extends Error {
  override readonly name = 'UploadAbortedError';
  constructor(readonly receivedBytes: number) {
    super(`The client went away after ${receivedBytes} bytes of the body.`);
  }
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, `The request body is larger than ${limit} bytes.`);
}

/**
 * Reads and drops the rest of a refused body, up to `maxBytes`. Resolves with `read` when the body
 * ended (or the client went away), `too much` when it passed the bound (it is then left unread).
 * The server's request timeout bounds how long this can take.
 */
export function discardRest(
  req: IncomingMessage,
  maxBytes = DISCARD_LIMIT_BYTES,
): Promise<'read' | 'too much'> {
  if (req.complete || req.destroyed) return Promise.resolve('read');
  return new Promise((resolve) => {
    let dropped = 0;
    const done = (outcome: 'read' | 'too much'): void => {
      req.off('data', onData).off('end', onEnd).off('close', onEnd);
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      dropped += chunk.length;
      if (dropped > maxBytes) done('too much');
    };
    const onEnd = (): void => done('read');
    req.on('data', onData).once('end', onEnd).once('close', onEnd);
    req.resume();
  });
}
