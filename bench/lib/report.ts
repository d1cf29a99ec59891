/**
 * From measurements to figures: per target and concurrency (rounds combined), the ratios the
 * targets are about, and the Markdown report (BENCHMARKS.md). The analysis section of the report
 * is hand-written, in bench/ANALYSIS.md, and copied in as it is.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RefreshFigures, refreshTargets, renderRefresh } from '../scenarios/refresh';
import type { DecodeFigures, SummingFigures } from '../targets/decode';
import type { DashboardVariables } from './dashboard';
import { ROOT } from './dist';
import type { LoadResult } from './load';
import type { BusySummary, MachineInfo } from './machine';
import type { BenchOptions, TargetName, Variant } from './options';
import { CATEGORIES, type ProfileSummary } from './profile';
import { median, percentile, round, sortNumbers } from './stats';

export interface Measurement {
  target: TargetName;
  concurrency: number;
  round: number;
  load: LoadResult;
  upstreamCalls: number;
  upstreamByOperation: Record<string, number>;
  newConnections: number;
  targetPeakKb: number;
  sandboxPeakKb: number;
  /** Whether the peaks are this measurement's own (clear_refs worked) or the process's so far. */
  peakIsPerMeasurement: boolean;
  targetCpuMs: number;
  sandboxCpuMs: number;
}

/** One fresh service process asked for the first page of the year several times in a row. */
export interface LargeRangeRun {
  /** The sandbox's wire format: `document` (JSON numbers) or `woori` (zero-padded strings). */
  format: string;
  /** The answer cache: off (as the ratio runs) or on (the default settings). */
  cache: 'off' | 'on';
  totalCount: number;
  pageSize: number;
  timesMs: number[];
  rssBeforeKb: number;
  /** The process's peak RSS after each request. */
  peaksKb: number[];
  peakKb: number;
  /**
   * The same transactions call made straight to the sandbox after each request, body read whole by
   * a bare client (the upstream's part of the time; absent in older raw figures).
   */
  upstreamMs?: number[];
}

export interface HeavyFigures {
  from: string;
  to: string;
  /** The large-range runs (absent in reports from before both formats and cache modes were run). */
  runs?: LargeRangeRun[];
  decoding: DecodeFigures[];
  /** `summary` over the same rows (absent in reports from before it existed). */
  summing?: SummingFigures;
}

/** An earlier report's one large-range run (the document's format, the cache off), kept at the top level. */
interface LegacyHeavy {
  totalCount?: number;
  pageSize?: number;
  timesMs?: number[];
  rssBeforeKb?: number;
  peaksKb?: number[];
  peakKb?: number;
}

/** The large-range runs of a report, earlier reports' single run included. */
export function largeRangeRuns(heavy: HeavyFigures & LegacyHeavy): LargeRangeRun[] {
  if (heavy.runs) return heavy.runs;
  if (!heavy.timesMs) return [];
  return [
    {
      format: 'document',
      cache: 'off',
      totalCount: heavy.totalCount ?? NaN,
      pageSize: heavy.pageSize ?? NaN,
      timesMs: heavy.timesMs,
      rssBeforeKb: heavy.rssBeforeKb ?? NaN,
      peaksKb: heavy.peaksKb ?? [],
      peakKb: heavy.peakKb ?? NaN,
    },
  ];
}

/** The median time of the requests after the first (which warms the process up), ms. */
export function warmMedianMs(run: LargeRangeRun): number {
  return median(run.timesMs.length > 1 ? run.timesMs.slice(1) : run.timesMs);
}

export interface SummaryRow {
  target: TargetName;
  concurrency: number;
  rounds: number;
  requests: number;
  /** Requests per second: the median of the rounds, and their range. */
  rps: { median: number; min: number; max: number };
  /** Latency percentiles over every round's steady requests together, ms. */
  p50: number;
  p99: number;
  upstreamCallsPerRequest: number;
  newConnectionsPerCall: number;
  peakRssMb: number;
  cpuMsPerRequest: number;
  sandboxCpuMsPerRequest: number;
}

export interface TargetLine {
  figure: string;
  target: string;
  measured: string;
  /** Null when the run did not measure it (e.g. no concurrency 100 in the quick run). */
  met: boolean | null;
}

export interface Report {
  generatedAt: string;
  command: string;
  settings: {
    latencyMs: number;
    jitterMs: number;
    rounds: number;
    durationSeconds: number;
    concurrencies: number[];
    upstreamConnections: number;
    logLevel: string;
    extraEnv: Record<string, string>;
    serviceEnv: Record<string, string>;
    /** The Node flags of `npm start`, which the service runs with (absent in older raw figures). */
    nodeFlags?: string[];
    variants: Variant[];
    variables: DashboardVariables;
  };
  machine: MachineInfo;
  busy: BusySummary;
  /** What the run was about (`--note`), e.g. the change a baseline is measured against. */
  note?: string | null;
  accounts: number;
  minimumCalls: number;
  criticalPathMs: number;
  summary: SummaryRow[];
  /** The storm scenario: identical dashboards of one customer at c=100 (absent when not run). */
  storm?: { summary: SummaryRow[]; measurements: CompactMeasurement[] } | null;
  lifetimePeakRssMb: Record<string, number>;
  ratios: Record<string, Record<string, number | null>>;
  targets: TargetLine[];
  heavy: HeavyFigures | null;
  measurements: CompactMeasurement[];
  profiles: Record<string, ProfileSummary>;
  source: SourceState;
  /** The refresh scenario (bench/scenarios/refresh.ts), when it ran. */
  refresh?: RefreshFigures | null;
}

