/** The operation every target answers: the dashboard, for this month and last month in KST. */

/** The dashboard query (as in test/operations/dashboard.graphql and GraphiQL's first tab). */
export const DASHBOARD_QUERY = `query Dashboard($from: Date!, $to: Date!, $prevFrom: Date!, $prevTo: Date!) {
  accounts {
    number productName balance { amount currency }
    detail { statusCode currentBalance { amount } }
    thisMonth: transactions(from: $from, to: $to, first: 20) { totalCount nodes { occurredAt type amount { amount } memo } }
    lastMonth: transactions(from: $prevFrom, to: $prevTo) { totalCount }
  }
}`;

/** How many transactions of this month the dashboard shows, newest first. */
export const DASHBOARD_PAGE_SIZE = 20;

export interface DashboardVariables {
  from: string;
  to: string;
  prevFrom: string;
  prevTo: string;
}

const KST_OFFSET_MS = 9 * 3_600_000;
const MS_PER_DAY = 86_400_000;

/** Today's date in Korea Standard Time (no daylight saving since 1988). */
export function todayInKst(now: number = Date.now()): string {
  return new Date(now + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** This month up to today and the whole previous month, in Korea Standard Time. */
export function dashboardVariables(now: number = Date.now()): DashboardVariables {
  const today = todayInKst(now);
  const first = Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 1, 1);
  const prevLast = new Date(first - MS_PER_DAY);
  const prevFirst = Date.UTC(prevLast.getUTCFullYear(), prevLast.getUTCMonth(), 1);
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  return { from: iso(first), to: today, prevFrom: iso(prevFirst), prevTo: iso(prevLast.getTime()) };
}

/** A date `days` days before `date` (both `YYYY-MM-DD`). */
export function daysBefore(date: string, days: number): string {
  const ms = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
  return new Date(ms - days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The body every load generator sends. */
export function dashboardRequestBody(variables: DashboardVariables): string {
  return JSON.stringify({ operationName: 'Dashboard', query: DASHBOARD_QUERY, variables });
}
