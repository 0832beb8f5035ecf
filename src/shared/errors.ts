/**
 * Root of every error Reqase Lite raises on purpose. Each one says what happened (`message`)
 * and, where the user can act, what to do next (`fix`). `code` is a stable machine-readable
 * identifier used by the CLI's `--json` output and the HTTP API's `{ error: { code, message, fix } }`.
 */
export class ReqaseError extends Error {
  readonly code: string;
  readonly fix: string | undefined;

  constructor(code: string, message: string, options: { fix?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.fix = options.fix;
  }

  /** The message followed by the fix, as printed to a person. */
  describe(): string {
    return this.fix ? `${this.message}\nFix: ${this.fix}` : this.message;
  }

  toJSON(): { code: string; message: string; fix?: string } {
    return this.fix
      ? { code: this.code, message: this.message, fix: this.fix }
      : { code: this.code, message: this.message };
  }
}

/** Input given by the user (a file, a flag, a request body) that cannot be used as it is. */
export class InvalidInputError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('invalid_input', message, options);
  }
}

/** Something asked for by name or id does not exist. */
export class NotFoundError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('not_found', message, options);
  }
}

/** Configuration that cannot be resolved into something usable. */
export class ConfigurationError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('configuration', message, options);
  }
}
