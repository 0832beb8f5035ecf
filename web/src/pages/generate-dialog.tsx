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
import { ErrorMessage, FormatSelect, Notice, NumberField } from '../components.tsx';
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

/** The options form's values, as typed. */
interface GenerateOptions {
  format: TestFormat;
  minimum: string;
  maximum: string;
  kinds: Set<TestKind>;
  additionalContext: string;
  engineRequest: EngineRequest;
}

type GenerateRequest = Parameters<typeof api.generateForStory>[2];

function requestOf(options: GenerateOptions): GenerateRequest {
  const { minimum, maximum, kinds, additionalContext } = options;
  const min = Number(minimum);
  const max = Number(maximum || minimum);
  return {
    format: options.format,
    ...(minimum ? { count: { min, max: Math.max(min, max) } } : {}),
    ...(kinds.size < TEST_KINDS.length ? { kinds: [...kinds] } : {}),
    ...(additionalContext.trim() ? { additionalContext: additionalContext.trim() } : {}),
    ...options.engineRequest,
  };
}

interface OptionsFormProps {
  project: string;
  options: GenerateOptions;
  update: (changes: Partial<GenerateOptions>) => void;
  toggleKind: (kind: TestKind) => void;
}

/** Format, how many, which kinds and additional context. */
function OptionFields({ options, update, toggleKind }: Omit<OptionsFormProps, 'project'>) {
  return (
    <>
      <div className="row">
        <label>
          Format
          <FormatSelect value={options.format} onChange={(format) => update({ format })} />
        </label>
        <NumberField
          label="At least"
          min={1}
          max={200}
          placeholder="auto"
          value={options.minimum}
          onChange={(text) => update({ minimum: text })}
        />
        <NumberField
          label="At most"
          min={1}
          max={200}
          placeholder="auto"
          value={options.maximum}
          onChange={(text) => update({ maximum: text })}
        />
      </div>
      <fieldset className="row">
        <legend>Kinds</legend>
        {TEST_KINDS.map((kind) => (
          <label key={kind} className="inline">
            <input type="checkbox" checked={options.kinds.has(kind)} onChange={() => toggleKind(kind)} />{' '}
            {kind}
          </label>
        ))}
      </fieldset>
      <label>
        Additional context <span className="muted">(optional)</span>
        <textarea
          rows={3}
          value={options.additionalContext}
          onChange={(event) => update({ additionalContext: event.target.value })}
        />
      </label>
    </>
  );
}

function OptionsForm(
  props: OptionsFormProps & {
    phase: Phase;
    error: unknown;
    onSubmit: (event: FormEvent) => void;
    onClose: () => void;
  },
) {
  return (
    <form onSubmit={props.onSubmit} className="stack">
      <EnginePicker project={props.project} onChange={(engineRequest) => props.update({ engineRequest })} />
      <OptionFields options={props.options} update={props.update} toggleKind={props.toggleKind} />
      {props.phase === 'cancelled' ? <Notice>Cancelled: nothing was saved.</Notice> : null}
      <ErrorMessage error={props.error} />
      <div className="case-actions">
        <button type="submit" className="primary" disabled={props.options.kinds.size === 0} autoFocus>
          Generate
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}

interface StreamViewProps {
  phase: Phase;
  engine: EngineSummary | undefined;
  cases: TestCase[];
  warnings: string[];
  result: GenerationDone | undefined;
  onCancel: () => void;
  onClose: () => void;
}

function streamStatus({ phase, cases, result }: StreamViewProps): string {
  const savedCount = result?.testCases?.length ?? cases.length;
  return phase === 'running'
    ? `Generating… ${cases.length} test case${cases.length === 1 ? '' : 's'} so far`
    : result?.skipped
      ? `Nothing generated: ${result.skipped}`
      : `Done: ${savedCount} test case${savedCount === 1 ? '' : 's'} saved as drafts for review.`;
}

/** The stream: status, engine, the cases as they arrive, warnings. */
function StreamView(props: StreamViewProps) {
  const { phase, engine, cases, warnings } = props;
  return (
    <div className="stack">
      <p role="status" className="stream-status">
        {streamStatus(props)}
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
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        ) : (
          <button type="button" className="primary" onClick={props.onClose} autoFocus>
            Review test cases
          </button>
        )}
      </div>
    </div>
  );
}

/** The options form's state, starting from the project's format. */
function useGenerateOptions(defaultFormat: TestFormat) {
  const [options, setOptions] = useState<GenerateOptions>(() => ({
    format: defaultFormat,
    minimum: '',
    maximum: '',
    kinds: new Set(TEST_KINDS),
    additionalContext: '',
    engineRequest: {},
  }));
  const update = (changes: Partial<GenerateOptions>) =>
    setOptions((previous) => ({ ...previous, ...changes }));
  const toggleKind = (kind: TestKind) =>
    setOptions((previous) => {
      const next = new Set(previous.kinds);
      if (next.has(kind)) next.delete(kind);
      else next.add(kind);
      return { ...previous, kinds: next };
    });
  return { options, update, toggleKind };
}

/** One generation request at a time, its streamed cases and how it ended. */
function useGenerationStream(project: string, storyKey: string) {
  const abort = useRef<AbortController | undefined>(undefined);
  const [phase, setPhase] = useState<Phase>('options');
  const [engine, setEngine] = useState<EngineSummary | undefined>();
  const [cases, setCases] = useState<TestCase[]>([]);
  const [warnings, setWarnings] = useState<string[]>([]);
  const [result, setResult] = useState<GenerationDone | undefined>();
  const [error, setError] = useState<unknown>();

  async function run(request: GenerateRequest) {
    const controller = new AbortController();
    abort.current = controller;
    setPhase('running');
    setCases([]);
    setWarnings([]);
    setError(undefined);
    setEngine(undefined);
    try {
      const done = await api.generateForStory(
        project,
        storyKey,
        request,
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

  return { abort, run, phase, engine, cases, warnings, result, error };
}

/**
 * Options, then the stream: each case shows as soon as the model has written it. Cancel aborts
 * the request (the server stops the model call when the client goes away).
 */
export function GenerateDialog({ project, storyKey, defaultFormat, onClose }: GenerateDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const { options, update, toggleKind } = useGenerateOptions(defaultFormat);
  const stream = useGenerationStream(project, storyKey);
  const { abort, phase } = stream;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => abort.current?.abort();
  }, []);

  function close() {
    abort.current?.abort();
    onClose(phase === 'done');
  }

  function generate(event: FormEvent) {
    event.preventDefault();
    void stream.run(requestOf(options));
  }

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
        <OptionsForm
          {...{ project, options, update, toggleKind, phase }}
          error={stream.error}
          onSubmit={generate}
          onClose={close}
        />
      ) : null}
      {phase === 'running' || phase === 'done' ? (
        <StreamView {...stream} onCancel={() => abort.current?.abort()} onClose={close} />
      ) : null}
    </dialog>
  );
}
