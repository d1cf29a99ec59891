/**
 * Trusted documents (`TRUSTED_DOCUMENTS`): only the operations a frontend build produced may run.
 * The manifest is the codegen client preset's `persisted-documents.json`,
 * `{ "<sha256 hex of the text>": "<document text>" }`, loaded once at start.
 *
 * The gate stands before Apollo, in the HTTP layer, because Apollo Server has no allowlist of its
 * own and turns errors thrown in its early hooks into masked 500s. It judges each request before
 * anything is parsed: a request names its document by `extensions.persistedQuery.sha256Hash`
 * (Apollo's persisted-query link), by `documentId` (`sha256:<hex>` or `<hex>`), or by full text
 * whose sha256 is listed. An admitted request goes on to Apollo with the listed text as its
 * `query` and without its hash, so Apollo's own automatic persisted queries never see it; anything
 * else (ad-hoc text, an unknown hash, a client registering a new document) is refused.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config';

/** The error code of a refused request (HTTP 400). */
export const NOT_IN_LIST = 'PERSISTED_QUERY_NOT_IN_LIST';

/** What the gate decided: the request to hand Apollo, or why it was refused. */
export type Admission = { admitted: true; body: unknown; search: string } | Refusal;

/** A refused request, with the message that tells the client what it needs. */
export interface Refusal {
  admitted: false;
  message: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The documents of one manifest, by the sha256 of their text. */
export class TrustedDocuments {
  private constructor(private readonly documents: ReadonlyMap<string, string>) {}

  /**
   * Reads and checks the manifest at `path`. Throws a {@link ConfigError} naming TRUSTED_DOCUMENTS
   * when the file cannot be read, is not such a manifest, or lists a text under another hash.
   */
  static load(path: string): TrustedDocuments {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ConfigError('TRUSTED_DOCUMENTS', `needs a readable manifest file, got ${path} (${code})`);
    }
    let manifest: unknown;
    try {
      manifest = JSON.parse(text);
    } catch {
      throw new ConfigError('TRUSTED_DOCUMENTS', `needs a JSON manifest, got invalid JSON in ${path}`);
    }
    return new TrustedDocuments(checkManifest(manifest, path));
  }

  /** How many documents are listed. */
  get size(): number {
    return this.documents.size;
  }

  /**
   * Judges one GraphQL request: GET by its query string, POST by its parsed body (one request or a
   * batch, every entry of which must be listed). Other methods pass as they are: Apollo refuses
   * them without running anything.
   */
  admit(method: string, search: string, body: unknown): Admission {
    if (method === 'GET') return this.admitGet(search);
    if (method !== 'POST') return { admitted: true, body, search };
    if (Array.isArray(body)) {
      const entries: unknown[] = [];
      for (const entry of body) {
        const admission = this.admitPost(entry, search);
        if (!admission.admitted) return admission;
        entries.push(admission.body);
      }
      return { admitted: true, body: entries, search };
    }
    return this.admitPost(body, search);
  }

  private admitPost(body: unknown, search: string): Admission {
    if (!isObject(body)) return refuse('a JSON body naming a listed document');
    const found = this.find(body.query, body.documentId, body.extensions);
    if (typeof found !== 'string') return found;
    const { documentId: _id, extensions, ...rest } = body;
    const kept = withoutPersistedQuery(extensions);
    return { admitted: true, body: { ...rest, query: found, ...(kept ? { extensions: kept } : {}) }, search };
  }

  private admitGet(search: string): Admission {
    const params = new URLSearchParams(search);
    const rawExtensions = params.get('extensions');
    let extensions: unknown;
    try {
      extensions = rawExtensions === null ? undefined : JSON.parse(rawExtensions);
    } catch {
      // Apollo answers unreadable extensions itself, once the document is known to be listed.
      extensions = undefined;
    }
    const found = this.find(
      params.get('query') ?? undefined,
      params.get('documentId') ?? undefined,
      extensions,
    );
    if (typeof found !== 'string') return found;
    params.set('query', found);
    params.delete('documentId');
    if (isObject(extensions)) {
      const kept = withoutPersistedQuery(extensions);
      if (kept) params.set('extensions', JSON.stringify(kept));
      else params.delete('extensions');
    }
    return { admitted: true, body: undefined, search: `?${params.toString()}` };
  }

