/**
 * Every package the lockfile installs must accept the Node.js that runs the tests: a package whose
 * `engines.node` excludes it is an `EBADENGINE` warning on `npm ci`, and code that may use APIs this
 * Node lacks. The `overrides` in package.json pin the `@whatwg-node/*` and `sync-fetch` versions
 * that still declare Node 20; this test fails when an update brings back one that does not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { ROOT } from '../helpers/build';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

interface Lockfile {
  packages: Record<string, LockedPackage>;
}

/** The lockfile's packages whose `engines.node` excludes `nodeVersion`, as `path@version (range)`. */
function packagesExcluding(lock: Lockfile, nodeVersion: string): string[] {
  const excluded: string[] = [];
  for (const [path, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (range === undefined) continue;
    if (!semver.satisfies(nodeVersion, range, { includePrerelease: true })) {
      excluded.push(`${path || '(root)'}@${entry.version ?? '?'} (needs node ${range})`);
    }
  }
  return excluded;
}

describe('engines', () => {
  it(`every package in package-lock.json accepts the running Node.js (${process.version})`, () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
    expect(Object.keys(lock.packages).length).toBeGreaterThan(100);
    expect(packagesExcluding(lock, process.version)).toEqual([]);
  });

  it('the check catches a package that needs a newer Node and ignores ones without a range', () => {
    const lock: Lockfile = {
      packages: {
        '': { version: '0.1.0', engines: { node: '>=20.18.1' } },
        'node_modules/old-enough': { version: '1.0.0', engines: { node: '>=18' } },
        'node_modules/no-engines': { version: '1.0.0' },
        'node_modules/legacy-array': { version: '1.0.0', engines: ['node >= 0.4'] },
        'node_modules/a/node_modules/too-new': { version: '2.0.2', engines: { node: '>=22.15.0' } },
      },
    };
    expect(packagesExcluding(lock, 'v20.20.2')).toEqual([
      'node_modules/a/node_modules/too-new@2.0.2 (needs node >=22.15.0)',
    ]);
    expect(packagesExcluding(lock, 'v22.15.0')).toEqual([]);
    expect(packagesExcluding(lock, 'v20.0.0')).toEqual([
      '(root)@0.1.0 (needs node >=20.18.1)',
      'node_modules/a/node_modules/too-new@2.0.2 (needs node >=22.15.0)',
    ]);
  });
});
