/**
 * `reqase check` end to end: flags and environment resolved, the report printed, exit codes
 * 0 (compatible), 1 (not) and 2 (wrong usage), and the key never printed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerCheckCommand } from '../../src/cli/check.ts';
import type { CheckReport } from '../../src/llm/check/index.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { runReqase } from '../support/reqase-process.ts';

const apiKey = 'sk-cli-check-secret-0123456789k3y9';
let emptyDirectory = '';
const endpoints: FakeLlmEndpoint[] = [];

beforeAll(() => {
  // No reqase.config.* here: only flags and the given environment count.
  emptyDirectory = mkdtempSync(join(tmpdir(), 'reqase-check-cli-'));
});
afterAll(() => rmSync(emptyDirectory, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
});

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

async function runCheck(
  argv: string[],
  options: { env?: Record<string, string>; isTTY?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  let code = -1;
  const program = new Command().name('reqase');
  registerCheckCommand(program, {
    env: options.env ?? {},
    cwd: emptyDirectory,
    stdout: { write: (text: string) => (stdout += text), isTTY: options.isTTY ?? false },
    stderr: { write: (text: string) => (stderr += text) },
    setExitCode: (value) => {
      code = value;
    },
    exit: (value) => {
      throw new ExitCalled(value);
    },
  });
  try {
    await program.parseAsync(['node', 'reqase', 'check', ...argv]);
  } catch (error) {
    if (!(error instanceof ExitCalled)) throw error;
    code = error.code;
  }
  return { code, stdout, stderr };
}

async function fake(options: Parameters<typeof startFakeLlmEndpoint>[0] = {}) {
  const endpoint = await startFakeLlmEndpoint({ apiKey, ...options });
  endpoints.push(endpoint);
  return endpoint;
}

describe('reqase check', () => {
  it('exits 0 for a compatible endpoint and prints the report without colour or key', async () => {
    const endpoint = await fake();
    const run = await runCheck([
      '--base-url',
      endpoint.url,
      '--api-key',
      apiKey,
      '--model',
      'fake-model',
      '--timeout',
      '5',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('✔ reachable');
    expect(run.stdout).toContain('Compatible:');
    expect(run.stdout).toMatch(/curl -X POST '.*\/v1\/chat\/completions'/);
    expect(run.stdout).toContain('Bearer sk-…k3y9');
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout + run.stderr).not.toContain(apiKey);
  });

  it('exits 1 with --json for an incompatible endpoint, resolving everything from REQASE_* variables', async () => {
    const endpoint = await fake({ scenario: { default: { kind: 'answer', deviations: ['no-content'] } } });
    const run = await runCheck(['--json'], {
      env: { REQASE_BASE_URL: endpoint.url, REQASE_API_KEY: apiKey, REQASE_MODEL: 'fake-model' },
    });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as CheckReport;
    expect(report.compatible).toBe(false);
    expect(report.baseUrl).toBe(endpoint.url);
    expect(report.checks.find((check) => check.id === 'content')).toMatchObject({ status: 'fail' });
    expect(Object.keys(report).sort()).toEqual(['baseUrl', 'checks', 'compatible', 'curl', 'model']);
    expect(run.stdout + run.stderr).not.toContain(apiKey);
  });

  it('reads a config file using a former key name, and says on stderr which name to use instead', async () => {
    const endpoint = await fake();
    const configFile = join(emptyDirectory, 'former-names.yaml');
    const provider = `provider:\n  baseUrl: ${endpoint.url}\n  model: fake-model\n  apiKeyEnv: KEY\n`;
    writeFileSync(configFile, `${provider}  timeoutMs: 5000\n`); // former name
    const run = await runCheck([], { env: { REQASE_CONFIG: configFile, KEY: apiKey } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      `note: ${configFile}: provider.timeoutMs is deprecated; use provider.timeoutMilliseconds (same value).`, // former name
    );

    writeFileSync(configFile, `${provider}  timeoutMilliseconds: 5000\n`);
    const current = await runCheck([], { env: { REQASE_CONFIG: configFile, KEY: apiKey } });
    expect(current.code).toBe(0);
    expect(current.stderr).not.toContain('deprecated');
  });

  it('colours when the terminal supports it, unless NO_COLOR is set', async () => {
    const endpoint = await fake({ apiKey: undefined });
    const argv = ['--base-url', endpoint.url, '--model', 'fake-model'];
    expect((await runCheck(argv, { isTTY: true })).stdout).toContain('\u001b[32m✔');
    expect((await runCheck(argv, { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
  });

  it('exits 2 naming the flags and variables when nothing is configured', async () => {
    const run = await runCheck([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Nothing to check');
    expect(run.stderr).toContain('--base-url');
    expect(run.stderr).toContain('REQASE_BASE_URL');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a bad --timeout, an unknown preset, an invalid URL and an unknown option', async () => {
    const bad = await runCheck(['--base-url', 'http://127.0.0.1:9/v1', '--model', 'm', '--timeout', 'soon']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toContain('--timeout');
    const preset = await runCheck(['--provider', 'team-vllm', '--model', 'm', '--api-key', apiKey]);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toContain('Unknown provider "team-vllm"');
    expect(preset.stderr).toContain('ollama');
    expect(preset.stderr).not.toContain(apiKey);
    const url = await runCheck(['--base-url', 'ftp://host/v1', '--model', 'm']);
    expect(url.code).toBe(2);
    const option = await runCheck(['--colour']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--colour'");
  });

  it('runs as a real process: exit code 1 and no key on either stream', async () => {
    const endpoint = await fake();
    // The CLI as built for this run (reqaseEntry), with no configuration file in its directory.
    const run = await runReqase(
      [
        'check',
        '--base-url',
        `${endpoint.origin}/v1`,
        '--model',
        'fake-model',
        '--api-key',
        'sk-wrong-but-secret-000000zzzz',
      ],
      { cwd: emptyDirectory, dataDirectory: join(emptyDirectory, 'data') },
    );
    const { code } = run;
    const output = run.stdout + run.stderr;
    expect(output).toContain('✖ auth');
    expect(output).toContain('Authentication error');
    expect(output).not.toContain('sk-wrong-but-secret-000000zzzz');
    expect(code).toBe(1);
  });
});

describe('reqase check leads with the root cause', () => {
  /** The report's first lines: the root cause and its fix come before the list of checks. */
  function lead(stdout: string): string {
    return stdout.split('\n  ')[0] ?? '';
  }

  it('a misspelt model: names the models served and the likely one; the 404 failures are consequences', async () => {
    const endpoint = await fake({ models: ['fake-qa-model', 'other-model'], rejectUnknownModels: true });
    const argv = [
      '--base-url',
      endpoint.url,
      '--api-key',
      apiKey,
      '--model',
      'fake-qa-modle',
      '--timeout',
      '30',
    ];
    const run = await runCheck(argv);
    expect(run.code).toBe(1);
    expect(lead(run.stdout)).toContain(
      "Root cause: Model 'fake-qa-modle' not found; this endpoint serves: fake-qa-model, other-model; did you mean 'fake-qa-model'?",
    );
    expect(lead(run.stdout)).toMatch(/^fix: .*--model fake-qa-model/m);
    expect(run.stdout).toMatch(/✖ structure +consequence of models: /);
    expect(run.stdout).toMatch(/✖ temperature +consequence of models: /);
    // The consequences' own fixes (temperature, system message, …) are not offered.
    expect(run.stdout).not.toContain('Reqase Lite sends temperature 0.7 by default');
    expect(run.stdout).toMatch(/^Not compatible: Model 'fake-qa-modle' not found/m);

    const report = JSON.parse((await runCheck([...argv, '--json'])).stdout) as CheckReport;
    expect(report.rootCause).toMatchObject({ check: 'models' });
    expect(report.rootCause?.consequences).toEqual(expect.arrayContaining(['structure', 'temperature']));
    expect(report.checks.find((check) => check.id === 'structure')?.consequenceOf).toBe('models');
  });

  it('a wrong path: leads with it; every skipped check follows from it', async () => {
    const endpoint = await fake();
    const run = await runCheck([
      '--base-url',
      `${endpoint.origin}/api`,
      '--api-key',
      apiKey,
      '--model',
      'fake-model',
    ]);
    expect(run.code).toBe(1);
    expect(lead(run.stdout)).toMatch(
      /^Root cause: Wrong path: POST .*\/api\/chat\/completions answered HTTP 404/m,
    );
    expect(lead(run.stdout)).toMatch(
      /^fix: Give the base URL with --base-url .*the part before \/chat\/completions/m,
    );
    expect(lead(run.stdout)).toMatch(/18 checks were skipped because of it/);
  });

  it('a wrong key: leads with the authentication error, never printing the key', async () => {
    const endpoint = await fake();
    const wrongKey = 'sk-wrong-key-for-root-cause-0000zz';
    const run = await runCheck(['--base-url', endpoint.url, '--api-key', wrongKey, '--model', 'fake-model']);
    expect(run.code).toBe(1);
    expect(lead(run.stdout)).toMatch(/^Root cause: Authentication error: the endpoint refused the key/m);
    expect(lead(run.stdout)).toMatch(
      /^fix: Give the key with --api-key or REQASE_API_KEY; the key may be wrong/m,
    );
    expect(run.stdout + run.stderr).not.toContain(wrongKey);
  });
});
