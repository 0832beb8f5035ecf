/**
 * Concrete, deterministic test data: a tester can type it as it is. Long values are described
 * ("a 65-character password made of …") rather than pasted.
 */

const PASSWORD_PATTERN = 'Pa55w0rd!Xy7#Km2&Lq9$Tn4';
const TEXT_PATTERN = 'Quiet brown fox jumps over 42 lazy dogs ';
const DIGITS_PATTERN = '4831920576';
const LITERAL_LIMIT = 24;

function repeatTo(pattern: string, length: number): string {
  return pattern.repeat(Math.ceil(length / pattern.length)).slice(0, length);
}

function patternFor(subject: string, unit: string | undefined): string {
  if (unit === 'digits' || /\b(?:pin|otp|number)\b/i.test(subject)) return DIGITS_PATTERN;
  if (/\b(?:reference|code|id|key)\b/i.test(subject)) return 'KQMXPRTWBHNCVZLD';
  if (/password|passphrase|secret/i.test(subject)) return PASSWORD_PATTERN;
  if (/name/i.test(subject)) return 'Maria Lopez-Fernandez de la Cruz Alvarez ';
  if (/street|address/i.test(subject)) return '221B Baker Street Flat 4 Marylebone London ';
  return TEXT_PATTERN;
}

/** A value of exactly `length` characters, written out when short, described when long. */
export function textOfLength(subject: string, length: number, unit: string | undefined): string {
  if (length === 0) return '(empty)';
  const pattern = patternFor(subject, unit);
  if (length <= LITERAL_LIMIT) return `"${repeatTo(pattern, length)}"`;
  const start = repeatTo(pattern, 10);
  return `${length} characters: "${start}…" (the pattern "${pattern}" repeated to ${length} characters)`;
}

const EMAIL_VALID = 'maria.lopez@example.com';

/** A valid and an invalid example for a format such as `email` or `phone number`. */
export function formatExamples(format: string): { valid: string; invalid: string; invalidReason: string } {
  const name = format.toLowerCase();
  if (name === 'email')
    return { valid: EMAIL_VALID, invalid: 'maria.lopez.example.com', invalidReason: 'no @ sign' };
  if (name === 'url')
    return { valid: 'https://example.com/help', invalid: 'htp//example', invalidReason: 'no valid scheme' };
  if (name === 'phone number')
    return { valid: '+44 20 7946 0958', invalid: '12ab-34', invalidReason: 'letters and too few digits' };
  if (name === 'postal code')
    return { valid: 'SW1A 1AA', invalid: '12#45!', invalidReason: 'symbols that no postal code has' };
  if (name === 'iban')
    return { valid: 'GB82 WEST 1234 5698 7654 32', invalid: 'GB00 1234', invalidReason: 'too short' };
  if (name === 'card number')
    return {
      valid: '4111 1111 1111 1111',
      invalid: '4111 1111 1111 1112',
      invalidReason: 'a wrong check digit',
    };
  if (name === 'numeric') return { valid: '42', invalid: '4x2', invalidReason: 'a letter' };
  if (name === 'alphanumeric') return { valid: 'Order42', invalid: 'Order-42!', invalidReason: 'symbols' };
  if (name === 'uuid')
    return {
      valid: '3f2b1c9e-8d4a-4e6f-9b2a-1c0d7e5f4a3b',
      invalid: '3f2b1c9e-xyz',
      invalidReason: 'too short',
    };
  if (name.startsWith('date'))
    return { valid: '2025-03-14', invalid: '2025-02-30', invalidReason: 'a day that does not exist' };
  return { valid: 'a correctly formatted value', invalid: '%%%', invalidReason: 'symbols only' };
}

/** A sample value for a required field, chosen by its name. */
export function sampleFor(subject: string): string {
  const name = subject.toLowerCase();
  if (/e-?mail/.test(name)) return EMAIL_VALID;
  if (/password/.test(name)) return 'Pa55w0rd!Xy7';
  if (/first name/.test(name)) return 'Maria';
  if (/last name|surname/.test(name)) return 'Lopez';
  if (/display name|full name|\bname\b/.test(name)) return 'Maria Lopez';
  if (/street/.test(name)) return '221B Baker Street';
  if (/city/.test(name)) return 'London';
  if (/postal|post code|zip/.test(name)) return 'NW1 6XE';
  if (/phone/.test(name)) return '+44 20 7946 0958';
  if (/country/.test(name)) return 'United Kingdom';
  if (/\bpin\b/.test(name)) return '4831';
  if (/date of birth|birth date/.test(name)) return '1990-05-14';
  if (/end date|check-out|return date/.test(name)) return '2026-03-13';
  if (/date|check-in/.test(name)) return '2026-03-09';
  if (/city|destination/.test(name)) return 'Lisbon';
  if (/title|subject/.test(name)) return 'Printer does not start';
  if (/description|comment|message/.test(name)) return 'The printer shows error E42 after switching on.';
  return `Sample ${name}`;
}

/** A value outside a closed list, chosen to look plausible next to the listed ones. */
export function valueOutside(values: string[]): string {
  const lower = new Set(values.map((value) => value.toLowerCase()));
  const pick = (candidates: string[]) => candidates.find((candidate) => !lower.has(candidate.toLowerCase()));
  if (values.every((value) => /^[A-Z0-9]{2,5}$/.test(value)))
    return pick(['GIF', 'EXE', 'ZIP', 'TIFF']) ?? 'XYZ';
  if (values.some((value) => /card|paypal|transfer|cash|invoice/i.test(value)))
    return pick(['cryptocurrency', 'cheque']) ?? 'barter';
  if (values.some((value) => /admin|editor|viewer|owner|member/i.test(value)))
    return pick(['Owner', 'Guest', 'Superuser']) ?? 'Nobody';
  if (values.some((value) => /draft|active|archived|open|closed/i.test(value)))
    return pick(['Deleted', 'Pending']) ?? 'Unknown';
  return pick(['Unknown', 'Other']) ?? 'Not listed';
}
