/**
 * The operation every target answers: the dashboard, for this month and last month in KST. The
 * document is test/operations/dashboard.graphql (what codegen types and GraphiQL opens), and the
 * dates come from the service's own date functions, loaded from `dist/` like the rest of its code.
 */
import type * as Dates from '../../src/graphql/dates';
import type * as GraphiQL from '../../src/server/graphiql';
import { fromDist } from './dist';

const { dashboardExampleVariables, readExampleOperation } = fromDist<typeof GraphiQL>('server/graphiql');
const { fromDay, toDay, todayInKst } = fromDist<typeof Dates>('graphql/dates');

/** The dashboard query, as in test/operations/dashboard.graphql. */
export const DASHBOARD_QUERY = readExampleOperation('dashboard');

/** How many transactions of this month the dashboard shows, newest first (its `first: 20`). */
export const DASHBOARD_PAGE_SIZE = 20;

export type DashboardVariables = GraphiQL.DashboardVariables;

/** This month up to today and the whole previous month, in Korea Standard Time. */
export function dashboardVariables(now: number = Date.now()): DashboardVariables {
  return dashboardExampleVariables(todayInKst(now));
}

/** A date `days` days before `date` (both `YYYY-MM-DD`). */
export function daysBefore(date: string, days: number): string {
  return fromDay(toDay(date) - days);
}

/** The body every load generator sends. */
export function dashboardRequestBody(variables: DashboardVariables): string {
  return JSON.stringify({ operationName: 'Dashboard', query: DASHBOARD_QUERY, variables });
}
