/**
 * push: 1,000 cases to the TestRail fake limited to N requests a minute (180, TestRail Cloud
 * Professional; `quick` raises the fake's limit to keep the run short), reporting the rate reached
 * against the limit; the CPU time per case of the same push unpaced (its waits recorded, not
 * waited), against the CPU time of a bare request to the same fake; and 1,000 cases to the Xray
 * Cloud fake, counting import requests and polls.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSettings } from '../src/app/settings.ts';
import { openWorkspace } from '../src/app/workspace/index.ts';
import type { ConnectorDependencies } from '../src/connectors/index.ts';
import { seedAcceptedCases } from '../test/connectors/connectors-support.ts';
import { startFakeTestRail } from '../test/support/fake-testrail.ts';
import { startFakeXrayCloud } from '../test/support/fake-xray-cloud.ts';
import type { Figure } from './support.ts';

async function withWorkspace<Value>(
  env: Record<string, string>,
  cases: number,
  run: (workspace: ReturnType<typeof openWorkspace>) => Promise<Value>,
  connectors: ConnectorDependencies = {},
): Promise<Value> {
  const directory = await mkdtemp(join(tmpdir(), 'reqase-bench-push-'));
  const workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: directory, ...env }, directory), {
    connectors,
  });
  try {
    // Ten accepted cases a story, as the push tests seed them.
    await seedAcceptedCases(await workspace.storage(), Math.floor(cases / 10), 10);
    return await run(workspace);
  } finally {
    await workspace.close();
    await rm(directory, { recursive: true, force: true });
  }
}

const TESTRAIL_KEY = 'bench-key-0123456789';

function testRailEnvironment(url: string): Record<string, string> {
  return {
    REQASE_TESTRAIL_URL: url,
    REQASE_TESTRAIL_USER: 'qa@example.com',
    REQASE_TESTRAIL_API_KEY: TESTRAIL_KEY,
    REQASE_TESTRAIL_PROJECT_ID: '1',
  };
}

/**
 * CPU time (this process: Reqase and the in-process fake) per case of an unpaced push of `cases`
 * new cases to TestRail, against the CPU time per request of as many bare `fetch`es to the same
 * fake (authenticated `get_priorities`): what Reqase adds above the HTTP round trips.
 */
async function benchmarkPushCpu(cases: number): Promise<Figure> {
  const testrail = await startFakeTestRail({ apiKey: TESTRAIL_KEY, requestsPerMinute: 1_000_000 });
  try {
    const authorization = `Basic ${Buffer.from(`qa@example.com:${TESTRAIL_KEY}`).toString('base64')}`;
    const bare = async (requests: number) => {
      for (let index = 0; index < requests; index += 1) {
        const response = await fetch(`${testrail.url}/index.php?/api/v2/get_priorities`, {
          headers: { Authorization: authorization, Accept: 'application/json' },
        });
        await response.text();
      }
    };
    await bare(50); // warm-up: the connection, the JIT
    return await withWorkspace(
      testRailEnvironment(testrail.url),
      cases,
      async (workspace) => {
        const pushStart = process.cpuUsage();
        const result = await workspace.push.push({ project: 'Shop', to: 'testrail' });
        const push = process.cpuUsage(pushStart);
        const bareStart = process.cpuUsage();
        await bare(result.requests);
        const baseline = process.cpuUsage(bareStart);
        const milliseconds = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
        return {
          benchmark: 'push',
          metric: `TestRail: CPU per case, ${result.counts.created} new cases unpaced (Reqase + the fake)`,
          value: Math.round((milliseconds(push) / result.counts.created) * 100) / 100,
          unit: 'ms',
          baseline: Math.round((milliseconds(baseline) / result.requests) * 100) / 100,
          baselineLabel: 'one bare fetch to the same fake',
          note: `${Math.round((result.requests / result.counts.created) * 100) / 100} requests a case`,
        };
      },
      { sleep: async () => undefined },
    );
  } finally {
    await testrail.close();
  }
}

export async function benchmarkPush(options: {
  cases: number;
  testRailRequestsPerMinute: number;
}): Promise<Figure[]> {
  const figures: Figure[] = [await benchmarkPushCpu(options.cases)];
  const limit = options.testRailRequestsPerMinute;
  const testrail = await startFakeTestRail({ apiKey: TESTRAIL_KEY, requestsPerMinute: limit });
  try {
    await withWorkspace(testRailEnvironment(testrail.url), options.cases, async (workspace) => {
      if (limit !== 180) {
        await workspace.connections.add({
          name: 'bench',
          kind: 'testrail',
          baseUrl: testrail.url,
          settings: { user: 'qa@example.com', projectId: '1', requestsPerMinute: String(limit) },
          secret: TESTRAIL_KEY,
        });
      }
      const started = performance.now();
      const result = await workspace.push.push({
        project: 'Shop',
        to: 'testrail',
        ...(limit !== 180 ? { connection: 'bench' } : {}),
      });
      const minutes = (performance.now() - started) / 60_000;
      const rate = result.requests / minutes;
      figures.push(
        {
          benchmark: 'push',
          metric: `TestRail: ${result.counts.created} cases, ${result.requests} requests, rate reached`,
          value: Math.round(rate * 10) / 10,
          unit: 'req/min',
          baseline: limit,
          baselineLabel: 'the fake instance limit',
          note: `${Math.round((rate / limit) * 1000) / 10}% of the limit; ${testrail.counts.rateLimited} answered 429`,
        },
        {
          benchmark: 'push',
          metric: 'TestRail: push duration',
          value: Math.round(minutes * 600) / 10,
          unit: 's',
        },
      );
    });
  } finally {
    await testrail.close();
  }

  const xray = await startFakeXrayCloud({
    clientId: 'bench',
    clientSecret: 'bench-secret-0123456789',
    pollsBeforeDone: 2,
  });
  try {
    await withWorkspace(
      {
        REQASE_XRAY_URL: xray.url,
        REQASE_XRAY_CLIENT_ID: 'bench',
        REQASE_XRAY_CLIENT_SECRET: 'bench-secret-0123456789',
        REQASE_XRAY_PROJECT_KEY: 'QA',
      },
      options.cases,
      async (workspace) => {
        const started = performance.now();
        const result = await workspace.push.push({ project: 'Shop', to: 'xray-cloud' });
        figures.push({
          benchmark: 'push',
          metric: `Xray Cloud: ${result.counts.created} cases, import requests`,
          value: xray.counts.imports,
          unit: 'requests',
          note: `${xray.counts.polls} status polls, ${Math.round(performance.now() - started)} ms (1 s between polls)`,
        });
      },
    );
  } finally {
    await xray.close();
  }
  return figures;
}
