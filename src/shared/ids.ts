import { randomUUID } from 'node:crypto';

/** A new random identifier for stored records (UUID v4). */
export function newId(): string {
  return randomUUID();
}
