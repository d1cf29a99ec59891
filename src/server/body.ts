import type { IncomingMessage } from 'node:http';

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
 * it the socket, before the 413 can be sent. Past the limit the rest is read and dropped.
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
      req.resume();
      reject(tooLarge(limit));
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tooLarge(limit: number): BodyError {
  return new BodyError(413, `The request body is larger than ${limit} bytes.`);
}
