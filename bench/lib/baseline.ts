/**
 * An earlier commit's service, built beside the current one, so that a change is measured before
 * and after in the same interleaved run (`npm run bench -- --baseline <rev>`): the commit's `src/`
 * (and the example operations it reads) are taken out of git into `dist/baselines/<commit>/` and
 * compiled there with the repository's compiler and settings. Its `dist/server/main.js` then runs
 * as `npm start` would run it; it finds the repository's `node_modules` by walking up, as usual.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, ROOT } from './dist';

export interface BaselineBuild {
  /** The revision as given (`HEAD~1`, a branch, a hash). */
  revision: string;
  /** Its short commit hash. */
  commit: string;
  /** The entry point to run: `<dir>/dist/server/main.js`. */
  script: string;
  /** The Node flags of that commit's `npm start`. */
  nodeFlags: string[];
}

/**
 * The Node flags `npm start` runs the service with (`node --flag … dist/server/main.js` in the
 * `start` script of `packageJson`'s text), so that the benchmark runs it the same way.
 */
export function startFlagsOf(packageJson: string): string[] {
  const start = (JSON.parse(packageJson) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/server\/main\.js\b/.exec(start);
  if (!match) throw new Error(`The start script does not run node … dist/server/main.js: ${start}`);
  return match[1].split(/\s+/).filter((flag) => flag !== '');
}

/** The Node flags of this checkout's `npm start`. */
export function startFlags(): string[] {
  return startFlagsOf(readFileSync(join(ROOT, 'package.json'), 'utf8'));
}

/** Builds `revision` once (a build already there is reused); throws when git or tsc fail. */
export function buildBaseline(revision: string): BaselineBuild {
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', '--short', `${revision}^{commit}`);
  const nodeFlags = startFlagsOf(git('show', `${commit}:package.json`));
  const dir = join(DIST, 'baselines', commit);
  const script = join(dir, 'dist', 'server', 'main.js');
  if (existsSync(script)) return { revision, commit, script, nodeFlags };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', '--format=tar', commit, 'src', 'test/operations'], {
    cwd: ROOT,
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: 'src', outDir: 'dist', sourceMap: false },
      include: ['src'],
    }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return { revision, commit, script, nodeFlags };
}
