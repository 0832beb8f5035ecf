/**
 * A fix as data: what to change (a setting, a value) or what to do (an action), never worded for
 * one surface. The CLI words it as flags and commands (src/cli/remedy-wording.ts), the HTTP API as
 * field names and routes (src/server/errors.ts), the web app as form fields and buttons
 * (web/src/remedy-wording.ts). Each of them words every kind, setting and action (a `Record` over
 * the options below), so adding one here fails the typecheck until every surface words it.
 */
import { z } from 'zod';

/** Settings a user configures once (provider, storage, connections), by their option names. */
export const RemedySettingSchema = z.enum([
  'baseUrl',
  'model',
  'apiKey',
  'timeout',
  'concurrency',
  'secretKey',
  'dataDirectory',
  'databaseUrl',
  'jobQueueDatabase',
  'temperature',
  'maxTokens',
  'provider',
  'configFile',
]);
export type RemedySetting = z.infer<typeof RemedySettingSchema>;

/** Things a user can do; the subject (project, story, job, provider) travels with the remedy. */
export const RemedyActionSchema = z.enum([
  'list-projects',
  'create-project',
  'list-stories',
  'import-stories',
  'list-test-cases',
  'edit-test-case',
  'list-jobs',
  'show-job',
  'cancel-job',
  'start-job',
  'list-providers',
  'add-provider',
  'add-provider-key',
  'set-default-provider',
  'check-endpoint',
  'list-connections',
  'add-connection',
  'list-push-jobs',
  /** Point a CSV import at its columns (the summary column above all): rename them, or map them. */
  'map-csv-columns',
]);
export type RemedyAction = z.infer<typeof RemedyActionSchema>;

export const RemedySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('set-setting'),
    setting: RemedySettingSchema,
    /** A value that would work, e.g. `http://localhost:8000/v1`. */
    example: z.string().optional(),
    /** Why the setting may be wrong, in words of no surface: "the key may be expired". */
    note: z.string().optional(),
  }),
  z.object({
    kind: z.literal('change-value'),
    /** The input's field as the API names it (`count`, `stories`, `project`, `storyKey`), camelCase. */
    field: z.string(),
    allowed: z.array(z.string()).optional(),
    example: z.string().optional(),
  }),
  z.object({
    kind: z.literal('run-action'),
    action: RemedyActionSchema,
    project: z.string().optional(),
    story: z.string().optional(),
    job: z.string().optional(),
    provider: z.string().optional(),
  }),
]);
export type Remedy = z.infer<typeof RemedySchema>;
export type RemedyKind = Remedy['kind'];

/** How a surface words each remedy; `Record`s make it exhaustive. */
export interface RemedyWording {
  setting: Record<RemedySetting, (remedy: Extract<Remedy, { kind: 'set-setting' }>) => string>;
  value: (remedy: Extract<Remedy, { kind: 'change-value' }>) => string;
  action: Record<RemedyAction, (remedy: Extract<Remedy, { kind: 'run-action' }>) => string>;
}

/**
 * One sentence for alternative remedies, worded by a surface: "List the projects (…), or create it (…)."
 *
 * @example wordRemedies([{ kind: 'run-action', action: 'list-jobs' }], apiWording) // 'List the jobs with GET /api/jobs.'
 */
export function wordRemedies(remedies: readonly Remedy[], wording: RemedyWording): string {
  const parts = remedies.map((remedy) => {
    if (remedy.kind === 'set-setting') return withNote(wording.setting[remedy.setting](remedy), remedy.note);
    if (remedy.kind === 'change-value') return wording.value(remedy);
    return wording.action[remedy.action](remedy);
  });
  const sentence = parts.map((part, index) => (index === 0 ? part : lowerFirst(part))).join(', or ');
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

/** A setting's wording followed by why it may be wrong: "Give the key with …; it may be expired". */
export function withNote(wording: string, note: string | undefined): string {
  return note ? `${wording.replace(/\.$/, '')}; ${note}` : wording;
}

function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? `${text.charAt(0).toLowerCase()}${text.slice(1)}` : text;
}
