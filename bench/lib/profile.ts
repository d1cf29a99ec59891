/**
 * Reads a V8 `.cpuprofile` (`node --cpu-prof`) into what a report needs: where the CPU went, by
 * function (self time) and by area (a package, a file of the service, Node's internals, the GC),
 * the latter both as self time and as inclusive time (time with that area anywhere on the stack);
 * and a split into the parts of a request (issue 12): GraphQL execution, Apollo's pipeline,
 * type-graphql, the upstream client, decoding, logging, the GC… (see {@link categoryOf}).
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, ms: all of it, and without idle. */
  totalMs: number;
  busyMs: number;
  /** Heaviest functions by self time; `share` is of `busyMs`. */
  topFunctions: { name: string; where: string; selfMs: number; share: number }[];
  /** Areas by self time and by inclusive time; `share` is of `busyMs`. */
  areas: { area: string; selfMs: number; selfShare: number; inclusiveMs: number; inclusiveShare: number }[];
  /**
   * Busy time after start-up, by part of the work (see {@link categoryOf}); `share` is of the sum
   * (busy time without module loading), so that shares times CPU per request give ms per request.
   */
  split?: { category: string; ms: number; share: number }[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

export function summarizeProfile(file: string, top = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }

  const selfByFunction = new Map<string, { name: string; where: string; ms: number }>();
  const selfByArea = new Map<string, number>();
  const inclusiveByArea = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    totalMs += ms;
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const fnKey = `${functionName}@${where}`;
    const entry = selfByFunction.get(fnKey) ?? { name: functionName || '(anonymous)', where, ms: 0 };
    entry.ms += ms;
    selfByFunction.set(fnKey, entry);
    const area = areaOf(node);
    selfByArea.set(area, (selfByArea.get(area) ?? 0) + ms);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const onStack = byId.get(id);
      if (onStack && onStack.callFrame.functionName !== '(root)') seen.add(areaOf(onStack));
    }
    for (const a of seen) inclusiveByArea.set(a, (inclusiveByArea.get(a) ?? 0) + ms);
    const category = sampleCategory(node, byId, parent);
    if (category !== null) byCategory.set(category, (byCategory.get(category) ?? 0) + ms);
  }
  const workMs = [...byCategory.values()].reduce((a, b) => a + b, 0);
  const busyMs = totalMs - idleMs;
  const share = (ms: number): number => Math.round((ms / busyMs) * 1000) / 10;
  return {
    file,
    totalMs: Math.round(totalMs),
    busyMs: Math.round(busyMs),
    topFunctions: [...selfByFunction.values()]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: Math.round(f.ms), share: share(f.ms) })),
    areas: [...inclusiveByArea.keys(), ...selfByArea.keys()]
      .filter((a, i, all) => all.indexOf(a) === i)
      .map((area) => {
        const selfMs = selfByArea.get(area) ?? 0;
        const inclusiveMs = inclusiveByArea.get(area) ?? 0;
        return {
          area,
          selfMs: Math.round(selfMs),
          selfShare: share(selfMs),
          inclusiveMs: Math.round(inclusiveMs),
          inclusiveShare: share(inclusiveMs),
        };
      })
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top),
    split: [...byCategory.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([category, ms]) => ({
        category,
        ms: Math.round(ms),
        share: Math.round((ms / workMs) * 10000) / 10000,
      })),
  };
}

/** The parts of a request's CPU time that the split reports, in the order the report lists them. */
export const CATEGORIES = [
  'graphql-js execution',
  'graphql-js parsing and validation',
  "Apollo Server's pipeline",
  'plugins: argument check, limits, cost, observability',
  'type-graphql (resolver wrappers, argument classes, class-validator)',
  'resolvers, loaders, pages',
  'answer cache',
  'upstream policy (queue, caps, breaker, retries)',
  'upstream client (undici, WooriClient)',
  'decoding (JSON.parse, rows, exact decimals)',
  'async context (AsyncLocalStorage promise hooks)',
  'HTTP layer (ours: routing, body, deadline, response)',
  'logging (pino, redaction)',
  'metrics (prom-client)',
  "the aggregator's own code",
  'Node: HTTP, sockets, streams, timers',
  'garbage collection',
  'V8 (other)',
] as const;

/**
 * The part of the work one sample belongs to: the innermost frame on its stack that says whose
 * work it is. Node's internals, native functions and graphql-js's helpers (`jsutils`, `utilities`,
 * `type`) say nothing by themselves: a socket write belongs to the upstream client or to our HTTP
 * layer, a `TypeInfo` walk to validation or to a plugin, by who called them. Null for idle time and
 * module loading (start-up).
 */
