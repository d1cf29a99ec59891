/** The dashboard operation (GraphiQL's first tab, from test/operations) and its variables for a given day. */
import { todayInKst } from '../../src/graphql/dates';
import {
  dashboardExampleVariables,
  type DashboardVariables,
  readExampleOperation,
} from '../../src/server/graphiql';

export type { DashboardVariables };

/** test/operations/dashboard.graphql, the document codegen types as `DashboardDocument`. */
export const DASHBOARD_QUERY = readExampleOperation('dashboard');

/** This month up to today and the whole previous month, in Korea Standard Time. */
export function dashboardVariables(now: Date = new Date()): DashboardVariables {
  return dashboardExampleVariables(todayInKst(now.getTime()));
}
