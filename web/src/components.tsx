import { useCallback, useEffect, useRef, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { describeError, FORMAT_LABELS, TEST_FORMATS, type TestFormat } from './api.ts';

/** Text with `backtick` spans (commands, headers in server messages) shown as code. */
export function InlineCode({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, index) => (index % 2 === 1 ? <code key={index}>{part}</code> : part))}</>;
}

/** An error as the server said it: what happened, and what to do next. */
export function ErrorMessage({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === undefined || error === null) return null;
  const { message, fix, code } = describeError(error);
  return (
    <div className="error" role="alert" data-code={code}>
      <p className="error-message">
        <InlineCode text={message} />
      </p>
      {fix ? (
        <p className="error-fix">
          <strong>Fix: </strong>
          <InlineCode text={fix} />
        </p>
      ) : null}
      {onDismiss ? (
        <button type="button" className="link" onClick={onDismiss}>
          Dismiss
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  return (
    <div className="notice" role="status">
      {children}
    </div>
  );
}

/**
 * Loads data once (and again on `reload`), with its loading state and error. `initial`, read on the
 * first render, gives data already at hand (an early request's answer): then the first load is skipped.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  dependencies: readonly unknown[],
  initial?: () => T | undefined,
) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>(() => {
    const data = initial?.();
    return data === undefined ? { loading: true } : { data, loading: false };
  });
  const startedLoaded = useRef(state.data !== undefined);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (startedLoaded.current) {
      startedLoaded.current = false;
      return;
    }
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
  }, [...dependencies, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

/** The test case format picker (BDD, Manual, Generic); the label around it is the caller's. */
export function FormatSelect({
  value,
  onChange,
}: {
  value: TestFormat;
  onChange: (format: TestFormat) => void;
}) {
  return (
    <select value={value} onChange={(event) => onChange(event.target.value as TestFormat)}>
      {TEST_FORMATS.map((format) => (
        <option key={format} value={format}>
          {FORMAT_LABELS[format]}
        </option>
      ))}
    </select>
  );
}

/** The quality score as a coloured badge: good from 80, fair from 50, poor below. */
export function QualityBadge({ score, testId }: { score: number; testId: string }) {
  const level = score >= 80 ? 'good' : score >= 50 ? 'fair' : 'poor';
  return (
    <span
      className={`badge badge-quality badge-quality-${level}`}
      data-testid={testId}
      title="Quality score (0–100)"
    >
      Quality {score}/100
    </span>
  );
}

/** Quality findings, each with its fix. */
export function QualityFindings({
  findings,
  label,
}: {
  findings: ReadonlyArray<QualityFindingView>;
  label: string;
}) {
  if (findings.length === 0) return null;
  return (
    <ul className="quality-findings" aria-label={label}>
      {findings.map((finding, index) => (
        <li key={index} className={`finding finding-${finding.severity}`}>
          <strong>{finding.severity}</strong> {finding.message}{' '}
          <span className="fix">Fix: {finding.fix}</span>
        </li>
      ))}
    </ul>
  );
}

interface QualityFindingView {
  severity: string;
  message: string;
  fix: string;
}

type NumberInputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value' | 'onChange'>;

/** A labelled number input whose value stays the typed text (empty: not given). */
export function NumberField({
  label,
  value,
  onChange,
  ...input
}: NumberInputAttributes & { label: ReactNode; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {label}
      <input type="number" value={value} onChange={(event) => onChange(event.target.value)} {...input} />
    </label>
  );
}
