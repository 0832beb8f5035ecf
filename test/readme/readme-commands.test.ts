/**
 * Every shell command of the README runs as written, so the README stays true.
 *
 * The ```sh blocks are read from README.md and run in order in a scratch directory holding a copy
 * of `examples/`, with a scratch data directory (`REQASE_DATA_DIR`) and no model configured (the
 * offline engine). `npx reqase …` runs through `runReqaseCli`, the function `bin/reqase.js` calls,
 * in this process (quick); a pipeline runs through bash with the real command (the bundled CLI under `npm test`).
 *
 * Substitutions, each the smallest that lets a command run here:
 * - the example hosts of a model server (`localhost:8000`, `gpu-box:8000`) are the project's fake
 *   endpoint (test/support/fake-llm-endpoint.ts), which answers with test cases;
 * - the example sites of Jira, TestRail, Xray Cloud, Xray Server/DC (`https://jira.example.com`)
 *   and Zephyr Scale are the project's fakes of them (test/support/fake-jira.ts, fake-testrail.ts,
 *   fake-xray-cloud.ts, fake-xray-server.ts, fake-zephyr-scale.ts), which accept the README's
 *   example credentials;
 * - `JOB-ID` is the newest job's id as progress lines print it (its first 8 characters);
 * - `npm install && ` is left out (the checkout is installed).
 * Commands that cannot run here are listed in `skipped` with the reason, and reported as skipped.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeJiraStories, startFakeJira, type FakeJira } from '../support/fake-jira.ts';
import { startFakeLlmEndpoint, type FakeLlmEndpoint } from '../support/fake-llm-endpoint.ts';
import { startFakeTestRail, type FakeTestRail } from '../support/fake-testrail.ts';
import { startFakeXrayCloud, type FakeXrayCloud } from '../support/fake-xray-cloud.ts';
import { startFakeXrayServer, type FakeXrayServer } from '../support/fake-xray-server.ts';
import { startFakeZephyrScale, type FakeZephyrScale } from '../support/fake-zephyr-scale.ts';
import { runReqaseInProcess } from '../support/reqase-in-process.ts';
import { reqaseEntry } from '../support/reqase-process.ts';
import { skippedTitle } from '../support/skip-reason.ts';

const root = join(import.meta.dirname, '..', '..');

/** Commands that cannot run in a test, and why (matched against the command as written). */
const skipped: Array<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /^npm install && npm test$/,
    reason: 'runs this very suite',
  },
  {
    pattern: /^npx reqase serve --processes\b/,
    reason: 'a server that runs until stopped: test/cli/serve-processes.test.ts starts it with 2 processes',
  },
  {
    pattern: /^(npm install && )?npx reqase serve\b/,
    reason:
      'a server that runs until stopped: test/cli/serve-first-run.test.ts starts it on a fresh checkout',
  },
  {
    pattern: /^export DATABASE_URL=postgres:\/\/user:password@db-host/,
    reason: 'needs the PostgreSQL server db-host; the storage suites run every repository on PostgreSQL',
  },
];

/** Commands expected to fail as the README describes, with the exit code and what they say. */
const expectedFailures: Array<{ pattern: RegExp; code: number; says: RegExp }> = [
  // The README's bulk run has finished by then: cancelling says so.
  { pattern: /^npx reqase job cancel JOB-ID/, code: 1, says: /had already finished \(completed\)/ },
];

interface ReadmeCommand {
  /** As written in the README, without its trailing comment. */
  command: string;
  /** 1-based line in README.md. */
  line: number;
}

/** The commands of the README's ```sh blocks, in order. */
export function readmeCommands(markdown: string): ReadmeCommand[] {
  const commands: ReadmeCommand[] = [];
  let inShell = false;
  markdown.split('\n').forEach((text, index) => {
    if (/^```sh\s*$/.test(text)) inShell = true;
    else if (/^```/.test(text)) inShell = false;
    else if (inShell) {
      const command = withoutComment(text).trim();
      if (command) commands.push({ command, line: index + 1 });
    }
  });
  return commands;
}

/** Drops a trailing `# comment` (a `#` after whitespace, outside quotes). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (quote) {
      if (character === quote) quote = undefined;
    } else if (character === '"' || character === "'") {
      quote = character;
    } else if (character === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) {
      return line.slice(0, index);
    }
  }
  return line;
}

/** Splits a command line into words: whitespace-separated, "double" and 'single' quotes kept together. */
function words(command: string): string[] {
  const result: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (const match of command.matchAll(pattern)) result.push(match[1] ?? match[2] ?? match[3] ?? '');
  return result;
}

/** Two cases per request, covering the first criteria of whatever story is asked about. */
const modelAnswer = JSON.stringify({
  testCases: [1, 2, 3, 4].map((number) => ({
    title: `Case ${number} of the story checks criterion ${number}`,
    kind: number % 2 ? 'positive' : 'negative',
    priority: 'high',
    preconditions: ['A registered customer exists'],
    steps: [
      {
        action: `Do what criterion ${number} describes`,
        data: 'maria@example.com',
        expected: `The result criterion ${number} states is shown`,
      },
    ],
    covers: [`AC-${number}`],
  })),
});

