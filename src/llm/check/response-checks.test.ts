/** The checks of the minimal answer over real HTTP: json, structure, required fields, metadata, usage. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  allPass,
  answer,
  apiKey,
  runCheck,
  closeEndpoints,
  startFakeEndpoint,
  result,
  statuses,
} from '../../../test/support/endpoint-check.ts';
import { errorBodies } from '../../../test/support/fake-llm-endpoint.ts';

afterEach(closeEndpoints);

describe('json and structure', () => {
  it('JSON sent as text/plain fails json and openai-client', async () => {
    const endpoint = await startFakeEndpoint({}, ({ request }) =>
      request.stream
        ? answer()
        : {
            kind: 'raw',
            contentType: 'text/plain',
            body: JSON.stringify({
              id: 'x',
              object: 'chat.completion',
              created: 1,
              model: 'fake-model',
              choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
              usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
            }),
          },
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'json')).toMatchObject({ status: 'fail' });
    expect(result(report, 'json').message).toContain('text/plain');
    expect(result(report, 'structure').status).toBe('pass');
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'openai-client').message).toContain('text, not JSON');
  });

  it('an HTML page fails json and structure (Incorrect response structure)', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      { kind: 'raw', contentType: 'text/html', body: '<html><body>Welcome to nginx</body></html>' },
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'json').status).toBe('fail');
    expect(result(report, 'json').fix).toMatch(/HTML page/);
    expect(result(report, 'structure').status).toBe('fail');
    expect(result(report, 'structure').message).toContain('Incorrect response structure');
    expect(result(report, 'content').status).toBe('skip');
  });

  const errorShapes: Array<[string, unknown]> = [
    ['OpenAI', errorBodies.openai('Upstream model is overloaded', 'server_error')],
    ['vLLM', errorBodies.vllm('Upstream model is overloaded', 503)],
    ['FastAPI', errorBodies.fastapi('Upstream model is overloaded')],
    ['Gemini', errorBodies.gemini('Upstream model is overloaded', 503, 'UNAVAILABLE')],
  ];
  for (const [shape, body] of errorShapes) {
    it(`HTTP 200 with a ${shape} error body fails structure showing the server's message`, async () => {
      const endpoint = await startFakeEndpoint({}, { kind: 'error', status: 200, body });
      const report = await runCheck(endpoint.url);
      expect(result(report, 'structure').status).toBe('fail');
      expect(result(report, 'structure').message).toContain('Incorrect response structure');
      expect(result(report, 'structure').message).toContain('"Upstream model is overloaded"');
      expect(result(report, 'content').status).toBe('skip');
      expect(result(report, 'temperature').message).toContain('Upstream model is overloaded');
      expect(report.compatible).toBe(false);
    });
  }

  it('no choices fails structure naming both common issues', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: ['no-choices'] }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'structure').status).toBe('fail');
    expect(result(report, 'structure').message).toContain('Incorrect response structure');
    expect(result(report, 'structure').message).toContain('Missing required fields: `choices`');
    expect(result(report, 'content').status).toBe('skip');
    expect(result(report, 'json-mode').status).toBe('skip');
    expect(result(report, 'model').status).toBe('pass');
    expect(result(report, 'openai-client').status).toBe('fail');
  });

  it('empty choices fails structure', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: ['empty-choices'] }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'structure').message).toContain('`choices` is an empty array');
  });

  it('a server message quoting the key is masked', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      { kind: 'error', status: 200, body: errorBodies.openai(`Key ${apiKey} has no quota`) },
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'structure').message).toContain('Key sk-…a1b2 has no quota');
  });
});

describe('required fields', () => {
  it.each([
    ['no-content', 'is missing'],
    ['null-content', 'is null'],
  ] as const)('%s fails content with Missing required fields', async (deviation, observed) => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: [deviation] }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'content').status).toBe('fail');
    expect(result(report, 'content').message).toBe(
      `Missing required fields: \`choices[0].message.content\` ${observed}.`,
    );
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'test-generation').status).toBe('skip');
  });

  it('content as text parts warns: only normalisation makes it usable', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: ['content-parts'] }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'content').status).toBe('warn');
    expect(result(report, 'content').message).toContain('text parts');
    expect(result(report, 'openai-client').status).toBe('fail');
  });

  it.each([
    ['no-role', 'is missing'],
    ['wrong-role', 'is "user", not "assistant"'],
  ] as const)('%s fails role', async (deviation, observed) => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: [deviation] }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'role').status).toBe('fail');
    expect(result(report, 'role').message).toContain(observed);
    expect(result(report, 'role').message).toMatch(/^Missing required fields/);
    expect(result(report, 'streaming').status).toBe('warn');
  });

  it('no top-level model fails model', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: ['no-model'] }));
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, model: 'fail' });
    expect(result(report, 'model').message).toBe(
      'Missing required fields: the top-level `model` is missing.',
    );
  });
});

describe('metadata and usage', () => {
  it('missing id, object, created and a non-standard finish_reason warn metadata', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      answer({ deviations: ['no-id', 'no-object', 'no-created'], finishReason: 'eos' }),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'metadata').status).toBe('warn');
    for (const part of ['no `id`', 'no `object`', 'no numeric `created`', '"eos"']) {
      expect(result(report, 'metadata').message).toContain(part);
    }
    expect(report.compatible).toBe(true);
  });

  it('no usage warns usage', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ deviations: ['no-usage'] }));
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, usage: 'warn' });
  });

  it('inconsistent usage warns usage', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      answer({ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 9 } }),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'usage').status).toBe('warn');
    expect(result(report, 'usage').message).toContain('inconsistent');
  });
});
