import { useState, type FormEvent } from 'react';
import {
  api,
  TEST_KINDS,
  type StoredTestCase,
  type TestCasePatch,
  type TestKind,
  type TestStep,
} from '../api.ts';
import { ErrorMessage } from '../components.tsx';

interface EditorDraft {
  title: string;
  kind: TestKind;
  priority: string;
  preconditions: string;
  covers: string;
  steps: TestStep[];
  gherkin: string;
}

function draftOf(testCase: StoredTestCase): EditorDraft {
  return {
    title: testCase.title,
    kind: testCase.kind,
    priority: testCase.priority,
    preconditions: testCase.preconditions.join('\n'),
    covers: testCase.covers.join(', '),
    steps: testCase.steps.length ? testCase.steps : [{ action: '' }],
    gherkin: testCase.gherkin ?? '',
  };
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
}

/** The patch of an edited draft: trimmed texts, blank steps dropped, Gherkin only where it was. */
function patchOf(draft: EditorDraft, testCase: StoredTestCase): TestCasePatch {
  return {
    title: draft.title.trim(),
    kind: draft.kind,
    priority: draft.priority.trim(),
    preconditions: lines(draft.preconditions),
    covers: draft.covers
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter(Boolean),
    steps: draft.steps
      .filter((step) => step.action.trim())
      .map((step) => ({
        action: step.action.trim(),
        ...(step.data?.trim() ? { data: step.data.trim() } : {}),
        ...(step.expected?.trim() ? { expected: step.expected.trim() } : {}),
      })),
    ...(testCase.gherkin || draft.gherkin.trim()
      ? { gherkin: draft.gherkin.trim() ? draft.gherkin : null }
      : {}),
  };
}

/** Edits a stored case (a new version); Escape cancels. */
export function CaseEditor({
  testCase,
  onCancel,
  onSaved,
}: {
  testCase: StoredTestCase;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<EditorDraft>(() => draftOf(testCase));
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const change = (changes: Partial<EditorDraft>) => setDraft((previous) => ({ ...previous, ...changes }));

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.editTestCase(testCase.id, patchOf(draft, testCase), testCase.version);
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
        if (event.key === 'Escape') {
          event.stopPropagation();
          onCancel();
        }
      }}
      aria-label={`Edit ${testCase.displayId}`}
    >
      <EditorFields draft={draft} change={change} />
      {testCase.gherkin ? (
        <label>
          Gherkin
          <textarea
            rows={8}
            className="mono"
            value={draft.gherkin}
            onChange={(event) => change({ gherkin: event.target.value })}
          />
        </label>
      ) : (
        <StepsFieldset steps={draft.steps} onChange={(steps) => change({ steps })} />
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

function EditorFields({
  draft,
  change,
}: {
  draft: EditorDraft;
  change: (changes: Partial<EditorDraft>) => void;
}) {
  return (
    <>
      <label>
        Title
        <input
          value={draft.title}
          onChange={(event) => change({ title: event.target.value })}
          required
          autoFocus
        />
      </label>
      <div className="row">
        <label>
          Kind
          <select value={draft.kind} onChange={(event) => change({ kind: event.target.value as TestKind })}>
            {TEST_KINDS.map((option) => (
              <option key={option}>{option}</option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <input
            value={draft.priority}
            onChange={(event) => change({ priority: event.target.value })}
            required
          />
        </label>
        <label>
          Covers
          <input
            value={draft.covers}
            onChange={(event) => change({ covers: event.target.value })}
            placeholder="AC-1, AC-2"
          />
        </label>
      </div>
      <label>
        Preconditions <span className="muted">(one per line)</span>
        <textarea
          rows={2}
          value={draft.preconditions}
          onChange={(event) => change({ preconditions: event.target.value })}
        />
      </label>
    </>
  );
}

function StepsFieldset({ steps, onChange }: { steps: TestStep[]; onChange: (steps: TestStep[]) => void }) {
  const setStep = (index: number, field: keyof TestStep, value: string) =>
    onChange(steps.map((step, position) => (position === index ? { ...step, [field]: value } : step)));
  return (
    <fieldset>
      <legend>Steps</legend>
      {steps.map((step, index) => (
        <div className="row step-row" key={index}>
          <label>
            Action {index + 1}
            <input value={step.action} onChange={(event) => setStep(index, 'action', event.target.value)} />
          </label>
          <label>
            Data
            <input value={step.data ?? ''} onChange={(event) => setStep(index, 'data', event.target.value)} />
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
            onClick={() => onChange(steps.filter((_, position) => position !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" className="link" onClick={() => onChange([...steps, { action: '' }])}>
        Add step
      </button>
    </fieldset>
  );
}
