/**
 * The endpoint checker behind `reqase check` and the web app's "Test connection": runs the
 * OpenAI chat completions contract against an endpoint and names every deviation with a fix.
 */
export { runEndpointCheck } from './run-endpoint-check.ts';
export { renderCheckReport } from './report.ts';
export { renderCurl } from './curl.ts';
export {
  CHECK_IDS,
  type CheckId,
  type CheckReport,
  type CheckResult,
  type CheckStatus,
  type RootCause,
  type EndpointCheckOptions,
  type ParseTestCases,
} from './types.ts';
