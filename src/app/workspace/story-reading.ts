/**
 * Reading the stories of an import: parsing, the checks over all of them (count, duplicate keys,
 * NUL characters) and the content hashes. A large input is read in a worker thread so the server's
 * event loop stays free (10,000 JSON stories take most of a second); a small one in this thread,
 * where starting a worker would cost more than it saves. Either way the same errors come back.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Story } from '../../core/index.ts';
import {
  parseStoriesCsv,
  parseStoryText,
  storyContentHash,
  type CsvColumnMapping,
} from '../../formats/index.ts';
import { InvalidInputError, ReqaseError } from '../../shared/errors.ts';
import { findNulCharacter, quoteForMessage } from '../../shared/nul-character.ts';
import type { Remedy } from '../../shared/remedy.ts';

/**
 * Most stories one import takes. An import is one transaction, so a larger file would hold the
 * database's write lock (SQLite) or its rows (PostgreSQL) for long; refusing it before anything is
 * written keeps imports short. Jira's own CSV export stops at 1,000 issues.
 */
export const MAX_STORIES_PER_IMPORT = 10_000;

/** Inputs from this size (bytes or characters) on are read in a worker thread. */
const WORKER_THRESHOLD = 256 * 1024;

export interface StoryReadingInput {
  content: string | Uint8Array;
  fileName?: string;
  csvMapping?: CsvColumnMapping;
}

export interface ReadStories {
  stories: Array<Story & { contentHash: string }>;
  warnings: string[];
  csvMapping?: CsvColumnMapping;
}

/** Stories in one message from the worker: each message is deserialised in one go on this thread. */
export const STORIES_PER_MESSAGE = 250;

/**
 * What the worker sends: the stories in batches (the next one when this thread asks for it, so
 * it receives them a turn of the event loop apart), then the rest; or the error's parts.
 */
export type StoryReadingMessage =
  | { kind: 'stories'; stories: ReadStories['stories'] }
  | { kind: 'read'; warnings: string[]; csvMapping?: CsvColumnMapping }
  | { kind: 'error'; error: ReadingErrorParts };

/** What of a reading error crosses from the worker: its remedies too, so each surface can word them. */
interface ReadingErrorParts {
  name: string;
  message: string;
  fix?: string;
  remedies?: Remedy[];
  causeMessage?: string;
}

/**
 * Reads and checks every story of the input, in a worker thread when the input is large.
 * @example
 * const { stories } = await readStoriesOffThread({ content, fileName: 'stories.json' });
 */
export async function readStoriesOffThread(input: StoryReadingInput): Promise<ReadStories> {
  if (input.content.length < WORKER_THRESHOLD || !workerAvailable()) return readStories(input);
  return runWorker(input);
}

/**
 * The worker's module is there from src/ and from dist/. A bundle of the CLI (the tests' esbuild
 * bundle, or anyone's) has no file of its own for it: there the stories are read in this thread,
 * which a command line, unlike the server, can afford.
 */
function workerAvailable(): boolean {
  return import.meta.url.endsWith('.ts') || existsSync(new URL('./story-reading-worker.js', import.meta.url));
}

function runWorker(input: StoryReadingInput): Promise<ReadStories> {
  const worker = startWorker(input);
  const stories: ReadStories['stories'] = [];
  return new Promise<ReadStories>((resolve, reject) => {
    worker.on('message', (message: StoryReadingMessage) => {
      if (message.kind === 'stories') {
        stories.push(...message.stories);
        setImmediate(() => worker.postMessage('next'));
      } else if (message.kind === 'read') {
        const { kind: _kind, ...rest } = message;
        resolve({ stories, ...rest });
      } else {
        reject(rebuildError(message.error));
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`The story reader stopped (exit code ${code}) before answering.`)),
    );
  }).finally(() => void worker.terminate());
}

/**
 * From dist/ the worker is JavaScript. From src/ (tsx, vitest) it is TypeScript, which a worker
 * cannot load by itself on Node 20 (the parent's loader hooks do not reach it), so a small script
 * loads it through tsx's API; tsx is there whenever the sources are run.
 */
