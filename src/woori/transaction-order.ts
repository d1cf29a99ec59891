/**
 * The order of transaction rows. The upstream does not document the order of its list, so rows are
 * sorted by date and time (oldest first) once, and ranges are then sliced by binary search.
 */
import type { IsoDate, TransactionRecord } from './domain';

/** Stable sort by date and time: the upstream's order within the same second is kept. Returns `rows` when already sorted. */
export function sortOldestFirst(rows: TransactionRecord[]): TransactionRecord[] {
  for (let i = 1; i < rows.length; i++) {
    if (compareRows(rows[i - 1], rows[i]) > 0) {
      return rows
        .map((r, index) => ({ r, index }))
        .sort((a, b) => compareRows(a.r, b.r) || a.index - b.index)
        .map((x) => x.r);
    }
  }
  return rows;
}

function compareRows(a: TransactionRecord, b: TransactionRecord): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return a.time < b.time ? -1 : a.time > b.time ? 1 : 0;
}

/** Index of the first row dated on or after `date` in rows sorted oldest first. */
export function firstOnOrAfter(rows: readonly TransactionRecord[], date: IsoDate): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