/** A measurement as the raw figures keep it: without its latencies. */
export type CompactMeasurement = Omit<Measurement, 'load'> & { load: Omit<LoadResult, 'latencies'> };

/** What was measured: the commit, and source files that differed from it. */
export interface SourceState {
  commit: string;
  uncommitted: string[];
}

export interface ReportInput {
  options: BenchOptions;
  started: Date;
  machine: MachineInfo;
  busy: BusySummary;
  accounts: number;
  variables: DashboardVariables;
  measurements: Measurement[];
  /** The storm scenario's measurements (targets named `storm:…`); empty when it did not run. */
  storm: Measurement[];
  lifetimePeakKb: Record<string, number>;
  heavy: HeavyFigures | null;
  profiles: Record<string, ProfileSummary>;
  source: SourceState;
  /** The GraphQL targets' settings worth showing. */
  serviceEnv: Record<string, string>;
  nodeFlags: string[];
}

/** The service, its limit and the naive variant first, then the service's variants. */
function targetOrder(measurements: readonly Measurement[]): TargetName[] {
  const names = [...new Set(measurements.map((m) => m.target))];
  const fixed = ['service', 'aggregator', 'naive'].filter((t) => names.includes(t));
  return [...fixed, ...names.filter((t) => !fixed.includes(t))];
}
const MB = 1024;

export function buildReport(input: ReportInput): Report {
  const { options, measurements } = input;
  const minimumCalls = 1 + 2 * input.accounts;
  const criticalPathMs = 2 * options.latencyMs;
  const summary = summarize(measurements);
  const row = (target: TargetName, c: number): SummaryRow | undefined =>
    summary.find((r) => r.target === target && r.concurrency === c);
  const ratio = (a: number | undefined, b: number | undefined): number | null =>
    a === undefined || b === undefined ? null : round(a / b, 3);
  const perTarget = (f: (t: TargetName) => number | null): Record<string, number | null> =>
    Object.fromEntries(targetOrder(measurements).map((t) => [t, f(t)]));
  const callsPerQuery = (t: TargetName): number | undefined => callsPerQueryOf(measurements, t);
  const connsPerCall = (t: TargetName): number | undefined => connsPerCallOf(measurements, t);

  const ratios: Report['ratios'] = {
    upstreamCallsPerQueryVsMinimum: perTarget((t) => ratio(callsPerQuery(t), minimumCalls)),
    p50AtC1VsCriticalPath: perTarget((t) => ratio(row(t, 1)?.p50, criticalPathMs)),
    p50AtC1VsAggregator: perTarget((t) => ratio(row(t, 1)?.p50, row('aggregator', 1)?.p50)),
    throughputAtC100VsAggregator: perTarget((t) =>
      ratio(row(t, 100)?.rps.median, row('aggregator', 100)?.rps.median),
    ),
    p99OverP50AtC10: perTarget((t) => ratio(row(t, 10)?.p99, row(t, 10)?.p50)),
    newConnectionsPerCall: perTarget((t) =>
      connsPerCall(t) === undefined ? null : round(connsPerCall(t)!, 5),
    ),
  };

  const heavy = input.heavy && {
    ...input.heavy,
    runs: input.heavy.runs?.map((r) => ({ ...r, timesMs: r.timesMs.map((t) => round(t, 1)) })),
  };

  const report: Report = {
    generatedAt: input.started.toISOString(),
    command: options.command,
    settings: {
      latencyMs: options.latencyMs,
      jitterMs: options.jitterMs,
      rounds: options.rounds,
      durationSeconds: options.durationSeconds,
      concurrencies: options.concurrencies,
      upstreamConnections: options.upstreamConnections,
      logLevel: options.logLevel,
      extraEnv: options.extraEnv,
      serviceEnv: input.serviceEnv,
      nodeFlags: input.nodeFlags,
      variants: options.variants,
      variables: input.variables,
    },
    note: options.note,
    machine: input.machine,
    busy: input.busy,
    accounts: input.accounts,
    minimumCalls,
    criticalPathMs,
    summary,
    storm:
      input.storm.length > 0
        ? { summary: summarize(input.storm), measurements: input.storm.map(compact) }
        : null,
    lifetimePeakRssMb: Object.fromEntries(
      Object.entries(input.lifetimePeakKb).map(([name, kb]) => [name, round(kb / MB, 1)]),
    ),
    ratios,
    targets: [],
    heavy,
    measurements: measurements.map(compact),
    profiles: input.profiles,
    source: input.source,
  };
  report.targets = targetsOf(report);
  return report;
}

function compact(m: Measurement): CompactMeasurement {
  const { latencies: _latencies, ...load } = m.load;
  return { ...m, load: { ...load, rps: round(load.rps), steadySeconds: round(load.steadySeconds, 3) } };
}

