import { runReqase as runReqaseProcess, type CommandRun } from '../support/reqase-process.ts';
/**
 * The bad story files every entry point is fed (CLI generate and import, API generate and import),
 * and helpers to run `bin/reqase.js` and to read what the workspace holds.
 */
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/** A file given to Reqase Lite, and what must come of it. */
export interface BadInputCase {
  name: string;
  fileName: string;
  content: Buffer;
  /** The error message must match (refused inputs); absent: the input is accepted. */
  refusedWith?: RegExp;
  /** Empty: a JSON `content` field refuses it as too small (naming the field). */
  emptyContent?: boolean;
  /** CSV: without a file name (`POST /api/generate` has none) it is read as plain text. */
  csvByNameOnly?: boolean;
  /** Too large for a JSON `content` field of `POST /api/generate` (1,000,000 characters). */
  overGenerateContentLimit?: boolean;
}

const mebibyte = 1024 * 1024;
const pngBytes = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
  0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89,
]);

function storyOfSize(key: string, bytes: number): Buffer {
  const head = `# ${key}: Large story\n\n`;
  const tail = '\n## Acceptance criteria\n- The page loads\n';
  const line = 'The shopper reads a long description of the checkout page and its rules.\n';
  const fill = line.repeat(Math.ceil(bytes / line.length)).slice(0, bytes - head.length - tail.length);
  return Buffer.from(head + fill + tail);
}

function csvRows(count: number): Buffer {
  const lines = ['Key,Summary,Acceptance Criteria'];
  for (let row = 1; row <= count; row++) lines.push(`ROW-${row},Story number ${row},Criterion ${row}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** Inputs that must be refused with a clear message, storing nothing. */
export const refusedCases: BadInputCase[] = [
  {
    name: 'an empty file',
    fileName: 'empty.md',
    content: Buffer.alloc(0),
    refusedWith: /empty/i,
    emptyContent: true,
  },
  {
    name: 'white space only',
    fileName: 'blank.md',
    content: Buffer.from('  \n\t\n   \r\n'),
    refusedWith: /empty/i,
  },
  {
    name: 'a story just over 5 MB',
    fileName: 'huge.md',
    content: storyOfSize('BIG-2', 5 * mebibyte + 1),
    refusedWith: /larger than 5 MB|too large|larger than/i,
    overGenerateContentLimit: true,
  },
  { name: 'PNG bytes', fileName: 'picture.png', content: pngBytes, refusedWith: /binary|UTF-8/i },
  {
    name: 'NUL bytes in a story',
    fileName: 'nul.md',
    content: Buffer.from('# NUL-1: Story\n\0\0\0\n- criterion\n', 'latin1'),
    // A file reads as binary; sent inside a JSON body, the server refuses the NUL in `content`.
    refusedWith: /binary|NUL character/i,
  },
  {
    name: 'invalid UTF-8',
    fileName: 'latin1.md',
    content: Buffer.concat([
      Buffer.from('# ENC-1: Caf'),
      Buffer.from([0xe9, 0x20, 0xff, 0xfe]),
      Buffer.from('\n\n## Acceptance criteria\n- Prices show\n'),
    ]),
    refusedWith: /UTF-8/,
  },
  {
    name: 'CSV with broken quoting',
    fileName: 'broken.csv',
    content: Buffer.from(
      'Key,Summary,Acceptance Criteria\nQ-1,"Pay by card,Card accepted\nQ-2,Refund,Money back\n',
    ),
    refusedWith: /quot/i,
  },
  {
    name: 'CSV with missing columns',
    fileName: 'columns.csv',
    content: Buffer.from('Owner,Estimate\nAnna,3\nBen,5\n'),
    refusedWith: /no summary column/i,
    csvByNameOnly: true,
  },
  {
    name: 'CSV with 100,000 rows',
    fileName: 'backlog.csv',
    content: csvRows(100_000),
    refusedWith: /100000 stories.*at most/i,
    overGenerateContentLimit: true,
  },
  {
    name: 'Jira JSON of the wrong shape',
    fileName: 'jira.json',
    content: Buffer.from(
      JSON.stringify({ expand: 'schema,names', startAt: 0, total: 1, issues: [{ id: '10001', fields: 7 }] }),
    ),
    refusedWith: /summary|fields/i,
  },
  {
    name: 'malformed JSON',
    fileName: 'story.json',
    content: Buffer.from('{ "key": "JS-1", "summary": "Pay", "acceptanceCriteria": ["Card accepted", }'),
    refusedWith: /not valid JSON/i,
  },
];

/** Inputs that are awkward but allowed: they must be read and stored whole. */
export const largeStory: BadInputCase = {
  name: 'a story of 4.9 MB',
  fileName: 'large.md',
  content: storyOfSize('BIG-1', Math.floor(4.9 * mebibyte)),
  overGenerateContentLimit: true,
};

/** A story large enough to stress the pipeline but quick to generate for offline (about 0.5 MB). */
export const largeGenerateStory: BadInputCase = {
  name: 'a story of 0.5 MB',
  fileName: 'half-mb.md',
  content: storyOfSize('BIG-3', Math.floor(0.5 * mebibyte)),
};

export type { CommandRun };

/** Runs `node bin/reqase.js …` with its own data directory (also its HOME) and no model configured. */
export function runReqaseWithoutModel(
  args: string[],
  options: { cwd: string; dataDirectory: string; env?: Record<string, string>; input?: Buffer },
): Promise<CommandRun> {
  return runReqaseProcess(args, { ...options, home: options.dataDirectory });
}

/** A crash prints "Unexpected error" and a stack; a handled error prints neither. */
export function looksLikeCrash(text: string): boolean {
  return /Unexpected error|\n\s+at .+:\d+:\d+|TypeError|RangeError|SyntaxError: /.test(text);
}
