export { type Result, ok, err } from './result.ts';
export { ReqaseError, InvalidInputError, NotFoundError, ConfigurationError } from './errors.ts';
export { maskSecret, redactSecrets } from './secrets.ts';
export { newId } from './ids.ts';
