/**
 * Server-sent events for generations: each event is written as soon as the generation reports it,
 * in order; the stream ends with `done` or `error`. A client that goes away cancels the work.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { redactSecrets } from '../shared/secrets.ts';
import type { ServerEnv } from './context.ts';
import { errorBodyFor, statusForError } from './errors.ts';

export type SendEvent = (event: string, data: unknown) => void;

/** True when the client asked for a stream (`Accept: text/event-stream`). */
export function wantsEventStream(c: Context): boolean {
  return (c.req.header('accept') ?? '').toLowerCase().includes('text/event-stream');
}

/**
 * Runs `work`, streaming what it sends, then `done` with its result or `error` with the error body.
 *
 * @example
 * return streamEvents(c, async (send, signal) => { send('test-case', testCase); return summary; });
 */
export function streamEvents(
  c: Context<ServerEnv>,
  work: (send: SendEvent, signal: AbortSignal) => Promise<unknown>,
): Response {
  const secrets = c.get('secrets');
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    let writing: Promise<void> = Promise.resolve();
    let closed = false;
    const send: SendEvent = (event, data) => {
      if (closed) return;
      const text = redactSecrets(JSON.stringify(data), secrets);
      writing = writing
        .then(() => stream.writeSSE({ event, data: text }))
        .catch(() => {
          closed = true;
        });
    };
    try {
      const result = await work(send, abort.signal);
      send('done', result);
    } catch (error) {
      const status = statusForError(error);
      const logger = c.get('logger');
      if (status >= 500 && !(error instanceof Error && 'code' in error)) {
        logger.error({ err: describeForLog(error, secrets) }, 'stream failed');
      } else {
        logger.info({ code: errorBodyFor(error).error.code, status }, 'stream ended with an error');
      }
      send('error', errorBodyFor(error, secrets).error);
    }
    await writing;
  });
}

/** A bug's message and stack for the log, keys removed. */
export function describeForLog(
  error: unknown,
  secrets: readonly string[],
): { message: string; stack?: string } {
  if (error instanceof Error) {
    return {
      message: redactSecrets(error.message, secrets),
      ...(error.stack ? { stack: redactSecrets(error.stack, secrets) } : {}),
    };
  }
  return { message: redactSecrets(String(error), secrets) };
}
