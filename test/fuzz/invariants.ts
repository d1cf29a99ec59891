/**
 * What must hold of every answer, whatever was asked: no 5xx (upstream failures are typed errors
 * in a 200), only registered codes with a status the registry allows and the extensions it
 * declares, no stack trace, file path, key, secret or token, no other customer's data, exact
 * amounts. Each broken rule is one {@link Violation}.
 */
import { ERROR_CODES, isErrorCode } from '../../src/graphql/errors';
import type { RenderedRequest, RequestContext, World } from './render';

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export type ViolationKind =
  | '5xx'
  | 'not-json'
  | 'no-errors-on-failure'
  | 'unregistered-code'
  | 'status-not-allowed'
  | 'undeclared-extension'
  | 'leak'
  | 'stack-trace'
  | 'other-customer-data'
  | 'inexact-amount'
  | 'wrong-huge-balance'
  | 'hang'
  | 'unhealthy'
  | 'defect-logged';

export interface Violation {
  kind: ViolationKind;
  detail: string;
}

/** What the checks know of the world beyond the request: secrets, and the 18-digit balance. */
export interface Oracle {
  world: World;
  /** The app key, the secret key and the services' cursor secrets. */
  secrets: string[];
  /** Every token of the sandbox: none may come back in an answer. */
  tokens: string[];
  /** The account whose balance is exactly `hugeBalance` (customer `many`). */
  hugeAccount: string;
  hugeBalance: string;
}

const STACK = /\n\s+at |\bat [\w.$<>]+ \(|node_modules|\/src\/|\/work\/|\.[jt]s:\d+|stacktrace/i;
const DECIMAL = /^-?\d+(\.\d+)?$/;
const ACCOUNT_LIKE = /\d{10,16}/g;

export function checkAnswer(
  answer: Answer,
  request: RenderedRequest,
  context: RequestContext,
  oracle: Oracle,
): Violation[] {
  const violations: Violation[] = [];
  const add = (kind: ViolationKind, detail: string) => violations.push({ kind, detail });

  if (answer.status >= 500) add('5xx', `HTTP ${answer.status}: ${answer.text.slice(0, 200)}`);

  for (const secret of [...oracle.secrets, ...oracle.tokens, ...(context.phone ? [context.phone] : [])]) {
    if (secret && answer.text.includes(secret))
      add('leak', `the answer carries a secret (${secret.slice(0, 6)}…)`);
  }

  const contentType = answer.headers.get('content-type') ?? '';
  // GraphiQL, in development, to a GET that prefers HTML: a page, not an answer.
  if (contentType.startsWith('text/html')) {
    const allowed = context.mode === 'dev' && request.method === 'GET' && answer.status === 200;
    if (!allowed) add('not-json', `an HTML answer (${answer.status}) in ${context.mode}`);
    return violations;
  }
  if (contentType.startsWith('text/plain') && request.url.endsWith('/metrics')) return violations;
  if (STACK.test(answer.text)) add('stack-trace', answer.text.match(STACK)![0]);

  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    add('not-json', `${answer.status} ${contentType}: ${answer.text.slice(0, 120)}`);
    return violations;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    add('not-json', `not an object: ${answer.text.slice(0, 120)}`);
    return violations;
  }
  const { errors, data } = body as { errors?: unknown; data?: unknown };
  const isProbe = /\/(healthz|readyz)$/.test(new URL(request.url).pathname) && request.method === 'GET';
  if (answer.status !== 200 && !isProbe && !(Array.isArray(errors) && errors.length > 0)) {
    add('no-errors-on-failure', `HTTP ${answer.status} without errors: ${answer.text.slice(0, 120)}`);
  }
  if (Array.isArray(errors)) checkErrors(errors, answer.status, add);
  if (data !== undefined && data !== null) checkData(data, request, context, oracle, add);
  return violations;
}

function checkErrors(
  errors: unknown[],
  status: number,
  add: (kind: ViolationKind, detail: string) => void,
): void {
  for (const error of errors) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions ?? {};
    const code = extensions.code;
    if (!isErrorCode(code)) {
      add('unregistered-code', `code ${JSON.stringify(code)}`);
      continue;
    }
    const spec = ERROR_CODES[code];
    if (!(spec.statuses as readonly number[]).includes(status))
      add('status-not-allowed', `${code} with HTTP ${status}`);
    const declared = new Set<string>(['code', ...spec.extensions]);
    for (const key of Object.keys(extensions)) {
      if (!declared.has(key)) add('undeclared-extension', `${code} carries extensions.${key}`);
    }
  }
}

function checkData(
  data: unknown,
  request: RenderedRequest,
  context: RequestContext,
  oracle: Oracle,
  add: (kind: ViolationKind, detail: string) => void,
): void {
  const own = new Set(context.customer === null ? [] : oracle.world.customers[context.customer].accounts);
  const sent = `${request.url} ${request.body ?? ''}`;
  walk(data, (key, value, parent) => {
    if (key === 'number' && typeof value === 'string' && !own.has(value)) {
      add(
        'other-customer-data',
        `account ${value} in the answer to ${context.customer === null ? 'no customer' : oracle.world.customers[context.customer].name}`,
      );
    }
    // Money's `amount` (a Transaction's `amount` is a Money object: its own `amount` is checked in turn).
    if (
      key === 'amount' &&
      value !== null &&
      typeof value !== 'object' &&
      !(typeof value === 'string' && DECIMAL.test(value))
    ) {
      add('inexact-amount', `amount ${JSON.stringify(value)}`);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) add('inexact-amount', `${key}: ${value}`);
    if (key === 'balance' && parent && (parent as { number?: unknown }).number === oracle.hugeAccount) {
      const amount = (value as { amount?: unknown } | null)?.amount;
      if (amount !== undefined && amount !== oracle.hugeBalance) {
        add(
          'wrong-huge-balance',
          `${oracle.hugeAccount} balance ${JSON.stringify(amount)}, not ${oracle.hugeBalance}`,
        );
      }
    }
  });
  // Another customer's account number anywhere in the data, unless the request itself carried it.
  const text = JSON.stringify(data);
  for (const match of text.matchAll(ACCOUNT_LIKE)) {
    const number = match[0];
    if (own.has(number) || sent.includes(number)) continue;
    const owner = oracle.world.customers.find((c) => c.accounts.includes(number));
    if (owner) add('other-customer-data', `${owner.name}'s account ${number} in the data`);
  }
}

function walk(
  value: unknown,
  visit: (key: string, value: unknown, parent: unknown) => void,
  parent?: unknown,
): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, visit, parent);
    return;
  }
  if (!value || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    visit(key, child, value);
    walk(child, visit, value);
  }
}