function sampleCategory(
  node: ProfileNode,
  byId: Map<number, ProfileNode>,
  parent: Map<number, number>,
): string | null {
  let fallback: string | null = null;
  for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
    const frame = byId.get(id)!.callFrame;
    if (frame.url.startsWith('node:internal/modules')) return null;
    const category = categoryOf(frame);
    if (category === null) {
      if (fallback === null) fallback = frame.functionName === '(idle)' ? 'idle' : GENERIC;
      continue;
    }
    if (category === 'idle') return null;
    return category;
  }
  return fallback === 'idle' ? null : GENERIC;
}

const GENERIC = 'Node: HTTP, sockets, streams, timers';

/** The category a frame names by itself, 'idle', or null for a frame that is nobody's in particular. */
function categoryOf({ functionName, url }: ProfileNode['callFrame']): string | null {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (functionName === '(program)') return 'V8 (other)';
  if (url.startsWith('node:internal/async_hooks') || url.startsWith('node:internal/async_local_storage'))
    return 'async context (AsyncLocalStorage promise hooks)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [scope, name, ...rest] = url.slice(modules + '/node_modules/'.length).split('/');
    const pkg = scope.startsWith('@') ? `${scope}/${name}` : scope;
    const path = scope.startsWith('@') ? rest.join('/') : [name, ...rest].join('/');
    if (pkg === 'graphql') {
      if (path.startsWith('execution/')) return 'graphql-js execution';
      if (path.startsWith('language/') || path.startsWith('validation/'))
        return 'graphql-js parsing and validation';
      return null;
    }
    if (pkg === 'undici') return 'upstream client (undici, WooriClient)';
    if (pkg === 'lossless-json') return 'decoding (JSON.parse, rows, exact decimals)';
    if (pkg === 'type-graphql' || pkg === 'class-validator' || pkg === 'class-transformer')
      return 'type-graphql (resolver wrappers, argument classes, class-validator)';
    if (pkg.startsWith('@apollo/')) return "Apollo Server's pipeline";
    if (pkg === 'graphql-query-complexity' || pkg.startsWith('@escape.tech/'))
      return 'plugins: argument check, limits, cost, observability';
    if (pkg === 'pino' || pkg === 'sonic-boom' || pkg.startsWith('pino-') || pkg === 'fast-redact')
      return 'logging (pino, redaction)';
    if (pkg === 'prom-client') return 'metrics (prom-client)';
    if (pkg === 'dataloader') return 'resolvers, loaders, pages';
    if (pkg === 'ioredis' || pkg === 'lru-cache') return 'answer cache';
    return null;
  }
  const dist = /\/dist\/(?:baselines\/[^/]+\/dist\/)?(.*)\.js$/.exec(url);
  if (dist) return categoryOfBuiltFile(dist[1]);
  return null;
}

/** The category of a file of the service's build (`woori/client`, `bench/bench/targets/aggregator`). */
function categoryOfBuiltFile(file: string): string {
  if (file.startsWith('bench/')) return "the aggregator's own code";
  if (/^woori\/(parse|decode|values|stream-parse)$/.test(file))
    return 'decoding (JSON.parse, rows, exact decimals)';
  if (file === 'woori/client') return 'upstream client (undici, WooriClient)';
  if (file.startsWith('woori/')) return 'upstream policy (queue, caps, breaker, retries)';
  if (file.startsWith('cache/') || file.startsWith('store/')) return 'answer cache';
  if (/^server\/(logger|redact|access-log|policy-log)$/.test(file)) return 'logging (pino, redaction)';
  if (file === 'server/metrics') return 'metrics (prom-client)';
  if (
    /plugin$/.test(file) ||
    /^graphql\/(protection|operation-fields|operation-types|ceilings|validation)$/.test(file)
  )
    return 'plugins: argument check, limits, cost, observability';
  if (file.startsWith('graphql/')) return 'resolvers, loaders, pages';
  return 'HTTP layer (ours: routing, body, deadline, response)';
}

/** A package (`graphql`, `@apollo/server`), a file of the build (`dist/graphql/loaders`), `node:http`… */
function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (SPECIAL.has(functionName)) return functionName;
  if (!url) return '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1).replace(/\.js$/, '');
  if (url.startsWith('node:')) {
    const parts = url.split('/');
    return parts[0] === 'node:internal' ? parts.slice(0, 2).join('/') : parts[0];
  }
  return shortUrl(url);
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + '/node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}
