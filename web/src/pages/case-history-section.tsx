import { useState } from 'react';
import { CaseAudit } from './case-audit.tsx';
import { CaseHistory } from './case-history.tsx';
import { RegenerateForm } from './regenerate-form.tsx';

type Fold = 'regenerate' | 'history' | 'audit';

/**
 * The side panel's folds under a case: regenerate with feedback, the history with diffs and
 * restore, and how the case was generated (the stored prompt and raw answer). One open at a time.
 */
export function CaseHistorySection({
  caseId,
  version,
  onChanged,
}: {
  caseId: string;
  version: number;
  /** The case changed on the server (regenerated or restored): read it again. */
  onChanged: () => void;
}) {
  const [open, setOpen] = useState<Fold | undefined>();
  const toggle = (fold: Fold) => setOpen(open === fold ? undefined : fold);
  const button = (fold: Fold, label: string) => (
    <button type="button" className="link" onClick={() => toggle(fold)} aria-expanded={open === fold}>
      {label}
    </button>
  );
  return (
    <section className="case-history" aria-label="History" data-version={version}>
      <div className="case-folds">
        {button('regenerate', 'Regenerate…')}
        {button('history', 'History')}
        {button('audit', 'How was this generated?')}
      </div>
      {open === 'regenerate' ? (
        <RegenerateForm
          caseId={caseId}
          onRegenerated={() => {
            setOpen(undefined);
            onChanged();
          }}
        />
      ) : null}
      {open === 'history' ? <CaseHistory key={version} caseId={caseId} onRestored={onChanged} /> : null}
      {open === 'audit' ? <CaseAudit key={version} caseId={caseId} /> : null}
    </section>
  );
}
