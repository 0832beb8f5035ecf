/**
 * The project dashboard: coverage matrix, review progress, quality score distribution, findings
 * by rule, tokens and cost per day and provider.
 */
export {
  createDashboardService,
  type DashboardRequest,
  type DashboardService,
  type DashboardServiceOptions,
} from './dashboard.ts';
export { ProjectDashboardSchema, CoverageStateSchema, type ProjectDashboard } from './schema.ts';
export { storedPriceOf } from './stored-prices.ts';
export type { PriceOf } from './token-cost.ts';
