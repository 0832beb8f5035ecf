/**
 * Small helpers for route definitions, so every route documents its body and its errors alike.
 */
import type { ZodType } from 'zod';
import { ErrorBodySchema } from './errors.ts';

/** A JSON body or response with its description. */
export function json<Schema extends ZodType>(schema: Schema, description: string) {
  return { content: { 'application/json': { schema } }, description } as const;
}

/** A required JSON request body. */
export function jsonBody<Schema extends ZodType>(schema: Schema, description = 'JSON body') {
  return { content: { 'application/json': { schema } }, required: true, description } as const;
}

const errorDescriptions = {
  400: 'Invalid input: the message names the field',
  401: 'Authentication required or token invalid',
  403: 'Refused: cross-site write or missing CSRF token',
  404: 'Not found',
  409: 'Conflict with stored data',
  413: 'Body too large',
  415: 'Unsupported media type',
  422: 'The request was understood but could not be carried out (e.g. no test case could be read)',
  500: 'Unexpected failure (no internals shown)',
  502: 'The model endpoint failed (the fix says what to do)',
  503: 'The database is unavailable',
  504: 'The model endpoint timed out',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** Error responses documented for a route: the ones every route can give plus `extra`. */
export function errors(...extra: ErrorStatus[]) {
  const statuses = new Set<ErrorStatus>([400, 401, 403, 413, 500, ...extra]);
  const responses: Partial<
    Record<
      ErrorStatus,
      { content: { 'application/json': { schema: typeof ErrorBodySchema } }; description: string }
    >
  > = {};
  for (const status of [...statuses].sort()) {
    responses[status] = {
      content: { 'application/json': { schema: ErrorBodySchema } },
      description: errorDescriptions[status],
    };
  }
  return responses;
}