function startWorker(input: StoryReadingInput): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./story-reading-worker.js', import.meta.url), { workerData: input });
  }
  const source = new URL('./story-reading-worker.ts', import.meta.url).href;
  // Resolved from this file where the runtime can (vitest may not offer import.meta.resolve).
  const tsxApi =
    typeof import.meta.resolve === 'function' ? import.meta.resolve('tsx/esm/api') : 'tsx/esm/api';
  const script = `import(${JSON.stringify(tsxApi)}).then(({ tsImport }) => tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}));`;
  return new Worker(script, { eval: true, workerData: input });
}

function rebuildError(error: ReadingErrorParts): Error {
  const options = {
    ...(error.fix === undefined ? {} : { fix: error.fix }),
    ...(error.remedies === undefined ? {} : { remedies: error.remedies }),
    ...(error.causeMessage === undefined ? {} : { cause: new Error(error.causeMessage) }),
  };
  if (error.name === 'InvalidInputError') return new InvalidInputError(error.message, options);
  return new Error(error.message, options);
}

/** The message the worker posts for an error thrown while reading. */
export function describeReadingError(error: unknown): StoryReadingMessage {
  if (error instanceof ReqaseError) {
    return {
      kind: 'error',
      error: {
        name: error.name,
        message: error.message,
        ...(error.fix === undefined ? {} : { fix: error.fix }),
        ...(error.remedies.length === 0 ? {} : { remedies: [...error.remedies] }),
        ...(error.cause instanceof Error ? { causeMessage: error.cause.message } : {}),
      },
    };
  }
  return {
    kind: 'error',
    error: { name: 'Error', message: error instanceof Error ? error.message : String(error) },
  };
}

/** Reads the stories in this thread: the worker's work, and all of it for small inputs. */
export function readStories(input: StoryReadingInput): ReadStories {
  const isCsv = input.csvMapping !== undefined || /\.csv$/i.test(input.fileName ?? '');
  let stories: Story[];
  let warnings: string[];
  let csvMapping: CsvColumnMapping | undefined;
  if (isCsv) {
    const csv = parseStoriesCsv(input.content, input.csvMapping ? { mapping: input.csvMapping } : {});
    if (!csv.ok) throw csv.error;
    ({ stories, warnings, mapping: csvMapping } = csv.value);
  } else {
    const result = parseStoryText(input.content, input.fileName ? { fileName: input.fileName } : {});
    if (!result.ok) throw result.error;
    stories = result.value;
    warnings = result.warnings;
  }
  const name = input.fileName ?? 'the input';
  if (stories.length === 0) {
    throw new InvalidInputError(`No story was found in ${name}.`, {
      fix: 'Give a file with at least one story (a title and acceptance criteria), or check the CSV column mapping.',
    });
  }
  if (stories.length > MAX_STORIES_PER_IMPORT) {
    throw new InvalidInputError(
      `${name} holds ${stories.length} stories; one import takes at most ${MAX_STORIES_PER_IMPORT}. Nothing was imported.`,
      {
        fix: `Split the file into parts of at most ${MAX_STORIES_PER_IMPORT} stories and import each one.`,
      },
    );
  }
  const seen = new Set<string>();
  for (const story of stories) {
    if (seen.has(story.key)) {
      throw new InvalidInputError(
        `The story key ${story.key} appears more than once in ${name}; nothing was imported.`,
        {
          fix: 'Give each story its own key.',
        },
      );
    }
    seen.add(story.key);
  }
  refuseNulCharacters(stories, name);
  return {
    stories: stories.map((story) => ({ ...story, contentHash: storyContentHash(story) })),
    warnings,
    ...(csvMapping ? { csvMapping } : {}),
  };
}

/** Refuses a story with a NUL character in any field, naming the story and the field. */
function refuseNulCharacters(stories: readonly Story[], name: string): void {
  for (const story of stories) {
    const field = findNulCharacter(story);
    if (!field) continue;
    throw new InvalidInputError(
      `Story ${quoteForMessage(story.key)} in ${name} holds a NUL character (\\u0000) in ${field.join('.')}; nothing was imported.`,
      { fix: 'Remove the NUL characters from the file and import it again.' },
    );
  }
}
