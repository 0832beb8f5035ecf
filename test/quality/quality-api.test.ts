/**
 * The quality routes over real HTTP: POST /api/score, POST /api/compare (two fake endpoints of
 * different quality and the offline engine), a project's quality summary, and the story
 * response's scores; all documented in the OpenAPI document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/app/compare.ts';
import type { QualityReport } from '../../src/app/quality-score.ts';
import { resolveSettings } from '../../src/app/settings.ts';
import { openWorkspace, workspaceTokens, type Workspace } from '../../src/app/workspace/index.ts';
import type { StoryQuality } from '../../src/core/index.ts';
import { startTestServer, type TestServer } from '../server/server-setup.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { answer, apiKey, goodCases, junkCases, storyMarkdown } from './renewal-fixture.ts';

let server: TestServer;
let workspace: Workspace;
let dataDirectory: string;
let good: FakeLlmEndpoint;
let junk: FakeLlmEndpoint;

beforeAll(async () => {
  good = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: answer(goodCases) } },
  });
  junk = await startFakeLlmEndpoint({
    apiKey,
    scenario: { default: { kind: 'answer', text: answer(junkCases) } },
  });
  dataDirectory = mkdtempSync(join(tmpdir(), 'reqase-quality-api-'));
  workspace = openWorkspace(resolveSettings({ REQASE_DATA_DIR: dataDirectory }, dataDirectory));
  server = await startTestServer({ workspace: { workspace, tokens: workspaceTokens(workspace) } });
  await workspace.providers.add({ name: 'good', baseUrl: good.url, model: 'good-model', apiKey });
  await workspace.providers.add({ name: 'junk', baseUrl: junk.url, model: 'junk-model', apiKey });
  await workspace.projects.create({ name: 'library' });
  await workspace.stories.importStories('library', { content: storyMarkdown, fileName: 'renew.md' });
  await workspace.generation.generateForStoredStory('library', 'LIB-5', { offline: true });
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
  await good?.close();
  await junk?.close();
  rmSync(dataDirectory, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('quality API', { timeout: 60_000 }, () => {
  it('POST /api/score scores cases written elsewhere against their story', async () => {
    const junkScore = (await (
      await post('/api/score', { cases: junkCases, stories: storyMarkdown })
    ).json()) as QualityReport;
    const goodScore = (await (
      await post('/api/score', { cases: goodCases, stories: storyMarkdown })
    ).json()) as QualityReport;
    expect(junkScore.score).toBeLessThan(40);
    expect(goodScore.score).toBeGreaterThan(junkScore.score + 30);
    const rules = junkScore.stories[0]!.quality.findings.map((finding) => finding.rule);
    expect(rules).toContain('duplicate-steps');
    expect(junkScore.stories[0]!.quality.findings.every((finding) => finding.fix.length > 0)).toBe(true);

    const withoutStory = await post('/api/score', { cases: junkCases });
    expect(withoutStory.status).toBeGreaterThanOrEqual(400);
    const error = (await withoutStory.json()) as { error: { fix?: string } };
    expect(error.error.fix).toMatch(/stor/);
  });

  it('POST /api/compare runs two providers and the offline engine', async () => {
    const response = await post('/api/compare', {
      stories: storyMarkdown,
      providers: ['good', 'junk'],
      offline: true,
      prices: { good: { input: 1, output: 4 } },
    });
    expect(response.status).toBe(200);
    const comparison = (await response.json()) as Comparison;
    expect(comparison.rows.map((row) => row.name)).toEqual(['good', 'junk', 'offline']);
    expect(comparison.rows[0]!.score).toBeGreaterThan(comparison.rows[1]!.score);
    expect(comparison.rows[0]!.costUsd).toBeGreaterThan(0);
    expect(comparison.rows[1]!.costUsd).toBeNull();
    expect(JSON.stringify(comparison)).not.toContain(apiKey);
  });

  it('shows a project summary and each story’s and case’s score', async () => {
    const summary = (await (
      await fetch(`${server.url}/api/projects/library/quality`)
    ).json()) as QualityReport & {
      project: string;
    };
    expect(summary.project).toBe('library');
    expect(summary.stories[0]?.storyKey).toBe('LIB-5');
    const story = (await (await fetch(`${server.url}/api/projects/library/stories/LIB-5`)).json()) as {
      quality: StoryQuality;
      testCases: Array<{ displayId: string }>;
    };
    expect(story.quality.cases.map((quality) => quality.testCaseId)).toEqual(
      story.testCases.map((testCase) => testCase.displayId),
    );
    expect(story.quality.score).toBe(summary.stories[0]?.quality.score);
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining(['/api/score', '/api/compare', '/api/projects/{project}/quality']),
    );
    expect(Object.keys(document.components.schemas)).toEqual(
      expect.arrayContaining(['QualityReport', 'Comparison', 'StoryQuality', 'CaseRepair']),
    );
  });
});
