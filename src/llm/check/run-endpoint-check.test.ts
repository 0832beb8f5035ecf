/** The whole endpoint check over real HTTP: a compliant endpoint, parameters, streaming, and the remaining checks. */
import { afterEach, describe, expect, it } from 'vitest';
import {
  allPass,
  answer,
  apiKey,
  runCheck,
  closeEndpoints,
  compliantText,
  startFakeEndpoint,
  isJson,
  result,
  statuses,
} from '../../../test/support/endpoint-check.ts';
import { errorBodies } from '../../../test/support/fake-llm-endpoint.ts';
import { LlmCancelledError } from '../errors.ts';
import { runEndpointCheck } from './run-endpoint-check.ts';

afterEach(closeEndpoints);

describe('runEndpointCheck against a compliant fake endpoint', () => {
  it('passes every check and sends the key as Bearer', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual(allPass);
    expect(report.compatible).toBe(true);
    expect(report.baseUrl).toBe(endpoint.url);
    expect(result(report, 'test-generation').message).toContain('2 test case(s)');
    expect(report.curl).toContain(`${endpoint.url}/chat/completions`);
    expect(report.curl).toContain('Bearer sk-…a1b2');
    const authorisations = endpoint.requests.map((request) => request.headers.authorization);
    expect(authorisations).toContain(`Bearer ${apiKey}`);
  });

  it('skips test-generation when no parser is given', async () => {
    const endpoint = await startFakeEndpoint();
    const report = await runCheck(endpoint.url, { parseTestCases: undefined });
    expect(result(report, 'test-generation')).toMatchObject({ status: 'skip' });
    expect(result(report, 'test-generation').message).toMatch(/no test case parser/);
    expect(report.compatible).toBe(true);
  });

  it('rejects with LlmCancelledError when the signal fires', async () => {
    const endpoint = await startFakeEndpoint({}, { kind: 'hang' });
    const controller = new AbortController();
    const running = runEndpointCheck({
      baseUrl: endpoint.url,
      apiKey,
      model: 'fake-model',
      timeoutMilliseconds: 5000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(LlmCancelledError);
  });
});

describe('parameters', () => {
  it('max_tokens ignored warns max-tokens', async () => {
    const endpoint = await startFakeEndpoint({ maxTokens: 'ignore' });
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'max-tokens': 'warn' });
    expect(result(report, 'max-tokens').message).toContain('was ignored');
  });

  it('an answer that ends before the limit warns that the limit could not be confirmed', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ text: 'Hi.' }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'max-tokens').status).toBe('warn');
    expect(result(report, 'max-tokens').message).toContain('could not be confirmed');
  });

  it('temperature 0.7 refused fails temperature', async () => {
    const endpoint = await startFakeEndpoint({
      refuseTemperature: (temperature) => temperature !== undefined && temperature !== 1,
    });
    const report = await runCheck(endpoint.url);
    expect(result(report, 'temperature').status).toBe('fail');
    expect(result(report, 'temperature').message).toContain('0.7 (HTTP 400');
    expect(result(report, 'temperature').remedies).toContainEqual(
      expect.objectContaining({ setting: 'temperature' }),
    );
  });

  it('temperature 0 refused only warns', async () => {
    const endpoint = await startFakeEndpoint({ refuseTemperature: (temperature) => temperature === 0 });
    const report = await runCheck(endpoint.url);
    expect(result(report, 'temperature').status).toBe('warn');
    expect(result(report, 'temperature').message).toMatch(/^Refused temperature: 0 \(/);
  });

  it('a refused system message fails system-message', async () => {
    const endpoint = await startFakeEndpoint({}, ({ request }) =>
      request.messages?.some((message) => message.role === 'system')
        ? { kind: 'error', status: 400, body: errorBodies.vllm('System role not supported') }
        : answer(),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'system-message').status).toBe('fail');
    expect(result(report, 'system-message').message).toContain('System role not supported');
    expect(result(report, 'test-generation').status).toBe('warn');
  });

  it('response_format refused warns json-mode naming both formats', async () => {
    const endpoint = await startFakeEndpoint({ responseFormat: 'refuse-all' });
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'json-mode': 'warn' });
    expect(result(report, 'json-mode').message).toContain('json_object refused');
    expect(result(report, 'json-mode').message).toContain('json_schema refused');
  });

  it('response_format ignored warns json-mode', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      answer({ text: (request) => (request.response_format ? 'Sure! ok is true.' : compliantText(request)) }),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'json-mode').message).toContain('json_schema accepted but the answer is not JSON');
  });
});