  /** The listed text a request names, or its refusal. */
  private find(query: unknown, documentId: unknown, extensions: unknown): string | Refusal {
    const named: string[] = [];
    if (documentId !== undefined && documentId !== null) {
      if (typeof documentId !== 'string') return refuse('documentId as a string', 'another value');
      named.push(documentId.replace(/^sha256:/i, '').toLowerCase());
    }
    const persisted = isObject(extensions) ? extensions.persistedQuery : undefined;
    if (persisted !== undefined && persisted !== null) {
      if (!isObject(persisted) || typeof persisted.sha256Hash !== 'string') {
        return refuse('extensions.persistedQuery.sha256Hash as a string', 'another value');
      }
      named.push(persisted.sha256Hash.toLowerCase());
    }
    if (query !== undefined && query !== null && typeof query !== 'string') {
      return refuse('query as a string', 'another value');
    }
    if (named.some((hash) => hash !== named[0])) {
      return refuse('documentId and extensions.persistedQuery naming one document', 'two different ones');
    }
    if (named.length > 0) {
      const text = this.documents.get(named[0]);
      if (text === undefined) {
        return typeof query === 'string'
          ? refuse(
              'a listed document',
              'a request to register a new one (documents are added by deploying a new manifest)',
            )
          : refuse('a listed document', 'an unknown hash');
      }
      if (typeof query === 'string' && query !== text) {
        return refuse('the listed text of the named document', 'different text');
      }
      return text;
    }
    if (typeof query === 'string') {
      return this.documents.has(sha256(query))
        ? query
        : refuse('a listed document', 'query text that is not listed');
    }
    return refuse('a listed document (extensions.persistedQuery.sha256Hash, documentId or its text)', 'none');
  }
}

/**
 * The content type of a refusal: GraphQL's own media type when the client accepts it, as Apollo
 * answers, so that GraphQL clients read the error rather than a bare HTTP failure.
 */
export function refusalContentType(accept: string | undefined): string {
  return /application\/graphql-response\+json/i.test(accept ?? '')
    ? 'application/graphql-response+json; charset=utf-8'
    : 'application/json; charset=utf-8';
}

function checkManifest(manifest: unknown, path: string): Map<string, string> {
  const shape = 'a manifest object { "<sha256 hex>": "<document>" }';
  if (!isObject(manifest) || Array.isArray(manifest)) {
    throw new ConfigError('TRUSTED_DOCUMENTS', `needs ${shape}, got something else in ${path}`);
  }
  const documents = new Map<string, string>();
  for (const [key, text] of Object.entries(manifest)) {
    const hash = key.toLowerCase();
    if (!SHA256_HEX.test(hash)) {
      const hint = /^[0-9a-f]{40}$/.test(hash)
        ? " (a sha1 hash: set the client preset's hashAlgorithm to 'sha256')"
        : '';
      throw new ConfigError(
        'TRUSTED_DOCUMENTS',
        `needs sha256 hex keys (64 hex digits), got "${key.slice(0, 80)}"${hint}`,
      );
    }
    if (typeof text !== 'string' || text.trim() === '') {
      throw new ConfigError('TRUSTED_DOCUMENTS', `needs a document text under ${key}, got ${typeof text}`);
    }
    if (sha256(text) !== hash) {
      throw new ConfigError(
        'TRUSTED_DOCUMENTS',
        `needs each key to be the sha256 of its text, got another text under ${key}`,
      );
    }
    documents.set(hash, text);
  }
  if (documents.size === 0) {
    throw new ConfigError(
      'TRUSTED_DOCUMENTS',
      `needs ${shape} with at least one document, got none in ${path}`,
    );
  }
  return documents;
}

function refuse(needs: string, got?: string): Refusal {
  const message = `This service runs only trusted documents: needs ${needs}${got ? `, got ${got}` : ''}.`;
  return { admitted: false, message };
}

/** `extensions` without `persistedQuery`, or undefined when nothing else is left. */
function withoutPersistedQuery(extensions: unknown): Record<string, unknown> | undefined {
  if (!isObject(extensions)) return undefined;
  const { persistedQuery: _pq, ...rest } = extensions;
  return Object.keys(rest).length > 0 ? rest : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
