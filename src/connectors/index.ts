/**
 * HTTP clients for the tools stories and tests live in: Jira (Cloud v3, Server/DC v2), Xray
 * Cloud, Xray Server/DC, TestRail, Zephyr Scale Cloud. Each takes an injected `fetch`; none knows about storage.
 */
export { ConnectorError, type ConnectorErrorKind } from './errors.ts';
export type { ConnectorDependencies, ConnectorHttpClient } from './http.ts';
export {
  createJiraClient,
  jqlForKeys,
  type JiraClient,
  type JiraClientOptions,
  type JiraDeployment,
  type JiraField,
  type JiraIssue,
} from './jira.ts';
export {
  createTestRailClient,
  resolveTestRailLookups,
  toTestRailCase,
  type TestRailCaseBody,
  type TestRailClient,
  type TestRailLookups,
  type TestRailSection,
} from './testrail.ts';
export {
  createXrayCloudClient,
  toXrayTest,
  XRAY_BULK_LIMIT,
  type XrayCloudClient,
  type XrayImportResult,
  type XrayTestImport,
} from './xray-cloud.ts';
export {
  createXrayServerClient,
  toXrayServerIssue,
  toXrayServerSteps,
  XRAY_SERVER_FIELD_NAMES,
  type XrayServerClient,
  type XrayServerFieldIds,
} from './xray-server.ts';
export {
  createZephyrScaleClient,
  toZephyrScaleCase,
  toZephyrScaleSteps,
  ZEPHYR_SCALE_DEFAULT_URL,
  ZEPHYR_SCALE_STEP_LIMIT,
  type ZephyrScaleClient,
  type ZephyrScaleFolder,
  type ZephyrScaleTestCase,
} from './zephyr-scale.ts';
