/**
 * Makes sure `dist/` holds a build of the current sources, for tests that run the service as a
 * child process (`node dist/server/main.js`, as `npm start` does). Builds only when a source file
 * is newer than the build, and only one jest worker at a time (a lock directory), so that test
 * files running in parallel neither build twice nor read a half-written `dist/`.
 */
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(__dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'server', 'main.js');
const LOCK = join(tmpdir(), `woori-graphql-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const STALE_LOCK_MS = 5 * 60_000;

export async function ensureBuilt(): Promise<void> {
  await withLock(async () => {
    if (!(await isStale())) return;
    try {
      await promisify(execFile)('npm', ['run', 'build', '--silent'], {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`npm run build failed:\n${stdout}${stderr}`);
    }
  });
}

async function isStale(): Promise<boolean> {
  const built = await stat(MAIN).catch(() => null);
  if (!built) return true;
  const sources = [
    join(ROOT, 'package.json'),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
  ];
  for (const entry of await readdir(join(ROOT, 'src'), { recursive: true })) {
    if (entry.endsWith('.ts')) sources.push(join(ROOT, 'src', entry));
  }
  for (const source of sources) {
    const modified = await stat(source).catch(() => null);
    if (modified && modified.mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

async function withLock(fn: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const held = await stat(LOCK).catch(() => null);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
