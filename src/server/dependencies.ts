/**
 * What the server needs from the application, gathered in one place so tests inject their own.
 */
import type { GenerationDependencies } from '../app/generation.ts';
import type { AppSettings } from '../app/settings.ts';
import type { CheckReport } from '../llm/check/index.ts';
import type { ProviderConfig } from '../llm/index.ts';
import type { TokenVerifier } from './auth.ts';

/** Inline endpoint settings to check (the web app's "Test connection" before saving). */
export interface EndpointToCheck {
  preset?: string;
  baseUrl?: string;
  model?: string;
  apiKey?: string;
  /** A stored provider's configuration (key decrypted); used instead of the fields above. */
  config?: ProviderConfig;
  /** Bound of each request of the check, in ms. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ServerDependencies {
  settings: AppSettings;
  /** Chat client dependencies (tests inject fetch or a clock). */
  generation: GenerationDependencies;
  /** Runs the endpoint checker on inline settings. */
  checkEndpoint: (endpoint: EndpointToCheck) => Promise<CheckReport>;
  tokens: TokenVerifier;
}
