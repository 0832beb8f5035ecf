/** Failures the endpoint answered with a non-2xx status: 401/403, 404, 429, 5xx and other 4xx. */
import { LlmError, type LlmErrorDetails, type LlmFix } from './llm-error.ts';

/** 401/403. `wantedHeader` is set when the endpoint seems to expect the key in another header. */
export class LlmAuthenticationError extends LlmError {
  readonly wantedHeader: 'api-key' | 'x-api-key' | undefined;
  constructor(
    status: number,
    options: { hasKey: boolean; wantedHeader?: 'api-key' | 'x-api-key'; serverText?: string },
    details: LlmErrorDetails = {},
  ) {
    const refused = status === 403 ? 'refused access' : 'refused the credentials';
    const server = options.serverText ? ` The server said: "${options.serverText}".` : '';
    let fix: string | LlmFix;
    if (options.wantedHeader) {
      fix = `The endpoint seems to want the key in the \`${options.wantedHeader}\` header instead of \`Authorization: Bearer\`: set authHeader: ${options.wantedHeader} in the provider config (or use a proxy such as LiteLLM that accepts Bearer tokens).`;
    } else if (!options.hasKey) {
      fix = {
        text: 'Give an API key (REQASE_API_KEY; OPENAI_API_KEY also works).',
        remedies: [{ kind: 'set-setting', setting: 'apiKey' }],
      };
    } else if (status === 403) {
      fix =
        'The key is valid but not allowed to use this model or endpoint: check the key’s permissions, project and model access.';
    } else {
      fix = {
        text: 'Check the API key: it may be wrong, expired or for another endpoint. The endpoint must accept `Authorization: Bearer <key>`.',
        remedies: [
          {
            kind: 'set-setting',
            setting: 'apiKey',
            note: 'the key may be wrong, expired or for another endpoint (it is sent as `Authorization: Bearer <key>`)',
          },
        ],
      };
    }
    super(
      'llm_authentication',
      'Authentication error',
      `the endpoint ${refused} (HTTP ${status}).${server}`,
      fix,
      { ...details, status },
    );
    this.wantedHeader = options.wantedHeader;
  }
}

/** 404: either the path (base URL) is wrong, or the model does not exist there. */
export class LlmNotFoundError extends LlmError {
  readonly target: 'model' | 'path';
  constructor(
    target: 'model' | 'path',
    context: { url: string; model: string },
    details: LlmErrorDetails = {},
  ) {
    super(
      'llm_not_found',
      'Not found',
      target === 'model'
        ? `the endpoint does not know the model "${context.model}".`
        : `nothing answers at ${context.url} (HTTP 404).`,
      target === 'model' ? MODEL_NOT_FOUND_FIX : PATH_NOT_FOUND_FIX,
      { ...details, status: 404 },
    );
    this.target = target;
  }
}

const MODEL_NOT_FOUND_FIX: LlmFix = {
  text: 'Check the model name (REQASE_MODEL, or the provider’s model) against the endpoint’s model list (`GET /v1/models`); for Azure use the deployment name.',
  remedies: [
    {
      kind: 'set-setting',
      setting: 'model',
      note: 'check it against the endpoint’s model list (for Azure, the deployment name)',
    },
  ],
};

const PATH_NOT_FOUND_FIX: LlmFix = {
  text: 'Check the base URL: it usually ends in /v1, e.g. http://localhost:8000/v1; checking the endpoint finds the one that works. A server that serves /chat/completions at the root needs REQASE_BASE_URL_EXACT=1.',
  remedies: [
    {
      kind: 'set-setting',
      setting: 'baseUrl',
      example: 'http://localhost:8000/v1',
      note: 'it usually ends in /v1 (a server that serves /chat/completions at the root needs REQASE_BASE_URL_EXACT=1)',
    },
    { kind: 'run-action', action: 'check-endpoint' },
  ],
};

/** 429. `retryAfterMilliseconds` is what the endpoint asked for, when it said. */
export class LlmRateLimitedError extends LlmError {
  constructor(details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_rate_limited',
      'Rate limited',
      `the endpoint refused the request because of a rate or quota limit (HTTP 429).${server}`,
      'Wait and try again, lower concurrency or requestsPerMinute/tokensPerMinute in the provider limits, or raise the quota with your provider.',
      { ...details, status: 429 },
    );
  }
}

/** 5xx. */
export class LlmServerError extends LlmError {
  constructor(status: number, details: LlmErrorDetails = {}) {
    const server = details.serverMessage ? ` The server said: "${details.serverMessage}".` : '';
    super(
      'llm_server_error',
      'Server error',
      `the endpoint failed with HTTP ${status}.${server}`,
      'This is a fault on the endpoint’s side: try again later, check the server’s logs, or check that the model is loaded.',
      { ...details, status },
    );
  }
}

/** 400/409/422 and other 4xx: the endpoint refused the request itself. */
export class LlmRequestRejectedError extends LlmError {
  constructor(status: number, details: LlmErrorDetails = {}) {
    const text = details.serverMessage ?? '';
    const server = text ? ` The server said: "${text}".` : '';
    super(
      'llm_request_rejected',
      'Request rejected',
      `the endpoint refused the request (HTTP ${status}).${server}`,
      rejectionFix(text),
      { ...details, status },
    );
  }
}

function rejectionFix(serverMessage: string): string | LlmFix {
  const text = serverMessage.toLowerCase();
  if (text.includes('response_format') || text.includes('json_schema') || text.includes('json_object')) {
    return 'The endpoint does not support the requested response_format: ask for plain text (responseFormat kind "text") and parse the answer.';
  }
  if (text.includes('temperature')) {
    return {
      text: 'The model refuses this temperature: set temperature to a value it accepts (often 1 for reasoning models) in the provider config.',
      remedies: [
        {
          kind: 'set-setting',
          setting: 'temperature',
          example: '1',
          note: 'reasoning models often accept only 1',
        },
      ],
    };
  }
  if (text.includes('max_tokens') || text.includes('context length') || text.includes('maximum context')) {
    return {
      text: 'The prompt plus max tokens exceed what the model accepts: lower max tokens or send a shorter story.',
      remedies: [
        {
          kind: 'set-setting',
          setting: 'maxTokens',
          note: 'lower it: the prompt plus max tokens exceed what the model accepts (or send a shorter story)',
        },
      ],
    };
  }
  return 'Read the server’s message above; check the model name and parameters (temperature, max tokens) in the provider config.';
}
