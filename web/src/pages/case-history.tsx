/**
 * A test case's history: every version with who made it, how and when; the changes of each version
 * against the one before; and restoring an earlier version (as a new version).
 */
import { useState } from 'react';
import { historyApi, type CaseHistoryEntry } from '../api.ts';
import { ErrorMessage, useLoad } from '../components.tsx';
import { CaseDiff } from './case-diff.tsx';

interface CaseHistoryProps {
  caseId: string;
  /** Called after a version was restored (the case changed). */
  onRestored?: () => void;
}

const ACTION_LABELS: Record<CaseHistoryEntry['action'], string> = {
  generated: 'Generated',
  edited: 'Edited',
  regenerated: 'Regenerated',
  restored: 'Restored',
  changed: 'Changed',
};

export function CaseHistory({ caseId, onRestored }: CaseHistoryProps) {
  const { data, error, loading, reload } = useLoad(() => historyApi.history(caseId), [caseId]);
  const [actionError, setActionError] = useState<unknown>();
  const [restoring, setRestoring] = useState<number | undefined>();

  async function restore(version: number, currentVersion: number) {
    setRestoring(version);
    setActionError(undefined);
    try {
      await historyApi.restore(caseId, version, currentVersion);
      reload();
      onRestored?.();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setRestoring(undefined);
    }
  }

  if (loading && !data) return <p className="muted">Loading the history…</p>;
  if (!data) return <ErrorMessage error={error} />;
  const entries = [...data.entries].reverse();
  const currentVersion = data.testCase.version;
  return (
    <section className="case-history" aria-label="History">
      <ErrorMessage error={actionError} onDismiss={() => setActionError(undefined)} />
      {data.review ? (
        <p className="muted">
          {data.review.status === 'accepted' ? 'Accepted' : 'Rejected'} by {data.review.actor} ·{' '}
          {new Date(data.review.at).toLocaleString()}
        </p>
      ) : null}
      <ol className="history" aria-label="Versions" style={{ listStyle: 'none', paddingLeft: 0 }}>
        {entries.map((entry) => {
          const previous = data.entries.find((candidate) => candidate.version === entry.version - 1);
          return (
            <HistoryEntry
              key={entry.version}
              entry={entry}
              previous={previous}
              restoring={restoring === entry.version}
              onRestore={() => void restore(entry.version, currentVersion)}
            />
          );
        })}
      </ol>
    </section>
  );
}

interface HistoryEntryProps {
  entry: CaseHistoryEntry;
  previous: CaseHistoryEntry | undefined;
  restoring: boolean;
  onRestore: () => void;
}

function HistoryEntry({ entry, previous, restoring, onRestore }: HistoryEntryProps) {
  const [open, setOpen] = useState(false);
  return (
    <li data-testid={`version-${entry.version}`} style={{ marginBottom: '0.5rem' }}>
      <div>
        <strong>v{entry.version}</strong>
        {entry.current ? ' (current)' : ''} · {ACTION_LABELS[entry.action]} by{' '}
        <span className="history-actor">{entry.actor}</span> · {new Date(entry.at).toLocaleString()}
        {entry.origin.includes(':') ? <span className="muted"> · {entry.origin}</span> : null}
      </div>
      <div className="case-actions">
        {previous ? (
          <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Hide changes' : `Changes since v${previous.version}`}
          </button>
        ) : (
          <span className="muted">First version: “{entry.content.title}”</span>
        )}
        {entry.current ? null : (
          <button type="button" onClick={onRestore} disabled={restoring}>
            {restoring ? 'Restoring…' : `Restore v${entry.version}`}
          </button>
        )}
      </div>
      {open && previous ? <CaseDiff before={previous.content} after={entry.content} /> : null}
    </li>
  );
}
