/** What the sandbox's call records show about how the service spread its calls over time. */
import type { SandboxCallRecord } from '../../src/sandbox';

/** The most calls the sandbox held at once, each held for `latencyMs` from its arrival. */
export function mostAtOnce(calls: SandboxCallRecord[], latencyMs: number): number {
  const edges = calls.flatMap((call) => [
    { at: call.at, step: 1 },
    // A call that takes the slot another one freed arrives after that one's answer: a margin
    // against the millisecond clock keeps the two from counting as overlapping.
    { at: call.at + latencyMs - 3, step: -1 },
  ]);
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) most = Math.max(most, (now += edge.step));
  return most;
}

/** The most calls that reached the sandbox within any `windowMs`. */
export function mostInAnyWindow(calls: SandboxCallRecord[], windowMs: number): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[last] - times[first] >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
