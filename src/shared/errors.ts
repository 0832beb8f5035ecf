import { wordRemedies, type Remedy, type RemedyWording } from './remedy.ts';

/**
 * Every `code` an error can carry: the HTTP status map (src/server/errors.ts) is a
 * `Record<ErrorCode, number>`, so a new code fails the typecheck until it has a status.
 */
export const ERROR_CODES = [
  'invalid_input',
  'invalid_usage',
  'validation',
  'configuration',
  'not_found',
  'conflict',
  'storage',
  'secret_key_changed',
  'no_test_cases',
  'gherkin_syntax',
  'internal',
  'no_replacement',
  'llm_unreachable',
  'llm_connection_lost',
  'llm_timeout',
  'llm_cancelled',
  'llm_authentication',
  'llm_not_found',
  'llm_rate_limited',
  'llm_server_error',
  'llm_request_rejected',
  'llm_incorrect_response_structure',
  'llm_missing_required_fields',
  'llm_truncated',
  'llm_content_filtered',
  'llm_error_in_success_response',
  'answer_empty_answer',
  'answer_refusal',
  'answer_unparseable',
  'answer_schema_mismatch',
  'answer_no_test_cases',
  'connector_authentication',
  'connector_permission',
  'connector_not_found',
  'connector_rate_limited',
  'connector_server',
  'connector_request',
  'connector_unreachable',
  'connector_import_failed',
  'unauthorized',
  'cross_site_request',
  'csrf_token_invalid',
  'host_not_allowed',
  'payload_too_large',
  'unsupported_media_type',
  'overloaded',
  'http_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** What an error may carry besides its message: a fix in words and/or as data, and a cause. */
export interface ErrorOptions {
  /** What to do next, in a sentence free of CLI words (shown as is by every surface). */
  fix?: string;
  /**
   * What to do next as data, alternatives in order; each surface words them its own way and
   * shows that instead of `fix`.
   */
  remedies?: Remedy[];
  cause?: unknown;
}

/**
 * Root of every error Reqase Lite raises on purpose. Each one says what happened (`message`)
 * and, where the user can act, what to do next (`fix`). `code` is a stable machine-readable
 * identifier used by the CLI's `--json` output and the HTTP API's `{ error: { code, message, fix } }`.
 */
export class ReqaseError extends Error {
  readonly code: ErrorCode;
  readonly fix: string | undefined;
  readonly remedies: readonly Remedy[];

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
    this.remedies = options.remedies ?? [];
  }

  /**
   * The fix as a surface shows it: its remedies in that surface's words when there are any, else
   * the plain `fix`.
   */
  fixFor(wording: RemedyWording): string | undefined {
    return this.remedies.length > 0 ? wordRemedies(this.remedies, wording) : this.fix;
  }

  /** The message followed by the plain fix (logs, wrapped errors); surfaces use `fixFor`. */
  describe(): string {
    return this.fix ? `${this.message}\nFix: ${this.fix}` : this.message;
  }

  toJSON(): { code: string; message: string; fix?: string; remedies?: Remedy[] } {
    return {
      code: this.code,
      message: this.message,
      ...(this.fix ? { fix: this.fix } : {}),
      ...(this.remedies.length > 0 ? { remedies: [...this.remedies] } : {}),
    };
  }
}

/** Input given by the user (a file, a flag, a request body) that cannot be used as it is. */
export class InvalidInputError extends ReqaseError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('invalid_input', message, options);
  }
}

/** Something asked for by name or id does not exist. */
export class NotFoundError extends ReqaseError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('not_found', message, options);
  }
}

/** Configuration that cannot be resolved into something usable. */
export class ConfigurationError extends ReqaseError {
  constructor(message: string, options: ErrorOptions = {}) {
    super('configuration', message, options);
  }
}
