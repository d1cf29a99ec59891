/**
 * The benchmark runs the service's own build (`npm run build`, in `dist/`), never a second copy of
 * it: bench code imports the sources only for their types and loads the code from `dist/` here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root: the nearest folder above this file with a package.json. */
export const ROOT = findRoot(__dirname);
export const DIST = join(ROOT, 'dist');
export const RESULTS = join(ROOT, 'bench', 'results');

/** Loads `dist/<modulePath>.js`, typed as the source module it was built from. */
export function fromDist<T>(modulePath: string): T {
  const file = join(DIST, modulePath);
  if (!existsSync(`${file}.js`)) {
    throw new Error(`The benchmark needs ${file}.js, but it is missing: run npm run build first`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}
