/**
 * What the server needs from the application, gathered in one place so tests inject their own.
 */
import type { GenerationDependencies } from '../app/index.ts';
import type { EndpointToCheck } from '../app/index.ts';
import type { AppSettings } from '../app/index.ts';
import type { CheckReport } from '../app/index.ts';
import type { TokenVerifier } from './auth.ts';

/** Inline endpoint settings to check (the web app's "Test connection" before saving). */
export type { EndpointToCheck } from '../app/index.ts';

export interface ServerDependencies {
  settings: AppSettings;
  /** Chat client dependencies (tests inject fetch or a clock). */
  generation: GenerationDependencies;
  /** Runs the endpoint checker on inline settings. */
  checkEndpoint: (endpoint: EndpointToCheck) => Promise<CheckReport>;
  tokens: TokenVerifier;
}
