import { readFileSync, existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JobRecord } from '../../src/core/index.ts';
import type { Workspace } from '../../src/app/workspace/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import { CHECKOUT_STORIES, createTestWorkspace, type TestWorkspace } from './workspace-support.ts';

const apiKey = 'sk-test-workspace-key-0123456789abcdef';

function answer(cases: Array<{ title: string; kind?: string; covers: string[] }>): string {
  return JSON.stringify({
    testCases: cases.map((testCase) => ({
      title: testCase.title,
      kind: testCase.kind ?? 'positive',
      priority: 'high',
      preconditions: ['A cart with one item'],
      steps: [{ action: `Do: ${testCase.title}`, data: '', expected: 'The order page shows the result' }],
      covers: testCase.covers,
    })),
  });
}

const twoCases = answer([
  { title: 'Pay with a valid Visa card', covers: ['AC-1'] },
  { title: 'Declined card shows "Payment declined"', kind: 'negative', covers: ['AC-2'] },
  { title: 'Receipt is e-mailed after payment', covers: ['AC-3'] },
]);

function promptText(request: { body: unknown } | undefined): string {
  const body = request?.body as { messages?: Array<{ content?: unknown }> } | undefined;
  return (body?.messages ?? []).map((message) => String(message.content)).join('\n');
}

