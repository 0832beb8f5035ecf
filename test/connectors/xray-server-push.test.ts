import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorError } from '../../src/connectors/index.ts';
import type { FakeXrayServer } from '../support/fake-xray-server.ts';
import {
  createConnectorWorkspace,
  seedAcceptedCases,
  type ConnectorTestWorkspace,
} from './connectors-support.ts';
import { describePushTarget } from './push-target-suite.ts';
import { environment, PASSWORD, start, TOKEN, USER, xrayServerHarness } from './xray-server-harness.ts';

// The PostgreSQL half is xray-server-push.postgres.test.ts, so the two test workers share the suite.
describePushTarget(xrayServerHarness, ['sqlite']);

describe('push to Xray Server/DC: what only Xray Server has', () => {
  let xray: FakeXrayServer;
  let context: ConnectorTestWorkspace;
  beforeEach(async () => {
    xray = await start();
  });
  afterEach(async () => {
    await context?.dispose();
    await xray.close();
  });

  it('an edited case gets its steps replaced, not appended to', async () => {
    context = await createConnectorWorkspace('sqlite', environment(xray));
    await seedAcceptedCases(context.storage, 1, 2);
    await context.workspace.push.push({ project: 'Shop', to: 'xray-server' });
    const [first] = await context.storage.testCases.list({ status: 'accepted' });
    await context.storage.testCases.updateContent(first!.id, {
      title: first!.title,
      kind: first!.kind,
      priority: first!.priority,
      preconditions: first!.preconditions,
      steps: [{ action: 'Pay with an expired card', expected: 'The payment is refused' }],
      covers: first!.covers,
      engine: first!.engine,
      warnings: first!.warnings,
    });
    const again = await context.workspace.push.push({ project: 'Shop', to: 'xray-server' });
    expect(again.counts.updated).toBe(1);
    const updated = [...xray.tests.values()].find((test) => test.summary === first!.title);
    expect(updated?.steps).toMatchObject([
      { step: 'Pay with an expired card', data: '', result: 'The payment is refused' },
    ]);
  });

  it('a BDD case is a Cucumber test with its scenario, a personal access token goes as Bearer, the link type is configurable', async () => {
    context = await createConnectorWorkspace('sqlite', environment(xray, TOKEN, ''));
    await context.workspace.connections.add({
      name: 'dc',
      kind: 'xray-server',
      baseUrl: xray.url,
      settings: { projectKey: 'QA', linkType: 'Relates' },
      secret: TOKEN,
    });
    const project = await seedAcceptedCases(context.storage, 1, 0);
    const [story] = await context.storage.stories.list(project.id);
    await context.storage.testCases.insertMany([
      {
        projectId: project.id,
        storyId: story!.id,
        title: 'Pay with a valid card (BDD)',
        kind: 'positive',
        priority: 'high',
        preconditions: [],
        steps: [],
        gherkin: [
          'Scenario: Pay with a valid card',
          '  Given a cart with one item',
          '  When the shopper pays with a valid card',
          '  Then the order is confirmed',
        ].join('\n'),
        covers: ['AC-1'],
        engine: 'rules',
        warnings: [],
        status: 'accepted',
      },
    ]);
    const result = await context.workspace.push.push({
      project: 'Shop',
      to: 'xray-server',
      connection: 'dc',
    });
    expect(result.counts.created).toBe(1);
    const [test] = [...xray.tests.values()];
    expect(test).toMatchObject({
      testType: 'Cucumber',
      cucumberScenario:
        'Given a cart with one item\nWhen the shopper pays with a valid card\nThen the order is confirmed',
      priority: 'High',
      links: [{ type: 'Relates', key: 'SHOP-1' }],
      steps: [],
    });
    expect(xray.requests.every((request) => request.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(xray.requests.some((request) => request.path.includes('/rest/raven/'))).toBe(false);
  });

  it('a Jira without the Xray fields: a named error saying which setting to give, nothing written', async () => {
    context = await createConnectorWorkspace('sqlite', environment(xray));
    await context.workspace.connections.add({
      name: 'renamed',
      kind: 'xray-server',
      baseUrl: xray.url,
      settings: { projectKey: 'QA', user: USER, testTypeField: 'Xray Test Type' },
      secret: PASSWORD,
    });
    await seedAcceptedCases(context.storage, 1, 2);
    const error = await context.workspace.push
      .push({ project: 'Shop', to: 'xray-server', connection: 'renamed' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).message).toContain('Xray Test Type');
    expect((error as ConnectorError).fix).toMatch(/testTypeField/);
    expect(xray.tests.size).toBe(0);
    expect(await context.workspace.push.listJobs('Shop')).toHaveLength(0);
  });

  it('a project that does not exist: a not-found error naming the project, nothing written', async () => {
    context = await createConnectorWorkspace('sqlite', {
      ...environment(xray),
      REQASE_XRAY_SERVER_PROJECT_KEY: 'NOPE',
    });
    await seedAcceptedCases(context.storage, 1, 2);
    const error = await context.workspace.push
      .push({ project: 'Shop', to: 'xray-server' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).code).toBe('connector_not_found');
    expect((error as ConnectorError).message).toContain("No project could be found with key 'NOPE'");
    expect(xray.tests.size).toBe(0);
  });
});
