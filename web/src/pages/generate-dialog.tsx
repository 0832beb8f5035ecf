import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  api,
  isAbort,
  TEST_KINDS,
  type EngineSummary,
  type GenerationDone,
  type TestCase,
  type TestFormat,
  type TestKind,
} from '../api.ts';
import { ErrorMessage, FormatSelect, Notice } from '../components.tsx';
import { withoutCliWording } from '../remedy-wording.ts';
import { EnginePicker, type EngineRequest } from './engine-picker.tsx';
import { CaseBody } from './review-list.tsx';

interface GenerateDialogProps {
  project: string;
  storyKey: string;
  defaultFormat: TestFormat;
  /** `saved`: the generation finished and stored cases. */
  onClose: (saved: boolean) => void;
}

type Phase = 'options' | 'running' | 'done' | 'cancelled' | 'failed';

/**
 * Options, then the stream: each case shows as soon as the model has written it. Cancel aborts
 * the request (the server stops the model call when the client goes away).
 */
// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
export function GenerateDialog({ project, storyKey, defaultFormat, onClose }: GenerateDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const abort = useRef<AbortController | undefined>(undefined);
  const [format, setFormat] = useState<TestFormat>(defaultFormat);
  const [minimum, setMinimum] = useState('');
  const [maximum, setMaximum] = useState('');
  const [kinds, setKinds] = useState<Set<TestKind>>(new Set(TEST_KINDS));
  const [additionalContext, setAdditionalContext] = useState('');
  const [engineRequest, setEngineRequest] = useState<EngineRequest>({});
  const [phase, setPhase] = useState<Phase>('options');
  const [engine, setEngine] = useState<EngineSummary | undefined>();
  const [cases, setCases] = useState<TestCase[]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [result, setResult] = useState<GenerationDone | undefined>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => abort.current?.abort();
  }, []);

  function close() {
    abort.current?.abort();
    onClose(phase === 'done');
  }

  async function generate(event: FormEvent) {
    event.preventDefault();
    const controller = new AbortController();
    abort.current = controller;
    setPhase('running');
    setCases([]);
    setWarnings([]);
    setError(undefined);
    setEngine(undefined);
    const min = Number(minimum);
    const max = Number(maximum || minimum);
    try {
      const done = await api.generateForStory(
        project,
        storyKey,
        {
          format,
          ...(minimum ? { count: { min, max: Math.max(min, max) } } : {}),
          ...(kinds.size < TEST_KINDS.length ? { kinds: [...kinds] } : {}),
          ...(additionalContext.trim() ? { additionalContext: additionalContext.trim() } : {}),
          ...engineRequest,
        },
        {
          onEngine: setEngine,
          onTestCase: (testCase) => setCases((previous) => [...previous, testCase]),
          onWarning: (message) => setWarnings((previous) => [...previous, message]),
        },
        controller.signal,
      );
      setResult(done);
      setPhase('done');
    } catch (caught) {
      if (isAbort(caught)) {
        setPhase('cancelled');
      } else {
        setError(caught);
        setPhase('failed');
      }
    } finally {
      abort.current = undefined;
    }
  }

  const toggleKind = (kind: TestKind) =>
    setKinds((previous) => {
      const next = new Set(previous);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return next;
    });

  const savedCount = result?.testCases?.length ?? cases.length;
  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="generate-heading"
      onCancel={(event) => {
        event.preventDefault();
        if (phase === 'running') abort.current?.abort();
        else close();
      }}
    >
      <h2 id="generate-heading">Generate test cases for {storyKey}</h2>
      {phase === 'options' || phase === 'failed' || phase === 'cancelled' ? (
        <form onSubmit={generate} className="stack">
          <EnginePicker project={project} onChange={setEngineRequest} />
          <div className="row">
            <label>
              Format
              <FormatSelect value={format} onChange={setFormat} />
            </label>
            <label>
              At least
              <input
                type="number"
                min={1}
                max={200}
                value={minimum}
                placeholder="auto"
                onChange={(event) => setMinimum(event.target.value)}
              />
            </label>
            <label>
              At most
              <input
                type="number"
                min={1}
                max={200}
                value={maximum}
                placeholder="auto"
                onChange={(event) => setMaximum(event.target.value)}
              />
            </label>
          </div>
          <fieldset className="row">
            <legend>Kinds</legend>
            {TEST_KINDS.map((kind) => (
              <label key={kind} className="inline">
                <input type="checkbox" checked={kinds.has(kind)} onChange={() => toggleKind(kind)} /> {kind}
              </label>
            ))}
          </fieldset>
          <label>
            Additional context <span className="muted">(optional)</span>
            <textarea
              rows={3}
              value={additionalContext}
              onChange={(event) => setAdditionalContext(event.target.value)}
            />
          </label>
          {phase === 'cancelled' ? <Notice>Cancelled: nothing was saved.</Notice> : null}
          <ErrorMessage error={error} />
          <div className="case-actions">
            <button type="submit" className="primary" disabled={kinds.size === 0} autoFocus>
              Generate
            </button>
            <button type="button" onClick={close}>
              Close
            </button>
          </div>
        </form>
      ) : null}
      {phase === 'running' || phase === 'done' ? (
        <div className="stack">
          <p role="status" className="stream-status">
            {phase === 'running'
              ? `Generating… ${cases.length} test case${cases.length === 1 ? '' : 's'} so far`
              : result?.skipped
                ? `Nothing generated: ${result.skipped}`
                : `Done: ${savedCount} test case${savedCount === 1 ? '' : 's'} saved as drafts for review.`}
          </p>
          {engine ? (
            <p className="muted" data-testid="engine-used">
              Engine: {withoutCliWording(engine.description) || engine.kind}
            </p>
          ) : null}
          {phase === 'running' ? <progress aria-label="Generating" /> : null}
          <ol className="case-list streamed" aria-label="Generated test cases">
            {cases.map((testCase, index) => (
              <li key={`${testCase.id}-${index}`} className="case">
                <span className="case-id">{testCase.id}</span>
                <CaseBody testCase={testCase} />
              </li>
            ))}
          </ol>
          {warnings.length ? (
            <ul className="warnings" aria-label="Generation warnings">
              {warnings.map((warning, index) => (
                <li key={index}>⚠ {warning}</li>
              ))}
            </ul>
          ) : null}
          <div className="case-actions">
            {phase === 'running' ? (
              <button type="button" onClick={() => abort.current?.abort()}>
                Cancel
              </button>
            ) : (
              <button type="button" className="primary" onClick={close} autoFocus>
                Review test cases
              </button>
            )}
          </div>
        </div>
      ) : null}
    </dialog>
  );
}
