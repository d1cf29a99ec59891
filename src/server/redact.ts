/**
 * What must never reach a log line: the app key, the secret, customers' tokens and phone numbers;
 * and account (or card) numbers, which appear masked to their last four digits. The logger runs
 * every logged value through {@link Redactor.value} and every message through {@link Redactor.text},
 * so this holds for error messages and stacks too, not only for fields we chose to log.
 */

export const REDACTED = '[REDACTED]';
export const PHONE_REDACTED = '[PHONE]';

/** Keys whose values are secret or personal, wherever they occur (compared in lower case, without `-`/`_`). */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'proxy-authorization',
    'token',
    'accessToken',
    'refreshToken',
    'appKey',
    'secretKey',
    'secret',
    'cursorSecret',
    'password',
    'cookie',
    'set-cookie',
    'phone',
    'x-device-phone',
    'UTZPE_CNCT_TEL_NO_TXT',
    'hashVAL',
  ].map(normalizeKey),
);

const MAX_DEPTH = 8;

/** The same keys, in text: `token=abc`, `"appKey":"abc"`, `Authorization: Bearer abc`. */
const KEY_VALUE_PATTERN =
  /\b(authorization|proxy-authorization|access_?token|refresh_?token|token|app_?key|secret_?key|cursor_?secret|secret|password|cookie|x-device-phone|phone|UTZPE_CNCT_TEL_NO_TXT|hashVAL)(\\?["']?\s*[:=]\s*\\?["']?)(?!\[REDACTED\])((?:bearer\s+)?[^\s"'\\,;&}\]]+)/gi;
const BEARER_PATTERN = /\b(bearer)\s+(?!\[REDACTED\])[A-Za-z0-9\-._~+/=]+/gi;
/** `token <value>` in prose, when the value looks like a credential (16+ token characters). */
const TOKEN_WORD_PATTERN = /\b(access token|token|secret|key)\s+[A-Za-z0-9\-._~+/=]{16,}/gi;
/** JSON Web Tokens, wherever they appear. */
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/** Korean phone numbers, domestic (010-1234-5678, 01012345678) or international (+82 10 1234 5678). */
const KOREAN_PHONE_PATTERN = /(?<![\d*])(?:\+?82[-.\s]?0?|0)1[016789][-.\s]?\d{3,4}[-.\s]?\d{4}(?!\d)/g;
/** Any other international number: a `+` and at least eight digits with separators. */
const INTERNATIONAL_PHONE_PATTERN = /\+\d[\d\s().-]{6,}\d/g;
/**
 * Account and card numbers: ten or more digits, possibly grouped with hyphens (1002-146-788200),
 * standing alone: not inside a longer token such as a UUID or the upstream's GLBL_ID.
 */
const LONG_NUMBER_PATTERN = /(?<![A-Za-z0-9*-])\d(?:-?\d){9,}(?![A-Za-z0-9-])/g;

/** Identifiers this service or the upstream made up: logged as they are, for correlation. */
const ID_KEYS = new Set(['requestId', 'traceId', 'GLBL_ID', 'reqId'].map(normalizeKey));

export class Redactor {
  private readonly secrets: readonly string[];

  /** @param secrets exact values (the app key, the secret…) to remove wherever they appear. */
  constructor(secrets: readonly (string | null | undefined)[] = []) {
    this.secrets = [
      ...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4)),
    ].sort((a, b) => b.length - a.length);
  }

  /** Scrubs one string: exact secrets, key/value pairs, bearer tokens, phone numbers, long numbers. */
  text(input: string, { maskNumbers = true } = {}): string {
    let out = input;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(KEY_VALUE_PATTERN, (_m, key: string, sep: string) => `${key}${sep}${REDACTED}`)
      .replace(BEARER_PATTERN, (_m, bearer: string) => `${bearer} ${REDACTED}`)
      .replace(TOKEN_WORD_PATTERN, (_m, word: string) => `${word} ${REDACTED}`)
      .replace(JWT_PATTERN, REDACTED)
      .replace(KOREAN_PHONE_PATTERN, PHONE_REDACTED)
      .replace(INTERNATIONAL_PHONE_PATTERN, PHONE_REDACTED)
      .replace(LONG_NUMBER_PATTERN, (match) => (maskNumbers ? maskDigits(match) : match));
  }

  /**
   * A redacted copy of any loggable value. Errors become plain objects (type, message, stack, their
   * own fields, cause), so that their messages are scrubbed like everything else.
   */
  value(input: unknown, key?: string, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
    if (key !== undefined && SECRET_KEYS.has(normalizeKey(key)) && input != null && input !== '') {
      return REDACTED;
    }
    if (typeof input === 'string') {
      return this.text(input, { maskNumbers: key === undefined || !ID_KEYS.has(normalizeKey(key)) });
    }
    if (typeof input === 'bigint') return this.text(input.toString());
    if (typeof input === 'number') {
      return Number.isInteger(input) && Math.abs(input) >= 1e9 && isNumberKey(key)
        ? this.text(String(input))
        : input;
    }
    if (input === null || typeof input !== 'object') return input;
    if (seen.has(input)) return '[Circular]';
    if (depth >= MAX_DEPTH) return '[Object]';
    seen.add(input);
    try {
      if (input instanceof Error) return this.error(input, depth, seen);
      if (Array.isArray(input)) return input.map((item) => this.value(item, undefined, depth + 1, seen));
      if (input instanceof Map) return this.entries([...input.entries()], depth, seen);
      if (input instanceof Date) return input.toISOString();
      if (input instanceof URL) return this.text(input.href);
      return this.entries(Object.entries(input), depth, seen);
    } finally {
      seen.delete(input);
    }
  }

  private entries(
    entries: [unknown, unknown][],
    depth: number,
    seen: WeakSet<object>,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const name = String(k);
      out[this.text(name)] = this.value(v, name, depth + 1, seen);
    }
    return out;
  }

  private error(err: Error, depth: number, seen: WeakSet<object>): Record<string, unknown> {
    const out: Record<string, unknown> = {
      type: err.name || err.constructor?.name || 'Error',
      message: this.text(err.message),
    };
    if (err.stack) out.stack = this.text(err.stack);
    for (const [k, v] of Object.entries(err)) {
      if (k !== 'message' && k !== 'stack' && k !== 'cause') out[k] = this.value(v, k, depth + 1, seen);
    }
    if (err.cause !== undefined) out.cause = this.value(err.cause, 'cause', depth + 1, seen);
    if (err instanceof AggregateError) out.errors = this.value(err.errors, 'errors', depth + 1, seen);
    return out;
  }
}

/** `1002146788200` → `*********8200`; hyphens are dropped. */
export function maskDigits(match: string): string {
  const digits = match.replace(/-/g, '');
  return '*'.repeat(digits.length - 4) + digits.slice(-4);
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isNumberKey(key: string | undefined): boolean {
  return key !== undefined && /acno|account|card|number|phone|tel/i.test(key);
}
