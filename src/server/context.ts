import type { HttpBindings } from '@hono/node-server';
import type { Logger } from 'pino';

/** Who made a request: an API token (Bearer or through a session), or nobody on a loopback server. */
export type Principal =
  { kind: 'token'; tokenId: string; tokenName: string; via: 'bearer' | 'session' } | { kind: 'anonymous' };

/** Hono's environment for every route: per-request values set by the middleware. */
export interface ServerEnv {
  /** Node's request and response when served by \`@hono/node-server\`; absent under \`app.request\`. */
  Bindings: Partial<HttpBindings>;
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
    /** Keys a response or log must never show (the request's and the configured ones). */
    secrets: string[];
  };
}
