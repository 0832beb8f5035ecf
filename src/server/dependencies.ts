/**
 * What the server needs from the application, gathered in one place so tests inject their own.
 */
import type { GenerationDependencies } from '../app/generation.ts';
import type { EndpointToCheck } from '../app/check-endpoint.ts';
import type { AppSettings } from '../app/settings.ts';
import type { CheckReport } from '../llm/check/index.ts';
import type { TokenVerifier } from './auth.ts';

/** Inline endpoint settings to check (the web app's "Test connection" before saving). */
export type { EndpointToCheck } from '../app/check-endpoint.ts';

export interface ServerDependencies {
  settings: AppSettings;
  /** Chat client dependencies (tests inject fetch or a clock). */
  generation: GenerationDependencies;
  /** Runs the endpoint checker on inline settings. */
  checkEndpoint: (endpoint: EndpointToCheck) => Promise<CheckReport>;
  tokens: TokenVerifier;
}
