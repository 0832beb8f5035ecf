import { ConfigurationError } from '../shared/errors.ts';

export interface NormalizedBaseUrl {
  /** The base URL to give the client, without a trailing slash, e.g. `http://localhost:8000/v1`. */
  url: string;
  /** One sentence per change made, for the user to see (empty when nothing changed). */
  notices: string[];
}

const pastedEndpointSuffixes = ['/chat/completions', '/completions', '/models'];

/**
 * Normalizes a base URL as people paste it: adds a missing scheme, removes a trailing slash,
 * removes a pasted `/chat/completions`, and adds `/v1` to a bare host. Each change is reported.
 * `source` names where the value came from, for the error message (e.g. "REQASE_BASE_URL"); the
 * errors also carry the base URL setting as a remedy, which each surface words its own way.
 *
 * @example
 * normalizeBaseUrl('http://localhost:8000/v1/chat/completions/')
 * // { url: 'http://localhost:8000/v1', notices: ['Removed "/chat/completions" …', …] }
 */
export function normalizeBaseUrl(
  input: string,
  source = 'the base URL setting',
  options: {
    /** Keep a bare host as it is: for the rare server that serves `/chat/completions` at the root. */
    exact?: boolean;
  } = {},
): NormalizedBaseUrl {
  const notices: string[] = [];
  let text = input.trim();
  if (text === '') {
    throw new ConfigurationError(`The base URL is empty (${source}).`, {
      fix: "Give the endpoint's base URL, e.g. http://localhost:8000/v1.",
      remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' }],
    });
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const host = text.split(/[/:]/)[0] ?? '';
    const local = host === 'localhost' || /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.endsWith('.local');
    const scheme = local ? 'http' : 'https';
    notices.push(`The base URL had no scheme; using ${scheme}://${text}.`);
    text = `${scheme}://${text}`;
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch (cause) {
    throw new ConfigurationError(`The base URL "${input}" (${source}) is not a valid URL.`, {
      fix: 'Give a full URL, e.g. http://localhost:8000/v1.',
      remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' }],
      cause,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigurationError(
      `The base URL "${input}" (${source}) uses ${parsed.protocol}; only http and https work.`,
      {
        fix: 'Give an http:// or https:// URL.',
        remedies: [{ kind: 'set-setting', setting: 'baseUrl', example: 'http://localhost:8000/v1' }],
      },
    );
  }
  if (parsed.search || parsed.hash) {
    notices.push(`Removed the query string or fragment from the base URL.`);
    parsed.search = '';
    parsed.hash = '';
  }
  let path = parsed.pathname;
  if (path.length > 1 && path.endsWith('/')) {
    path = path.replace(/\/+$/, '');
    notices.push('Removed the trailing slash from the base URL.');
  }
  for (const suffix of pastedEndpointSuffixes) {
    if (path.toLowerCase().endsWith(suffix)) {
      path = path.slice(0, -suffix.length);
      notices.push(`Removed "${suffix}" from the base URL: the client adds the endpoint path itself.`);
      break;
    }
  }
  if (path === '' || path === '/') {
    if (options.exact) {
      path = '';
    } else {
      path = '/v1';
      notices.push(
        'The base URL had no path; added "/v1" (OpenAI-compatible servers serve under /v1). For a server that serves /chat/completions at the root, set REQASE_BASE_URL_EXACT=1.',
      );
    }
  }
  const url = `${parsed.protocol}//${parsed.host}${path}`;
  return { url, notices };
}