/** The targets table, from a report's figures (also those of an earlier run's JSON). */
export function targetsOf(report: Report): TargetLine[] {
  return [
    ...targetLines({
      minimumCalls: report.minimumCalls,
      criticalPathMs: report.criticalPathMs,
      row: (target, c) => report.summary.find((r) => r.target === target && r.concurrency === c),
      callsPerQuery: (t) => callsPerQueryOf(report.measurements, t),
      connsPerCall: (t) => connsPerCallOf(report.measurements, t),
      heavy: report.heavy,
    }),
    ...stormTargets(report),
    ...(report.refresh ? refreshTargets(report.refresh) : []),
  ];
}

/** The storm's line: our ratio to the aggregator with the default settings (a competitor claims 7.5 ×). */
function stormTargets(report: Report): TargetLine[] {
  if (!report.storm) return [];
  const row = (t: string) => report.storm!.summary.find((r) => r.target === t);
  const ours = row('storm:service (default settings)');
  const agg = row('storm:aggregator');
  if (!ours || !agg) return [];
  return [
    {
      figure: `storm: identical dashboards of one customer at c=${ours.concurrency}, the service with its default settings vs the hand-written aggregator`,
      target: 'report it (a competing gateway claims 7.5 × by making identical calls once)',
      measured:
        `${fixed(ours.rps.median, 1)} vs ${fixed(agg.rps.median, 1)} req/s = ${fixed(ours.rps.median / agg.rps.median, 2)} ×; ` +
        `upstream calls per dashboard ${fixed(ours.upstreamCallsPerRequest, 2)} vs ${fixed(agg.upstreamCallsPerRequest, 2)}`,
      met: null,
    },
  ];
}

type CountedMeasurement = Pick<Measurement, 'target' | 'upstreamCalls' | 'newConnections'> & {
  load: { amount: number };
};

function callsPerQueryOf(
  measurements: readonly CountedMeasurement[],
  target: TargetName,
): number | undefined {
  const own = measurements.filter((m) => m.target === target);
  if (own.length === 0) return undefined;
  return sum(own.map((m) => m.upstreamCalls)) / sum(own.map((m) => m.load.amount));
}

function connsPerCallOf(measurements: readonly CountedMeasurement[], target: TargetName): number | undefined {
  const own = measurements.filter((m) => m.target === target);
  if (own.length === 0) return undefined;
  return sum(own.map((m) => m.newConnections)) / sum(own.map((m) => m.upstreamCalls));
}

function summarize(measurements: Measurement[]): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const concurrencies = [...new Set(measurements.map((m) => m.concurrency))].sort((a, b) => a - b);
  for (const target of targetOrder(measurements)) {
    for (const concurrency of concurrencies) {
      const own = measurements.filter((m) => m.target === target && m.concurrency === concurrency);
      if (own.length === 0) continue;
      const latencies = sortNumbers(own.flatMap((m) => m.load.latencies));
      const rates = own.map((m) => m.load.rps);
      const requests = sum(own.map((m) => m.load.amount));
      const calls = sum(own.map((m) => m.upstreamCalls));
      rows.push({
        target,
        concurrency,
        rounds: own.length,
        requests,
        rps: {
          median: round(median(rates), 1),
          min: round(Math.min(...rates), 1),
          max: round(Math.max(...rates), 1),
        },
        p50: round(percentile(latencies, 50), 2),
        p99: round(percentile(latencies, 99), 2),
        upstreamCallsPerRequest: round(calls / requests, 3),
        newConnectionsPerCall: round(sum(own.map((m) => m.newConnections)) / calls, 5),
        peakRssMb: round(Math.max(...own.map((m) => m.targetPeakKb)) / MB, 1),
        cpuMsPerRequest: round(sum(own.map((m) => m.targetCpuMs)) / requests, 3),
        sandboxCpuMsPerRequest: round(sum(own.map((m) => m.sandboxCpuMs)) / requests, 3),
      });
    }
  }
  return rows;
}

interface TargetInputs {
  minimumCalls: number;
  criticalPathMs: number;
  row: (target: TargetName, c: number) => SummaryRow | undefined;
  callsPerQuery: (target: TargetName) => number | undefined;
  connsPerCall: (target: TargetName) => number | undefined;
  heavy: HeavyFigures | null;
}

const FORMAT_NAMES: Record<string, string> = {
  document: "the document's wire format, amounts as JSON numbers: the sandbox's default",
  woori: "Woori's wire format, amounts as zero-padded strings",
};

