export {
  openDatabase,
  DATABASE_FILE_NAME,
  type OpenDatabaseOptions,
  type Repositories,
  type Storage,
  type StorageLogger,
} from './database.ts';
export type { Dialect } from './context.ts';
export { ConflictError, JobConflictError, SecretKeyChangedError, StorageError } from './errors.ts';
export {
  createSecretBox,
  loadOrCreateSecretKey,
  parseSecretKey,
  SECRET_KEY_ENVIRONMENT_VARIABLE,
  SECRET_KEY_FILE_NAME,
  type LoadedSecretKey,
  type SecretBox,
  type SecretKeyOptions,
} from './secret-box.ts';
export { taskIdempotencyKey } from './repositories/jobs.ts';
