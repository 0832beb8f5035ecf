/** The body as a whole: JSON served with another content type, an error body under HTTP 200, content parts. */
import {
  ErrorInSuccessResponseError,
  IncorrectResponseStructureError,
  excerptOf,
  extractServerMessage,
  looksLikeErrorBody,
  statusInsideErrorBody,
  type LlmErrorDetails,
} from '../errors.ts';

/** Joins content given as a string or an array of text parts. */
export function contentText(content: unknown): { text: string; parts: boolean } | undefined {
  if (typeof content === 'string') return { text: content, parts: false };
  if (Array.isArray(content)) {
    const texts = content.map((part) => {
      if (typeof part === 'string') return part;
      if (part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string') {
        return (part as { text: string }).text;
      }
      return '';
    });
    return { text: texts.join(''), parts: true };
  }
  return undefined;
}

/**
 * Parses a body that was not served as JSON; throws "Incorrect response structure" when it is not JSON.
 */
export function parseNonJsonBody(
  rawText: string,
  contentType: string | null,
  errorDetails: LlmErrorDetails,
): { body: unknown; warning: string } {
  try {
    return {
      body: JSON.parse(rawText),
      warning: `The endpoint sent JSON with content type "${contentType ?? 'none'}"; parsed it anyway.`,
    };
  } catch (cause) {
    throw new IncorrectResponseStructureError(
      contentType?.includes('json')
        ? 'the body is not valid JSON'
        : `the body is ${contentType ? `"${contentType.split(';')[0]}"` : 'untyped'}, not JSON`,
      { ...errorDetails, responseExcerpt: rawText, cause },
    );
  }
}

/** Throws "Error in a successful response" when a 200 body is an error rather than a completion. */
export function assertNotErrorBody(body: unknown, errorDetails: LlmErrorDetails): void {
  if (!looksLikeErrorBody(body)) return;
  const serverMessage = extractServerMessage(body);
  const insideStatus = statusInsideErrorBody(body);
  throw new ErrorInSuccessResponseError({
    ...errorDetails,
    ...(insideStatus === undefined ? {} : { status: insideStatus }),
    responseExcerpt: excerptOf(body),
    ...(serverMessage === undefined ? {} : { serverMessage }),
  });
}