function targetLines(x: TargetInputs): TargetLine[] {
  const lines: TargetLine[] = [];
  const notMeasured = (figure: string, target: string): TargetLine => ({
    figure,
    target,
    measured: 'not measured in this run',
    met: null,
  });

  const calls = x.callsPerQuery('service');
  const naiveCalls = x.callsPerQuery('naive');
  const callsFigure = `upstream calls per dashboard query (N = ${(x.minimumCalls - 1) / 2})`;
  const callsTarget = `exactly 1 + 2N = ${x.minimumCalls}: ratio 1.00`;
  lines.push(
    calls === undefined
      ? notMeasured(callsFigure, callsTarget)
      : {
          figure: callsFigure,
          target: callsTarget,
          measured:
            `service ${fixed(calls, 2)} = ${fixed(calls / x.minimumCalls, 2)} × minimum` +
            (naiveCalls === undefined
              ? ''
              : `; naive ${fixed(naiveCalls, 2)} = ${fixed(naiveCalls / x.minimumCalls, 2)} ×`),
          met: calls === x.minimumCalls,
        },
  );

  const c1 = x.row('service', 1);
  const agg1 = x.row('aggregator', 1);
  const cpFigure = 'p50 latency at concurrency 1 vs the critical path';
  const cpTarget = `≤ 1.10 × ${x.criticalPathMs} ms (2 × upstream latency)`;
  lines.push(
    c1
      ? {
          figure: cpFigure,
          target: cpTarget,
          measured: `${fixed(c1.p50, 1)} ms = ${fixed(c1.p50 / x.criticalPathMs, 3)} ×`,
          met: c1.p50 <= 1.1 * x.criticalPathMs,
        }
      : notMeasured(cpFigure, cpTarget),
  );
  const vsAggFigure = 'p50 latency at concurrency 1 vs the hand-written aggregator';
  const vsAggTarget = '≤ 1.05 ×';
  lines.push(
    c1 && agg1
      ? {
          figure: vsAggFigure,
          target: vsAggTarget,
          measured: `${fixed(c1.p50, 1)} ms vs ${fixed(agg1.p50, 1)} ms = ${fixed(c1.p50 / agg1.p50, 3)} ×`,
          met: c1.p50 <= 1.05 * agg1.p50,
        }
      : notMeasured(vsAggFigure, vsAggTarget),
  );

  const c100 = x.row('service', 100);
  const agg100 = x.row('aggregator', 100);
  const tpFigure = 'throughput at concurrency 100 vs the hand-written aggregator';
  const tpTarget = '≥ 0.95 ×, same run';
  lines.push(
    c100 && agg100
      ? {
          figure: tpFigure,
          target: tpTarget,
          measured: `${fixed(c100.rps.median, 1)} vs ${fixed(agg100.rps.median, 1)} req/s = ${fixed(c100.rps.median / agg100.rps.median, 3)} ×`,
          met: c100.rps.median >= 0.95 * agg100.rps.median,
        }
      : notMeasured(tpFigure, tpTarget),
  );

  const c10 = x.row('service', 10);
  const tailFigure = 'p99 / p50 at concurrency 10';
  lines.push(
    c10
      ? {
          figure: tailFigure,
          target: '≤ 2',
          measured: `${fixed(c10.p99, 1)} / ${fixed(c10.p50, 1)} ms = ${fixed(c10.p99 / c10.p50, 2)}`,
          met: c10.p99 / c10.p50 <= 2,
        }
      : notMeasured(tailFigure, '≤ 2'),
  );

  const conns = x.connsPerCall('service');
  const connFigure = 'new upstream connections per upstream call';
  lines.push(
    conns === undefined
      ? notMeasured(connFigure, '< 1%')
      : { figure: connFigure, target: '< 1%', measured: `${fixed(conns * 100, 3)}%`, met: conns < 0.01 },
  );

  const decodeFigure = (format: string): string =>
    `exact decoding of the 100,000-transaction response vs \`JSON.parse\` (${FORMAT_NAMES[format] ?? format})`;
  const rssFigure = (run?: LargeRangeRun): string =>
    'first page of 50 over 366 days (100,000 transactions): peak RSS of the service' +
    (run ? ` over ${run.peaksKb.length} requests in a row, ${run.format}'s format, cache ${run.cache}` : '');
  const timeFigure = (run?: LargeRangeRun): string =>
    'first page of 50 over 366 days (100,000 transactions), once warm: median time of the requests after the first' +
    (run ? `, ${run.format}'s format` : '');
  if (!x.heavy) {
    lines.push(
      notMeasured(decodeFigure('document'), '≥ 0.5 × the speed'),
      notMeasured(rssFigure(), '≤ 300 MB'),
      notMeasured(timeFigure(), '≤ 300 ms'),
    );
    return lines;
  }
  for (const d of x.heavy.decoding) {
    const speed = d.bestMs.jsonParse / d.bestMs.decode;
    lines.push({
      figure: decodeFigure(d.format),
      target: '≥ 0.5 × the speed',
      measured: `${fixed(d.bestMs.decode, 0)} ms vs ${fixed(d.bestMs.jsonParse, 0)} ms = ${fixed(speed, 2)} × the speed`,
      met: speed >= 0.5 && d.losslessAgrees,
    });
  }
  const runs = largeRangeRuns(x.heavy);
  for (const run of runs) {
    const peakMb = run.peakKb / MB;
    lines.push({
      figure: rssFigure(run),
      target: '≤ 300 MB',
      measured: `${fixed(peakMb, 0)} MB (${fixed((run.peaksKb[0] ?? NaN) / MB, 0)} MB after the first)`,
      met: peakMb <= 300,
    });
  }
  // With the cache on the requests after the first are answered from it: the target is the upstream's.
  for (const run of runs.filter((r) => r.cache === 'off')) {
    const warm = warmMedianMs(run);
    lines.push({
      figure: timeFigure(run),
      target: '≤ 300 ms',
      measured:
        `${fixed(warm, 0)} ms (each: ${run.timesMs.map((t) => fixed(t, 0)).join(', ')} ms)` +
        (run.upstreamMs && run.upstreamMs.length > 0
          ? `; the upstream call alone, read by a bare client: median ${fixed(median(run.upstreamMs), 0)} ms`
          : ''),
      met: run.timesMs.length > 1 ? warm <= 300 : null,
    });
  }
  return lines;
}

