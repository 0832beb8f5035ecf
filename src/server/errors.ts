/**
 * HTTP errors: the JSON error body every route answers with, and the one function deciding which
 * error becomes which status. Nothing else in the server picks an error status.
 */
import { z } from '@hono/zod-openapi';
import { ReqaseError, type ErrorCode, type ErrorOptions } from '../shared/errors.ts';
import { RemedySchema } from '../shared/remedy.ts';
import { redactSecrets } from '../shared/secrets.ts';
import { apiRemedyWording } from './remedy-wording.ts';

/**
 * `{ error: { code, message, fix?, remedies? } }`: what every failing request answers. `fix` is a
 * sentence in the API's words (fields, routes); `remedies` is the same advice as data, for clients
 * that word it themselves (the web app names its form fields and buttons).
 */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_input' }),
      message: z
        .string()
        .openapi({ example: 'format: Invalid option: expected one of "bdd"|"manual"|"generic".' }),
      fix: z.string().optional(),
      remedies: z.array(RemedySchema).optional(),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An error raised by the server itself (authentication, size limits, media types). */
export class HttpError extends ReqaseError {
  readonly status: number;
  constructor(status: number, code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(code, message, options);
    this.status = status;
  }
}

const llmUpstream = 502;
const connectorUpstream = 502;
const aboutTheRequest = 422;

/**
 * The HTTP status of every error code: a `Record`, so a new code fails the typecheck until it has
 * one. Model endpoint and tool (Jira, Xray, TestRail) failures are the upstream's (bad gateway),
 * with their fix; domain errors a user can meet (no test cases, unreadable answer) are about the
 * request (422).
 */
const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  invalid_usage: 400,
  validation: 400,
  configuration: 400,
  not_found: 404,
  conflict: 409,
  storage: 503,
  secret_key_changed: 500,
  no_test_cases: aboutTheRequest,
  gherkin_syntax: aboutTheRequest,
  no_replacement: aboutTheRequest,
  internal: 500,
  llm_unreachable: llmUpstream,
  llm_connection_lost: llmUpstream,
  llm_timeout: 504,
  llm_cancelled: 499,
  llm_authentication: llmUpstream,
  llm_not_found: llmUpstream,
  llm_rate_limited: llmUpstream,
  llm_server_error: llmUpstream,
  llm_request_rejected: llmUpstream,
  llm_incorrect_response_structure: llmUpstream,
  llm_missing_required_fields: llmUpstream,
  llm_truncated: llmUpstream,
  llm_content_filtered: llmUpstream,
  llm_error_in_success_response: llmUpstream,
  answer_empty_answer: aboutTheRequest,
  answer_refusal: aboutTheRequest,
  answer_unparseable: aboutTheRequest,
  answer_schema_mismatch: aboutTheRequest,
  answer_no_test_cases: aboutTheRequest,
  connector_authentication: connectorUpstream,
  connector_permission: connectorUpstream,
  connector_not_found: connectorUpstream,
  connector_rate_limited: connectorUpstream,
  connector_server: connectorUpstream,
  connector_request: connectorUpstream,
  connector_unreachable: connectorUpstream,
  connector_import_failed: connectorUpstream,
  unauthorized: 401,
  cross_site_request: 403,
  csrf_token_invalid: 403,
  host_not_allowed: 421,
  payload_too_large: 413,
  unsupported_media_type: 415,
  overloaded: 503,
  http_error: 400,
};

/** The HTTP status of an error: one place for the whole mapping. */
export function statusForError(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (!(error instanceof ReqaseError)) return 500;
  return statusByCode[error.code];
}

/**
 * The error body for any thrown value. Errors raised on purpose keep their message and fix;
 * anything else is a bug and says so without internals (no stack, no message).
 */
export function errorBodyFor(error: unknown, secrets: ReadonlyArray<string | undefined> = []): ErrorBody {
  if (error instanceof ReqaseError) {
    const redact = (text: string): string => redactSecrets(text, secrets);
    const fix = error.fixFor(apiRemedyWording);
    return {
      error: {
        code: error.code,
        message: redact(error.message),
        ...(fix ? { fix: redact(fix) } : {}),
        ...(error.remedies.length > 0 ? { remedies: [...error.remedies] } : {}),
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
