/**
 * The default `checkEndpoint` dependency: resolves inline settings (preset, base URL, model, key)
 * like the CLI's `reqase check`, then runs the endpoint checker with core's answer parser (from app).
 *
 * This is the server's only reach past app/ (into llm/check, as src/cli/check.ts does): app/
 * has no check service yet. Move it into app/ when one exists.
 */
import { parseCheckTestCases } from '../app/check-endpoint.ts';
import { runEndpointCheck, type CheckReport } from '../llm/check/index.ts';
import { resolveProviderConfig, type ProviderConfig } from '../llm/index.ts';
import { InvalidInputError } from '../shared/errors.ts';
import type { EndpointToCheck } from './dependencies.ts';

export function createEndpointChecker(
  environment: { env: Readonly<Record<string, string | undefined>>; cwd: string },
  fetchFunction?: typeof fetch,
): (endpoint: EndpointToCheck) => Promise<CheckReport> {
  return async (endpoint) => {
    if (endpoint.config) return runCheck(endpoint.config, endpoint);
    const resolution = resolveProviderConfig({
      flags: {
        ...(endpoint.preset ? { provider: endpoint.preset } : {}),
        ...(endpoint.baseUrl ? { baseUrl: endpoint.baseUrl } : {}),
        ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
        ...(endpoint.model ? { model: endpoint.model } : {}),
      },
      // Only what the request gives: the server's own REQASE_* settings are not mixed into a check.
      env: {},
      cwd: environment.cwd,
      readTextFile: () => undefined,
    });
    if (resolution.kind === 'none') {
      throw new InvalidInputError('Nothing to check: give baseUrl and model (or a preset).', {
        fix: 'Send { "baseUrl": "http://localhost:8000/v1", "model": "NAME" }, plus "apiKey" when the endpoint needs one.',
      });
    }
    return runCheck(resolution.config, endpoint);
  };

  function runCheck(config: ProviderConfig, endpoint: EndpointToCheck): Promise<CheckReport> {
    return runEndpointCheck({
      baseUrl: config.baseUrl,
      ...(config.apiKey === undefined ? {} : { apiKey: config.apiKey }),
      model: config.model,
      timeoutMs: endpoint.timeoutMs,
      extraHeaders: config.extraHeaders,
      parseTestCases: parseCheckTestCases,
      ...(fetchFunction ? { fetch: fetchFunction } : {}),
      ...(endpoint.signal ? { signal: endpoint.signal } : {}),
    });
  }
}
