/** Reading error bodies in the shapes servers send them, and excerpts of any body. */

/** Longest excerpt of a response body kept on an error, in characters. */
export const excerptLength = 500;

/**
 * The server's own message from an error body in any of the shapes seen in the wild:
 * OpenAI `{error:{message}}`, `{error:"text"}`, vLLM flat `{object:"error",message}`,
 * FastAPI `{detail}` (string or validation list), Gemini `[{error:{message}}]`, Anthropic
 * `{type:"error",error:{message}}`, or plain text.
 */
export function extractServerMessage(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    const text = body
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text ? text.slice(0, 300) : undefined;
  }
  if (Array.isArray(body)) {
    for (const item of body) {
      const message = extractServerMessage(item);
      if (message) return message;
    }
    return undefined;
  }
  if (typeof body !== 'object') return String(body);
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object') {
    const nested = extractServerMessage(error);
    if (nested) return nested;
  }
  if (typeof record.message === 'string' && record.message) return record.message;
  const detail = record.detail;
  if (typeof detail === 'string' && detail) return detail;
  if (Array.isArray(detail)) {
    const messages = detail
      .map((item) =>
        item && typeof item === 'object' && typeof (item as { msg?: unknown }).msg === 'string'
          ? (item as { msg: string }).msg
          : undefined,
      )
      .filter((message): message is string => Boolean(message));
    if (messages.length > 0) return messages.join('; ');
  }
  return undefined;
}

/** True when a 200 body is an error rather than a completion. */
export function looksLikeErrorBody(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((item) => looksLikeErrorBody(item));
  if (!body || typeof body !== 'object') return false;
  const record = body as Record<string, unknown>;
  if ('choices' in record) return false;
  return (
    'error' in record ||
    record.object === 'error' ||
    record.type === 'error' ||
    typeof record.detail === 'string'
  );
}

/** The status an error body carries inside (`code: 503`, Gemini `code`), when it does. */
export function statusInsideErrorBody(body: unknown): number | undefined {
  const candidates: unknown[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      candidates.push(record.code, record.status);
      if (record.error && typeof record.error === 'object') visit(record.error);
    }
  };
  visit(body);
  for (const candidate of candidates) {
    const number = typeof candidate === 'string' ? Number(candidate) : candidate;
    if (typeof number === 'number' && Number.isInteger(number) && number >= 400 && number < 600)
      return number;
  }
  return undefined;
}

export function excerptOf(body: unknown): string | undefined {
  if (body === undefined || body === null) return undefined;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
}
