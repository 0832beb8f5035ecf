/** The review log's entries: who accepted, rejected, reset, edited, restored or regenerated a case. */
import { z } from 'zod';

/** What a review event records: a status change or a change of content. */
export const ReviewActionSchema = z.enum([
  'accepted',
  'rejected',
  'reset-to-draft',
  'edited',
  'restored',
  'regenerated',
]);
export type ReviewAction = z.infer<typeof ReviewActionSchema>;

/** One entry of the review log, written in the same transaction as the change it records. */
export interface ReviewEventRecord {
  id: string;
  testCaseId: string;
  projectId: string;
  action: ReviewAction;
  /** Who did it (see `TestCaseAuthorship.actor`); null when unknown. */
  actor: string | null;
  createdAt: string;
}
