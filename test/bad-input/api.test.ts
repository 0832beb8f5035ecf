/**
 * Bad input through the HTTP API: `POST /api/generate` and the story import (JSON and multipart)
 * answer every refused file with 4xx and `{ error: { code, message, fix } }`, store nothing, and
 * oversized or malformed bodies get 413 or a 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Workspace } from '../../src/app/workspace/index.ts';
import { type TestServer, startWorkspaceServer } from '../server/server-setup.ts';
import { largeGenerateStory, largeStory, refusedCases, type BadInputCase } from './bad-input-cases.ts';

let server: TestServer;
let workspace: Workspace;

beforeAll(async () => {
  const started = await startWorkspaceServer();
  server = started;
  workspace = started.workspace;
  expect((await post('/api/projects', json({ name: 'P' }))).status).toBe(201);
});

afterAll(async () => {
  await server?.dispose();
  await workspace?.close();
});

function json(value: unknown): RequestInit {
  return { headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

/** A JSON body whose `content` string carries the file's exact bytes (invalid UTF-8 included). */
function rawContentBody(extra: Record<string, unknown>, content: Buffer): RequestInit {
  const escaped = Buffer.from(JSON.stringify(content.toString('latin1')), 'latin1');
  const head = JSON.stringify(extra).slice(0, -1);
  return {
    headers: { 'content-type': 'application/json' },
    body: Buffer.concat([
      Buffer.from(`${head}${head.length > 1 ? ',' : ''}"content":`),
      escaped,
      Buffer.from('}'),
    ]),
  };
}

function multipart(input: BadInputCase): RequestInit {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(input.content)]), input.fileName);
  return { body: form };
}

function post(path: string, init: RequestInit): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', ...init });
}

async function counts() {
  const projects = (await (await fetch(`${server.url}/api/projects`)).json()) as { projects: unknown[] };
  const project = (await (await fetch(`${server.url}/api/projects/P`)).json()) as {
    storyCount: number;
    testCases: { total: number };
  };
  return {
    projects: projects.projects.length,
    stories: project.storyCount,
    testCases: project.testCases.total,
  };
}

async function expectClearError(response: Response, status: number | RegExp, message: RegExp) {
  const text = await response.text();
  if (typeof status === 'number') expect(response.status, text).toBe(status);
  else expect(String(response.status), text).toMatch(status);
  const body = JSON.parse(text) as { error: { code: string; message: string; fix?: string } };
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(body.error.code).not.toBe('internal');
  expect(body.error.message).toMatch(message);
  expect(body.error.fix ?? '').not.toBe('');
  expect(text).not.toMatch(/\n\s+at |Unexpected error/);
}

const entries: Array<{ name: string; send: (input: BadInputCase) => Promise<Response> }> = [
  {
    name: 'POST /api/generate',
    send: (input) => post('/api/generate', rawContentBody({ offline: true }, input.content)),
  },
  {
    name: 'import as JSON',
    send: (input) =>
      post('/api/projects/P/stories/import', rawContentBody({ fileName: input.fileName }, input.content)),
  },
  { name: 'import as multipart', send: (input) => post('/api/projects/P/stories/import', multipart(input)) },
];

describe.each(entries)('$name with bad input', ({ name, send }) => {
  const generate = name === 'POST /api/generate';
  const multipartUpload = name === 'import as multipart';
  it.each(
    refusedCases
      .filter((input) => !(generate && input.csvByNameOnly))
      .map((input) => [input.name, input] as const),
  )('refuses %s with 4xx and a code, message and fix, storing nothing', async (_name, input) => {
    const before = await counts();
    const response = await send(input);
    const expected =
      (generate && input.overGenerateContentLimit) || (!multipartUpload && input.emptyContent)
        ? /content/
        : (input.refusedWith as RegExp);
    await expectClearError(response, /^4\d\d$/, expected);
    expect(await counts()).toEqual(before);
  });
});

describe('POST /api/generate without a file name', () => {
  it('reads a CSV without a summary column as a plain-text story and says what it assumed', async () => {
    const input = refusedCases.find((candidate) => candidate.csvByNameOnly) as BadInputCase;
    const response = await post('/api/generate', rawContentBody({ offline: true }, input.content));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      notices: string[];
      results: Array<{ story: { source: string } }>;
    };
    expect(body.results[0]?.story.source).toBe('text');
    expect(body.notices.join(' ')).toMatch(/no acceptance criteria/);
  });
});

describe('large but allowed input', () => {
  it('generates for a 0.5 MB story', async () => {
    const response = await post(
      '/api/generate',
      rawContentBody({ offline: true }, largeGenerateStory.content),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { results: Array<{ testCases: unknown[] }> };
    expect(body.results[0]?.testCases.length).toBeGreaterThan(0);
  });

  it('imports a 4.9 MB story by multipart upload', async () => {
    const response = await post('/api/projects/P/stories/import', multipart(largeStory));
    expect(response.status).toBe(200);
    expect(await counts()).toMatchObject({ stories: 1 });
  });

  it('refuses a story over 1,000,000 characters to /api/generate naming the field', async () => {
    const response = await post('/api/generate', rawContentBody({ offline: true }, largeStory.content));
    await expectClearError(response, 400, /content/);
  });
});

describe('oversized and malformed bodies', () => {
  it('answers 413 to a body over the import limit (6 MB)', async () => {
    const content = Buffer.alloc(6 * 1024 * 1024 + 10, 'a');
    for (const path of ['/api/projects/P/stories/import', '/api/generate']) {
      await expectClearError(await post(path, rawContentBody({}, content)), 413, /larger than 6 MB/);
    }
  });

  it('answers 413 to a body over 256 KB elsewhere', async () => {
    const response = await post('/api/projects', json({ name: 'Q', testCaseRules: 'x'.repeat(300 * 1024) }));
    await expectClearError(response, 413, /larger than 256 KB/);
    expect(await counts()).toMatchObject({ projects: 1 });
  });

  it('answers 400 to malformed JSON', async () => {
    for (const path of ['/api/projects', '/api/generate', '/api/projects/P/stories/import']) {
      const response = await post(path, {
        headers: { 'content-type': 'application/json' },
        body: '{"name": "Q",',
      });
      await expectClearError(response, 400, /not valid JSON/);
    }
  });

  it('answers 400 naming the field for a body of the wrong shape', async () => {
    await expectClearError(await post('/api/projects', json({ name: 42 })), 400, /name/);
    await expectClearError(await post('/api/projects', json([])), 400, /body/i);
    await expectClearError(
      await post('/api/generate', json({ content: 'x', format: 'poem' })),
      400,
      /format/,
    );
    await expectClearError(await post('/api/generate', json({})), 400, /story/);
    await expectClearError(
      await post('/api/projects/P/stories/import', json({ fileName: 'a.md' })),
      400,
      /content/,
    );
    await expectClearError(
      await post('/api/projects/P/stories/import', json({ content: 7, fileName: 'a.md' })),
      400,
      /content/,
    );
    const noFile = new FormData();
    noFile.set('fileName', 'a.md');
    await expectClearError(await post('/api/projects/P/stories/import', { body: noFile }), 400, /file/);
    const wrongType = await post('/api/projects/P/stories/import', {
      headers: { 'content-type': 'text/plain' },
      body: '# S-1: x',
    });
    await expectClearError(wrongType, 415, /media type|multipart/);
    expect(await counts()).toMatchObject({ projects: 1, stories: 1 });
  });
});
