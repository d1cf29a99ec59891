/**
 * The short seeded run of the schema-aware fuzz test (the long one is `npm run fuzz`): operations
 * generated from schema.graphql, valid and invalid, with HTTP oddities, cursor probes, both modes,
 * three customers and bad tokens, against the service on a sandbox; every answer checked (see
 * invariants.ts). A failure prints the report, the minimal case fast-check shrank it to, and the
 * command that replays it.
 */
import { curlOf, formatReport, Fuzzer, type FuzzReport } from './runner';
import { renderCase } from './render';
import { type FuzzWorld, startWorld } from './world';

const SEED = 20_261_202;
const RUNS = 800;

describe('the schema-aware fuzz test (short run)', () => {
  let world: FuzzWorld;
  let fuzzer: Fuzzer;
  let report: FuzzReport;

  beforeAll(async () => {
    world = await startWorld();
    fuzzer = new Fuzzer(world);
    report = await fuzzer.run({ seed: SEED, runs: RUNS, concurrency: 4 });
  }, 120_000);
  afterAll(() => world?.close());

  it(`holds every invariant over ${RUNS} generated operations`, async () => {
    if (report.violations.length > 0) {
      const first = report.violations[0];
      const minimal = await fuzzer.minimize(SEED, first.index, first.kind);
      const { request } = renderCase(minimal.case, world.world, fuzzer.schema);
      throw new Error(
        [
          formatReport(report),
          `minimal case: ${JSON.stringify(minimal.case)}`,
          `request: ${curlOf(request)}`,
          `replay: npm run fuzz -- --seed ${SEED} --replay ${minimal.path}`,
        ].join('\n'),
      );
    }
    expect(report.violations).toEqual([]);
  }, 180_000);

  it('is not degenerate: answers with data and refusals of several kinds, every field and argument run', () => {
    expect(report.statuses['200']).toBeGreaterThan(RUNS / 3);
    expect(Object.keys(report.statuses).filter((s) => s.startsWith('4')).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(report.codes).length).toBeGreaterThanOrEqual(5);
    expect(report.modes).toEqual({ dev: expect.any(Number), prod: expect.any(Number) });
    expect(report.coordinates.missing).toEqual([]);
    expect(report.health.checks).toBeGreaterThan(RUNS / 50);
  });

  it('generates the same cases from the same seed, so that a failing seed replays', () => {
    expect(JSON.stringify(fuzzer.cases(SEED, 30))).toBe(JSON.stringify(fuzzer.cases(SEED, 30)));
    const [, , third] = fuzzer.cases(SEED, 3);
    expect(fuzzer.caseAt(SEED, '2')).toEqual(third);
  });
});
