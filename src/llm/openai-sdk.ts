/**
 * The official `openai` package as the client uses it: built once per provider with the SDK's
 * own retries off (`maxRetries: 0`), and the request body shaped exactly as the contract shows.
 */
import OpenAI, { type APIError } from 'openai';
import type { ChatRequest } from './client.ts';
import type { ProviderConfig } from './provider-config.ts';

/** The body of a failed response, kept by `makeStatusError` (the SDK keeps only `body.error`). */
const failedResponseBodies = new WeakMap<object, unknown>();

class ReqaseOpenAI extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ): APIError {
    const apiError = super.makeStatusError(status, error, message, headers);
    failedResponseBodies.set(apiError, error ?? message);
    return apiError;
  }
}

/** The whole body of a failed response when the SDK built the error, else the SDK's `error`. */
export function failedResponseBody(apiError: APIError): unknown {
  return failedResponseBodies.has(apiError) ? failedResponseBodies.get(apiError) : apiError.error;
}

/**
 * An SDK instance for one provider: the key in the header the provider wants, extra headers, no
 * retries of its own.
 */
export function createOpenAiSdk(config: ProviderConfig, fetchFunction: typeof fetch | undefined): OpenAI {
  const defaultHeaders: Record<string, string | null> = { ...config.extraHeaders };
  if (config.apiKey && config.authHeader !== 'authorization')
    defaultHeaders[config.authHeader] = config.apiKey;
  // Local servers need no key; the SDK insists on one, so send none at all rather than a fake.
  if (!config.apiKey) defaultHeaders.Authorization = null;
  return new ReqaseOpenAI({
    baseURL: config.baseUrl,
    apiKey: config.apiKey ?? 'no-key',
    organization: null,
    project: null,
    maxRetries: 0,
    timeout: config.timeoutMilliseconds,
    defaultHeaders,
    logLevel: 'off',
    ...(fetchFunction ? { fetch: fetchFunction } : {}),
  });
}

/** The chat completion body: model, messages, temperature, max_tokens; response_format and stream when asked. */
export function chatCompletionBody(
  config: ProviderConfig,
  request: ChatRequest,
  stream: boolean,
): OpenAI.Chat.ChatCompletionCreateParams {
  const format = request.responseFormat;
  return {
    model: config.model,
    messages: request.messages,
    temperature: request.temperature ?? config.temperature,
    max_tokens: request.maxTokens ?? config.maxTokens,
    ...(format?.kind === 'json_object' ? { response_format: { type: 'json_object' } } : {}),
    ...(format?.kind === 'json_schema'
      ? {
          response_format: {
            type: 'json_schema',
            json_schema: { name: format.name, schema: format.schema },
          },
        }
      : {}),
    ...(stream ? { stream: true } : {}),
  };
}
