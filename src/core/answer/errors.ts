import { ReqaseError, type ErrorCode } from '../../shared/errors.ts';

/**
 * Why an answer yielded no usable test case:
 * - `empty-answer`: the model sent no text;
 * - `refusal`: the model declined ("I'm sorry, I can't …");
 * - `unparseable`: no layout the parser knows could be read from the text;
 * - `schema-mismatch`: the text was read, but no item matched the test case schema;
 * - `no-test-cases`: the text was read and held an empty list.
 */
export type AnswerErrorKind =
  'empty-answer' | 'refusal' | 'unparseable' | 'schema-mismatch' | 'no-test-cases';

const FIXES: Record<AnswerErrorKind, string> = {
  'empty-answer':
    'Try again; if it keeps happening, check the endpoint and its model, or raise its max tokens.',
  refusal: 'Rephrase the story or additional context, or try another model.',
  unparseable:
    'Try again, or choose a model that follows instructions better; checking the endpoint shows whether it supports structured output.',
  'schema-mismatch':
    'Try again; if it keeps happening, the model does not follow the answer format — try another model or structured output.',
  'no-test-cases': 'Try again with more detail in the story, or another model.',
};

const CODES: Record<AnswerErrorKind, ErrorCode> = {
  'empty-answer': 'answer_empty_answer',
  refusal: 'answer_refusal',
  unparseable: 'answer_unparseable',
  'schema-mismatch': 'answer_schema_mismatch',
  'no-test-cases': 'answer_no_test_cases',
};

/** The model's answer could not be turned into test cases. Keeps the raw text for diagnosis. */
export class AnswerError extends ReqaseError {
  readonly kind: AnswerErrorKind;
  /** The answer exactly as received (reasoning included). */
  readonly rawText: string;
  /** Schema problems, for `schema-mismatch`. */
  readonly issues: string[];

  constructor(
    kind: AnswerErrorKind,
    message: string,
    options: { rawText: string; issues?: string[]; cause?: unknown },
  ) {
    super(CODES[kind], message, { fix: FIXES[kind], cause: options.cause });
    this.kind = kind;
    this.rawText = options.rawText;
    this.issues = options.issues ?? [];
  }

  /** The first characters of the raw answer, for messages and logs. */
  get excerpt(): string {
    return excerptOf(this.rawText);
  }
}

export function excerptOf(text: string, length = 300): string {
  const flat = text.trim().replace(/\s+/g, ' ');
  return flat.length > length ? `${flat.slice(0, length)}…` : flat;
}
