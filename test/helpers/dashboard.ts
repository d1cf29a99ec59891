/** The dashboard query of GraphiQL's first tab, and its variables for a given day. */
export { DASHBOARD_QUERY } from '../../src/server/graphiql';

export interface DashboardVariables {
  from: string;
  to: string;
  prevFrom: string;
  prevTo: string;
}

/** This month up to today and the whole previous month, in Korea Standard Time. */
export function dashboardVariables(now: Date = new Date()): DashboardVariables {
  const today = new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
  const [year, month] = today.split('-').map(Number);
  const first = new Date(Date.UTC(year, month - 1, 1));
  const prevLast = new Date(first.getTime() - 86_400_000);
  const prevFirst = new Date(Date.UTC(prevLast.getUTCFullYear(), prevLast.getUTCMonth(), 1));
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  return { from: iso(first), to: today, prevFrom: iso(prevFirst), prevTo: iso(prevLast) };
}
