import { ReqaseError, type ErrorCode } from '../shared/errors.ts';

/** What went wrong talking to a tool (Jira, Xray, Zephyr Scale, TestRail), by kind. */
export type ConnectorErrorKind =
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'rate-limited'
  | 'server'
  | 'request'
  | 'unreachable'
  | 'import-failed';

const CODES: Record<ConnectorErrorKind, ErrorCode> = {
  authentication: 'connector_authentication',
  permission: 'connector_permission',
  'not-found': 'connector_not_found',
  'rate-limited': 'connector_rate_limited',
  server: 'connector_server',
  request: 'connector_request',
  unreachable: 'connector_unreachable',
  'import-failed': 'connector_import_failed',
};

/**
 * Root of every error raised by a connector. Keeps the vendor, the HTTP status, the vendor's own
 * message (secrets redacted) and whether retrying may help; `fix` says what to change.
 */
export class ConnectorError extends ReqaseError {
  readonly kind: ConnectorErrorKind;
  readonly vendor: string;
  readonly status: number | undefined;
  readonly vendorMessage: string | undefined;
  readonly retryable: boolean;

  constructor(
    kind: ConnectorErrorKind,
    message: string,
    details: {
      vendor: string;
      status?: number;
      vendorMessage?: string;
      retryable?: boolean;
      fix?: string;
      cause?: unknown;
    },
  ) {
    super(CODES[kind], message, {
      ...(details.fix === undefined ? {} : { fix: details.fix }),
      ...(details.cause === undefined ? {} : { cause: details.cause }),
    });
    this.kind = kind;
    this.vendor = details.vendor;
    this.status = details.status;
    this.vendorMessage = details.vendorMessage;
    this.retryable = details.retryable ?? false;
  }
}

/** True for the statuses and faults a connector retries: 429, 5xx, and (TestRail) 409 maintenance. */
export function isRetryableStatus(status: number, retryOnConflict: boolean): boolean {
  return status === 429 || status >= 500 || (retryOnConflict && status === 409);
}

/**
 * The one place where an HTTP status becomes a connector error, worded for the vendor.
 * `credentialHint` names what to check (e.g. "the account email and API token").
 */
export function connectorErrorFromStatus(options: {
  vendor: string;
  status: number;
  vendorMessage: string;
  method: string;
  path: string;
  credentialHint: string;
}): ConnectorError {
  const { vendor, status, vendorMessage, method, path, credentialHint } = options;
  const said = vendorMessage ? ` ${vendor} said: ${vendorMessage}` : '';
  const base = { vendor, status, vendorMessage };
  if (status === 401) {
    return new ConnectorError('authentication', `${vendor} refused the credentials (401).${said}`, {
      ...base,
      fix: `Check ${credentialHint}; create a new one if it was revoked or has expired.`,
    });
  }
  if (status === 403) {
    return new ConnectorError('permission', `${vendor} denied access to ${method} ${path} (403).${said}`, {
      ...base,
      fix: `Give the account behind ${credentialHint} permission for this project, or use an account that has it.`,
    });
  }
  if (status === 404) {
    return new ConnectorError('not-found', `${vendor} found nothing at ${method} ${path} (404).${said}`, {
      ...base,
      fix: `Check the ${vendor} URL and the project, suite or issue named.`,
    });
  }
  if (status === 429) {
    return new ConnectorError('rate-limited', `${vendor} kept answering 429 (rate limit) after retries.`, {
      ...base,
      retryable: true,
      fix: `Wait a minute and run it again (it resumes where it stopped), or lower the request rate.`,
    });
  }
  if (status >= 500 || status === 409) {
    return new ConnectorError('server', `${vendor} failed with ${status} after retries.${said}`, {
      ...base,
      retryable: true,
      fix: `Try again later (it resumes where it stopped); check ${vendor}'s status page if it persists.`,
    });
  }
  return new ConnectorError('request', `${vendor} rejected ${method} ${path} (${status}).${said}`, {
    ...base,
    fix: `Correct what ${vendor} names above (a field, a value or a query) and run it again.`,
  });
}
