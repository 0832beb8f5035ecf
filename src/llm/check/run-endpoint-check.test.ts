import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  errorBodies,
  startFakeLlmEndpoint,
  type AnswerBehaviour,
  type BehaviourSpec,
  type ChatCompletionRequestBody,
  type FakeLlmEndpoint,
  type FakeLlmEndpointOptions,
} from '../../../test/support/fake-llm-endpoint.ts';
import { LlmCancelledError } from '../errors.ts';
import { runEndpointCheck } from './run-endpoint-check.ts';
import type { CheckId, CheckReport, CheckStatus, EndpointCheckOptions, ParseTestCases } from './types.ts';

const apiKey = 'sk-test-checker-0123456789a1b2';

/** Reads `{ testCases: [...] }` answers: enough to tell test cases from anything else. */
const parseTestCases: ParseTestCases = (text) => {
  try {
    const value = JSON.parse(text) as { testCases?: unknown };
    return Array.isArray(value.testCases)
      ? { count: value.testCases.length }
      : { error: 'no testCases array' };
  } catch {
    return { error: `not JSON: ${text.slice(0, 40)}` };
  }
};

/** What a well-behaved model would answer to each of the checker's requests. */
function compliantText(request: ChatCompletionRequestBody): string {
  if (request.response_format) return '{"ok": true}';
  const limit = request.max_tokens ?? Infinity;
  if (limit < 50) return 'one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve';
  const system = request.messages?.find((message) => message.role === 'system');
  if (typeof system?.content === 'string' && system.content.includes('test cases')) {
    return JSON.stringify({
      testCases: [
        {
          title: 'Valid login',
          steps: [{ action: 'Log in', expectedResult: 'Dashboard' }],
          priority: 'high',
        },
        { title: 'Wrong password', steps: [{ action: 'Log in', expectedResult: 'Error' }], priority: 'high' },
      ],
    });
  }
  return 'Hello from the fake endpoint.';
}

function answer(extra: Omit<AnswerBehaviour, 'kind'> = {}): AnswerBehaviour {
  return { kind: 'answer', text: compliantText, ...extra };
}

const endpoints: FakeLlmEndpoint[] = [];
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

async function fake(options: FakeLlmEndpointOptions = {}, behaviour: BehaviourSpec = answer()) {
  const endpoint = await startFakeLlmEndpoint({ apiKey, ...options, scenario: { default: behaviour } });
  endpoints.push(endpoint);
  return endpoint;
}

async function check(baseUrl: string, options: Partial<EndpointCheckOptions> = {}): Promise<CheckReport> {
  const report = await runEndpointCheck({
    baseUrl,
    apiKey,
    model: 'fake-model',
    timeoutMs: 3000,
    parseTestCases,
    ...options,
  });
  // No output ever shows the key.
  expect(JSON.stringify(report)).not.toContain(apiKey);
  // Every check of the table is there, once, in order.
  expect(report.checks.map((check) => check.id)).toEqual([
    'reachable',
    'path',
    'auth',
    'auth-required',
    'json',
    'structure',
    'content',
    'role',
    'model',
    'metadata',
    'usage',
    'max-tokens',
    'temperature',
    'system-message',
    'json-mode',
    'streaming',
    'models',
    'error-format',
    'openai-client',
    'test-generation',
  ]);
  for (const result of report.checks) {
    if (result.status === 'fail' || result.status === 'warn') expect(result.fix, result.id).toBeTruthy();
  }
  expect(report.compatible).toBe(report.checks.every((result) => result.status !== 'fail'));
  return report;
}

function statuses(report: CheckReport): Record<CheckId, CheckStatus> {
  return Object.fromEntries(report.checks.map((result) => [result.id, result.status])) as Record<
    CheckId,
    CheckStatus
  >;
}

function result(report: CheckReport, id: CheckId) {
  const found = report.checks.find((check) => check.id === id);
  if (!found) throw new Error(`no ${id}`);
  return found;
}

const allPass: Record<CheckId, CheckStatus> = {
  reachable: 'pass',
  path: 'pass',
  auth: 'pass',
  'auth-required': 'pass',
  json: 'pass',
  structure: 'pass',
  content: 'pass',
  role: 'pass',
  model: 'pass',
  metadata: 'pass',
  usage: 'pass',
  'max-tokens': 'pass',
  temperature: 'pass',
  'system-message': 'pass',
  'json-mode': 'pass',
  streaming: 'pass',
  models: 'pass',
  'error-format': 'pass',
  'openai-client': 'pass',
  'test-generation': 'pass',
};

