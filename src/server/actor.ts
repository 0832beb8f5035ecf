import type { Context } from 'hono';
import type { ServerEnv } from './context.ts';

/** Who a loopback server's unauthenticated caller is, in a case's history. */
export const LOCAL_ACTOR = 'local';

/**
 * Who makes the request, as a test case's history records it: the API token's name (Bearer or
 * through a browser session), or "local" on a loopback server called without a token.
 *
 * @example actorOf(c) // 'ci-bot' with `Authorization: Bearer <ci-bot's token>`
 */
export function actorOf(c: Context<ServerEnv>): string {
  const principal = c.get('principal');
  return principal.kind === 'token' ? principal.tokenName : LOCAL_ACTOR;
}
