/** Failures in an answer that arrived: wrong structure, missing fields, truncated, filtered, an error body. */
import { LlmError, type LlmErrorDetails } from './llm-error.ts';

/** The body is not an OpenAI chat completion: not JSON, or no `choices`. */
export class IncorrectResponseStructureError extends LlmError {
  constructor(problem: string, details: LlmErrorDetails = {}) {
    super(
      'llm_incorrect_response_structure',
      'Incorrect response structure',
      `the endpoint's answer is not an OpenAI chat completion: ${problem}.`,
      'The endpoint must answer POST /v1/chat/completions in OpenAI’s format with a `choices` array. Put a compatibility layer such as LiteLLM in front of it, or check that the base URL points at the OpenAI-compatible API.',
      details,
    );
  }
}

/** `choices[0].message.content`, `choices[0].message.role` or `model` is missing or wrong. */
export class MissingRequiredFieldsError extends LlmError {
  readonly missingFields: string[];
  constructor(missingFields: string[], details: LlmErrorDetails = {}) {
    super(
      'llm_missing_required_fields',
      'Missing required fields',
      `the answer lacks ${missingFields.join(', ')}.`,
      'The endpoint must include `model`, `choices[0].message.role` ("assistant") and `choices[0].message.content` in every answer: update the server or put a compatibility layer such as LiteLLM in front of it.',
      details,
    );
    this.missingFields = missingFields;
  }
}

/** `finish_reason` "length" with nothing usable, or when the caller asked to reject truncated answers. */
export class TruncatedAnswerError extends LlmError {
  constructor(maxTokens: number, details: LlmErrorDetails = {}) {
    super(
      'llm_truncated',
      'Truncated answer',
      `the answer stopped at the token limit (max tokens ${maxTokens}) before it was complete.`,
      {
        text: 'Raise max tokens (maxTokens in the provider config), or ask for less at once (fewer acceptance criteria per request).',
        remedies: [
          {
            kind: 'set-setting',
            setting: 'maxTokens',
            note: 'raise it, or ask for less at once (fewer acceptance criteria per request)',
          },
        ],
      },
      details,
    );
  }
}

/** `finish_reason` "content_filter" (or an equivalent such as Gemini's SAFETY). */
export class ContentFilteredError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    super(
      'llm_content_filtered',
      'Content filtered',
      'the endpoint’s content filter stopped the answer.',
      'Rephrase the story or remove the text the filter objects to; for Azure, review the deployment’s content filter settings.',
      details,
    );
  }
}

/** HTTP 200 whose body is an error, not a completion (OpenRouter, some proxies, vLLM). */
export class ErrorInSuccessResponseError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_error_in_success_response',
      'Error in a successful response',
      `the endpoint answered HTTP ${details.status ?? 200} but the body is an error.${server}`,
      'Act on the server’s message above; the endpoint should also answer errors with a 4xx/5xx status so clients can tell them apart.',
      details,
    );
  }
}