describe('streaming', () => {
  it.each([
    [{ omitDone: true }, 'no `data: [DONE]`'],
    [
      { errorFrameAfterChunks: 1, errorFrameMessage: 'CUDA out of memory' },
      'an error frame: "CUDA out of memory"',
    ],
  ])('a stream with %o warns streaming', async (quirks, problem) => {
    const endpoint = await startFakeEndpoint({}, answer({ stream: quirks }));
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, streaming: 'warn' });
    expect(result(report, 'streaming').message).toContain(problem);
  });

  it('SSE comment lines and a usage chunk are fine', async () => {
    const endpoint = await startFakeEndpoint({}, answer({ stream: { comments: true, usageChunk: true } }));
    const report = await runCheck(endpoint.url);
    expect(result(report, 'streaming').status).toBe('pass');
  });

  it('stream: true answered with one JSON body warns streaming', async () => {
    const endpoint = await startFakeEndpoint({}, ({ request }) =>
      request.stream ? { kind: 'raw', body: JSON.stringify({ choices: [] }) } : answer(),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'streaming').message).toContain('`stream` seems ignored');
  });
});

describe('models, error-format, openai-client, test-generation', () => {
  it('a model list without the model warns models and suggests one', async () => {
    const endpoint = await startFakeEndpoint({ models: ['llama3.1', 'qwen2.5'] });
    const report = await runCheck(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, models: 'warn' });
    expect(result(report, 'models').message).toContain('llama3.1, qwen2.5');
    expect(result(report, 'models').fix).toContain('e.g. llama3.1');
    expect(result(report, 'models').remedies).toContainEqual(
      expect.objectContaining({ setting: 'model', example: 'llama3.1' }),
    );
  });

  it('a malformed request answered in FastAPI shape warns error-format', async () => {
    const endpoint = await startFakeEndpoint();
    // The fake answers cut-off JSON in OpenAI's shape; another shape is scripted in front of it.
    const fastApiFetch: typeof fetch = async (input, init) => {
      const body = typeof init?.body === 'string' ? init.body : undefined;
      if (body !== undefined && !isJson(body)) {
        return new Response(JSON.stringify({ detail: [{ msg: 'JSON decode error', loc: ['body', 40] }] }), {
          status: 422,
          headers: { 'content-type': 'application/json' },
        });
      }
      return fetch(input, init);
    };
    const report = await runCheck(endpoint.url, { fetch: fastApiFetch });
    expect(statuses(report)).toEqual({ ...allPass, 'error-format': 'warn' });
    expect(result(report, 'error-format').message).toContain('HTTP 422 but not `{error:{message}}`');
    expect(result(report, 'error-format').message).toContain('JSON decode error');
  });

  it('a server error to the openai package fails openai-client with the status', async () => {
    // The contract's minimal request is sent twice: first raw (index 0), then by the openai package.
    const endpoint = await startFakeEndpoint({}, ({ request, index }) =>
      index > 0 && Object.keys(request).sort().join() === 'messages,model'
        ? { kind: 'error', status: 500, body: errorBodies.openai('boom', 'server_error') }
        : answer(),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'openai-client').message).toContain('HTTP 500');
  });

  it('an answer that holds no test cases warns test-generation', async () => {
    const endpoint = await startFakeEndpoint(
      {},
      answer({ text: (request) => (request.response_format ? '{"ok":true}' : 'I cannot help with that.') }),
    );
    const report = await runCheck(endpoint.url);
    expect(result(report, 'test-generation').status).toBe('warn');
    expect(result(report, 'test-generation').message).toContain('not JSON: I cannot help');
  });
});
