/* eslint-disable max-lines, max-lines-per-function -- StoredCaseCard and CaseEditor not split into sub-components yet (the review table of issue 14 replaces them); listed in ARCHITECTURE.md, "Size exceptions" */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  api,
  TEST_KINDS,
  type StoredTestCase,
  type StoryQuality,
  type TestCase,
  type TestKind,
  type TestStep,
} from '../api.ts';
import { EmptyState, ErrorMessage, QualityBadge, QualityFindings, StatusBadge } from '../components.tsx';
import { linkTo } from '../router.ts';
import { CaseAudit } from './case-audit.tsx';
import { CaseHistory } from './case-history.tsx';
import { RegenerateForm } from './regenerate-form.tsx';

interface ReviewListProps {
  testCases: StoredTestCase[];
  project: string;
  onChange: () => void;
  showStory?: boolean;
  emptyText: string;
  /**
   * The story's quality: a badge and the findings per case (story page). Without it, each case's
   * own `quality` is shown (the project's list).
   */
  quality?: StoryQuality;
}

/** Stored cases to review: select many, accept or reject, edit inline, regenerate one, history. */
export function ReviewList({ testCases, project, onChange, showStory, emptyText, quality }: ReviewListProps) {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function review(action: 'accept' | 'reject', ids: string[]) {
    if (ids.length === 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await (action === 'accept' ? api.acceptTestCases(ids) : api.rejectTestCases(ids));
      setSelected(new Set());
      onChange();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  if (testCases.length === 0) return <EmptyState title={emptyText} />;
  const ids = [...selected];
  return (
    <div className="review">
      <div className="toolbar" role="toolbar" aria-label="Review selected test cases">
        <label className="inline">
          <input
            type="checkbox"
            checked={selected.size === testCases.length}
            onChange={(event) =>
              setSelected(
                event.target.checked ? new Set(testCases.map((testCase) => testCase.id)) : new Set(),
              )
            }
          />
          Select all
        </label>
        <button type="button" disabled={busy || ids.length === 0} onClick={() => void review('accept', ids)}>
          Accept selected ({ids.length})
        </button>
        <button type="button" disabled={busy || ids.length === 0} onClick={() => void review('reject', ids)}>
          Reject selected
        </button>
        <span className="muted keys-hint">Keys on a focused case: a accept · r reject · e edit</span>
      </div>
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
      <ol className="case-list">
        {testCases.map((testCase) => (
          <li key={testCase.id}>
            <StoredCaseCard
              testCase={testCase}
              project={project}
              showStory={showStory ?? false}
              selected={selected.has(testCase.id)}
              onSelect={(value) =>
                setSelected((previous) => {
                  const next = new Set(previous);
                  if (value) next.add(testCase.id);
                  else next.delete(testCase.id);
                  return next;
                })
              }
              onReview={(action) => void review(action, [testCase.id])}
              onChange={onChange}
              quality={
                quality
                  ? quality.cases.find((caseQuality) => caseQuality.testCaseId === testCase.displayId)
                  : testCase.quality
              }
            />
          </li>
        ))}
      </ol>
    </div>
  );
}

interface CardProps {
  testCase: StoredTestCase;
  quality?: Pick<StoryQuality['cases'][number], 'score' | 'findings'>;
  project: string;
  showStory: boolean;
  selected: boolean;
  onSelect: (selected: boolean) => void;
  onReview: (action: 'accept' | 'reject') => void;
  onChange: () => void;
}

function StoredCaseCard({
  testCase,
  quality,
  project,
  showStory,
  selected,
  onSelect,
  onReview,
  onChange,
}: CardProps) {
  const [editing, setEditing] = useState(false);
  const [panel, setPanel] = useState<'history' | 'audit' | 'regenerate' | undefined>();
  const [error, setError] = useState<unknown>();
  const toggle = (name: 'history' | 'audit' | 'regenerate') => setPanel(panel === name ? undefined : name);

  function onKeyDown(event: KeyboardEvent<HTMLElement>) {
    if (event.target !== event.currentTarget || editing) return;
    if (event.key === 'a') onReview('accept');
    else if (event.key === 'r') onReview('reject');
    else if (event.key === 'e') setEditing(true);
  }

  const label = `${showStory && testCase.storyKey ? `${testCase.storyKey} ` : ''}${testCase.displayId}`;
  return (
    <article
      className={`case case-${testCase.status}`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={`${label}: ${testCase.title}`}
      data-testid={`case-${testCase.displayId}`}
    >
      <header className="case-header">
        <input
          type="checkbox"
          aria-label={`Select ${label}`}
          checked={selected}
          onChange={(event) => onSelect(event.target.checked)}
        />
        <span className="case-id">
          {showStory && testCase.storyKey ? (
            <a href={linkTo({ page: 'story', project, storyKey: testCase.storyKey })}>{testCase.storyKey}</a>
          ) : null}{' '}
          {testCase.displayId}
        </span>
        <StatusBadge status={testCase.status} />
        {quality ? (
          <QualityBadge
            score={quality.score}
            testId={
              showStory && testCase.storyKey
                ? `case-quality-${testCase.storyKey}-${testCase.displayId}`
                : `case-quality-${testCase.displayId}`
            }
          />
        ) : null}
        {testCase.needsReview ? (
          <span className="badge badge-review">needs review: {testCase.needsReviewReason}</span>
        ) : null}
        <span className="muted">v{testCase.version}</span>
      </header>
      {editing ? (
        <CaseEditor
          testCase={testCase}
          onCancel={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            onChange();
          }}
        />
      ) : (
        <>
          <CaseBody testCase={testCase} />
          <QualityFindings findings={quality?.findings ?? []} label={`Quality findings of ${label}`} />
        </>
      )}
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
      {!editing ? (
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
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" onClick={() => toggle('regenerate')} aria-expanded={panel === 'regenerate'}>
            Regenerate…
          </button>
          <button
            type="button"
            className="link"
            onClick={() => toggle('history')}
            aria-expanded={panel === 'history'}
          >
            History
          </button>
          <button
            type="button"
            className="link"
            onClick={() => toggle('audit')}
            aria-expanded={panel === 'audit'}
          >
            How was this generated?
          </button>
        </div>
      ) : null}
      {panel === 'regenerate' ? (
        <RegenerateForm
          caseId={testCase.id}
          onRegenerated={() => {
            setPanel(undefined);
            onChange();
          }}
        />
      ) : null}
      {panel === 'history' ? (
        <CaseHistory key={testCase.version} caseId={testCase.id} onRestored={onChange} />
      ) : null}
      {panel === 'audit' ? <CaseAudit key={testCase.version} caseId={testCase.id} /> : null}
    </article>
  );
}

/** A test case's content, read-only (also used for streamed, unsaved cases). */
export function CaseBody({ testCase }: { testCase: TestCase }) {
  return (
    <div className="case-body">
      <h3 className="case-title">{testCase.title}</h3>
      <p className="muted">
        {testCase.kind} · priority {testCase.priority} · covers{' '}
        {testCase.covers.length ? testCase.covers.join(', ') : 'nothing'} ·{' '}
        {testCase.engine === 'rules' ? 'offline rules' : 'model'}
      </p>
      {testCase.preconditions.length ? (
        <div>
          <strong>Preconditions</strong>
          <ul>
            {testCase.preconditions.map((precondition, index) => (
              <li key={index}>{precondition}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {testCase.gherkin ? (
        <pre className="gherkin">{testCase.gherkin}</pre>
      ) : testCase.steps.length ? (
        <table className="steps">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Action</th>
              <th scope="col">Data</th>
              <th scope="col">Expected result</th>
            </tr>
          </thead>
          <tbody>
            {testCase.steps.map((step, index) => (
              <tr key={index}>
                <td>{index + 1}</td>
                <td>{step.action}</td>
                <td>{step.data}</td>
                <td>{step.expected}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {testCase.warnings.length ? (
        <ul className="warnings" aria-label="Lint warnings">
          {testCase.warnings.map((warning, index) => (
            <li key={index}>⚠ {warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

function CaseEditor({
  testCase,
  onCancel,
  onSaved,
}: {
  testCase: StoredTestCase;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [title, setTitle] = useState(testCase.title);
  const [kind, setKind] = useState<TestKind>(testCase.kind);
  const [priority, setPriority] = useState(testCase.priority);
  const [preconditions, setPreconditions] = useState(testCase.preconditions.join('\n'));
  const [covers, setCovers] = useState(testCase.covers.join(', '));
  const [steps, setSteps] = useState<TestStep[]>(testCase.steps.length ? testCase.steps : [{ action: '' }]);
  const [gherkin, setGherkin] = useState(testCase.gherkin ?? '');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const setStep = (index: number, field: keyof TestStep, value: string) =>
    setSteps((previous) =>
      previous.map((step, position) => (position === index ? { ...step, [field]: value } : step)),
    );

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.editTestCase(
        testCase.id,
        {
          title: title.trim(),
          kind,
          priority: priority.trim(),
          preconditions: lines(preconditions),
          covers: covers
            .split(/[\s,]+/)
            .map((id) => id.trim())
            .filter(Boolean),
          steps: steps
            .filter((step) => step.action.trim())
            .map((step) => ({
              action: step.action.trim(),
              ...(step.data?.trim() ? { data: step.data.trim() } : {}),
              ...(step.expected?.trim() ? { expected: step.expected.trim() } : {}),
            })),
          ...(testCase.gherkin || gherkin.trim() ? { gherkin: gherkin.trim() ? gherkin : null } : {}),
        },
        testCase.version,
      );
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack editor"
      onSubmit={save}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      aria-label={`Edit ${testCase.displayId}`}
    >
      <label>
        Title
        <input value={title} onChange={(event) => setTitle(event.target.value)} required autoFocus />
      </label>
      <div className="row">
        <label>
          Kind
          <select value={kind} onChange={(event) => setKind(event.target.value as TestKind)}>
            {TEST_KINDS.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <input value={priority} onChange={(event) => setPriority(event.target.value)} required />
        </label>
        <label>
          Covers
          <input
            value={covers}
            onChange={(event) => setCovers(event.target.value)}
            placeholder="AC-1, AC-2"
          />
        </label>
      </div>
      <label>
        Preconditions <span className="muted">(one per line)</span>
        <textarea rows={2} value={preconditions} onChange={(event) => setPreconditions(event.target.value)} />
      </label>
      {testCase.gherkin ? (
        <label>
          Gherkin
          <textarea
            rows={8}
            className="mono"
            value={gherkin}
            onChange={(event) => setGherkin(event.target.value)}
          />
        </label>
      ) : (
        <fieldset>
          <legend>Steps</legend>
          {steps.map((step, index) => (
            <div className="row step-row" key={index}>
              <label>
                Action {index + 1}
                <input
                  value={step.action}
                  onChange={(event) => setStep(index, 'action', event.target.value)}
                />
              </label>
              <label>
                Data
                <input
                  value={step.data ?? ''}
                  onChange={(event) => setStep(index, 'data', event.target.value)}
                />
              </label>
              <label>
                Expected
                <input
                  value={step.expected ?? ''}
                  onChange={(event) => setStep(index, 'expected', event.target.value)}
                />
              </label>
              <button
                type="button"
                className="link"
                aria-label={`Remove step ${index + 1}`}
                onClick={() => setSteps((previous) => previous.filter((_, position) => position !== index))}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="link"
            onClick={() => setSteps((previous) => [...previous, { action: '' }])}
          >
            Add step
          </button>
        </fieldset>
      )}
      <ErrorMessage error={error} />
      <div className="case-actions">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
