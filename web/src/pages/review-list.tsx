/**
 * The review of stored cases is the table in `review-table.tsx`; the card list it replaced is gone.
 * `CaseBody` (a case's content) lives in `case-body.tsx`; re-exported here for the generate dialog.
 */
export { CaseBody } from './case-body.tsx';
export { ReviewTable } from './review-table.tsx';
