import { ReqaseError } from '../shared/errors.ts';

/** A write that clashes with stored data: a taken unique name, a stale version. */
export class ConflictError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('conflict', message, options);
  }
}

/** The database cannot be opened, migrated or reached. */
export class StorageError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('storage', message, options);
  }
}

/** A stored secret cannot be decrypted with the current secret key. */
export class SecretKeyChangedError extends ReqaseError {
  constructor(message: string, options: { fix?: string; cause?: unknown } = {}) {
    super('secret_key_changed', message, options);
  }
}
