/**
 * The HTTP API and web app server behind `reqase serve`.
 */
export {
  createServer,
  startServer,
  IMPORT_BODY_LIMIT,
  DEFAULT_BODY_LIMIT,
  type CreateServerOptions,
  type ReqaseServer,
  type RunningServer,
  type StartServerOptions,
} from './create-server.ts';
export {
  authenticationRequiredFor,
  MemorySessionStore,
  type SessionStore,
  type TokenVerifier,
} from './auth.ts';
export { statusForError, errorBodyFor, ErrorBodySchema, type ErrorBody } from './errors.ts';
export type { AppType } from './routes/index.ts';
/** The `error.code` values the API answers with (the web app words advice for each). */
export type { ErrorCode } from '../shared/errors.ts';
