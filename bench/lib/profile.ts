/**
 * Reads a V8 `.cpuprofile` (`node --cpu-prof`) into what a report needs: where the CPU went, by
 * function (self time) and by area (a package, a file of the service, Node's internals, the GC),
 * the latter both as self time and as inclusive time (time with that area anywhere on the stack).
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
  }
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
  };
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
