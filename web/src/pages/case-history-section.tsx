import { useState } from 'react';
import { api, type CaseHistory } from '../api.ts';
import { ErrorMessage } from '../components.tsx';

/**
 * A case's earlier versions, folded behind a button. A component of its own so the side panel can
 * take a richer history (diffs, restore) in its place.
 */
export function CaseHistorySection({ caseId, version }: { caseId: string; version: number }) {
  const [history, setHistory] = useState<CaseHistory | undefined>();
  const [error, setError] = useState<unknown>();

  async function toggle() {
    if (history) return setHistory(undefined);
    setError(undefined);
    try {
      setHistory(await api.testCaseHistory(caseId));
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section className="case-history" aria-label="History" data-version={version}>
      <button
        type="button"
        className="link"
        onClick={() => void toggle()}
        aria-expanded={history !== undefined}
      >
        History
      </button>
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
      {history ? <HistoryList history={history} /> : null}
    </section>
  );
}

function HistoryList({ history }: { history: CaseHistory }) {
  if (history.versions.length === 0)
    return <p className="muted history">No earlier versions: this is the first.</p>;
  return (
    <ol className="history" aria-label="Earlier versions">
      {history.versions.map((version) => (
        <li key={version.version}>
          <strong>v{version.version}</strong> · {version.origin}: “{version.content.title}” · replaced{' '}
          {new Date(version.editedAt).toLocaleString()}
        </li>
      ))}
    </ol>
  );
}