const afterConnection: CheckId[] = [
  'auth-required',
  'json',
  'structure',
  'content',
  'role',
  'model',
  'metadata',
  'usage',
  'max-tokens',
  'temperature',
  'system-message',
  'json-mode',
  'streaming',
  'models',
  'error-format',
  'openai-client',
  'test-generation',
];

describe('runEndpointCheck against a compliant fake endpoint', () => {
  it('passes every check and sends the key as Bearer', async () => {
    const endpoint = await fake();
    const report = await check(endpoint.url);
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
    const endpoint = await fake();
    const report = await check(endpoint.url, { parseTestCases: undefined });
    expect(result(report, 'test-generation')).toMatchObject({ status: 'skip' });
    expect(result(report, 'test-generation').message).toMatch(/no test case parser/);
    expect(report.compatible).toBe(true);
  });

  it('rejects with LlmCancelledError when the signal fires', async () => {
    const endpoint = await fake({}, { kind: 'hang' });
    const controller = new AbortController();
    const running = runEndpointCheck({
      baseUrl: endpoint.url,
      apiKey,
      model: 'fake-model',
      timeoutMs: 5000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(running).rejects.toBeInstanceOf(LlmCancelledError);
  });
});

describe('reachable', () => {
  it('a hanging endpoint fails reachable after one timeout and skips everything else', async () => {
    const endpoint = await fake({}, { kind: 'hang' });
    const report = await check(endpoint.url, { timeoutMs: 500 });
    expect(result(report, 'reachable')).toMatchObject({ status: 'fail' });
    expect(result(report, 'reachable').message).toContain('within 500 ms');
    for (const id of ['path', 'auth', ...afterConnection] as CheckId[]) {
      expect(result(report, id).status, id).toBe('skip');
      expect(result(report, id).message).toContain('not reachable');
    }
    // One request only: the hang cost one timeout, not twenty.
    expect(endpoint.requests).toHaveLength(1);
  });

  it('a refused connection fails reachable with a fix about the server', async () => {
    const port = await closedPort();
    const report = await check(`http://127.0.0.1:${port}/v1`);
    expect(result(report, 'reachable').status).toBe('fail');
    expect(result(report, 'reachable').message).toContain('ECONNREFUSED');
    expect(result(report, 'reachable').fix).toMatch(/Nothing listens/);
    expect(report.compatible).toBe(false);
  });

  it('a connection reset before any answer fails reachable', async () => {
    const endpoint = await fake({}, { kind: 'reset' });
    const report = await check(endpoint.url);
    expect(result(report, 'reachable').status).toBe('fail');
    expect(result(report, 'structure').status).toBe('skip');
  });
});

describe('path', () => {
  it('a base URL without /v1 on a /v1 server fails path, names the working URL and checks the rest there', async () => {
    const endpoint = await fake();
    const report = await check(endpoint.origin);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}/v1`);
    expect(result(report, 'path').fix).toContain(`${endpoint.origin}/v1`);
    expect(statuses(report)).toEqual({ ...allPass, path: 'fail' });
  });

  it('a base URL with /v1 on a root server fails path and names the URL without it', async () => {
    const endpoint = await fake({ pathMode: 'root' });
    const report = await check(`${endpoint.origin}/v1`);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}.`);
    expect(result(report, 'structure').status).toBe('pass');
  });

  it('a path that works neither way fails path and skips the rest', async () => {
    const endpoint = await fake();
    const report = await check(`${endpoint.origin}/api`);
    expect(result(report, 'path').status).toBe('fail');
    expect(result(report, 'path').fix).toMatch(/\/v1/);
    for (const id of ['auth', ...afterConnection] as CheckId[])
      expect(result(report, id).status, id).toBe('skip');
  });

  it('a pasted /chat/completions is removed from the base URL', async () => {
    const endpoint = await fake();
    const report = await check(`${endpoint.url}/chat/completions/`);
    expect(report.baseUrl).toBe(endpoint.url);
    expect(result(report, 'path').status).toBe('pass');
  });

  it('an unknown model is a 404 about the model, not the path: structure fails with a fix naming GET /models', async () => {
    const endpoint = await fake({ rejectUnknownModels: true });
    const report = await check(endpoint.url, { model: 'gpt-unknown' });
    expect(result(report, 'path').status).toBe('pass');
    expect(result(report, 'structure').status).toBe('fail');
    expect(result(report, 'structure').message).toContain('does not exist');
    expect(result(report, 'structure').fix).toContain('GET /models');
    expect(result(report, 'models')).toMatchObject({ status: 'warn' });
    expect(result(report, 'models').message).toContain('fake-model');
  });
});

