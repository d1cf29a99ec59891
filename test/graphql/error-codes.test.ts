/**
 * The error contract: every code the service can emit is in the registry beside the one error
 * mapper (`ERROR_CODES`), and every registered code is documented in docs/errors.md with its HTTP
 * statuses, its retry advice and its extensions. The list comes from the registry, not from a copy;
 * the fuzz test (test/fuzz) checks that every code seen in an answer is registered.
 */
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GraphQLError } from 'graphql';
import {
  ERROR_CODES,
  type ErrorCode,
  codeOfUpstreamKind,
  errorCodeOf,
  formatError,
  isErrorCode,
  type RetryAdvice,
} from '../../src/graphql/errors';
import { UPSTREAM_CODES } from '../../src/woori/classify';
import { WooriError } from '../../src/woori/errors';
import { ROOT } from '../helpers/build';

const DOC = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');

/** The rows of the Markdown table under `## heading`, as cells. */
function tableUnder(heading: string): string[][] {
  const section = DOC.split(/^## /m).find((s) => s.startsWith(`${heading}\n`));
  if (!section) throw new Error(`docs/errors.md has no "## ${heading}"`);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim()),
    );
}

const codeRows = new Map(tableUnder('Codes').map((cells) => [cells[0].replace(/`/g, ''), cells]));
const registered = Object.keys(ERROR_CODES) as ErrorCode[];

const RETRY_PHRASES: Record<RetryAdvice, string> = {
  no: 'no',
  yes: 'yes',
  'after-wait': 'after the wait',
  'with-query': 'with the query text',
};

describe('docs/errors.md against the code registry', () => {
  it('documents exactly the registered codes', () => {
    expect([...codeRows.keys()].sort()).toEqual([...registered].sort());
  });

  it.each(registered)('gives %s its HTTP statuses, retry advice and extensions', (code) => {
    const spec = ERROR_CODES[code];
    const [, http, when, retry, extensions] = codeRows.get(code) ?? [];
    expect(http.split(',').map((s) => Number(s.trim()))).toEqual([...spec.statuses]);
    expect(when.length).toBeGreaterThan(20);
    expect(retry.split(':')[0]).toBe(RETRY_PHRASES[spec.retry]);
    const documented = extensions === '—' ? [] : [...extensions.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(documented).toEqual([...spec.extensions]);
  });

  it('maps every upstream SYSCD code to the code and retry the classifier gives it', () => {
    const rows = tableUnder('Upstream codes').map(([syscd, code, retried]) => ({
      syscd,
      code: code.replace(/`/g, ''),
      retried,
    }));
    const expected = Object.entries(UPSTREAM_CODES).map(([syscd, meaning]) => ({
      syscd,
      code: codeOfUpstreamKind(meaning.kind),
      retried: meaning.retryable ? 'yes' : 'no',
    }));
    const bySyscd = (a: { syscd: string }, b: { syscd: string }) => a.syscd.localeCompare(b.syscd);
    expect(rows.sort(bySyscd)).toEqual(expected.sort(bySyscd));
  });
});

describe('the code registry', () => {
  it("includes every code of Apollo Server's own", () => {
    expect(Object.values(ApolloServerErrorCode).filter((code) => !isErrorCode(code))).toEqual([]);
  });

  it('includes every code literal in the source (outside the sandbox)', () => {
    const literals = new Map<string, string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      if (file.includes(`${join('src', 'sandbox')}`)) continue;
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bcode:\s*'([A-Z][A-Z0-9_]+)'/g)) {
        literals.set(m[1], relative(ROOT, file));
      }
    }
    expect(literals.size).toBeGreaterThan(3);
    expect([...literals].filter(([code]) => !isErrorCode(code))).toEqual([]);
  });
});

describe('formatError works from the registry', () => {
  const formatted = (error: GraphQLError) => formatError({ ...error.toJSON() }, error);

  it('passes a registered code through, without stack traces', () => {
    const error = new GraphQLError('Over the limit.', {
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxResponseBytes', value: 9, stacktrace: ['at x'] },
    });
    expect(formatted(error)).toEqual({
      message: 'Over the limit.',
      extensions: { code: 'LIMIT_EXCEEDED', limit: 'maxResponseBytes', value: 9 },
    });
  });

  it('answers an unregistered code as INTERNAL_SERVER_ERROR with nothing of the original', () => {
    const error = new GraphQLError('secret detail', { extensions: { code: 'MADE_UP', detail: 'x' } });
    expect(errorCodeOf(error)).toBe('INTERNAL_SERVER_ERROR');
    expect(formatted(error)).toEqual({
      message: 'Internal server error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('answers a plain Error thrown in a resolver as INTERNAL_SERVER_ERROR, keeping its path', () => {
    const error = new GraphQLError('boom at /srv/app.ts:3', {
      path: ['accounts'],
      originalError: new Error('boom at /srv/app.ts:3'),
    });
    expect(formatted(error)).toEqual({
      message: 'Internal server error.',
      path: ['accounts'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('maps an upstream failure by its kind, also when it was thrown before execution', () => {
    const upstream = new WooriError('Woori API gateway failed internally (SYSCD09999)', {
      kind: 'UPSTREAM_ERROR',
      operation: 'listAccounts',
      upstreamCode: 'SYSCD09999',
      traceId: 'T1',
      retryable: true,
    });
    const wrapped = new GraphQLError(upstream.message, { originalError: upstream });
    expect(formatted(wrapped)).toEqual({
      message: 'The Woori API failed. (SYSCD09999)',
      extensions: { code: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD09999', traceId: 'T1' },
    });
  });
});

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* sourceFiles(path);
    else if (path.endsWith('.ts')) yield path;
  }
}
