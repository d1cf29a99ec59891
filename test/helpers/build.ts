/**
 * Makes sure `dist/` holds a build of the current sources, for tests that run the service as a
 * child process (`node dist/server/main.js`, as `npm start` does). `npm run build` is incremental
 * (`tsc -b`): it decides itself whether anything changed and costs well under a second when nothing
 * did, so this helper does not second-guess it. Only one jest worker builds at a time (a lock
 * directory), so that test files running in parallel neither build twice nor read a half-written
 * `dist/`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = resolve(__dirname, '..', '..');
export const MAIN = join(ROOT, 'dist', 'server', 'main.js');
const LOCK = join(tmpdir(), `woori-graphql-build-${Buffer.from(ROOT).toString('hex').slice(-24)}.lock`);
const STALE_LOCK_MS = 5 * 60_000;

export async function ensureBuilt(): Promise<void> {
  await withBuildLock(async () => {
    await build();
    // tsc -b trusts its record in dist/.tsbuildinfo; if outputs were deleted without it, force.
    if (!existsSync(MAIN)) await build(['--force']);
  });
}

/** Runs `npm run build` with extra tsc arguments; resolves to its output, rejects with it. */
export async function build(tscArgs: string[] = []): Promise<string> {
  const args = ['run', 'build', '--silent', ...(tscArgs.length > 0 ? ['--', ...tscArgs] : [])];
  try {
    const { stdout, stderr } = await promisify(execFile)('npm', args, {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout}${stderr}`);
  }
}

/** Runs `fn` while no other jest worker builds `dist/`. */
export async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
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
    return await fn();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
