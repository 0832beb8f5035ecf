import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.ts';
import * as sessions from './0002-sessions.ts';
import * as connectors from './0004-connectors.ts';
import * as testCaseVersionActor from './0006-test-case-version-actor.ts';
import * as providerCheckAndPrice from './0007-provider-check-and-price.ts';
import * as reviewEventsAndScores from './0008-review-events-and-scores.ts';
import * as projectRevision from './0010-project-revision.ts';
import * as millisecondsColumns from './0011-milliseconds-columns.ts';
import * as reviewListIndexes from './0012-review-list-indexes.ts';
import * as caseInsertRevision from './0013-case-insert-revision.ts';

/**
 * Every migration, in code (no directory scanning, so it works the same from `src/` under tsx
 * and from `dist/`). Names sort in the order they run; add new ones at the end.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-sessions': sessions,
  '0004-connectors': connectors,
  '0006-test-case-version-actor': testCaseVersionActor,
  '0007-provider-check-and-price': providerCheckAndPrice,
  '0008-review-events-and-scores': reviewEventsAndScores,
  '0010-project-revision': projectRevision,
  '0011-milliseconds-columns': millisecondsColumns,
  '0012-review-list-indexes': reviewListIndexes,
  '0013-case-insert-revision': caseInsertRevision,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
