/**
 * `npm run fuzz`: the long run of the schema-aware fuzz test (test/fuzz). Sends N generated
 * operations to the service (development and production mode, on a sandbox of its own), prints the
 * status and code histograms, the schema coordinates exercised and `/healthz` latency, and every
 * violation; each kind of violation is shrunk to a minimal reproduction (a case, a curl command and
 * the command that replays it). Exits 1 when any invariant broke.
 *
 *   npm run fuzz -- --runs 40000 --seed 7 --concurrency 4
 *   npm run fuzz -- --seed 7 --replay 1234     (the case at that index or fast-check path, shrunk)
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { curlOf, formatReport, Fuzzer } from '../test/fuzz/runner';
import type { FuzzCase } from '../test/fuzz/model';
import { renderCase } from '../test/fuzz/render';
import { startWorld } from '../test/fuzz/world';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '2000' },
      seed: { type: 'string' },
      concurrency: { type: 'string', default: '4' },
      replay: { type: 'string' },
      'fault-rate': { type: 'string', default: '0.01' },
    },
  });
  const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
  const runs = Number(values.runs);
  const concurrency = Number(values.concurrency);
  if (![seed, runs, concurrency].every(Number.isSafeInteger) || runs < 1 || concurrency < 1) {
    throw new Error(
      `needs whole numbers for --seed, --runs and --concurrency, got ${JSON.stringify(values)}`,
    );
  }

  const world = await startWorld({ faultRate: Number(values['fault-rate']) });
  const fuzzer = new Fuzzer(world);
  try {
    if (values.replay !== undefined) {
      await replay(fuzzer, seed, values.replay);
      return;
    }
    console.log(`fuzz: ${runs} operations, seed ${seed}, concurrency ${concurrency}`);
    const report = await fuzzer.run({
      seed,
      runs,
      concurrency,
      onProgress: (done, partial) =>
        console.log(
          `  ${done}/${runs} done, ${partial.violations.length} violations so far, ` +
            `rss ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
        ),
    });
    console.log(formatReport(report));
    const kinds = [...new Set(report.violations.map((v) => v.kind))];
    for (const kind of kinds) {
      const first = report.violations.find((v) => v.kind === kind)!;
      console.log(`\n${kind}: shrinking case ${first.index}…`);
      const minimal = await fuzzer.minimize(seed, first.index, kind);
      printCase(fuzzer, minimal.case, `--seed ${seed} --replay ${minimal.path}`, minimal.repeated);
    }
    process.exitCode = report.violations.length > 0 ? 1 : 0;
  } finally {
    await world.close();
  }
}

/** Sends the case at `path` of `seed` again (as `minimize` printed it) and shows what it breaks. */
async function replay(fuzzer: Fuzzer, seed: number, path: string): Promise<void> {
  const fuzzCase = fuzzer.caseAt(seed, path);
  const outcome = await fuzzer.runCase(fuzzCase);
  console.log(`case ${path} of seed ${seed}: HTTP ${outcome.status} ${outcome.codes.join(' ')}`);
  for (const violation of outcome.violations) console.log(`  ${violation.kind}: ${violation.detail}`);
  if (outcome.violations.length === 0) console.log('  no violation');
  printCase(fuzzer, fuzzCase, `--seed ${seed} --replay ${path}`, true);
  process.exitCode = outcome.violations.length > 0 ? 1 : 0;
}

function printCase(fuzzer: Fuzzer, fuzzCase: FuzzCase, replayArgs: string, repeated: boolean): void {
  // Rendered against this run's world: its ports are gone after the run, the case is not.
  const { request } = renderCase(fuzzCase, fuzzer.fuzzWorld.world, fuzzer.schema);
  console.log(
    repeated ? 'minimal case:' : 'the violation did not repeat on replay (a race?); the case as run:',
  );
  console.log(JSON.stringify(fuzzCase));
  console.log(`request: ${curlOf(request)}`);
  console.log(`replay: npm run fuzz -- ${replayArgs}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