let scratch: string;
let endpoint: FakeLlmEndpoint;
let jira: FakeJira;
let testRail: FakeTestRail;
let xray: FakeXrayCloud;
let zephyr: FakeZephyrScale;
let xrayServer: FakeXrayServer;
let previousDirectory: string;
const commands = readmeCommands(readFileSync(join(root, 'README.md'), 'utf8'));

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'reqase-readme-'));
  cpSync(join(root, 'examples'), join(scratch, 'examples'), { recursive: true });
  endpoint = await startFakeLlmEndpoint({
    models: ['llama-3.1-8b-instruct', 'llama-3.1-70b-instruct', 'llama3.1'],
    scenario: { default: { kind: 'answer', text: modelAnswer } },
  });
  // The README's example credentials, as its `export` lines set them.
  jira = await startFakeJira({
    email: 'qa@example.com',
    token: 'your-jira-api-token',
    issues: fakeJiraStories('SHOP', 3),
  });
  testRail = await startFakeTestRail({
    user: 'qa@example.com',
    apiKey: 'your-testrail-api-key',
    projectId: 3,
  });
  xray = await startFakeXrayCloud({
    clientId: 'your-xray-client-id',
    clientSecret: 'your-xray-client-secret',
  });
  zephyr = await startFakeZephyrScale({ token: 'your-zephyr-scale-token', projectKey: 'SHOP' });
  xrayServer = await startFakeXrayServer({ user: 'qa', password: 'your-jira-password', projectKey: 'SHOP' });
  for (const name of Object.keys(process.env)) {
    if (/^(REQASE_|OPENAI_|DATABASE_URL$)/.test(name)) vi.stubEnv(name, undefined);
  }
  vi.stubEnv('REQASE_DATA_DIR', join(scratch, 'data'));
  vi.stubEnv('NO_COLOR', '1');
  previousDirectory = process.cwd();
  process.chdir(scratch);
});

afterAll(async () => {
  process.chdir(previousDirectory);
  vi.unstubAllEnvs();
  await endpoint?.close();
  await Promise.all([jira?.close(), testRail?.close(), xray?.close(), zephyr?.close(), xrayServer?.close()]);
  rmSync(scratch, { recursive: true, force: true });
});

/** The command with the example hosts pointing at the fakes. */
function substituteHosts(text: string): string {
  return text
    .replace(/http:\/\/(localhost|gpu-box):8000\/v1/g, endpoint.url)
    .replaceAll('https://example.atlassian.net', jira.url)
    .replaceAll('https://example.testrail.io', testRail.url)
    .replaceAll('https://xray.cloud.getxray.app', xray.url)
    .replaceAll('https://api.zephyrscale.smartbear.com/v2', zephyr.url)
    .replaceAll('https://jira.example.com', xrayServer.url);
}

async function newestJobPrefix(): Promise<string> {
  const listed = await runReqaseInProcess(['job', 'list', '--json']);
  const [newest] = (JSON.parse(listed.stdout) as { jobs: Array<{ id: string }> }).jobs;
  return newest?.id.slice(0, 8) ?? 'no-job-yet';
}

/** Runs a pipeline as written through bash, `npx reqase` being this checkout's bin/reqase.js. */
function runInShell(command: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'bash',
      ['-o', 'pipefail', '-c', command.replaceAll('npx reqase', `node ${reqaseEntry()}`)],
      {
        cwd: scratch,
        env: { ...process.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('README commands run as written', { timeout: 120_000 }, () => {
  it('the README has shell commands to check', () => {
    expect(commands.length).toBeGreaterThan(15);
  });

  for (const { command, line } of commands) {
    const reason = skipped.find((entry) => entry.pattern.test(command))?.reason;
    if (reason) {
      it.skip(skippedTitle(`line ${line}: ${command}`, reason), () => {});
      continue;
    }
    it(`line ${line}: ${command}`, async () => {
      const exported = /^export (\w+)=(\S*)$/.exec(command);
      if (exported) {
        vi.stubEnv(exported[1] as string, substituteHosts(exported[2] as string));
        return;
      }
      let written = command.replace(/^npm install && /, '');
      if (written.includes('JOB-ID')) written = written.replaceAll('JOB-ID', await newestJobPrefix());
      written = substituteHosts(written);
      const run =
        written.startsWith('npx reqase ') && !/[|<>;&]/.test(written)
          ? await runReqaseInProcess(words(written).slice(2))
          : await runInShell(written);
      const failure = expectedFailures.find((entry) => entry.pattern.test(command));
      expect(run.code, `${written}\n${run.stderr}`).toBe(failure?.code ?? 0);
      if (failure) expect(run.stderr).toMatch(failure.says);
      const out = /--out (\S+)/.exec(written)?.[1];
      if (out)
        expect(existsSync(join(scratch, out)), `${out} is written in the scratch directory`).toBe(true);
    });
  }
});
