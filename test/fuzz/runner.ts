/**
 * Runs fuzz cases against the world and reports: a status and a code histogram, every violation
 * with the case that caused it, the schema coordinates exercised, and `/healthz` latency measured
 * throughout. Cases come from fast-check with a seed (`fc.sample`), so the i-th case of a seed is
 * always the same; a violation is then shrunk by fast-check from that case (`path: i`) to a minimal
 * reproduction, which `npm run fuzz -- --seed S --replay i` repeats.
 */
import fc from 'fast-check';
import { type GraphQLSchema, parse, TypeInfo, visit, visitWithTypeInfo } from 'graphql';
import { type Answer, checkAnswer, type Violation, type ViolationKind } from './invariants';
import { caseArbitrary, type FuzzCase, loadSchema, schemaCoordinates } from './model';
import { type RenderedRequest, renderCase } from './render';
import type { FuzzWorld } from './world';

/** Longer than the service's request deadline (30 s): past it, the answer is a hang. */
const HANG_MS = 45_000;
/** `/healthz` is asked every this many cases, on both services. */
const HEALTH_EVERY = 50;
/** Slower than this, `/healthz` is unhealthy (generous: the machine is shared). */
const HEALTH_SLOW_MS = 2_000;

export interface CaseOutcome {
  status: number;
  codes: string[];
  violations: Violation[];
  request: RenderedRequest;
  /** Coordinates of the document, when it ran (the answer had data). */
  exercised: string[];
}

export interface FoundViolation extends Violation {
  index: number;
  case: FuzzCase;
  request: RenderedRequest;
}

export interface FuzzReport {
  seed: number;
  runs: number;
  durationMs: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  modes: Record<string, number>;
  violations: FoundViolation[];
  coordinates: { total: number; missing: string[] };
  health: { checks: number; maxMs: number };
}

export interface FuzzOptions {
  seed: number;
  runs: number;
  concurrency?: number;
  onProgress?: (done: number, report: FuzzReport) => void;
}

export class Fuzzer {
  readonly schema: GraphQLSchema;
  readonly arbitrary: fc.Arbitrary<FuzzCase>;

  constructor(readonly fuzzWorld: FuzzWorld) {
    this.schema = loadSchema();
    this.arbitrary = caseArbitrary(this.schema);
  }

  /** The cases of a seed, the same every time. */
  cases(seed: number, runs: number): FuzzCase[] {
    return fc.sample(this.arbitrary, { seed, numRuns: runs });
  }

  async run({ seed, runs, concurrency = 4, onProgress }: FuzzOptions): Promise<FuzzReport> {
    const started = Date.now();
    const report: FuzzReport = {
      seed,
      runs,
      durationMs: 0,
      statuses: {},
      codes: {},
      modes: {},
      violations: [],
      coordinates: { total: 0, missing: [] },
      health: { checks: 0, maxMs: 0 },
    };
    const all = schemaCoordinates(this.schema);
    const exercised = new Set<string>();
    let done = 0;
    let last: FuzzCase | undefined;
    const handle = async (index: number, fuzzCase: FuzzCase): Promise<void> => {
      const outcome = await this.runCase(fuzzCase);
      // This case's place in the count, kept: other cases finish while this one awaits below.
      const count = ++done;
      last = fuzzCase;
      bump(report.statuses, String(outcome.status));
      for (const code of outcome.codes) bump(report.codes, code);
      bump(report.modes, fuzzCase.mode);
      for (const coordinate of outcome.exercised) exercised.add(coordinate);
      for (const violation of outcome.violations) {
        report.violations.push({ ...violation, index, case: fuzzCase, request: outcome.request });
      }
      if (count % HEALTH_EVERY === 0) await this.checkHealth(report, index, fuzzCase);
      if (onProgress && count % 1000 === 0) onProgress(count, report);
    };
    // fast-check hands out the cases one by one (the same as `cases(seed, runs)`, without holding
    // them all); up to `concurrency` of them are in flight at once.
    const inFlight = new Set<Promise<void>>();
    let next = 0;
    const result = await fc.check(
      fc.asyncProperty(this.arbitrary, async (fuzzCase) => {
        const running: Promise<void> = handle(next++, fuzzCase).finally(() => inFlight.delete(running));
        inFlight.add(running);
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
        return true;
      }),
      { seed, numRuns: runs },
    );
    await Promise.all(inFlight);
    // The property only fails when the harness itself threw.
    if (result.failed) {
      throw 'errorInstance' in result ? result.errorInstance : new Error('the fuzz run was interrupted');
    }
    if (last) await this.checkHealth(report, runs - 1, last);
    report.coordinates = { total: all.length, missing: all.filter((c) => !exercised.has(c)) };
    report.durationMs = Date.now() - started;
    return report;
  }

