import type { ListedTestCase } from '../api.ts';
import { QualityBadge, QualityFindings, StatusBadge } from '../components.tsx';
import { CaseBody } from './case-body.tsx';
import { CaseEditor } from './case-editor.tsx';
import { CaseHistorySection } from './case-history-section.tsx';

export interface CasePanelProps {
  testCase: ListedTestCase;
  /** How the table names the case: `TC-3`, or `SHOP-7 TC-3` across stories. */
  label: string;
  editing: boolean;
  onEditingChange: (editing: boolean) => void;
  onReview: (action: 'accept' | 'reject') => void;
  /** The case changed on the server (edit, regenerate): read it again. */
  onChanged: (options: { edited: boolean }) => void;
  onClose: () => void;
}

/** The selected case in full beside the table: content or editor, findings, actions, history. */
export function CasePanel({
  testCase,
  label,
  editing,
  onEditingChange,
  onReview,
  onChanged,
  onClose,
}: CasePanelProps) {
  return (
    <aside className="case-panel" aria-label={`Case ${label}`} data-testid="case-panel">
      <header className="case-header">
        <strong className="case-id">{label}</strong>
        <StatusBadge status={testCase.status} />
        {testCase.quality ? <QualityBadge score={testCase.quality.score} testId="panel-quality" /> : null}
        {testCase.needsReview ? (
          <span className="badge badge-review">needs review: {testCase.needsReviewReason}</span>
        ) : null}
        <span className="muted">v{testCase.version}</span>
        <button
          type="button"
          className="link panel-close"
          onClick={onClose}
          aria-label="Close the case panel"
        >
          Close
        </button>
      </header>
      {editing ? (
        <CaseEditor
          key={`${testCase.id}-${testCase.version}`}
          testCase={testCase}
          onCancel={() => onEditingChange(false)}
          onSaved={() => onChanged({ edited: true })}
        />
      ) : (
        <>
          <CaseBody testCase={testCase} />
          <QualityFindings
            findings={testCase.quality?.findings ?? []}
            label={`Quality findings of ${label}`}
          />
          <CaseActions testCase={testCase} onEdit={() => onEditingChange(true)} onReview={onReview} />
        </>
      )}
      <CaseHistorySection
        key={testCase.id}
        caseId={testCase.id}
        version={testCase.version}
        onChanged={() => onChanged({ edited: false })}
      />
    </aside>
  );
}

function CaseActions({
  testCase,
  onEdit,
  onReview,
}: {
  testCase: ListedTestCase;
  onEdit: () => void;
  onReview: (action: 'accept' | 'reject') => void;
}) {
  return (
    <div className="case-actions">
      <button
        type="button"
        className="primary"
        onClick={() => onReview('accept')}
        disabled={testCase.status === 'accepted'}
      >
        Accept
      </button>
      <button type="button" onClick={() => onReview('reject')} disabled={testCase.status === 'rejected'}>
        Reject
      </button>
      <button type="button" onClick={onEdit}>
        Edit
      </button>
    </div>
  );
}
