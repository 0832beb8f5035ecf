import { ReqaseError } from '../../shared/errors.ts';
import { type AnswerError, excerptOf } from '../answer/errors.ts';

/**
 * A generation produced no test case: the model refused, answered empty, or answered in a way
 * no test case could be read from. Nothing is saved. Keeps the raw answer for diagnosis.
 */
export class NoTestCasesError extends ReqaseError {
  /** Why the answer yielded nothing (`refusal`, `empty-answer`, `unparseable`, …). */
  readonly reason: AnswerError['kind'];
  readonly rawAnswer: string;

  constructor(answerError: AnswerError) {
    const excerpt = excerptOf(answerError.rawText, 200);
    super(
      'no_test_cases',
      `No test case could be produced: ${answerError.message}${excerpt ? `\nThe answer began: "${excerpt}"` : ''}`,
      { ...(answerError.fix ? { fix: answerError.fix } : {}), cause: answerError },
    );
    this.reason = answerError.kind;
    this.rawAnswer = answerError.rawText;
  }

  /** The first characters of the raw answer. */
  get excerpt(): string {
    return excerptOf(this.rawAnswer);
  }
}

/**
 * True when the endpoint rejected the requested structured output mode (so a simpler mode should
 * be tried), as opposed to any other failure. Conservative on purpose: a 400 or 422 whose message
 * names the response format, JSON schema or JSON mode. Anything else is a real error.
 */
export function isResponseFormatUnsupported(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const record = error as {
    status?: unknown;
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
    cause?: unknown;
  };
  if (
    typeof record.code === 'string' &&
    /response_format_unsupported|structured_output_unsupported/i.test(record.code)
  ) {
    return true;
  }
  const status = typeof record.status === 'number' ? record.status : record.statusCode;
  if (status !== 400 && status !== 422) {
    return record.cause !== undefined && record.cause !== error
      ? isResponseFormatUnsupported(record.cause)
      : false;
  }
  const details = error as {
    body?: unknown;
    error?: unknown;
    serverMessage?: unknown;
    responseExcerpt?: unknown;
  };
  const text = [
    record.message,
    details.serverMessage,
    details.responseExcerpt,
    safeJson(details.body),
    safeJson(details.error),
  ]
    .filter((part) => typeof part === 'string')
    .join(' ');
  return /response_?format|json_?schema|json_?object|json mode|structured output|guided_?json/i.test(text);
}

function safeJson(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}
