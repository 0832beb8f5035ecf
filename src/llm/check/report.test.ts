import { describe, expect, it } from 'vitest';
import { renderCurl } from './curl.ts';
import { renderCheckReport } from './report.ts';
import type { CheckReport } from './types.ts';

const key = 'sk-proj-secret-0123456789WXYZ';

const report: CheckReport = {
  compatible: false,
  baseUrl: 'http://localhost:8000/v1',
  model: 'llama3.1',
  checks: [
    {
      id: 'reachable',
      status: 'pass',
      message: 'HTTP 200 from POST http://localhost:8000/v1/chat/completions.',
      ms: 12,
    },
    { id: 'auth', status: 'fail', message: 'Authentication error: refused.', fix: 'Check the key.', ms: 0 },
    { id: 'usage', status: 'warn', message: 'No usage.', fix: 'Send usage.', ms: 0 },
    { id: 'test-generation', status: 'skip', message: 'Skipped: no parser.', ms: 0 },
  ],
  curl: renderCurl({ baseUrl: 'http://localhost:8000/v1', model: 'llama3.1', apiKey: key }),
};

describe('renderCheckReport', () => {
  it('prints one line per check, fixes underneath, the verdict and the cURL command last', () => {
    const text = renderCheckReport(report, { color: false });
    const lines = text.split('\n');
    expect(text).not.toContain('\u001b[');
    expect(lines).toContain(
      '  ✔ reachable        HTTP 200 from POST http://localhost:8000/v1/chat/completions. (12 ms)',
    );
    const authLine = lines.findIndex((line) => line.startsWith('  ✖ auth'));
    expect(lines[authLine + 1]?.trim()).toBe('fix: Check the key.');
    expect(lines.find((line) => line.startsWith('  ! usage'))).toBeDefined();
    expect(lines.find((line) => line.startsWith('  - test-generation'))).toBeDefined();
    expect(text).toContain('Not compatible (auth): 1 passed, 1 warning(s), 1 failed, 1 skipped.');
    expect(
      text
        .trimEnd()
        .endsWith(
          `-d '{"model":"llama3.1","messages":[{"role":"user","content":"Say hello in one short sentence."}]}'`,
        ),
    ).toBe(true);
    expect(text).not.toContain(key);
  });

  it('colours only when asked', () => {
    const text = renderCheckReport(report, { color: true });
    expect(text).toContain('\u001b[31m✖\u001b[0m');
    expect(text).toContain('\u001b[32m✔\u001b[0m');
  });
});

describe('curl.ts: renderCurl', () => {
  it('masks the key and secret-looking extra headers, and quotes for the shell', () => {
    const curl = renderCurl({
      baseUrl: "http://host/it's/v1",
      model: 'm',
      apiKey: key,
      extraHeaders: { 'x-gateway-token': 'gateway-secret-value-1234', 'x-team': 'qa' },
    });
    expect(curl).toContain(`'Authorization: Bearer sk-…WXYZ'`);
    expect(curl).toContain(`'x-gateway-token: …1234'`);
    expect(curl).toContain(`'x-team: qa'`);
    expect(curl).toContain(`curl -X POST 'http://host/it'\\''s/v1/chat/completions'`);
    expect(curl).not.toContain(key);
    expect(curl).not.toContain('gateway-secret-value-1234');
  });

  it('sends no Authorization header without a key', () => {
    expect(renderCurl({ baseUrl: 'http://h/v1', model: 'm' })).not.toContain('Authorization');
  });
});
