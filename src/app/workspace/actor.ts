/**
 * Who changed a test case, and how: the names a history records. A light module (zod only), so
 * the surfaces can validate with it through `src/app/index.ts`.
 */
import { z } from 'zod';

/**
 * Who makes a change, as recorded in a case's history: the API token's name, "local" (the web app
 * or the API on a loopback server without a token) or the OS user name (the CLI).
 */
export const ActorSchema = z.string().trim().min(1).max(200);

/** Shown for changes stored before actors were recorded. */
export const UNKNOWN_ACTOR = 'unknown';

/** The note stored with the replaced version when a person edits a case. */
export const EDITED_BY_PERSON_NOTE = 'edited by a person';

/** How a version came about. */
export const VersionActionSchema = z.enum(['generated', 'edited', 'regenerated', 'restored', 'changed']);
export type VersionAction = z.infer<typeof VersionActionSchema>;
