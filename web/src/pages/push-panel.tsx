import { useState, type FormEvent } from 'react';
import {
  api,
  ApiError,
  PUSH_TARGET_LABELS,
  type Connection,
  type PushResult,
  type PushTarget,
  type TestCaseStatus,
} from '../api.ts';
import { ErrorMessage, Notice, useLoad } from '../components.tsx';

const statusChoices: Record<string, TestCaseStatus[]> = {
  accepted: ['accepted'],
  draft: ['draft'],
  all: ['draft', 'accepted'],
};

function isPushConnection(connection: Connection): connection is Connection & { kind: PushTarget } {
  return connection.kind in PUSH_TARGET_LABELS;
}

/**
 * The web app's own advice for a failed push (the server's fix may name command-line steps):
 * what to change here or in the connection, by error code.
 */
const ADVICE: Record<string, string> = {
  connector_authentication:
    "Ask whoever manages this server to renew the connection's token, key or password, then preview again.",
  connector_permission:
    "Give the connection's account permission for this project in the tool, or use a connection with such an account.",
  connector_not_found:
    "Check the connection's URL and project in the tool; whoever manages this server can correct them.",
  connector_rate_limited: 'Wait a minute and push again: cases already pushed are not sent twice.',
  connector_server: 'Try again later: cases already pushed are not sent twice.',
  connector_unreachable: "Check that the tool's URL is reachable from this server, then push again.",
};

function inWebWords(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const advice = ADVICE[error.code];
  return advice ? new ApiError(error.status, error.code, error.message, advice) : error;
}

function summary(result: PushResult): string {
  const { counts } = result;
  if (result.dryRun) {
    const toCreate = result.cases.filter((item) => item.outcome === 'would-create').length;
    const toUpdate = result.cases.filter((item) => item.outcome === 'would-update').length;
    return `Preview: ${toCreate} to create, ${toUpdate} to update, ${counts.unchanged} unchanged. Nothing was sent yet.`;
  }
  return `Pushed: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed.`;
}

const OUTCOME_LABELS: Record<PushResult['cases'][number]['outcome'], string> = {
  created: 'Created',
  updated: 'Updated',
  unchanged: 'Unchanged',
  failed: 'Failed',
  'would-create': 'Would be created',
  'would-update': 'Would be updated',
};

/** The summary, warnings and each changed case's outcome. */
function PushResultView({ result }: { result: PushResult }) {
  const shown = result.cases.filter((item) => item.outcome !== 'unchanged');
  return (
    <div className="stack" aria-label={result.dryRun ? 'Push preview' : 'Push results'}>
      <Notice>{summary(result)}</Notice>
      {result.warnings.map((warning) => (
        <p key={warning} className="push-warning">
          {warning}
        </p>
      ))}
      {shown.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th>Case</th>
              <th>Result</th>
              <th>In the tool</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((item) => (
              <tr key={item.testCaseId} data-outcome={item.outcome}>
                <td>{item.reference}</td>
                <td>{OUTCOME_LABELS[item.outcome]}</td>
                <td>{item.error ?? item.externalKey ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

type PushConnection = Connection & { kind: PushTarget };

function ConnectionSelect(props: {
  available: PushConnection[];
  value: string;
  onChange: (name: string) => void;
}) {
  return (
    <label>
      Connection
      <select
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
        disabled={props.available.length === 0}
      >
        {props.available.map((connection) => (
          <option key={connection.name} value={connection.name}>
            {connection.name} ({PUSH_TARGET_LABELS[connection.kind]}, {connection.baseUrl})
          </option>
        ))}
      </select>
    </label>
  );
}

type StatusChoice = 'accepted' | 'draft' | 'all';

function StatusSelect({ value, onChange }: { value: StatusChoice; onChange: (value: StatusChoice) => void }) {
  return (
    <label>
      Cases to push
      <select value={value} onChange={(event) => onChange(event.target.value as StatusChoice)}>
        <option value="accepted">Accepted only</option>
        <option value="draft">Drafts only</option>
        <option value="all">All but rejected</option>
      </select>
    </label>
  );
}

/**
 * "Push to…": choose a stored connection to TestRail, Xray or Zephyr Scale, preview what a push
 * would create and update (a dry run), then push and see each case's result.
 */
export function PushPanel({ project }: { project: string }) {
  const connections = useLoad(async () => (await api.listConnections()).filter(isPushConnection), []);
  const [connectionName, setConnectionName] = useState('');
  const [status, setStatus] = useState<StatusChoice>('accepted');
  const [result, setResult] = useState<PushResult | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'preview' | 'push' | undefined>();
  const available = connections.data ?? [];
  const chosen = available.find((connection) => connection.name === connectionName) ?? available[0];

  async function run(dryRun: boolean) {
    if (!chosen) return;
    setBusy(dryRun ? 'preview' : 'push');
    setError(undefined);
    try {
      setResult(
        await api.push(project, {
          to: chosen.kind,
          connection: chosen.name,
          status: statusChoices[status] ?? ['accepted'],
          dryRun,
        }),
      );
    } catch (caught) {
      setError(inWebWords(caught));
    } finally {
      setBusy(undefined);
    }
  }

  function preview(event: FormEvent) {
    event.preventDefault();
    void run(true);
  }

  return (
    <form onSubmit={preview} className="stack panel narrow-form" aria-label="Push to a tool">
      <h2>Push to…</h2>
      {connections.data && available.length === 0 ? (
        <Notice>
          No connection to TestRail, Xray or Zephyr Scale is stored on this server yet. Whoever manages the
          server can add one; it then appears here.
        </Notice>
      ) : null}
      <ConnectionSelect
        available={available}
        value={chosen?.name ?? ''}
        onChange={(name) => {
          setConnectionName(name);
          setResult(undefined);
        }}
      />
      <StatusSelect
        value={status}
        onChange={(value) => {
          setStatus(value);
          setResult(undefined);
        }}
      />
      <ErrorMessage error={error ?? connections.error} />
      {result ? <PushResultView result={result} /> : null}
      <div className="row">
        <button type="submit" disabled={!chosen || busy !== undefined}>
          {busy === 'preview' ? 'Checking…' : 'Preview'}
        </button>
        <button
          type="button"
          className="primary"
          disabled={!result?.dryRun || busy !== undefined}
          onClick={() => void run(false)}
        >
          {busy === 'push' ? 'Pushing…' : 'Push'}
        </button>
      </div>
    </form>
  );
}