describe('auth', () => {
  it('an endpoint that takes the key only in api-key fails auth and names the header', async () => {
    const endpoint = await fake({ authHeader: 'api-key' });
    const report = await check(endpoint.url);
    expect(result(report, 'auth').status).toBe('fail');
    expect(result(report, 'auth').message).toMatch(/^Authentication error:/);
    expect(result(report, 'auth').message).toContain('accepted in the `api-key` header');
    expect(result(report, 'auth').fix).toContain('authHeader: api-key');
    // The other checks ran with that header.
    expect(statuses(report)).toEqual({ ...allPass, auth: 'fail' });
  });

  it('an endpoint that takes the key only in x-api-key fails auth and names that header', async () => {
    const endpoint = await fake({ authHeader: 'x-api-key' });
    const report = await check(endpoint.url);
    expect(result(report, 'auth').message).toContain('`x-api-key` header');
    expect(result(report, 'openai-client').status).toBe('pass');
  });

  it('a wrong key fails auth and skips the rest', async () => {
    const endpoint = await fake();
    const report = await check(endpoint.url, { apiKey: 'sk-wrong-key-00000000000' });
    expect(result(report, 'auth').status).toBe('fail');
    expect(result(report, 'auth').fix).toContain('--api-key');
    expect(result(report, 'structure').status).toBe('skip');
    expect(JSON.stringify(report)).not.toContain('sk-wrong-key-00000000000');
  });

  it('no key where one is needed fails auth saying none was given', async () => {
    const endpoint = await fake();
    const report = await check(endpoint.url, { apiKey: undefined });
    expect(result(report, 'auth').message).toContain('none was given');
    expect(report.curl).not.toContain('Authorization');
  });

  it('auth-required warns when a wrong key is accepted', async () => {
    const endpoint = await fake({ apiKey: undefined });
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'auth-required': 'warn' });
    expect(result(report, 'auth-required').message).toContain('anyone');
    expect(report.compatible).toBe(true);
  });

  it('wrong path and api-key header together: both named, the rest checked', async () => {
    const endpoint = await fake({ pathMode: 'root', authHeader: 'api-key' });
    const report = await check(`${endpoint.origin}/v1`);
    expect(result(report, 'path').message).toContain(`the base URL should be ${endpoint.origin}.`);
    expect(result(report, 'auth').message).toContain('`api-key`');
    expect(statuses(report)).toEqual({ ...allPass, path: 'fail', auth: 'fail' });
  });
});

describe('json and structure', () => {
  it('JSON sent as text/plain fails json and openai-client', async () => {
    const endpoint = await fake({}, ({ request }) =>
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
    const report = await check(endpoint.url);
    expect(result(report, 'json')).toMatchObject({ status: 'fail' });
    expect(result(report, 'json').message).toContain('text/plain');
    expect(result(report, 'structure').status).toBe('pass');
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'openai-client').message).toContain('text, not JSON');
  });

  it('an HTML page fails json and structure (Incorrect response structure)', async () => {
    const endpoint = await fake(
      {},
      { kind: 'raw', contentType: 'text/html', body: '<html><body>Welcome to nginx</body></html>' },
    );
    const report = await check(endpoint.url);
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
      const endpoint = await fake({}, { kind: 'error', status: 200, body });
      const report = await check(endpoint.url);
      expect(result(report, 'structure').status).toBe('fail');
      expect(result(report, 'structure').message).toContain('Incorrect response structure');
      expect(result(report, 'structure').message).toContain('"Upstream model is overloaded"');
      expect(result(report, 'content').status).toBe('skip');
      expect(result(report, 'temperature').message).toContain('Upstream model is overloaded');
      expect(report.compatible).toBe(false);
    });
  }

  it('no choices fails structure naming both common issues', async () => {
    const endpoint = await fake({}, answer({ deviations: ['no-choices'] }));
    const report = await check(endpoint.url);
    expect(result(report, 'structure').status).toBe('fail');
    expect(result(report, 'structure').message).toContain('Incorrect response structure');
    expect(result(report, 'structure').message).toContain('Missing required fields: `choices`');
    expect(result(report, 'content').status).toBe('skip');
    expect(result(report, 'json-mode').status).toBe('skip');
    expect(result(report, 'model').status).toBe('pass');
    expect(result(report, 'openai-client').status).toBe('fail');
  });

  it('empty choices fails structure', async () => {
    const endpoint = await fake({}, answer({ deviations: ['empty-choices'] }));
    const report = await check(endpoint.url);
    expect(result(report, 'structure').message).toContain('`choices` is an empty array');
  });

  it('a server message quoting the key is masked', async () => {
    const endpoint = await fake(
      {},
      { kind: 'error', status: 200, body: errorBodies.openai(`Key ${apiKey} has no quota`) },
    );
    const report = await check(endpoint.url);
    expect(result(report, 'structure').message).toContain('Key sk-…a1b2 has no quota');
  });
});

