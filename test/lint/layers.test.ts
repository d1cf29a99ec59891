/**
 * The layer rules of `npm run lint` (eslint.config.mjs with eslint/layers.mjs), run by the real
 * ESLint command line over a small tree of deliberate mistakes: an import circle made of type-only
 * imports, imports against the layer order (store → woori → cache → graphql → server), and the
 * sandbox reached past its entry.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = join(__dirname, '..', '..');

const FILES: Record<string, string> = {
  'src/graphql/a.ts': "import type { B } from './b';\nexport interface A {\n  b?: B;\n}\n",
  'src/graphql/b.ts': "import type { A } from './a';\nexport interface B {\n  a?: A;\n}\n",
  'src/graphql/fine.ts': "import type { Low } from '../woori/low';\nexport type Fine = Low;\n",
  'src/woori/low.ts': 'export type Low = string;\n',
  'src/woori/up.ts': "import type { A } from '../graphql/a';\nexport type Up = A;\n",
  'src/woori/over.ts': "import type { Cached } from '../cache/fine';\nexport type Over = Cached;\n",
  'src/store/up.ts': "import type { Low } from '../woori/low';\nexport type StoreUp = Low;\n",
  'src/store/base.ts': 'export type Base = number;\n',
  'src/cache/fine.ts':
    "import type { Low } from '../woori/low';\nimport type { Base } from '../store/base';\nexport type Cached = [Low, Base];\n",
  'src/cache/up.ts': "import type { A } from '../graphql/a';\nexport type CacheUp = A;\n",
  'src/graphql/up.ts': "import { start } from '../server/start';\nexport const up = start;\n",
  'src/server/start.ts': "import { sandbox } from '../sandbox';\nexport const start = sandbox;\n",
  'src/server/deep.ts': "import { inner } from '../sandbox/inner';\nexport const deep = inner;\n",
  'src/sandbox/index.ts': "export { inner as sandbox } from './inner';\n",
  'src/sandbox/inner.ts': "import type { Low } from '../woori/low';\nexport const inner: Low = 'sandbox';\n",
};

interface LintResult {
  filePath: string;
  messages: Array<{ ruleId: string | null; message: string; line: number }>;
}

let fixture: string;
let results: Map<string, LintResult['messages']>;

beforeAll(async () => {
  fixture = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  }
  const eslint = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
  const config = join(ROOT, 'eslint.config.mjs');
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(
      process.execPath,
      [eslint, '--config', config, '--format', 'json', 'src'],
      { cwd: fixture },
    ));
  } catch (error) {
    // ESLint exits with 1 when it finds errors, which is what this test expects.
    stdout = (error as { stdout?: string }).stdout ?? '';
    if (!stdout) throw error;
  }
  const parsed = JSON.parse(stdout) as LintResult[];
  results = new Map(
    parsed.map((result) => [
      result.filePath.slice(fixture.length + 1),
      result.messages.filter((message) => message.ruleId === 'layers/imports'),
    ]),
  );
}, 60_000);
afterAll(() => rmSync(fixture, { recursive: true, force: true }));

it('fails on an import circle, even one made of type-only imports', () => {
  const circle = [...results.get('src/graphql/a.ts')!, ...results.get('src/graphql/b.ts')!];
  expect(circle).toEqual([
    expect.objectContaining({
      line: 1,
      message: expect.stringMatching(/^Import circle .*a\.ts → .*b\.ts → .*a\.ts/),
    }),
  ]);
});

it.each([
  ['src/woori/up.ts', /^src\/woori imports nothing from the layers above it/],
  ['src/woori/over.ts', /^src\/woori imports nothing from the layers above it \(cache/],
  ['src/store/up.ts', /^src\/store imports nothing from the layers above it/],
  ['src/cache/up.ts', /^src\/cache imports nothing from the layers above it/],
  ['src/graphql/up.ts', /^src\/graphql imports nothing from src\/server/],
  ['src/sandbox/inner.ts', /^src\/sandbox imports nothing from the service/],
  ['src/server/deep.ts', /^The service starts the sandbox through src\/sandbox\/index\.ts only/],
])('fails on %s, an import against the layer order', (file, message) => {
  expect(results.get(file)).toEqual([
    expect.objectContaining({ line: 1, message: expect.stringMatching(message) }),
  ]);
});

it('lets imports down the layers, and the sandbox started through its entry, pass', () => {
  for (const file of [
    'src/graphql/fine.ts',
    'src/server/start.ts',
    'src/sandbox/index.ts',
    'src/woori/low.ts',
    'src/cache/fine.ts',
    'src/store/base.ts',
  ]) {
    expect(results.get(file)).toEqual([]);
  }
});
