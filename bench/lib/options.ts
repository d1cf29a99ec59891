/** The benchmark's command line: `npm run bench -- --latency 50 --rounds 5`, `npm run bench:quick`. */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RESULTS, ROOT } from './dist';

export const TARGET_NAMES = ['service', 'naive', 'aggregator'] as const;
/** `service`, `naive`, `aggregator`, or a variant of the service: `service[<name>]`. */
export type TargetName = string;

/**
 * A variant of the service, measured beside the others: the same build with more environment, or
 * (`build`) an earlier commit's build with the same environment (`--baseline`).
 */
export interface Variant {
  name: string;
  env: Record<string, string>;
  /** An earlier commit's build (bench/lib/baseline.ts) instead of `dist/`. */
  build?: { revision: string; commit: string; script: string; nodeFlags: string[] };
}

export interface BenchOptions {
  quick: boolean;
  /** The sandbox's fixed latency per upstream call, ms. */
  latencyMs: number;
  jitterMs: number;
  rounds: number;
  /** Seconds each measurement is sized for (from the previous measured rate). */
  durationSeconds: number;
  concurrencies: number[];
  targets: TargetName[];
  /** Service variants to measure too (`--variant name:KEY=VALUE,KEY=VALUE`). */
  variants: Variant[];
  /** Earlier revisions whose service is measured beside this one (`--baseline REV`): before and after. */
  baselines: string[];
  /** What the run is about, for the report (`--note`): e.g. the change measured against a baseline. */
  note: string | null;
  /** Keep-alive connections from each target to the sandbox (the service's WOORI_CONNECTIONS). */
  upstreamConnections: number;
  /** LOG_LEVEL of the GraphQL targets: `info`, as shipped, writes one access-log line per request. */
  logLevel: string;
  /** More environment for the GraphQL targets (service and naive), `KEY=VALUE`. */
  extraEnv: Record<string, string>;
  /** Processes to run under `node --cpu-prof` (service, naive, aggregator, sandbox, service-heavy). */
  profile: string[];
  heavy: boolean;
  heavyRuns: number;
  /** The answer cache in the large-range runs: off (as the ratio runs), on (the default settings). */
  heavyCache: Array<'off' | 'on'>;
  /** Run the storm scenario (many identical dashboards at once; bench/scenarios/storm.ts). */
  storm: boolean;
  /** Run the refresh scenario (the answer cache under the upstream limit; bench/scenarios/refresh.ts). */
  refresh: boolean;
  /** Run the refresh scenario only, and add its figures to an earlier run's (`--report-from`, or latest.json). */
  refreshOnly: boolean;
  decodeRounds: number;
  losslessRounds: number;
  /** Wire formats of the decoding figures: the document's JSON numbers, Woori's padded strings. */
  decodeFormats: string[];
  /** Requests per client of each warm-up run. */
  warmUpPerClient: number;
  /** Where the raw figures go. */
  jsonOut: string;
  /** Where the report goes; null: no report. */
  markdownOut: string | null;
  /** Measure nothing: render the report from this earlier run's raw figures. */
  reportFrom: string | null;
  /** The command line, for the report. */
  command: string;
}

/**
 * The service variants of a full run, each the measured form of a proposal (bench/ANALYSIS.md).
 * `PRELOAD` names modules of bench/variants/ loaded into the service with `node --require`.
 */
export const DEFAULT_VARIANTS: readonly Variant[] = [{ name: 'jit', env: { PRELOAD: 'graphql-jit' } }];

