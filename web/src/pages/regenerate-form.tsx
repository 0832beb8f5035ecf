/**
 * Regenerate a case with feedback: what should change goes to the engine with the request, and
 * the replacement is stored as a new version.
 */
import { useState, type FormEvent } from 'react';
import { historyApi } from '../api.ts';
import { ErrorMessage } from '../components.tsx';

interface RegenerateFormProps {
  caseId: string;
  /** Called once the replacement is stored. */
  onRegenerated?: () => void;
}

export function RegenerateForm({ caseId, onRegenerated }: RegenerateFormProps) {
  const [feedback, setFeedback] = useState('');
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setRunning(true);
    setError(undefined);
    try {
      await historyApi.regenerate(caseId, feedback);
      setFeedback('');
      onRegenerated?.();
    } catch (caught) {
      setError(caught);
    } finally {
      setRunning(false);
    }
  }

  const fieldId = `regenerate-feedback-${caseId}`;
  return (
    <form className="regenerate-form" onSubmit={(event) => void submit(event)} aria-label="Regenerate">
      <label htmlFor={fieldId}>What should change?</label>
      <textarea
        id={fieldId}
        rows={2}
        value={feedback}
        placeholder="e.g. use a Mastercard and check the receipt number"
        onChange={(event) => setFeedback(event.target.value)}
        maxLength={20_000}
      />
      <ErrorMessage error={error} onDismiss={() => setError(undefined)} />
      <button type="submit" disabled={running}>
        {running ? 'Regenerating…' : 'Regenerate'}
      </button>
    </form>
  );
}
