/**
 * The cURL command equivalent to the contract's minimal request, for the user to rerun by hand.
 * The key is always masked: the user puts it back in.
 */
import { maskSecret, redactSecrets } from '../../shared/secrets.ts';
import { helloRequest } from './probe.ts';

const secretHeaderName = /auth|key|token|secret|cookie|session|password/i;

/**
 * @example
 * renderCurl({ baseUrl: 'http://localhost:8000/v1', model: 'llama3.1', apiKey: 'sk-abcdefgh12345678' })
 * // curl -X POST 'http://localhost:8000/v1/chat/completions' \
 * //   -H 'Authorization: Bearer sk-…5678' \ …
 */
export function renderCurl(options: {
  baseUrl: string;
  model: string;
  apiKey?: string;
  extraHeaders?: Record<string, string>;
}): string {
  const lines = [`curl -X POST ${shellQuote(`${options.baseUrl}/chat/completions`)}`];
  if (options.apiKey) lines.push(`-H ${shellQuote(`Authorization: Bearer ${maskSecret(options.apiKey)}`)}`);
  lines.push(`-H ${shellQuote('Content-Type: application/json')}`);
  for (const [name, value] of Object.entries(options.extraHeaders ?? {})) {
    lines.push(`-H ${shellQuote(`${name}: ${secretHeaderName.test(name) ? maskSecret(value) : value}`)}`);
  }
  lines.push(`-d ${shellQuote(JSON.stringify(helloRequest(options.model)))}`);
  return redactSecrets(lines.join(' \\\n  '), [options.apiKey]);
}

/** POSIX single quoting: `'` becomes `'\''`. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