const USAGE = `npm run bench [-- options]
  --latency MS          sandbox latency per upstream call (default 20)
  --jitter MS           added random latency, 0..MS (default 0)
  --rounds N            interleaved rounds (default 3)
  --duration S          seconds per measurement (default 4)
  --concurrency LIST    e.g. 1,10,100 (default)
  --targets LIST        service,naive,aggregator (default: all)
  --connections N       upstream keep-alive connections per target (default 64)
  --log-level LEVEL     LOG_LEVEL of the GraphQL targets (default info)
  --env KEY=VALUE       more environment for the GraphQL targets (repeatable)
  --variant NAME:K=V,…  also measure the service with this environment added, as service[NAME]
                        (repeatable), e.g. --variant quiet:LOG_LEVEL=warn; PRELOAD=a+b loads
                        bench/variants/a and b into it (node --require); NODE_FLAGS="--a --b"
                        runs it with these Node flags instead of those of npm start
  --no-variants         leave out the default variants (${DEFAULT_VARIANTS.map((v) => v.name).join(', ')})
  --baseline REV        also measure the service as built from an earlier commit (git revision),
                        as service[@<commit>]: a change before and after, in the same run (repeatable)
  --note TEXT           what the run is about, kept in the raw figures (e.g. the change measured)
  --profile LIST        run these under node --cpu-prof (service,naive,aggregator,sandbox,service-heavy)
  --no-heavy            skip the 100,000-transaction range and the decoding figures
  --heavy-runs N        requests in a row for the 100,000-transaction range (default 5), in each
                        wire format, with the answer cache off and on
  --no-storm            skip the storm scenario (identical dashboards of one customer at c=100,
                        the service with its default settings against the aggregator)
  --no-refresh          skip the refresh scenario (dashboards refreshed under the upstream limit,
                        cache off / in-process / Redis with one and two replicas)
  --refresh-only        run the refresh scenario alone and add its figures to an earlier run's raw
                        figures (--report-from, default bench/results/latest.json) and report
  --out FILE            raw figures (default bench/results/latest.json)
  --markdown FILE       the report (default BENCHMARKS.md; "" for none)
  --report-from FILE    measure nothing: write the report (--markdown) from the raw figures of an
                        earlier run (e.g. after editing bench/ANALYSIS.md)
  --quick               a few seconds: concurrency 1 and 10, one short round, no report`;

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      latency: { type: 'string' },
      jitter: { type: 'string' },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      concurrency: { type: 'string' },
      targets: { type: 'string' },
      connections: { type: 'string' },
      'log-level': { type: 'string' },
      env: { type: 'string', multiple: true },
      variant: { type: 'string', multiple: true },
      'no-variants': { type: 'boolean', default: false },
      baseline: { type: 'string', multiple: true },
      note: { type: 'string' },
      'no-storm': { type: 'boolean', default: false },
      profile: { type: 'string' },
      'no-heavy': { type: 'boolean', default: false },
      'heavy-runs': { type: 'string' },
      'no-refresh': { type: 'boolean', default: false },
      'refresh-only': { type: 'boolean', default: false },
      out: { type: 'string' },
      markdown: { type: 'string' },
      'report-from': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const targets = list(values.targets, TARGET_NAMES.join(',')).map((name) => {
    if (!(TARGET_NAMES as readonly string[]).includes(name)) {
      throw new Error(`--targets takes ${TARGET_NAMES.join(', ')}, but got ${name}`);
    }
    return name;
  });
  const extraEnv = envPairs('--env', values.env ?? []);
  const defaults = quick || values['no-variants'] ? [] : DEFAULT_VARIANTS;
  const variants = (values.variant ?? []).map((spec) => {
    const colon = spec.indexOf(':');
    if (colon < 1) throw new Error(`--variant takes NAME:KEY=VALUE,…, but got ${spec}`);
    return { name: spec.slice(0, colon), env: envPairs('--variant', spec.slice(colon + 1).split(',')) };
  });
  const markdown = values.markdown ?? (quick ? '' : 'BENCHMARKS.md');
  return {
    quick,
    latencyMs: integer('--latency', values.latency, 20, 0),
    jitterMs: integer('--jitter', values.jitter, 0, 0),
    rounds: integer('--rounds', values.rounds, quick ? 1 : 3, 1),
    durationSeconds: number('--duration', values.duration, quick ? 0.5 : 4),
    concurrencies: list(values.concurrency, quick ? '1,10' : '1,10,100').map((c) =>
      integer('--concurrency', c, 1, 1),
    ),
    targets,
    variants: [...defaults, ...variants],
    baselines: values.baseline ?? [],
    note: values.note ?? null,
    upstreamConnections: integer('--connections', values.connections, 64, 1),
    logLevel: values['log-level'] ?? 'info',
    extraEnv,
    profile: list(values.profile, ''),
    heavy: !values['no-heavy'],
    heavyRuns: integer('--heavy-runs', values['heavy-runs'], quick ? 1 : 5, 1),
    heavyCache: quick ? ['off'] : ['off', 'on'],
    storm: !values['no-storm'],
    refresh: !values['no-refresh'],
    refreshOnly: values['refresh-only'] ?? false,
    decodeRounds: quick ? 1 : 7,
    losslessRounds: quick ? 1 : 3,
    decodeFormats: quick ? ['document'] : ['document', 'woori'],
    warmUpPerClient: quick ? 1 : 3,
    jsonOut: values.out ? resolve(ROOT, values.out) : join(RESULTS, quick ? 'quick.json.tmp' : 'latest.json'),
    markdownOut: markdown === '' ? null : resolve(ROOT, markdown),
    reportFrom: values['report-from'] ? resolve(ROOT, values['report-from']) : null,
    command: commandLine(
      quick,
      argv.filter((a) => a !== '--quick'),
    ),
  };
}

function envPairs(flag: string, pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new Error(`${flag} takes KEY=VALUE, but got ${pair}`);
    env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return env;
}

function commandLine(quick: boolean, argv: string[]): string {
  return ['npm run', quick ? 'bench:quick' : 'bench', ...(argv.length > 0 ? ['--', ...argv] : [])].join(' ');
}

function list(value: string | undefined, fallback: string): string[] {
  return (value ?? fallback)
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function integer(name: string, value: string | undefined, fallback: number, min: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`${name} takes a whole number ≥ ${min}, but got ${value}`);
  return n;
}

function number(name: string, value: string | undefined, fallback: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!(n > 0)) throw new Error(`${name} takes a positive number, but got ${value}`);
  return n;
}