let endpoint: FakeLlmEndpoint;
beforeAll(async () => {
  endpoint = await startFakeLlmEndpoint({ apiKey, responseFormat: 'refuse-json-schema' });
});
afterAll(async () => endpoint.close());

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('workspace with a model', dialect), () => {
    let test: TestWorkspace;
    let workspace: Workspace;

    beforeEach(async () => {
      endpoint.setScenario({ default: { kind: 'answer', text: twoCases } });
      test = await createTestWorkspace(dialect);
      workspace = test.workspace;
      await workspace.projects.create({ name: 'Shop' });
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
    });
    afterEach(async () => test.dispose());

    it('stores providers with the key encrypted and shows it masked only', async () => {
      const added = await workspace.providers.add({
        name: 'team-llm',
        baseUrl: endpoint.origin,
        model: 'fake-model',
        apiKey,
        temperature: 0.2,
        limits: { concurrency: 2, requestsPerMinute: 60 },
        extraHeaders: { 'x-team': 'qa' },
      });
      expect(added.provider).toMatchObject({
        baseUrl: `${endpoint.origin}/v1`,
        hasApiKey: true,
        apiKeyMasked: 'sk-…cdef',
      });
      expect(added.notices.join(' ')).toMatch(/\/v1/);
      const shown = JSON.stringify([
        await workspace.providers.list(),
        await workspace.providers.show('team-llm'),
        added,
      ]);
      expect(shown).not.toContain(apiKey);
      expect(shown).not.toContain('0123456789abcdef');
      const resolved = await workspace.providers.resolveProvider('team-llm');
      expect(resolved.config).toMatchObject({
        apiKey,
        temperature: 0.2,
        limits: { concurrency: 2, requestsPerMinute: 60 },
      });

      // Re-adding without a key keeps it; a preset fills the base URL.
      await workspace.providers.add({ name: 'team-llm', model: 'fake-model', temperature: 0.3 });
      expect((await workspace.providers.resolveProvider('team-llm')).config.apiKey).toBe(apiKey);
      const ollama = await workspace.providers.add({ name: 'local', preset: 'ollama', model: 'llama3.1' });
      expect(ollama.provider.baseUrl).toBe('http://localhost:11434/v1');
      await expect(
        workspace.providers.add({ name: 'bad name!', baseUrl: endpoint.url, model: 'm' }),
      ).rejects.toThrow(/usable provider name/);
      await expect(workspace.providers.add({ name: 'nomodel', baseUrl: endpoint.url })).rejects.toThrow(
        /needs a model/,
      );
      await expect(
        workspace.providers.add({ name: 'hot', baseUrl: endpoint.url, model: 'm', temperature: 5 }),
      ).rejects.toThrow(/not valid/);

      const project = await workspace.providers.setDefault('Shop', 'team-llm');
      expect(project.defaultProvider).toBe('team-llm');
      await workspace.providers.remove('local');
      await expect(workspace.providers.remove('local')).rejects.toThrow(/no provider/);

      if (test.database.sqliteFile) {
        await workspace.close();
        for (const file of [test.database.sqliteFile, `${test.database.sqliteFile}-wal`]) {
          if (!existsSync(file)) continue;
          const bytes = readFileSync(file);
          expect(bytes.includes(Buffer.from(apiKey))).toBe(false);
          expect(bytes.includes(Buffer.from('0123456789abcdef'))).toBe(false);
        }
      }
    });

    it('generates with the project default provider, keeps the audit, remembers the response mode and passes accepted cases on', async () => {
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      await workspace.projects.update('Shop', { defaultProvider: 'team-llm' });
      const before = endpoint.completionRequests().length;

      const result = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { fillGaps: false });
      expect(result.engine.kind).toBe('llm');
      expect(result.testCases.map((testCase) => testCase.title)).toEqual([
        'Pay with a valid Visa card',
        'Declined card shows "Payment declined"',
        'Receipt is e-mailed after payment',
      ]);
      expect(result.generation).toMatchObject({
        engine: 'llm',
        providerName: 'team-llm',
        model: 'fake-model',
        responseMode: 'json_object',
        rawAnswer: twoCases,
      });
      expect(JSON.stringify(result.generation?.prompt)).toContain('Card payments with Visa and Mastercard');
      expect(result.generation?.usage?.totalTokens).toBeGreaterThan(0);
      const requests = endpoint.completionRequests().slice(before);
      expect(requests[0]?.headers.authorization).toBe(`Bearer ${apiKey}`);
      // json_schema refused once, json_object used, and remembered on the stored provider.
      expect((await workspace.providers.show('team-llm')).structuredOutputMode).toBe('json_object');

      // The next generation starts at json_object and lists the accepted case as existing.
      await workspace.testCases.accept({ references: ['SHOP-1/TC-1'], projectName: 'Shop' });
      const second = endpoint.completionRequests().length;
      // No follow-up (gap filling, repair): the first request alone is looked at.
      await workspace.generation.generateForStoredStory('Shop', 'SHOP-2', { fillGaps: false, repair: false });
      const next = endpoint.completionRequests().slice(second);
      expect(next).toHaveLength(1);
      expect((next[0]?.body as { response_format?: { type?: string } }).response_format?.type).toBe(
        'json_object',
      );
      expect(promptText(next[0])).toContain('Pay with a valid Visa card');
    });

    it('regenerates one case as a new version covering the same criteria', async () => {
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      const generated = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
        provider: 'team-llm',
        fillGaps: false,
      });
      const target = generated.testCases[1];
      endpoint.setScenario({
        default: {
          kind: 'answer',
          text: answer([
            {
              title: 'Declined Visa card keeps the cart and says "Payment declined"',
              kind: 'negative',
              covers: ['AC-2'],
            },
          ]),
        },
      });
      const before = endpoint.completionRequests().length;
      const regenerated = await workspace.testCases.regenerate('SHOP-1/TC-2', {
        projectName: 'Shop',
        provider: 'team-llm',
      });
      expect(regenerated.testCase).toMatchObject({
        id: target?.id,
        displayId: 'TC-2',
        version: 2,
        covers: ['AC-2'],
        title: 'Declined Visa card keeps the cart and says "Payment declined"',
      });
      const prompt = promptText(endpoint.completionRequests()[before]);
      expect(prompt).toContain('replaces the existing case "Declined card shows');
      expect(prompt).not.toContain('Card payments with Visa and Mastercard are accepted');
      const history = await workspace.testCases.history(target?.id as string);
      expect(history.versions[0]?.content.title).toBe('Declined card shows "Payment declined"');
      expect(history.versions[0]?.note).toBe(`regenerated (generation ${regenerated.generation.id})`);
      expect((await workspace.stories.show('Shop', 'SHOP-1')).testCases).toHaveLength(3);
    });

    it('refuses Gherkin edits that do not parse and keeps the version', async () => {
      const generated = await workspace.generation.generateForStoredStory('Shop', 'SHOP-2', {
        offline: true,
        format: 'bdd',
      });
      const testCase = generated.testCases[0];
      expect(testCase?.gherkin).toContain('Scenario');
      await expect(
        workspace.testCases.edit(testCase?.id as string, {
          gherkin: 'Feature: x\n  Scenario: y\n    Given a cart\n    this line is not a step\n',
        }),
      ).rejects.toThrow(/Gherkin/);
      expect((await workspace.testCases.show(testCase?.id as string)).version).toBe(1);
      const good = `Feature: Discount codes\n\n  Scenario: An expired code is refused\n    Given a cart of 100 EUR\n    When the shopper applies the code "OLD10"\n    Then the message "Code expired" is shown\n`;
      const edited = await workspace.testCases.edit(
        testCase?.id as string,
        JSON.stringify({ gherkin: good }),
      );
      expect(edited).toMatchObject({ version: 2, gherkin: good, warnings: [] });
    });

    it('generates for a bulk job task without saving, with the job options', async () => {
      await workspace.providers.add({ name: 'team-llm', baseUrl: endpoint.url, model: 'fake-model', apiKey });
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      const story = await storage.stories.findByKey(project?.id as string, 'SHOP-1');
      const job = {
        options: { provider: 'team-llm', fillGaps: false, format: 'generic' },
      } as unknown as JobRecord;
      const completion = await workspace.generation.generateForStoryRecord(story!, {
        job,
        attempt: 1,
        signal: new AbortController().signal,
      });
      expect(completion.generation).toMatchObject({ engine: 'llm', providerName: 'team-llm' });
      expect(completion.testCases).toHaveLength(3);
      expect(await storage.testCases.count({ storyId: story?.id as string })).toBe(0);

      const offline = await workspace.generation.generateForStoryRecord(story!, {
        job: { options: { offline: true } } as unknown as JobRecord,
        attempt: 1,
        signal: new AbortController().signal,
      });
      expect(offline.generation.engine).toBe('rules');
    });

    it('falls back to the environment, then to the offline engine', async () => {
      const viaEnvironment = await createTestWorkspace(dialect, {
        REQASE_BASE_URL: endpoint.url,
        REQASE_MODEL: 'fake-model',
        REQASE_API_KEY: apiKey,
      });
      try {
        await viaEnvironment.workspace.projects.create({ name: 'Shop' });
        await viaEnvironment.workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES });
        const result = await viaEnvironment.workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
          fillGaps: false,
        });
        expect(result.generation?.engine).toBe('llm');
        expect(result.generation?.providerName).not.toBeNull();
      } finally {
        await viaEnvironment.dispose();
      }
      const offline = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1');
      expect(offline.engine).toMatchObject({ kind: 'rules' });
      expect(offline.engine.description).toMatch(/no model is configured/);
      await expect(workspace.generation.generateForStoredStory('Shop', 'SHOP-9')).rejects.toThrow(
        /no story SHOP-9/,
      );
      await expect(
        workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { provider: 'ghost' }),
      ).rejects.toThrow(/no provider named "ghost"/);
    });
  });
}
