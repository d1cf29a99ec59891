/**
 * Inclusive day ranges and the algebra the transaction loader needs: what part of a range is not
 * yet covered, how to merge ranges that touch, and how to cut a range to the upstream's span limit.
 */

/** An inclusive range of day numbers (see `days.ts`). */
export interface DayRange {
  from: number;
  to: number;
}

/** Sorts and merges ranges that overlap or are adjacent (no day between them). */
export function mergeRanges(ranges: readonly DayRange[]): DayRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from);
  const merged: DayRange[] = [];
  for (const r of sorted) {
    const last = merged[merged.length - 1];
    if (last && r.from <= last.to + 1) last.to = Math.max(last.to, r.to);
    else merged.push({ from: r.from, to: r.to });
  }
  return merged;
}

/** The parts of `range` that none of `covered` (disjoint, any order) contains. */
export function subtractRanges(range: DayRange, covered: readonly DayRange[]): DayRange[] {
  let parts: DayRange[] = [{ ...range }];
  for (const c of covered) {
    const next: DayRange[] = [];
    for (const p of parts) {
      if (c.to < p.from || c.from > p.to) {
        next.push(p);
        continue;
      }
      if (c.from > p.from) next.push({ from: p.from, to: c.from - 1 });
      if (c.to < p.to) next.push({ from: c.to + 1, to: p.to });
    }
    parts = next;
    if (parts.length === 0) break;
  }
  return parts;
}

/** Cuts a range into the fewest consecutive pieces of at most `maxDays` days. */
export function splitRange(range: DayRange, maxDays: number): DayRange[] {
  const pieces: DayRange[] = [];
  for (let from = range.from; from <= range.to; from += maxDays) {
    pieces.push({ from, to: Math.min(range.to, from + maxDays - 1) });
  }
  return pieces;
}

/** Whether two ranges share at least one day. */
export function overlaps(a: DayRange, b: DayRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}
