/**
 * The README's exit codes, over every command: 0 done, 1 an error the user can fix (the message
 * says how), 2 wrong usage (an unknown or misspelt option, a missing argument, a value outside its
 * choices). The commands run in this process through `runReqaseCli`, the function `bin/reqase.js`
 * calls, so the table stays quick; `test/cli/generate.test.ts` checks the binary end to end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runReqaseInProcess } from '../support/reqase-in-process.ts';

const root = join(import.meta.dirname, '..', '..');
const login = join(root, 'examples', 'stories', 'login.md');

const directory = mkdtempSync(join(tmpdir(), 'reqase-exit-codes-'));
const noCriteria = join(directory, 'no-criteria.md');
const reqase = runReqaseInProcess;

beforeAll(async () => {
  writeFileSync(noCriteria, '# NOAC-1: Export the report\n\nA story with a description only.\n');
  vi.stubEnv('REQASE_DATA_DIR', join(directory, 'data'));
  for (const name of [
    'REQASE_BASE_URL',
    'REQASE_MODEL',
    'REQASE_PROVIDER',
    'OPENAI_BASE_URL',
    'OPENAI_API_KEY',
  ])
    vi.stubEnv(name, undefined);
  vi.stubEnv('NO_COLOR', '1');
  expect((await reqase(['project', 'create', 'shop'])).code).toBe(0);
  expect((await reqase(['story', 'import', login, '--project', 'shop'])).code).toBe(0);
  expect((await reqase(['story', 'import', noCriteria, '--project', 'shop'])).code).toBe(0);
});

afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(directory, { recursive: true, force: true });
});

type Row = [command: string, args: string[], exitCode: 0 | 1 | 2, stderr?: RegExp];

/** One row per situation; every command has at least one row per exit code it can give. */
const table: Row[] = [
  // generate, from a file
  ['generate', [login], 0],
  ['generate', [login, '--format', 'BDD'], 0],
  ['generate', [login, '--format', 'gherkin'], 2, /Allowed choices are bdd, manual, generic/],
  ['generate', [login, '--formt', 'bdd'], 2, /unknown option '--formt'/],
  ['generate', [login, '--count', '0'], 2, /--count/],
  ['generate', [login, '--temperature', '3'], 2, /--temperature/],
  ['generate', [], 2, /Nothing to generate for/],
  ['generate', [login, '--all'], 2, /--all works on stored stories only/],
  ['generate', [join(directory, 'missing.md')], 1, /does not exist/],
  ['generate', [noCriteria], 1, /No test cases were produced for NOAC-1: .*no acceptance criteria/],
  // generate, stored stories
  ['generate', ['--project', 'shop', '--story', 'AUTH-1', '--offline'], 0],
  ['generate', ['--project', 'shop'], 2, /Name the stories/],
  [
    'generate',
    ['--project', 'shop', '--story', 'NOAC-1', '--offline'],
    1,
    /No test cases were produced for NOAC-1: the story has no acceptance criteria/,
  ],
  ['generate', ['--project', 'nope', '--story', 'AUTH-1', '--offline'], 1, /nope/],
  // check
  ['check', [], 2, /no endpoint is configured/],
  ['check', ['--timeout', '0', '--base-url', 'http://127.0.0.1:9/v1', '--model', 'm'], 2],
  ['check', ['--bogus'], 2, /unknown option/],
  // project
  ['project', ['list'], 0],
  ['project', ['show', 'nope'], 1, /nope/],
  ['project', ['create', 'other', '--format', 'Gherkin'], 2, /Allowed choices/],
  ['project', ['create'], 2, /missing required argument/],
  // story
  ['story', ['list', '--project', 'shop'], 0],
  ['story', ['import', join(directory, 'missing.md'), '--project', 'shop'], 1],
  ['story', ['import', login, '--project', 'shop', '--bogus'], 2, /unknown option/],
  // case
  ['case', ['list', '--project', 'shop'], 0],
  ['case', ['show', '--project', 'shop', 'AUTH-1/TC-99'], 1],
  ['case', ['accept', '--project', 'shop'], 2],
  // export
  ['export', ['--project', 'shop', '--to', 'JSON'], 0],
  ['export', ['--project', 'nope', '--to', 'json'], 1],
  ['export', ['--project', 'shop', '--to', 'jira'], 2, /Allowed choices/],
  // provider
  ['provider', ['list'], 0],
  ['provider', ['show', 'nope'], 1],
  ['provider', ['add'], 2, /missing required argument/],
  // score and compare (a model side by side: test/quality/score-compare-cli.test.ts)
  ['score', ['--project', 'shop'], 0],
  ['score', ['--project', 'nope'], 1, /nope/],
  ['score', [], 2, /Nothing to score/],
  ['compare', [login, '--offline'], 0],
  ['compare', [login, '--provider', 'nope'], 1, /no provider named "nope"/],
  ['compare', [], 2, /missing required argument/],
  // connection
  ['connection', ['list'], 0],
  ['connection', ['show', 'nope'], 1, /no connection named "nope"/],
  ['connection', ['add'], 2],
  // push (a push that runs: test/connectors, over HTTP against the tools' fakes)
  ['push', ['jobs', '--project', 'shop'], 0],
  ['push', ['--project', 'shop', '--to', 'TestRail'], 1, /No testrail URL was given/],
  ['push', ['--project', 'shop', '--to', 'jira'], 2, /not a tool Reqase Lite pushes to/],
  ['push', ['--project', 'shop'], 2, /not a tool Reqase Lite pushes to/],
  // serve (the success path blocks until stopped: see test/server)
  ['serve', ['--port', 'many'], 2, /--port must be a port number/],
  ['serve', ['--bogus'], 2, /unknown option/],
  // token
  ['token', ['list'], 0],
  ['token', ['revoke', 'nope'], 1],
  ['token', ['create'], 2, /missing required argument/],
  // job
  ['job', ['list', '--project', 'shop'], 0],
  ['job', ['show', 'ffffffff'], 1, /no job with id ffffffff/],
  ['job', ['cancel'], 2, /missing required argument/],
  // worker (the success path runs until stopped: see test/cli/bulk-worker)
  ['worker', ['--bogus'], 2, /unknown option/],
  // the program itself
  ['reqase', ['--version'], 0],
  ['reqase', ['help', 'generate'], 0],
  ['reqase', ['frobnicate'], 2],
];

describe('exit codes (0 done, 1 fixable error, 2 wrong usage)', () => {
  it.each(
    table.map(([command, args, code, stderr]) => {
      const words = command === 'reqase' ? args : [command, ...args];
      const shown = words.map((word) => word.replace(directory, '<tmp>').replace(root, '.')).join(' ');
      return [shown, code, words, stderr] as const;
    }),
  )('reqase %s → exit %i', async (_shown, code, words, stderr) => {
    const run = await reqase(words);
    expect(run.code, `reqase ${words.join(' ')}\n${run.stderr}`).toBe(code);
    if (stderr) expect(run.stderr).toMatch(stderr);
    if (code !== 0) expect(run.stderr.trim(), 'a failure always says why').not.toBe('');
  });

  it('covers every command', async () => {
    const { buildProgram } = await import('../../src/cli/program.ts');
    const program = await buildProgram(['node', 'reqase']);
    const names = program.commands.map((command) => command.name());
    expect(new Set(table.map(([command]) => command))).toEqual(new Set([...names, 'reqase']));
  });
});