describe('required fields', () => {
  it.each([
    ['no-content', 'is missing'],
    ['null-content', 'is null'],
  ] as const)('%s fails content with Missing required fields', async (deviation, observed) => {
    const endpoint = await fake({}, answer({ deviations: [deviation] }));
    const report = await check(endpoint.url);
    expect(result(report, 'content').status).toBe('fail');
    expect(result(report, 'content').message).toBe(
      `Missing required fields: \`choices[0].message.content\` ${observed}.`,
    );
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'test-generation').status).toBe('skip');
  });

  it('content as text parts warns: only normalisation makes it usable', async () => {
    const endpoint = await fake({}, answer({ deviations: ['content-parts'] }));
    const report = await check(endpoint.url);
    expect(result(report, 'content').status).toBe('warn');
    expect(result(report, 'content').message).toContain('text parts');
    expect(result(report, 'openai-client').status).toBe('fail');
  });

  it.each([
    ['no-role', 'is missing'],
    ['wrong-role', 'is "user", not "assistant"'],
  ] as const)('%s fails role', async (deviation, observed) => {
    const endpoint = await fake({}, answer({ deviations: [deviation] }));
    const report = await check(endpoint.url);
    expect(result(report, 'role').status).toBe('fail');
    expect(result(report, 'role').message).toContain(observed);
    expect(result(report, 'role').message).toMatch(/^Missing required fields/);
    expect(result(report, 'streaming').status).toBe('warn');
  });

  it('no top-level model fails model', async () => {
    const endpoint = await fake({}, answer({ deviations: ['no-model'] }));
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, model: 'fail' });
    expect(result(report, 'model').message).toBe(
      'Missing required fields: the top-level `model` is missing.',
    );
  });
});

describe('metadata and usage', () => {
  it('missing id, object, created and a non-standard finish_reason warn metadata', async () => {
    const endpoint = await fake(
      {},
      answer({ deviations: ['no-id', 'no-object', 'no-created'], finishReason: 'eos' }),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'metadata').status).toBe('warn');
    for (const part of ['no `id`', 'no `object`', 'no numeric `created`', '"eos"']) {
      expect(result(report, 'metadata').message).toContain(part);
    }
    expect(report.compatible).toBe(true);
  });

  it('no usage warns usage', async () => {
    const endpoint = await fake({}, answer({ deviations: ['no-usage'] }));
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, usage: 'warn' });
  });

  it('inconsistent usage warns usage', async () => {
    const endpoint = await fake(
      {},
      answer({ usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 9 } }),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'usage').status).toBe('warn');
    expect(result(report, 'usage').message).toContain('inconsistent');
  });
});

