/**
 * Helpers that keep API keys out of everything a person or a log can read.
 */

/**
 * Shows a key as its prefix and last four characters, e.g. `sk-…a1b2`. Short keys are fully hidden.
 *
 * @example maskSecret('sk-proj-abcdef1234') // 'sk-…1234'
 */
export function maskSecret(secret: string | undefined | null): string {
  if (!secret) return '(none)';
  if (secret.length < 12) return '…' + '*'.repeat(4);
  const prefixMatch = /^([a-z]{2,4}-)/i.exec(secret);
  const prefix = prefixMatch ? prefixMatch[1] : '';
  return `${prefix}…${secret.slice(-4)}`;
}

/**
 * Replaces every occurrence of each secret in `text` with its masked form. Secrets shorter than
 * 4 characters are ignored (they would mask ordinary words).
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  let redacted = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    redacted = redacted.split(secret).join(maskSecret(secret));
  }
  return redacted;
}
