/**
 * `npm start` builds before it starts, so an unchanged restart must not rebuild: `npm run build` is
 * `tsc -b` on an incremental project, which compares the sources with its record in
 * `dist/.tsbuildinfo` and, when nothing changed, neither compiles nor writes a file.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build, ensureBuilt, ROOT, withBuildLock } from '../helpers/build';

const DIST = join(ROOT, 'dist');

/** Every file `npm run build` owns in dist/ (not the benchmark's dist/bench), with its mtime. */
async function distFiles(): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const entry of await readdir(DIST, { recursive: true })) {
    if (entry === 'bench' || entry.startsWith(`bench/`)) continue;
    const info = await stat(join(DIST, entry));
    if (info.isFile()) files.set(entry, info.mtimeMs);
  }
  return files;
}

describe('npm run build', () => {
  it('is what npm start and npm run sandbox run first, and is incremental', async () => {
    const { scripts } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));
    // The young generation is sized for a large answer's garbage (docs/operations.md, Memory).
    expect(scripts.start).toBe('npm run build && node --max-semi-space-size=32 dist/server/main.js');
    expect(scripts.sandbox).toMatch(/^npm run build && node dist\/sandbox\/main\.js$/);
    expect(scripts.build).toBe('tsc -b tsconfig.build.json');
  });

  it('does no work when nothing changed: tsc reports the project up to date and dist/ is untouched', async () => {
    await ensureBuilt();
    const before = await distFiles();
    expect(before.has('server/main.js')).toBe(true);
    expect(before.has('.tsbuildinfo')).toBe(true);

    const output = await withBuildLock(() => build(['--verbose']));

    expect(output).toContain("Project 'tsconfig.build.json' is up to date");
    expect(output).not.toMatch(/Building project/);
    expect(await distFiles()).toEqual(before);
  }, 180_000);
});

describe('the built settings module', () => {
  it('loads on its own, without reflect-metadata: tools that read settings need not load the schema', async () => {
    await ensureBuilt();
    // A process of its own: jest's setup has loaded reflect-metadata into this one.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-e', "const { loadConfig } = require('./dist/server/config'); loadConfig({}); console.log('ok');"],
      { cwd: ROOT },
    );
    expect(stdout.trim()).toBe('ok');
  });
});
