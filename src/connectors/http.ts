import { redactSecrets } from '../shared/secrets.ts';
import { ConnectorError, connectorErrorFromStatus, isRetryableStatus } from './errors.ts';

/** I/O a connector needs, injected (tests pass a fetch that crashes, a sleep that records). */
export interface ConnectorDependencies {
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Default: a real timer. */
  sleep?: (milliseconds: number) => Promise<void>;
  /** Default: `Date.now`. */
  now?: () => number;
}

export interface ConnectorHttpOptions extends ConnectorDependencies {
  /** The vendor's name as people know it (`TestRail`), for messages. */
  vendor: string;
  /** E.g. `https://example.testrail.io`; a trailing slash is removed. */
  baseUrl: string;
  /** The `Authorization` header value, asked before every request (a bearer token may change). */
  authorization: () => string | Promise<string>;
  /** Secrets to redact from every message (tokens, keys). */
  secrets: readonly string[];
  /** What to check when the credentials are refused, e.g. "the account email and API token". */
  credentialHint: string;
  /** Reads the vendor's own message from an error body. */
  vendorMessage: (body: unknown, text: string) => string;
  /** Default: 6. */
  maxRetries?: number;
  /** Pace requests evenly to this many a minute. Default: no pacing. */
  requestsPerMinute?: number;
  /** Retry 409 as TestRail's daily maintenance answer. Default: false. */
  retryOnConflict?: boolean;
  /** Longest wait for one retry, in ms (a longer `Retry-After` is cut). Default: 60,000. */
  maxRetryDelayMilliseconds?: number;
}

export interface ConnectorRequest {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Appended to the base URL as it is (TestRail's `index.php?/api/v2/...` keeps its `?`). */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /**
   * Safe to send again after a connection fault. Default: true for GET, false otherwise — a create
   * whose connection broke may have been made, so it is not repeated blindly (a resumed push looks
   * it up first).
   */
  idempotent?: boolean;
}

export interface ConnectorResponse<Body> {
  status: number;
  body: Body;
}

export interface ConnectorHttpClient {
  request<Body>(request: ConnectorRequest): Promise<ConnectorResponse<Body>>;
  /** Requests sent so far, retries included (benchmarks report it). */
  readonly requestCount: number;
}

const realSleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));

/**
 * A small JSON client for one vendor: paced to a request rate, retrying 429 (honouring
 * `Retry-After` and `X-RateLimit-Reset`), 5xx, connection faults and, where asked, 409; every
 * other status becomes a `ConnectorError` carrying the vendor's own message, secrets redacted.
 *
 * @example
 * const http = createConnectorHttpClient({ vendor: 'TestRail', baseUrl, authorization: () => 'Basic …',
 *   secrets: [apiKey], credentialHint: 'the user and API key', vendorMessage: (body) => String(body?.error) });
 * const { body } = await http.request({ path: '/index.php?/api/v2/get_priorities' });
 */
export function createConnectorHttpClient(options: ConnectorHttpOptions): ConnectorHttpClient {
  const fetchFunction = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const maxRetries = options.maxRetries ?? 6;
  const maxDelay = options.maxRetryDelayMilliseconds ?? 60_000;
  const waitForSlot = createPacer(options.requestsPerMinute, now, sleep);
  let requestCount = 0;

  function redact(text: string): string {
    return redactSecrets(text, options.secrets);
  }

  async function sendOnce(request: ConnectorRequest, url: string): Promise<Response> {
    await waitForSlot();
    requestCount += 1;
    const headers: Record<string, string> = {
      Accept: 'application/json',
      Authorization: await options.authorization(),
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    return fetchFunction(url, {
      method: request.method ?? 'GET',
      headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    });
  }

  async function request<Body>(request: ConnectorRequest): Promise<ConnectorResponse<Body>> {
    const url = buildUrl(baseUrl, request);
    const method = request.method ?? 'GET';
    const shownPath = request.path.replace(/\?.*$/, (query) => (query.startsWith('?/') ? query : ''));
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await sendOnce(request, url);
      } catch (cause) {
        if (attempt < maxRetries && (request.idempotent ?? method === 'GET')) {
          await sleep(backoff(attempt));
          continue;
        }
        throw new ConnectorError(
          'unreachable',
          redact(`${options.vendor} at ${baseUrl} cannot be reached: ${(cause as Error).message}`),
          {
            vendor: options.vendor,
            retryable: true,
            cause,
            fix: `Check the ${options.vendor} URL and the network, then run it again.`,
          },
        );
      }
      const text = await response.text();
      if (response.ok) return { status: response.status, body: parseBody(text) as Body };
      if (isRetryableStatus(response.status, options.retryOnConflict ?? false) && attempt < maxRetries) {
        await sleep(Math.min(retryDelay(response, now()) ?? backoff(attempt), maxDelay));
        continue;
      }
      throw connectorErrorFromStatus({
        vendor: options.vendor,
        status: response.status,
        vendorMessage: redact(options.vendorMessage(parseBody(text), text).slice(0, 500)),
        method,
        path: shownPath,
        credentialHint: options.credentialHint,
      });
    }
  }

  return {
    request,
    get requestCount() {
      return requestCount;
    },
  };
}

/**
 * Spaces requests evenly to stay under a vendor's requests-per-minute limit: each call waits for
 * its slot. Whole milliseconds plus one: a vendor's sliding window never sees the (n+1)th request
 * inside the same minute through rounding (180 a minute paces at 335 ms, 99.5% of the limit).
 */
function createPacer(
  requestsPerMinute: number | undefined,
  now: () => number,
  sleep: (milliseconds: number) => Promise<void>,
): () => Promise<void> {
  const interval = requestsPerMinute ? Math.ceil(60_000 / requestsPerMinute) + 1 : 0;
  let nextSlot = 0;
  return async () => {
    if (interval === 0) return;
    const current = now();
    const slot = Math.max(current, nextSlot);
    nextSlot = slot + interval;
    if (slot > current) await sleep(slot - current);
  };
}

function buildUrl(baseUrl: string, request: ConnectorRequest): string {
  const parameters = Object.entries(request.query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  if (parameters.length === 0) return baseUrl + request.path;
  return `${baseUrl}${request.path}${request.path.includes('?') ? '&' : '?'}${parameters.join('&')}`;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** 250 ms, 500 ms, 1 s, … up to 8 s. */
function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 8_000);
}

/** `Retry-After` in seconds or as an HTTP date; else `X-RateLimit-Reset` (Jira: an ISO date). */
function retryDelay(response: Response, nowMilliseconds: number): number | undefined {
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMilliseconds);
  }
  const reset = response.headers.get('x-ratelimit-reset');
  if (reset !== null) {
    const date = Date.parse(reset);
    if (Number.isFinite(date)) return Math.max(0, date - nowMilliseconds);
  }
  return undefined;
}
