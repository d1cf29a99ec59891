/**
 * The README is the front door and `docs/` the manual; these tests keep them honest: the README
 * stays short, every relative link leads somewhere, the dashboard query it shows is the one in
 * test/operations, its curl works against a running service, and every setting the service reads is
 * in `.env.example` and in the docs (and nothing else is).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, print } from 'graphql';
import { startService, type RunningService } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';
import { ROOT } from '../helpers/build';

const DOCS = [
  'README.md',
  'docs/settings.md',
  'docs/operations.md',
  'docs/security.md',
  'docs/scale-out.md',
  'docs/errors.md',
  'src/sandbox/README.md',
];
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');

/** The fenced code blocks of a Markdown text, with their language. */
function codeBlocks(markdown: string): { lang: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/^```[\s\S]*?^```$/gm, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1])));
}

describe('README.md', () => {
  it('is a front door: at most 250 lines, none longer than 200 characters', () => {
    const lines = README.split('\n');
    expect(lines.length).toBeLessThanOrEqual(250);
    expect(lines.filter((line) => line.length > 200)).toEqual([]);
  });

  it('links to the manual in docs/ and to the sandbox reference', () => {
    for (const doc of DOCS.slice(1)) expect(README).toContain(`](${doc})`);
  });

  it('shows the dashboard operation of test/operations/dashboard.graphql', () => {
    const shown = codeBlocks(README).filter((b) => b.lang === 'graphql');
    expect(shown).toHaveLength(1);
    expect(print(parse(shown[0].body))).toBe(print(parse(read('test/operations/dashboard.graphql'))));
  });
});

describe('links in the README and docs/', () => {
  it.each(DOCS)('every relative link in %s leads to a file, and to a heading that exists', (doc) => {
    const markdown = read(doc);
    const links = [...markdown.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^\w+:/.test(l));
    expect(links.length).toBeGreaterThan(0);
    const broken = links.filter((link) => {
      const [path, hash] = link.split('#');
      const target = path === '' ? join(ROOT, doc) : join(ROOT, dirname(doc), path);
      if (!existsSync(target)) return true;
      return hash !== undefined && !anchorsOf(readFileSync(target, 'utf8')).has(hash);
    });
    expect(broken).toEqual([]);
  });
});

const CURL = '/usr/bin/curl';

describe("the README's curl", () => {
  const curl = codeBlocks(README).find((b) => b.lang === 'sh' && b.body.startsWith('curl '))?.body;
  let service: RunningService;

  it('is there, aimed at npm start', () => {
    expect(curl).toContain('http://127.0.0.1:4000/graphql');
  });

  if (!existsSync(CURL) && !process.env.CI) {
    it.skip(`answers the dashboard (skipped: ${CURL} is missing)`, () => undefined);
    return;
  }

  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
  }, 60_000);
  afterAll(() => service?.close());

  it('answers the dashboard for the demo customer at 1 + 2N upstream calls, pasted as it is', async () => {
    const command = curl!.replace('http://127.0.0.1:4000', service.url);
    const { stdout } = await promisify(execFile)('bash', ['-c', command], { cwd: ROOT });
    const body = JSON.parse(stdout) as {
      data?: { accounts: { number: string; thisMonth: { totalCount: number } }[] };
      errors?: unknown[];
      extensions: { upstream: { calls: number } };
    };
    expect(body.errors).toBeUndefined();
    const accounts = body.data!.accounts;
    expect(accounts.map((a) => a.number)).toEqual(['1002146788200', '1002160010529']);
    expect(accounts.some((a) => a.thisMonth.totalCount > 0)).toBe(true);
    expect(body.extensions.upstream.calls).toBe(1 + 2 * accounts.length);
  });
});

describe('settings', () => {
  /** Every variable `loadConfig` reads, in sandbox mode and in production with an upstream. */
  function variablesRead(): Set<string> {
    const names = new Set<string>();
    const recording = (values: Record<string, string>): NodeJS.ProcessEnv =>
      new Proxy(values, {
        get(target, name) {
          if (typeof name === 'string') names.add(name);
          return target[name as string];
        },
      });
    loadConfig(recording({}));
    loadConfig(
      recording({
        NODE_ENV: 'production',
        WOORI_BASE_URL: 'https://woori.example',
        WOORI_APP_KEY: 'k'.repeat(36),
        WOORI_SECRET_KEY: 's'.repeat(30),
        CURSOR_SECRET: 'c'.repeat(32),
        CACHE_SECRET: 'h'.repeat(32),
        REDIS_URL: 'redis://127.0.0.1:6379',
      }),
    );
    return names;
  }

  const documented = (text: string): Set<string> =>
    new Set(text.match(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b|\b(PORT|HOST)\b/g));

  it('every setting the service reads is in .env.example, and .env.example has no other', () => {
    const example = new Set([...read('.env.example').matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const readByConfig = variablesRead();
    expect(readByConfig.size).toBeGreaterThan(30);
    expect([...readByConfig].filter((name) => !example.has(name))).toEqual([]);
    expect([...example].filter((name) => !readByConfig.has(name))).toEqual([]);
    expect(read('.env.example')).toContain('docs/settings.md');
  });

  it('every setting the service reads is described in docs/settings.md or docs/operations.md', () => {
    const docs = documented(`${read('docs/settings.md')}\n${read('docs/operations.md')}`);
    expect([...variablesRead()].filter((name) => !docs.has(name))).toEqual([]);
  });
});
