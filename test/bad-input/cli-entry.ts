/**
 * One bad-input suite per CLI entry point: every refused file gives exit 1, the error and its fix
 * on standard error, no crash, and leaves the workspace as it was; the large allowed file works.
 *
 * The commands run in this process through the same command registrations `bin/reqase.js` uses
 * (a process start costs seconds on a loaded machine); two cases also run through the real
 * binary, so the exit code and stderr are checked end to end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerCaseCommand } from '../../src/cli/case.ts';
import { registerGenerateCommand } from '../../src/cli/generate.ts';
import { registerProjectCommand } from '../../src/cli/project.ts';
import { registerStoryCommand } from '../../src/cli/story.ts';
import {
  looksLikeCrash,
  refusedCases,
  runReqaseWithoutModel,
  type BadInputCase,
  type CommandRun,
} from './bad-input-cases.ts';

export interface WorkspaceCounts {
  projects: number;
  stories: number;
  testCases: number;
}

/** Runs `reqase <args>` in this process, capturing standard output and error. */
async function runInProcess(args: string[], dataDirectory: string): Promise<CommandRun> {
  const program = new Command().name('reqase');
  for (const register of [
    registerGenerateCommand,
    registerProjectCommand,
    registerStoryCommand,
    registerCaseCommand,
  ])
    register(program);
  const previous = { dataDirectory: process.env.REQASE_DATA_DIR, exitCode: process.exitCode };
  process.env.REQASE_DATA_DIR = dataDirectory;
  process.exitCode = undefined;
  let stdout = '';
  let stderr = '';
  const capture = (append: (text: string) => void) => (chunk: string | Uint8Array) => {
    append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  const error = vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  try {
    await program.parseAsync(['node', 'reqase', ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    out.mockRestore();
    error.mockRestore();
    process.exitCode = previous.exitCode;
    if (previous.dataDirectory === undefined) delete process.env.REQASE_DATA_DIR;
    else process.env.REQASE_DATA_DIR = previous.dataDirectory;
  }
}

export function describeCliEntry(
  title: string,
  commandFor: (path: string) => string[],
  allowed: { input: BadInputCase; check: (run: CommandRun, counts: WorkspaceCounts) => void },
  spawned: BadInputCase,
): void {
  describe(title, () => {
    let directory: string;
    let dataDirectory: string;
    const runs = new Map<string, CommandRun>();
    let before: WorkspaceCounts;
    let afterRefused: WorkspaceCounts;
    let allowedRun: CommandRun;
    let afterAllowed: WorkspaceCounts;

    const reqase = (args: string[]) => runInProcess(args, dataDirectory);
    const path = (input: BadInputCase) => join(directory, input.fileName);
    async function counts(): Promise<WorkspaceCounts> {
      const projects = await reqase(['project', 'list', '--json']);
      const stories = await reqase(['story', 'list', '--project', 'P', '--json']);
      const testCases = await reqase(['case', 'list', '--json']);
      return {
        projects: (JSON.parse(projects.stdout) as unknown[]).length,
        stories: (JSON.parse(stories.stdout) as { total: number }).total,
        testCases: (JSON.parse(testCases.stdout) as { total: number }).total,
      };
    }

    beforeAll(async () => {
      directory = mkdtempSync(join(tmpdir(), 'reqase-bad-input-cli-'));
      dataDirectory = join(directory, 'data');
      for (const input of [...refusedCases, allowed.input]) writeFileSync(path(input), input.content);
      expect((await reqase(['project', 'create', 'P'])).code).toBe(0);
      before = await counts();
      for (const input of refusedCases) runs.set(input.name, await reqase(commandFor(path(input))));
      afterRefused = await counts();
      allowedRun = await reqase(commandFor(path(allowed.input)));
      afterAllowed = await counts();
    });

    afterAll(() => rmSync(directory, { recursive: true, force: true }));

    it.each(refusedCases.map((input) => [input.name, input] as const))(
      'refuses %s with a message, a fix and exit 1',
      (_name, input) => {
        const run = runs.get(input.name) as CommandRun;
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toMatch(/^Error: /m);
        expect(run.stderr).toMatch(input.refusedWith as RegExp);
        expect(run.stderr).toMatch(/^Fix: /m);
        expect(looksLikeCrash(run.stderr + run.stdout), run.stderr).toBe(false);
        // With --json the error is also printed as JSON on stdout, for scripts.
        if (run.stdout.trim())
          expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'invalid_input' } });
      },
    );

    it('stores nothing for refused input', () => {
      expect(before).toEqual({ projects: 1, stories: 0, testCases: 0 });
      expect(afterRefused).toEqual(before);
    });

    it(`accepts ${allowed.input.name}`, () => {
      expect(allowedRun.code, allowedRun.stderr).toBe(0);
      expect(looksLikeCrash(allowedRun.stderr)).toBe(false);
      allowed.check(allowedRun, afterAllowed);
    });

    it(`refuses ${spawned.name} through bin/reqase.js with exit 1`, async () => {
      const run = await runReqaseWithoutModel(commandFor(spawned.fileName), {
        cwd: directory,
        dataDirectory,
      });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toMatch(spawned.refusedWith as RegExp);
      expect(run.stderr).toMatch(/^Fix: /m);
      expect(looksLikeCrash(run.stderr)).toBe(false);
    });
  });
}
