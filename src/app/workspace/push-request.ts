/** What a push asks for: the target tool, the project and which of its cases (no I/O here). */
import { z } from 'zod';
import { TestCaseStatusSchema } from '../../core/model.ts';

/** The tools test cases can be pushed to; the single list the CLI, the API and the web app use. */
export const PushTargetSchema = z.enum(['testrail', 'xray-cloud', 'xray-server', 'zephyr-scale']);
export type PushTarget = z.infer<typeof PushTargetSchema>;

export const PushRequestSchema = z.object({
  project: z.string().min(1),
  to: PushTargetSchema,
  /** A stored connection of the target's kind; else the target's environment variables. */
  connection: z.string().min(1).optional(),
  /** Which cases. Default: accepted. */
  status: z.array(TestCaseStatusSchema).min(1).optional(),
  /** Only this story's cases. */
  story: z.string().min(1).optional(),
  /** Plan only: say what would be created and updated, send nothing. */
  dryRun: z.boolean().optional(),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;