export function renderMarkdown(report: Report): string {
  const s = report.settings;
  const b = report.busy;
  const m = report.machine;
  const out: string[] = [];
  const label = (t: string): string =>
    t === 'aggregator' ? 'hand-written aggregator' : t === 'naive' ? 'naive GraphQL' : t;
  out.push(
    '# Benchmarks',
    '',
    `Generated by \`${report.command}\` on ${report.generatedAt} (bench/run.ts; raw figures in ` +
      '`bench/results/latest.json`). Everything but the *Analysis* section is written by the benchmark; ' +
      'the analysis is bench/ANALYSIS.md.',
    '',
    '## Set-up',
    '',
    `- **Code**: the build (\`npm run build\`) of commit ${report.source.commit}` +
      (report.source.uncommitted.length > 0
        ? ` plus uncommitted work in progress in ${report.source.uncommitted.map((f) => `\`${f}\``).join(', ')}.`
        : ', no uncommitted changes in `src/`.'),
    `- **Upstream**: the sandbox in its own process, fixed latency ${s.latencyMs} ms per call` +
      (s.jitterMs > 0 ? ` plus 0–${s.jitterMs} ms jitter` : ', no jitter') +
      `, customer \`sandbox-token-ten\` (N = ${report.accounts} accounts).`,
    '- **Targets**, each in its own process, each with a keep-alive pool of ' +
      `${s.upstreamConnections} connections to the sandbox:`,
    `  - **service**: \`node ${(s.nodeFlags ?? []).map((f) => `${f} `).join('')}dist/server/main.js\` (as \`npm start\`) with ` +
      Object.entries({ ...s.serviceEnv, ...s.extraEnv })
        .map(([k, v]) => `\`${k}=${v}\``)
        .join(', ') +
      ', the defaults of every other setting, its log lines to a file. `WOORI_MAX_RPS` and ' +
      '`WOORI_MAX_QUEUE` are raised and the per-customer ceiling is off, so that no client-side limit ' +
      'paces or sheds the load (the sandbox has no limit); the naive variant and the service variants ' +
      'have the same settings.',
    '  - **hand-written aggregator**: plain `node:http` + the same `WooriClient`; the same upstream calls ' +
      '(1 list + per account 1 basics + 1 transactions call over both months) and the same JSON as the ' +
      "service's `data` (checked byte for byte before measuring): the physical limit.",
    '  - **naive GraphQL**: `startService(loadConfig(env))` with the same settings, its `loaderFactory` ' +
      'replaced by loaders that call the upstream once per field (no caching, no coalescing).',
    ...s.variants.map((v) =>
      v.build
        ? `  - **service[${v.name}]**: the service as built from commit ${v.build.commit} (\`--baseline ${v.build.revision}\`), ` +
          `run as that commit's \`npm start\` runs it${v.build.nodeFlags.length > 0 ? ` (\`${v.build.nodeFlags.join(' ')}\`)` : ''}: the same settings, before the change.`
        : `  - **service[${v.name}]**: the service with ${describeVariant(v.env)}.`,
    ),
    `- **Load**: autocannon (in the parent process) posting the dashboard query with variables ` +
      `${s.variables.from}…${s.variables.to} and ${s.variables.prevFrom}…${s.variables.prevTo}, ` +
      `at concurrency ${s.concurrencies.join(', ')}; ${s.rounds} interleaved round(s) × targets × ` +
      `concurrencies, each measurement about ${s.durationSeconds} s (a fixed number of requests, so that ` +
      'every request finishes and the sandbox counts exactly their calls), preceded by a short warm-up at ' +
      'the same concurrency. req/s and latencies come from the steady part (all clients busy); ' +
      "req/s is the median of the rounds (range in brackets), p50/p99 pool every round's requests.",
    "- **Upstream calls and new connections** come from the sandbox's counters, reset before each " +
      "measurement. **Peak RSS** is VmHWM of the target's process, reset before each measurement " +
      '(`/proc/<pid>/clear_refs`); the heap a process grew at a higher concurrency stays, so a row includes ' +
      'what came before it (warm-up runs every concurrency first). **CPU** is user + system time of the ' +
      'process per request.',
    '',
    '## Machine',
    '',
    '| nproc | CPU | memory | node | kernel |',
    '|---|---|---|---|---|',
    `| ${m.nproc} | ${m.cpuModel} | ${m.memoryGb} GB | ${m.node} | ${m.kernel} |`,
    '',
    `How busy it was over the ${b.seconds} s run: load average (1 min) ${b.loadAverage.start} at the start, ` +
      `${b.loadAverage.mean} on average, ${b.loadAverage.max} at most, ${b.loadAverage.end} at the end. ` +
      `CPU in use: ${b.machineBusyCpus} of ${m.nproc} CPUs on average, of which the benchmark's own processes ` +
      `${b.benchmarkCpus} and other processes (other engineers' test runs, the system) ${b.otherCpus}.`,
    '',
    `## Dashboard query (N = ${report.accounts}, upstream latency ${s.latencyMs} ms)`,
    '',
    '| target | c | req/s | p50 ms | p99 ms | upstream calls / request | new conns / upstream call | peak RSS MB | CPU ms / request | sandbox CPU ms / request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  const isVariant = (t: string): boolean => t.startsWith('service[');
  const summaryRow = (r: SummaryRow): string =>
    `| ${label(r.target)} | ${r.concurrency} | ${fixed(r.rps.median, 1)} (${fixed(r.rps.min, 1)}–${fixed(r.rps.max, 1)}) | ` +
    `${fixed(r.p50, 1)} | ${fixed(r.p99, 1)} | ${fixed(r.upstreamCallsPerRequest, 2)} | ` +
    `${percent(r.newConnectionsPerCall * 100, 3)} | ${fixed(r.peakRssMb, 0)} | ${fixed(r.cpuMsPerRequest, 2)} | ` +
    `${fixed(r.sandboxCpuMsPerRequest, 2)} |`;
  for (const r of report.summary.filter((r) => !isVariant(r.target))) out.push(summaryRow(r));

  const ratioNames: Record<string, string> = {
    upstreamCallsPerQueryVsMinimum: `upstream calls per query ÷ 1 + 2N (${report.minimumCalls})`,
    p50AtC1VsCriticalPath: `p50 at c=1 ÷ critical path (${report.criticalPathMs} ms)`,
    p50AtC1VsAggregator: "p50 at c=1 ÷ aggregator's",
    throughputAtC100VsAggregator: "req/s at c=100 ÷ aggregator's",
    p99OverP50AtC10: 'p99 ÷ p50 at c=10',
    newConnectionsPerCall: 'new upstream connections per upstream call',
  };
  const ratioKeys = Object.keys(report.ratios);
  const ratioTable = (targets: string[]): string[] => [
    `| target | ${ratioKeys.map((k) => ratioNames[k] ?? k).join(' | ')} |`,
    `|---|${ratioKeys.map(() => '---:').join('|')}|`,
    ...targets.map((t) => {
      const cells = ratioKeys.map((k) => {
        const v = report.ratios[k][t];
        if (v === null || v === undefined) return '–';
        if (k === 'newConnectionsPerCall') return `${fixed(v * 100, 3)}%`;
        return fixed(v, k === 'upstreamCallsPerQueryVsMinimum' ? 2 : 3);
      });
      return `| ${label(t)} | ${cells.join(' | ')} |`;
    }),
  ];
  const allTargets = Object.keys(report.ratios.upstreamCallsPerQueryVsMinimum);
  out.push('', '### Ratios', '', ...ratioTable(allTargets.filter((t) => !isVariant(t))));

  const variants = report.summary.filter((r) => isVariant(r.target));
  if (variants.length > 0) {
    out.push(
      '',
      '### Variants of the service (proposals, measured in the same interleaved run)',
      '',
      'Each is the service with one change (see *Set-up*), measured in the same interleaved rounds.',
      '',
      '| target | c | req/s | p50 ms | p99 ms | upstream calls / request | new conns / upstream call | peak RSS MB | CPU ms / request | sandbox CPU ms / request |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...variants.map(summaryRow),
      '',
      ...ratioTable(allTargets.filter((t) => t === 'service' || isVariant(t))),
    );
  }

  out.push('', '## Targets', '', '| figure | target | measured | |', '|---|---|---|---|');
  for (const t of report.targets) {
    out.push(
      `| ${t.figure} | ${t.target} | ${t.measured} | ${t.met === null ? '–' : t.met ? 'met' : '**not met**'} |`,
    );
  }

  out.push(...renderChanges(), ...renderSplit(report));
  if (report.storm) out.push(...renderStorm(report, label, summaryRow));
  if (report.heavy) out.push(...renderHeavy(report.heavy));

  if (report.refresh) out.push(...renderRefresh(report.refresh));

  const analysis = join(ROOT, 'bench', 'ANALYSIS.md');
  if (existsSync(analysis)) out.push('', readFileSync(analysis, 'utf8').trim());
  out.push('');
  return out.join('\n');
}

/** Where each change's before-and-after run keeps its raw figures (`--out` of that run). */
export const CHANGES_DIR = join(ROOT, 'bench', 'results', 'changes');
/** The profiled run whose CPU split the report shows when the run itself was not profiled. */
export const PROFILE_REPORT = join(ROOT, 'bench', 'results', 'profile.json');

/**
 * One row per change and concurrency, from the before-and-after runs in {@link CHANGES_DIR}: each
 * measured the service as built from the commit before the change (`--baseline`) beside the
 * service with it, and the aggregator, in the same interleaved rounds.
 */
function renderChanges(): string[] {
  if (!existsSync(CHANGES_DIR)) return [];
  const files = readdirSync(CHANGES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
  if (files.length === 0) return [];
  const out = [
    '',
    '## Changes, each measured before and after',
    '',
    'Each change was measured on its own: the service built from the commit before it (`--baseline`) beside the ' +
      'service with it and the aggregator, in the same interleaved rounds (`npm run bench -- --no-heavy --no-storm ' +
      '--no-refresh --no-variants --targets service,aggregator --baseline <commit before> --note …`). Raw figures: ' +
      "`bench/results/changes/`. req/s is the median of the rounds; CPU is the process's user + system time per request.",
    '',
    '| change | c | before: req/s, p50 ms, CPU ms/req | after: req/s, p50 ms, CPU ms/req | aggregator: req/s, p50 ms, CPU ms/req | CPU after ÷ before | machine |',
    '|---|---:|---|---|---|---:|---|',
  ];
  for (const file of files) {
    const r = JSON.parse(readFileSync(join(CHANGES_DIR, file), 'utf8')) as Report;
    const before = r.settings.variants.find((v) => v.build)?.name;
    if (!before) continue;
    const cell = (row: SummaryRow | undefined): string =>
      row ? `${fixed(row.rps.median, 1)}, ${fixed(row.p50, 1)}, ${fixed(row.cpuMsPerRequest, 2)}` : '–';
    const concurrencies = [...new Set(r.summary.map((x) => x.concurrency))].sort((a, b) => a - b);
    for (const c of concurrencies) {
      const find = (t: string) => r.summary.find((x) => x.target === t && x.concurrency === c);
      const b = find(`service[${before}]`);
      const a = find('service');
      out.push(
        `| ${r.note ?? file} (${before.slice(1)} → ${r.source.commit}) | ${c} | ${cell(b)} | ${cell(a)} | ${cell(find('aggregator'))} | ` +
          `${a && b ? fixed(a.cpuMsPerRequest / b.cpuMsPerRequest, 2) : '–'} | load ${r.busy.loadAverage.mean}, other ${r.busy.otherCpus} CPU |`,
      );
    }
  }
  return out;
}

/**
 * Where a request's CPU time goes, by part of the work: from this run's profiles, or else from the
 * profiled run kept in {@link PROFILE_REPORT}. A part's ms per request is its share of the
 * profile's busy time (start-up left out) times the target's measured CPU per request in that run.
 */
function renderSplit(report: Report): string[] {
  let source = report;
  if (Object.keys(report.profiles).length === 0) {
    if (!existsSync(PROFILE_REPORT)) return [];
    source = JSON.parse(readFileSync(PROFILE_REPORT, 'utf8')) as Report;
  }
  const names = Object.keys(source.profiles).filter((n) => source.profiles[n].split);
  if (names.length === 0) return [];
  const cpuPerRequest = (name: string): number => {
    const own = source.measurements.filter((m) => m.target === name);
    return sum(own.map((m) => m.targetCpuMs)) / sum(own.map((m) => m.load.amount));
  };
  const perTarget = names.map((name) => ({
    name,
    cpu: cpuPerRequest(name),
    shares: new Map(source.profiles[name].split!.map((c) => [c.category, c.share])),
  }));
  const categories = CATEGORIES.filter((c) => perTarget.some((t) => (t.shares.get(c) ?? 0) >= 0.0005));
  const label = (t: string): string => (t === 'aggregator' ? 'hand-written aggregator' : t);
  return [
    '',
    '## Where the CPU time of a dashboard goes',
    '',
    `From \`${source.command}\` on ${source.generatedAt} (commit ${source.source.commit}; ` +
      `${source === report ? 'this run' : '`bench/results/profile.json`'}): each target ran under \`node --cpu-prof\` ` +
      "(which slows it: read the split, not the totals). A part's ms per request is its share of the profile's busy time " +
      "(module loading left out) times the target's CPU per request in that run. Each sample belongs to the innermost " +
      "frame that says whose work it is: a socket write under the upstream client is the client's, `JSON.parse` under " +
      'the decoder is decoding (bench/lib/profile.ts).',
    '',
    `| part | ${perTarget.map((t) => `${label(t.name)}: ms / request`).join(' | ')} |`,
    `|---|${perTarget.map(() => '---:').join('|')}|`,
    ...categories.map(
      (c) =>
        `| ${c} | ${perTarget
          .map((t) => {
            const share = t.shares.get(c) ?? 0;
            return share === 0 ? '–' : `${fixed(share * t.cpu, 2)} (${fixed(share * 100, 1)}%)`;
          })
          .join(' | ')} |`,
    ),
    `| **all** | ${perTarget.map((t) => `**${fixed(t.cpu, 2)}**`).join(' | ')} |`,
  ];
}

/** The storm scenario's section. */
function renderStorm(
  report: Report,
  label: (t: string) => string,
  summaryRow: (r: SummaryRow) => string,
): string[] {
  const storm = report.storm!;
  const rows = storm.summary.map((r) => ({ ...r, target: label(r.target.replace(/^storm:/, '')) }));
  return [
    '',
    `## A storm of identical dashboards (one customer, c=${storm.summary[0]?.concurrency ?? '?'})`,
    '',
    "Many clients ask for the same customer's dashboard at once (after a release, a push notification). " +
      'The service with its **default settings** (`CACHE_TTL_SECONDS` 30, `CACHE_HISTORY_TTL_SECONDS` 3600: the ' +
      'answer cache in the process, identical calls in flight made once) against the hand-written aggregator ' +
      '(neither), and the service with the cache off as in the ratio runs (which also turns the de-duplication ' +
      'off: no setting turns it on alone). Same sandbox, same interleaved rounds; a warm-up at the same ' +
      'concurrency precedes each measurement, so the cache is warm: the figures are those of a storm after its ' +
      'first dashboards, and the live TTL (30 s) expires at most once or twice within a measurement. ' +
      "Upstream calls per dashboard are the sandbox's count over the dashboards answered.",
    '',
    '| target | c | req/s | p50 ms | p99 ms | upstream calls / request | new conns / upstream call | peak RSS MB | CPU ms / request | sandbox CPU ms / request |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(summaryRow),
  ];
}

/** The large-range section: each run of first pages, and the decoding figures. */
function renderHeavy(h: HeavyFigures): string[] {
  const runs = largeRangeRuns(h);
  const out = [
    '',
    '## A large range: one account with 100,000 transactions',
    '',
    `A fresh service process per row (same settings as above; the cache as the row says: off as in the ratio runs, ` +
      `or on as shipped) asked for the first page of 50 with \`totalCount\` over ${h.from}…${h.to} (366 days, ` +
      "one upstream call when not cached), several times in a row; the sandbox answers in the row's wire format. " +
      "Peak RSS is the process's VmHWM after each request. With the cache on, the requests after the first are " +
      'answered from the cache (its compact, encrypted copy of the year).',
    '',
    '| wire format | cache | totalCount / nodes | time per request ms | warm median ms | the upstream call alone, median ms | RSS before MB | peak RSS after each MB | peak MB |',
    '|---|---|---|---|---:|---:|---:|---|---:|',
    ...runs.map(
      (r) =>
        `| ${r.format} | ${r.cache} | ${r.totalCount} / ${r.pageSize} | ${r.timesMs.map((t) => fixed(t, 0)).join(', ')} | ` +
        `${fixed(warmMedianMs(r), 0)} | ${r.upstreamMs && r.upstreamMs.length > 0 ? fixed(median(r.upstreamMs), 0) : '–'} | ${fixed(r.rssBeforeKb / MB, 0)} | ${r.peaksKb.map((kb) => fixed(kb / MB, 0)).join(', ')} | ` +
        `**${fixed(r.peakKb / MB, 0)}** |`,
    ),
  ];
  if (h.summing) {
    const sm = h.summing;
    out.push(
      '',
      `Exact totals of the same rows (\`summary\`: counts, sums, opening/closing, ${sm.months} months; BigInt, ` +
        `no float), in the same process: best **${fixed(sm.bestMs, 1)} ms** for ${sm.rows} rows ` +
        `(runs: ${sm.allMs.map((t) => fixed(t, 1)).join(', ')} ms); heap growth while summing ` +
        `${fixed(sm.heapGrowthKb / MB, 1)} MB (no GC forced meanwhile).`,
    );
  }
  const streamed = h.decoding.some((d) => d.streamed);
  out.push(
    '',
    streamed
      ? "Decoding the same answer as the client does (the socket's chunks fed to the streaming decoder, " +
          '`GridStreamParser` with `transactionOfRow`, then `decodeAnswer`: bytes to exact records), against ' +
          '`JSON.parse` of the same answer already decoded to text; best of interleaved runs in a process of its own ' +
          '(after a full GC each):'
      : 'Decoding the same answer, best of interleaved runs in a process of its own (after a full GC each):',
    '',
    streamed
      ? '| wire format | bytes | rows | decoder input | `JSON.parse` of the text | streamed decode, bytes to records (exact) | speed vs `JSON.parse` | forced lossless (`lossless-json`) | its speed vs `JSON.parse` |'
      : '| wire format | bytes | rows | `parseBody` path | `JSON.parse` | `parseBody` + `decodeAnswer` (exact) | speed vs `JSON.parse` | forced lossless (`lossless-json`) | its speed vs `JSON.parse` |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|',
  );
  for (const d of h.decoding) {
    const mbs = (ms: number): string => `${fixed(ms, 0)} ms (${fixed(d.bytes / 1e6 / (ms / 1000), 0)} MB/s)`;
    const input = d.streamed
      ? `${d.streamed.chunks} chunks; ${fixed(d.streamed.scannedShare * 100, 2)}% scanned byte by byte`
      : d.needsLossless
        ? 'lossless'
        : 'JSON.parse (scan found no long number)';
    out.push(
      `| ${d.format} | ${(d.bytes / 1e6).toFixed(1)} MB | ${d.rows} | ${input} | ` +
        `${mbs(d.bestMs.jsonParse)} | ${mbs(d.bestMs.decode)} | ${fixed(d.bestMs.jsonParse / d.bestMs.decode, 2)} × | ` +
        `${mbs(d.bestMs.forcedLossless)}${d.losslessAgrees ? '' : ' (**differs**)'} | ${fixed(d.bestMs.jsonParse / d.bestMs.forcedLossless, 2)} × |`,
    );
  }
  return out;
}

/** What the variants' preloaded modules (bench/variants/) change. */
const PRELOADS: Record<string, string> = {
  'graphql-jit':
    "execution by graphql-jit, compiled once per operation, through Apollo's gateway interface (bench/variants/graphql-jit.ts)",
};

function describeVariant(env: Record<string, string>): string {
  const parts = Object.entries(env)
    .filter(([k]) => k !== 'PRELOAD' && k !== 'NODE_FLAGS')
    .map(([k, v]) => `\`${k}=${v}\``);
  if (env.NODE_FLAGS !== undefined)
    parts.push(env.NODE_FLAGS === '' ? 'no Node flags' : `the Node flags \`${env.NODE_FLAGS}\``);
  for (const module of env.PRELOAD?.split('+') ?? [])
    parts.push(PRELOADS[module] ?? `bench/variants/${module}.ts`);
  return parts.join(', ');
}

function percent(value: number, digits: number): string {
  return Number.isFinite(value) ? `${value.toFixed(digits)}%` : '–';
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
