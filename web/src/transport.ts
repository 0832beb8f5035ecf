/**
 * How the web app talks to the server: the `fetch` under the typed client (same-origin cookies, the
 * CSRF token on writes, a failed request thrown as `ApiError` with the server's code, message and
 * fix) and the reader of `text/event-stream` bodies.
 */

import type { ErrorBody } from '../../src/server/index.ts';
import { errorForWeb } from './remedy-wording.ts';

/** A failed request: the server's code, message and fix (or a network failure said plainly). */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fix: string | undefined;
  constructor(status: number, code: string, message: string, fix?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fix = fix;
  }
}

/** Called when a request answers 401, so the app can show the login screen. */
let onUnauthorized: (() => void) | undefined;
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)reqase_csrf=([^;]+)/.exec(document.cookie);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/**
 * The `fetch` of the typed client: sends the session cookie and, on writes, the CSRF token; throws
 * `ApiError` for a failed request or an unreachable server.
 */
export async function transport(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  if (method !== 'GET' && method !== 'HEAD') {
    const token = csrfToken();
    if (token) headers.set('X-CSRF-Token', token);
  }
  let response: Response;
  try {
    response = await fetch(input, { ...init, method, headers, credentials: 'same-origin' });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(
      0,
      'network',
      'The server could not be reached.',
      'Check that the Reqase Lite server is running, then try again.',
    );
  }
  if (!response.ok) throw await errorFrom(response);
  return response;
}

async function errorFrom(response: Response): Promise<ApiError> {
  if (response.status === 401) onUnauthorized?.();
  try {
    const parsed = (await response.json()) as Partial<ErrorBody>;
    if (parsed.error?.message) {
      const { message, fix } = errorForWeb(parsed.error);
      return new ApiError(response.status, parsed.error.code ?? 'error', message, fix);
    }
  } catch {
    // Not JSON: fall through to a plain description.
  }
  if (response.status === 404) {
    return new ApiError(
      404,
      'not_found',
      `This server has no ${response.url.replace(location.origin, '')} route.`,
      'Update Reqase Lite so the server and the web app match.',
    );
  }
  return new ApiError(
    response.status,
    'http_error',
    `The server answered ${response.status} ${response.statusText}.`,
  );
}

/**
 * Reads a `text/event-stream` body, calling `onEvent` for each complete event as it arrives.
 * (EventSource cannot POST, so the stream is read from fetch's body.)
 */
export async function readEventStream(
  response: Response,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  if (!response.body) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value.replace(/\r\n?/g, '\n');
    let boundary = buffer.indexOf('\n\n');
    while (boundary !== -1) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      dispatch(block, onEvent);
      boundary = buffer.indexOf('\n\n');
    }
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block: string, onEvent: (event: string, data: unknown) => void): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  const text = data.join('\n');
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Keep the text.
  }
  onEvent(event, parsed);
}
