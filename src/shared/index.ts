export { type Result, ok, err } from './result.ts';
export {
  ERROR_CODES,
  ReqaseError,
  InvalidInputError,
  NotFoundError,
  ConfigurationError,
  type ErrorCode,
  type ErrorOptions,
} from './errors.ts';
export {
  RemedyActionSchema,
  RemedySchema,
  RemedySettingSchema,
  wordRemedies,
  type Remedy,
  type RemedyAction,
  type RemedySetting,
  type RemedyWording,
} from './remedy.ts';
export { maskSecret, redactSecrets } from './secrets.ts';
export { newId } from './ids.ts';
