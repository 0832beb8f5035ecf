/** Failures before an answer arrived: unreachable, connection lost, timeout, cancelled. */
import { LlmError, type LlmErrorDetails, type LlmFix } from './llm-error.ts';

/** DNS failure, connection refused, TLS failure: the endpoint could not be reached at all. */
export class EndpointUnreachableError extends LlmError {
  constructor(baseUrl: string, reason: string, details: LlmErrorDetails = {}) {
    super(
      'llm_unreachable',
      'Endpoint unreachable',
      `could not connect to ${baseUrl} (${reason}).`,
      unreachableFix(reason),
      details,
    );
  }
}

/** The connection broke after it was made: reset, closed mid-answer. */
export class ConnectionLostError extends LlmError {
  constructor(reason: string, details: LlmErrorDetails = {}) {
    super(
      'llm_connection_lost',
      'Connection lost',
      `the connection to the endpoint broke before the answer was complete (${reason}).`,
      'Usually transient: try again. If it keeps happening, check proxies or load balancers between you and the server (idle timeouts, body size limits) and the server’s logs.',
      details,
    );
  }
}

/** An attempt took longer than the timeout, or all attempts together passed the deadline. */
export class LlmTimeoutError extends LlmError {
  readonly timeoutMilliseconds: number;
  constructor(what: 'attempt' | 'deadline', timeoutMilliseconds: number, details: LlmErrorDetails = {}) {
    super(
      'llm_timeout',
      'Timeout',
      what === 'attempt'
        ? `the endpoint did not answer within ${timeoutMilliseconds} ms.`
        : `no answer within the overall deadline of ${timeoutMilliseconds} ms (retries included).`,
      what === 'attempt'
        ? {
            text: 'Raise the timeout (timeoutMilliseconds, REQASE_TIMEOUT_MS), lower max tokens, or use a faster model; check that the server is not overloaded.',
            remedies: [
              {
                kind: 'set-setting',
                setting: 'timeout',
                note: 'lower max tokens or a faster model help too; check that the server is not overloaded',
              },
            ],
          }
        : 'Raise the overall deadline (limits.deadlineMilliseconds) or the per-attempt timeout, or try again when the endpoint is less busy.',
      details,
    );
    this.timeoutMilliseconds = timeoutMilliseconds;
  }
}

/** The caller cancelled the request (its AbortSignal fired). */
export class LlmCancelledError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    super(
      'llm_cancelled',
      'Cancelled',
      'the request was cancelled before the endpoint answered.',
      'Nothing to fix: run the command again when you want the answer.',
      details,
    );
  }
}

/** The base URL as a remedy, with why it may be the problem. */
function baseUrlFix(text: string, note: string): LlmFix {
  return { text, remedies: [{ kind: 'set-setting', setting: 'baseUrl', note }] };
}

function unreachableFix(reason: string): string | LlmFix {
  const lower = reason.toLowerCase();
  if (lower.includes('enotfound') || lower.includes('eai_again') || lower.includes('getaddrinfo')) {
    return baseUrlFix(
      'The host name does not resolve: check the base URL for typos, and your DNS or VPN.',
      'the host name does not resolve: check it for typos, and your DNS or VPN',
    );
  }
  if (lower.includes('econnrefused')) {
    return baseUrlFix(
      'Nothing listens at that address: start the server (e.g. `ollama serve`, `vllm serve`), or check the port in the base URL.',
      'nothing listens at that address: start the server (e.g. `ollama serve`, `vllm serve`), or check the port',
    );
  }
  if (lower.includes('bad port')) {
    // fetch refuses the ports browsers block (e.g. 1, 9, 25, 6000); no request is ever sent there.
    return 'This port is one that fetch refuses to connect to (a port browsers block, such as 6000 or 6665-6669): run the server on another port, such as 8000.';
  }
  if (lower.includes('cert') || lower.includes('tls') || lower.includes('ssl')) {
    return 'The TLS handshake failed: check the certificate (set NODE_EXTRA_CA_CERTS for a private CA) or use http:// for a local server.';
  }
  return baseUrlFix(
    'Check that the server is running and reachable from this machine, and the base URL.',
    'check that the server is running and reachable from this machine',
  );
}
