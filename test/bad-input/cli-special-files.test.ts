/**
 * Every file option of the real CLI refuses devices, FIFOs and directories before reading a byte,
 * refuses an oversized file from its size, and stops reading standard input at the limit
 * (issue 11, item 9). Before, `/dev/zero` was read until memory ran out and a FIFO without a writer
 * waited forever.
 *
 * Each command runs as a child process; every child (and the `cat /dev/zero` feeding one) is
 * killed after its test, also when the test times out, and the test waits for it to be gone.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { reqaseEntry } from '../support/reqase-process.ts';

/** A ceiling against a hang, not a time budget: a process start takes seconds on a loaded machine. */
const ceiling = { timeout: 180_000 };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const children = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Kills what is still running and waits until it has exited. */
async function endChildren(): Promise<void> {
  await Promise.all(
    [...children].map(
      (child) =>
        new Promise<void>((resolveExited) => {
          for (const stream of child.stdio) stream?.destroy();
          if (child.exitCode !== null || child.signalCode !== null) return resolveExited();
          child.once('exit', () => resolveExited());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** `cat /dev/zero`: an endless pipe to give a command as its standard input. */
function endlessPipe(): { stream: Readable; exited: Promise<void> } {
  const source = track(spawn('cat', ['/dev/zero'], { stdio: ['ignore', 'pipe', 'ignore'] }));
  const exited = new Promise<void>((resolveExited) => source.once('exit', () => resolveExited()));
  return { stream: source.stdout as Readable, exited };
}

let directory: string;
let dataDirectory: string;

function reqase(args: string[], stdin: 'ignore' | Readable = 'ignore'): Promise<Run> {
  return new Promise((resolveRun, reject) => {
    const child = track(
      spawn(process.execPath, [reqaseEntry(), ...args], {
        cwd: directory,
        env: { PATH: process.env.PATH ?? '', HOME: directory, REQASE_DATA_DIR: dataDirectory, NO_COLOR: '1' },
        stdio: [stdin, 'pipe', 'pipe'],
      }),
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolveRun({ code, signal, stdout, stderr }));
  });
}

function expectRefused(run: Run, message: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  expect(run.stderr).toMatch(/^Error: /m);
  expect(run.stderr).toMatch(message);
  expect(run.stderr).toMatch(/^Fix: /m);
  expect(run.stderr).not.toMatch(/Unexpected error|\n\s+at /);
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'reqase-special-files-'));
  dataDirectory = join(directory, 'data');
  execFileSync('mkfifo', [join(directory, 'story.fifo')]);
  mkdirSync(join(directory, 'folder.md'));
  writeFileSync(
    join(directory, 'story.md'),
    '# SHOP-1: Pay by card\n\n## Acceptance Criteria\n\n- A valid card is charged\n',
  );
  // Sparse: the size is there, the disk blocks are not.
  writeFileSync(join(directory, 'big.md'), '');
  truncateSync(join(directory, 'big.md'), 120 * 1024 * 1024);
  writeFileSync(join(directory, 'huge.csv'), '');
  truncateSync(join(directory, 'huge.csv'), 3 * 1024 * 1024 * 1024);
  expect((await reqase(['project', 'create', 'P'])).code).toBe(0);
}, ceiling.timeout);

afterEach(endChildren);

afterAll(async () => {
  await endChildren();
  rmSync(directory, { recursive: true, force: true });
});

describe('file options refuse what is not a regular file', ceiling, () => {
  it.each([
    ['/dev/zero', /story file \/dev\/zero: it is a character device, and a regular file is expected/],
    ['/dev/urandom', /story file \/dev\/urandom: it is a character device/],
    ['story.fifo', /story file story\.fifo: it is a named pipe \(FIFO\)/],
    ['folder.md', /story file folder\.md: it is a directory/],
  ])('reqase story import %s', async (path, message) => {
    expectRefused(await reqase(['story', 'import', path, '--project', 'P']), message);
  });

  it('reqase generate with a device or a FIFO as the story file', async () => {
    expectRefused(
      await reqase(['generate', '/dev/zero', '--offline']),
      /story file \/dev\/zero: it is a character device/,
    );
    expectRefused(
      await reqase(['generate', 'story.fifo', '--offline']),
      /story file story\.fifo: it is a named pipe/,
    );
  });

  it('reqase generate --rules /dev/zero and a FIFO', async () => {
    expectRefused(
      await reqase(['generate', 'story.md', '--offline', '--rules', '/dev/zero']),
      /rules file \/dev\/zero: it is a character device/,
    );
    expectRefused(
      await reqase(['generate', 'story.md', '--offline', '--rules', 'story.fifo']),
      /rules file story\.fifo: it is a named pipe/,
    );
  });

  it('reqase project create|update --rules-file /dev/zero and a FIFO', async () => {
    expectRefused(
      await reqase(['project', 'create', 'Q', '--rules-file', '/dev/zero']),
      /test case rules file \/dev\/zero: it is a character device/,
    );
    expectRefused(
      await reqase(['project', 'update', 'P', '--rules-file', 'story.fifo']),
      /test case rules file story\.fifo: it is a named pipe/,
    );
  });

  it('reqase case edit --patch /dev/urandom', async () => {
    expectRefused(
      await reqase(['case', 'edit', 'SHOP-1/TC-1', '--project', 'P', '--patch', '/dev/urandom']),
      /patch file \/dev\/urandom: it is a character device/,
    );
  });
});

describe('size limits are applied before reading', ceiling, () => {
  it('refuses a 120 MB story file from its size', async () => {
    expectRefused(
      await reqase(['story', 'import', 'big.md', '--project', 'P']),
      /story file big\.md is larger than 5 MB \(it is 120 MB\)/,
    );
  });

  it('refuses a 3 GB CSV file from its size', async () => {
    expectRefused(
      await reqase(['story', 'import', 'huge.csv', '--project', 'P']),
      /story file huge\.csv is larger than 50 MB \(it is 3072 MB\)/,
    );
  });

  it('stops reading standard input at 5 MB: cat /dev/zero | reqase generate -', async () => {
    const source = endlessPipe();
    const run = await reqase(['generate', '-', '--offline'], source.stream);
    expectRefused(run, /story input from standard input is larger than 5 MB/);
    // With the reader gone (this process's copy closed too), the writer ends on a broken pipe,
    // as in a shell pipeline.
    source.stream.destroy();
    await source.exited;
  });

  it('stops reading standard input at the limit for --patch -', async () => {
    const source = endlessPipe();
    const run = await reqase(
      ['case', 'edit', 'SHOP-1/TC-1', '--project', 'P', '--patch', '-'],
      source.stream,
    );
    expectRefused(run, /patch file from standard input is larger than 1 MB/);
  });
});