describe('parameters', () => {
  it('max_tokens ignored warns max-tokens', async () => {
    const endpoint = await fake({ maxTokens: 'ignore' });
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'max-tokens': 'warn' });
    expect(result(report, 'max-tokens').message).toContain('was ignored');
  });

  it('an answer that ends before the limit warns that the limit could not be confirmed', async () => {
    const endpoint = await fake({}, answer({ text: 'Hi.' }));
    const report = await check(endpoint.url);
    expect(result(report, 'max-tokens').status).toBe('warn');
    expect(result(report, 'max-tokens').message).toContain('could not be confirmed');
  });

  it('temperature 0.7 refused fails temperature', async () => {
    const endpoint = await fake({
      refuseTemperature: (temperature) => temperature !== undefined && temperature !== 1,
    });
    const report = await check(endpoint.url);
    expect(result(report, 'temperature').status).toBe('fail');
    expect(result(report, 'temperature').message).toContain('0.7 (HTTP 400');
    expect(result(report, 'temperature').fix).toContain('--temperature');
  });

  it('temperature 0 refused only warns', async () => {
    const endpoint = await fake({ refuseTemperature: (temperature) => temperature === 0 });
    const report = await check(endpoint.url);
    expect(result(report, 'temperature').status).toBe('warn');
    expect(result(report, 'temperature').message).toMatch(/^Refused temperature: 0 \(/);
  });

  it('a refused system message fails system-message', async () => {
    const endpoint = await fake({}, ({ request }) =>
      request.messages?.some((message) => message.role === 'system')
        ? { kind: 'error', status: 400, body: errorBodies.vllm('System role not supported') }
        : answer(),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'system-message').status).toBe('fail');
    expect(result(report, 'system-message').message).toContain('System role not supported');
    expect(result(report, 'test-generation').status).toBe('warn');
  });

  it('response_format refused warns json-mode naming both formats', async () => {
    const endpoint = await fake({ responseFormat: 'refuse-all' });
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, 'json-mode': 'warn' });
    expect(result(report, 'json-mode').message).toContain('json_object refused');
    expect(result(report, 'json-mode').message).toContain('json_schema refused');
  });

  it('response_format ignored warns json-mode', async () => {
    const endpoint = await fake(
      {},
      answer({ text: (request) => (request.response_format ? 'Sure! ok is true.' : compliantText(request)) }),
    );
    const report = await check(endpoint.url);
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
    const endpoint = await fake({}, answer({ stream: quirks }));
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, streaming: 'warn' });
    expect(result(report, 'streaming').message).toContain(problem);
  });

  it('SSE comment lines and a usage chunk are fine', async () => {
    const endpoint = await fake({}, answer({ stream: { comments: true, usageChunk: true } }));
    const report = await check(endpoint.url);
    expect(result(report, 'streaming').status).toBe('pass');
  });

  it('stream: true answered with one JSON body warns streaming', async () => {
    const endpoint = await fake({}, ({ request }) =>
      request.stream ? { kind: 'raw', body: JSON.stringify({ choices: [] }) } : answer(),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'streaming').message).toContain('`stream` seems ignored');
  });
});

describe('models, error-format, openai-client, test-generation', () => {
  it('a model list without the model warns models and suggests one', async () => {
    const endpoint = await fake({ models: ['llama3.1', 'qwen2.5'] });
    const report = await check(endpoint.url);
    expect(statuses(report)).toEqual({ ...allPass, models: 'warn' });
    expect(result(report, 'models').message).toContain('llama3.1, qwen2.5');
    expect(result(report, 'models').fix).toContain('--model llama3.1');
  });

  it('a malformed request answered in FastAPI shape warns error-format', async () => {
    const endpoint = await fake();
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
    const report = await check(endpoint.url, { fetch: fastApiFetch });
    expect(statuses(report)).toEqual({ ...allPass, 'error-format': 'warn' });
    expect(result(report, 'error-format').message).toContain('HTTP 422 but not `{error:{message}}`');
    expect(result(report, 'error-format').message).toContain('JSON decode error');
  });

  it('a server error to the openai package fails openai-client with the status', async () => {
    // The contract's minimal request is sent twice: first raw (index 0), then by the openai package.
    const endpoint = await fake({}, ({ request, index }) =>
      index > 0 && Object.keys(request).sort().join() === 'messages,model'
        ? { kind: 'error', status: 500, body: errorBodies.openai('boom', 'server_error') }
        : answer(),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'openai-client').status).toBe('fail');
    expect(result(report, 'openai-client').message).toContain('HTTP 500');
  });

  it('an answer that holds no test cases warns test-generation', async () => {
    const endpoint = await fake(
      {},
      answer({ text: (request) => (request.response_format ? '{"ok":true}' : 'I cannot help with that.') }),
    );
    const report = await check(endpoint.url);
    expect(result(report, 'test-generation').status).toBe('warn');
    expect(result(report, 'test-generation').message).toContain('not JSON: I cannot help');
  });
});

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
