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

/** The words that name a secret in text (`token=…`, `"appKey":"…"`, `Authorization: Bearer …`). */
const SECRET_NAMES = String.raw`proxy-authorization|authorization|access[-_]?token|refresh[-_]?token|token|app[-_]?key|secret[-_]?key|cursor[-_]?secret|secret|password|cookie|x-device-phone|phone|UTZPE_CNCT_TEL_NO_TXT|hashVAL`;
/** Authentication schemes: the word before a credential, kept as it is. */
const SCHEMES = 'bearer|basic|digest|negotiate|token';
/**
 * A secret's name, `:` or `=`, then its value: quoted (group 3 the quote, group 4 the text up to
 * the closing quote) or bare (group 5, an optional scheme word and one run up to a separator; a
 * final `.` ends the sentence, not the value).
 */
const KEY_VALUE_PATTERN = new RegExp(
  String.raw`\b(${SECRET_NAMES})(\\?["']?[ \t]*[:=][ \t]*)(?:(\\?["'])([^"'\\\r\n]*)|((?:(?:${SCHEMES})[ \t]+)?[^\s"'\\,;&}\]]*[^\s"'\\,;&}\].]))`,
  'gi',
);
const SCHEME_AND_CREDENTIAL = new RegExp(String.raw`^((?:${SCHEMES})[ \t]+)?(.*)$`, 'is');
const SCHEME_ONLY = new RegExp(String.raw`^(?:${SCHEMES})$`, 'i');
/** What stands for a value in documentation (`<the customer's token>`, `<token>`): words only. */
const PLACEHOLDER = /^<[A-Za-z][A-Za-z' -]*>?$/;
/** One run of token characters (RFC 6750's b64token); a final `.` ends a sentence, not the token. */
const CREDENTIAL_RUN = String.raw`[A-Za-z0-9\-_~+/]+(?:\.[A-Za-z0-9\-_~+/]+)*=*`;
/** The end of a run of token characters (a `.` that ends a sentence included). */
const RUN_END = String.raw`(?![A-Za-z0-9\-_~+/=]|\.[A-Za-z0-9\-_~+/])`;
/**
 * `Bearer <value>`, wherever it appears; the value goes only when it looks like a credential. The
 * value is never `bearer` itself, so that `bearer bearer <token>` still finds the second pair.
 */
const BEARER_PATTERN = new RegExp(
  String.raw`\b(bearer)([ \t]+)(?!bearer${RUN_END})(${CREDENTIAL_RUN})`,
  'gi',
);
/** `token <value>` in prose; the value goes only when it looks like a long credential. */
const TOKEN_WORD_PATTERN = new RegExp(
  String.raw`\b(access token|token|secret|key)([ \t]+)(?!(?:token|secret|key)${RUN_END})(${CREDENTIAL_RUN})`,
  'gi',
);
/**
 * A word of prose: `token`, `Bearer`, `AUTHENTICATION`. Not `token-based`: a credential may be
 * words joined by hyphens (`sandbox-token-ten`).
 */
const PROSE_WORD = /^(?:[A-Za-z][a-z]*|[A-Z]+)$/;
/** JSON Web Tokens, wherever they appear. */
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
/**
 * Korean phone numbers, domestic (010-1234-5678, 01012345678) or international (+82 10 1234 5678),
 * standing alone: not glued to letters or digits, and not the integer or fractional part of a
 * decimal (`12.01012345678`). A digit run glued to letters is an account-like number instead.
 */
const KOREAN_PHONE_PATTERN =
  /(?<![\w.,*+-])(?:\+?82[-. ]?0?|0)1[016789][-. ]?\d{3,4}[-. ]?\d{4}(?![\w*]|[.,-]\d)/g;
/**
 * Any other international number: `+`, a country code, and groups of digits separated by a space,
 * a hyphen or parentheses, 8 to 15 digits in all (E.164), standing alone. `.` is no separator, so a
 * signed amount (`+1500.25`) is not a phone number.
 */
const INTERNATIONAL_PHONE_PATTERN =
  /(?<![\w.,*+-])\+[1-9]\d{0,2}(?:[ -]?(?:\(\d{1,4}\)|\d{1,4})){2,6}(?![\w*]|[.,-]?\d)/g;
/** A date inside a phone-like match (`+9 2024-06-30`): then it is not a phone number. */
const DATE_INSIDE = /(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?!\d)/;
/**
 * Account and card numbers: ten or more digits, possibly grouped with hyphens (1002-146-788200),
 * wherever they are, glued to letters too (`acct1002146788200x`); but not the integer or
 * fractional part of a decimal amount (`000000005014052.000`). UUIDs (request ids) are matched
 * first, and kept whole.
 */
const UUID_OR_LONG_NUMBER =
  /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b|(?<!\d[-.]?)\d(?:-?\d){9,}(?![-.]?\d)/gi;

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
      .replace(KEY_VALUE_PATTERN, redactKeyValue)
      .replace(BEARER_PATTERN, (match, bearer: string, space: string, value: string) =>
        looksLikeCredential(value, 8) ? `${bearer}${space}${REDACTED}` : match,
      )
      .replace(TOKEN_WORD_PATTERN, (match, word: string, space: string, value: string) =>
        looksLikeCredential(value, 16) ? `${word}${space}${REDACTED}` : match,
      )
      .replace(JWT_PATTERN, REDACTED)
      .replace(KOREAN_PHONE_PATTERN, PHONE_REDACTED)
      .replace(INTERNATIONAL_PHONE_PATTERN, (match) => (isInternationalPhone(match) ? PHONE_REDACTED : match))
      .replace(UUID_OR_LONG_NUMBER, (match, uuid: string | undefined) =>
        maskNumbers && uuid === undefined ? maskDigits(match) : match,
      );
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

/**
 * The value of a secret's name in text, removed, keeping what only names or describes it: the
 * scheme (`Bearer`), an empty value, a placeholder (`<the customer's token>`), a value already
 * removed.
 */
function redactKeyValue(
  match: string,
  key: string,
  separator: string,
  quote: string | undefined,
  quoted: string | undefined,
  bare: string | undefined,
): string {
  const value = quote === undefined ? (bare ?? '') : (quoted ?? '');
  const [, scheme = '', credential = ''] = SCHEME_AND_CREDENTIAL.exec(value) ?? [];
  if (credential === '' || SCHEME_ONLY.test(value) || PLACEHOLDER.test(credential)) return match;
  if (credential.startsWith(REDACTED.slice(0, -1))) return match;
  return `${key}${separator}${quote ?? ''}${scheme}${REDACTED}`;
}

/**
 * Whether the text after `Bearer` or `token` is a credential rather than the next word of a
 * sentence: at least `minLength` characters (without `=` padding) and not a word of prose.
 */
function looksLikeCredential(value: string, minLength: number): boolean {
  const body = value.replace(/=+$/, '');
  return body.length >= minLength && !PROSE_WORD.test(body);
}

/** E.164 allows 15 digits; fewer than 8 is an amount or a count, not a reachable number. */
function isInternationalPhone(match: string): boolean {
  const digits = match.replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15 && !DATE_INSIDE.test(match);
}

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

function isNumberKey(key: string | undefined): boolean {
  return key !== undefined && /acno|account|card|number|phone|tel/i.test(key);
}