  /** Sends one case and checks its answer. */
  async runCase(fuzzCase: FuzzCase): Promise<CaseOutcome> {
    const { request, context } = renderCase(fuzzCase, this.fuzzWorld.world, this.schema);
    const defectsBefore = this.fuzzWorld.defectCount();
    let answer: Answer;
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(HANG_MS),
      });
      answer = { status: response.status, headers: response.headers, text: await response.text() };
    } catch (error) {
      const name = (error as Error).name;
      const kind: ViolationKind = name === 'TimeoutError' ? 'hang' : 'unhealthy';
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      return {
        status: 0,
        codes: [],
        violations: [{ kind, detail: `${name}: ${cause}` }],
        request,
        exercised: [],
      };
    }
    const violations = checkAnswer(answer, request, context, this.fuzzWorld.oracle);
    const defects = this.fuzzWorld.defectsSince(defectsBefore);
    if (defects.length > 0) violations.push({ kind: 'defect-logged', detail: defects[0].slice(0, 300) });
    let codes: string[] = [];
    let ran = false;
    try {
      const body = JSON.parse(answer.text) as {
        errors?: { extensions?: { code?: unknown } }[];
        data?: unknown;
      };
      codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
      ran = body.data !== undefined && body.data !== null;
    } catch {
      // Not JSON: a page or the metrics text; the checks judged it.
    }
    return {
      status: answer.status,
      codes,
      violations,
      request,
      exercised: ran && context.document ? coordinatesOf(this.schema, context.document) : [],
    };
  }

  /** The case at a fast-check path of `seed` (an index, or a shrunk path `index:…` that `minimize` gave). */
  caseAt(seed: number, path: string): FuzzCase {
    const result = fc.check(
      fc.property(this.arbitrary, () => false),
      { seed, path, endOnFailure: true },
    );
    return result.counterexample![0] as FuzzCase;
  }

  /**
   * Shrinks the case at `index` of `seed` to a smallest case that still breaks a rule of `kind`.
   * Returns the original when the violation no longer happens (a race that did not repeat).
   */
  async minimize(
    seed: number,
    index: number,
    kind: ViolationKind,
  ): Promise<{ case: FuzzCase; path: string; repeated: boolean }> {
    const property = fc.asyncProperty(this.arbitrary, async (fuzzCase) => {
      const outcome = await this.runCase(fuzzCase);
      return !outcome.violations.some((v) => v.kind === kind);
    });
    const result = await fc.check(property, { seed, path: String(index), interruptAfterTimeLimit: 120_000 });
    if (!result.failed || !result.counterexample) {
      return { case: this.cases(seed, index + 1)[index], path: String(index), repeated: false };
    }
    return {
      case: result.counterexample[0],
      path: result.counterexamplePath ?? String(index),
      repeated: true,
    };
  }

  private async checkHealth(report: FuzzReport, index: number, fuzzCase: FuzzCase): Promise<void> {
    for (const [mode, service] of Object.entries(this.fuzzWorld.services)) {
      const started = performance.now();
      let status = 0;
      try {
        status = (await fetch(`${service.url}/healthz`, { signal: AbortSignal.timeout(10_000) })).status;
      } catch {
        status = 0;
      }
      const ms = performance.now() - started;
      report.health.checks += 1;
      report.health.maxMs = Math.max(report.health.maxMs, Math.round(ms));
      if (status !== 200 || ms > HEALTH_SLOW_MS) {
        report.violations.push({
          kind: 'unhealthy',
          detail: `${mode} /healthz: ${status} after ${Math.round(ms)} ms`,
          index,
          case: fuzzCase,
          request: { method: 'GET', url: `${service.url}/healthz`, headers: {} },
        });
      }
    }
  }
}

function bump(histogram: Record<string, number>, key: string): void {
  histogram[key] = (histogram[key] ?? 0) + 1;
}

/** `Type.field` and `Type.field(arg)` of every field a document selects. */
export function coordinatesOf(schema: GraphQLSchema, document: string): string[] {
  let ast;
  try {
    ast = parse(document);
  } catch {
    return [];
  }
  const out: string[] = [];
  const typeInfo = new TypeInfo(schema);
  visit(
    ast,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        if (!parent || node.name.value.startsWith('__')) return;
        out.push(`${parent.name}.${node.name.value}`);
        for (const arg of node.arguments ?? [])
          out.push(`${parent.name}.${node.name.value}(${arg.name.value})`);
      },
    }),
  );
  return out;
}

/** A shell command that sends `request` again. */
export function curlOf(request: RenderedRequest): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl -sS -i', '-X', request.method, quote(request.url)];
  for (const [name, value] of Object.entries(request.headers)) parts.push('-H', quote(`${name}: ${value}`));
  if (request.body !== undefined && request.body.length <= 4_000)
    parts.push('--data-binary', quote(request.body));
  // A huge body would drown the report: its shape is in the case, which `--replay` sends again.
  else if (request.body !== undefined)
    parts.push(`--data-binary '<${request.body.length} bytes: replay the case>'`);
  return parts.join(' ');
}

/** The report as text: histograms, coverage, health, and each kind of violation with its first case. */
export function formatReport(report: FuzzReport): string {
  const lines: string[] = [];
  const rate = report.runs / Math.max(1, report.durationMs / 1000);
  lines.push(
    `fuzz: ${report.runs} operations, seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s (${rate.toFixed(0)} op/s)`,
    `modes: ${histogram(report.modes)}`,
    `HTTP statuses: ${histogram(report.statuses)}`,
    `error codes: ${histogram(report.codes)}`,
    `schema coordinates exercised: ${report.coordinates.total - report.coordinates.missing.length}/${report.coordinates.total}` +
      (report.coordinates.missing.length > 0 ? ` (missing: ${report.coordinates.missing.join(', ')})` : ''),
    `/healthz: ${report.health.checks} checks, slowest ${report.health.maxMs} ms`,
    `violations: ${report.violations.length}`,
  );
  const byKind = new Map<string, FoundViolation[]>();
  for (const v of report.violations) byKind.set(v.kind, [...(byKind.get(v.kind) ?? []), v]);
  for (const [kind, found] of byKind) {
    lines.push(`  ${kind}: ${found.length}, first at case ${found[0].index}: ${found[0].detail}`);
  }
  return lines.join('\n');
}

function histogram(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${key} ${n}`)
    .join(', ');
}
