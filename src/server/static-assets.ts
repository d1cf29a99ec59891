/**
 * Static files served under content-hashed names: a name changes with its content, so each can be
 * cached for a year, and gzipped once at start-up.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

/** An answer of a static kind: a page or an asset. */
export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Headers every static answer of the service carries. */
const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/** An HTML page under its Content-Security-Policy: never cached, since it carries per-start values. */
export function htmlPage(html: string, contentSecurityPolicy: string): StaticResponse {
  return {
    status: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': contentSecurityPolicy,
      ...STATIC_SECURITY_HEADERS,
    },
    body: Buffer.from(html),
  };
}

interface Asset {
  contentType: string;
  body: Buffer;
  gzipped: Buffer;
}

export class HashedAssets {
  private readonly assets = new Map<string, Asset>();

  /** @param prefix where the assets are served from, e.g. `/demo/assets/` */
  constructor(private readonly prefix: string) {}

  /** Adds a file; returns the path it is served at, e.g. `/demo/assets/dashboard.1a2b3c4d5e6f7a8b.js`. */
  add(name: string, contentType: string, body: Buffer): string {
    const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const dot = name.lastIndexOf('.');
    const path = `${this.prefix}${name.slice(0, dot)}.${hash}${name.slice(dot)}`;
    this.assets.set(path, { contentType, body, gzipped: gzipSync(body) });
    return path;
  }

  /** The asset at `path`, or null when there is none. Gzipped when the client accepts it. */
  get(path: string, acceptEncoding: string | undefined): StaticResponse | null {
    const asset = this.assets.get(path);
    if (!asset) return null;
    const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
    return {
      status: 200,
      headers: {
        'content-type': asset.contentType,
        'cache-control': IMMUTABLE,
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
        ...STATIC_SECURITY_HEADERS,
      },
      body: gzip ? asset.gzipped : asset.body,
    };
  }
}
