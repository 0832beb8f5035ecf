/**
 * HTTP errors: the JSON error body every route answers with, and the one function deciding which
 * error becomes which status. Nothing else in the server picks an error status.
 */
import { z } from '@hono/zod-openapi';
import { ReqaseError } from '../shared/errors.ts';
import { redactSecrets } from '../shared/secrets.ts';

/** `{ error: { code, message, fix? } }`: what every failing request answers. */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_input' }),
      message: z
        .string()
        .openapi({ example: 'format: Invalid option: expected one of "bdd"|"manual"|"generic".' }),
      fix: z.string().optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error raised by the server itself (authentication, size limits, media types). */
export class HttpError extends ReqaseError {
  readonly status: number;
  constructor(status: number, code: string, message: string, options: { fix?: string } = {}) {
    super(code, message, options);
    this.status = status;
  }
}

const statusByCode: Record<string, number> = {
  invalid_input: 400,
  invalid_usage: 400,
  validation: 400,
  configuration: 400,
  not_found: 404,
  conflict: 409,
  storage: 503,
  secret_key_changed: 500,
  llm_timeout: 504,
  llm_cancelled: 499,
};

/** The HTTP status of an error: one place for the whole mapping. */
export function statusForError(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (!(error instanceof ReqaseError)) return 500;
  const known = statusByCode[error.code];
  if (known !== undefined) return known;
  // Every other failure of the model endpoint is the upstream's (bad gateway), with its fix.
  if (error.code.startsWith('llm_')) return 502;
  // So is every failure of Jira, Xray or TestRail (refused credentials included): the fix says what to change.
  if (error.code.startsWith('connector_')) return 502;
  // Domain errors a user can meet (no test cases, unreadable answer, …) are about the request.
  return 422;
}

/**
 * The error body for any thrown value. Errors raised on purpose keep their message and fix;
 * anything else is a bug and says so without internals (no stack, no message).
 */
export function errorBodyFor(error: unknown, secrets: ReadonlyArray<string | undefined> = []): ErrorBody {
  if (error instanceof ReqaseError) {
    const redact = (text: string): string => redactSecrets(text, secrets);
    return {
      error: {
        code: error.code,
        message: redact(error.message),
        ...(error.fix ? { fix: redact(error.fix) } : {}),
      },
    };
  }
  return {
    error: {
      code: 'internal',
      message: 'The server failed unexpectedly while answering this request.',
      fix: 'Try again; if it keeps failing, report it with the request id from the X-Request-Id header.',
    },
  };
}

/** Names each invalid field, e.g. `format: Invalid option …; count.min: Too small …`. */
export function describeValidationIssues(
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  where: string,
): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const field = issue.path.map(String).join('.');
    return field ? `${field}: ${issue.message}` : issue.message;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Invalid ${where}: ${parts.join('; ')}${more}.`;
}
