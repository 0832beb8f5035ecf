import { useState, type FormEvent } from 'react';
import { api, type CheckReport, type Provider, type ProviderInput, type ProviderPreset } from '../api.ts';
import { EmptyState, ErrorMessage, InlineCode, Notice, useLoad } from '../components.tsx';

/** Custom AI Integration: the team's OpenAI-compatible endpoints, each tested before it is saved. */
export function SettingsPage() {
  const providers = useLoad(() => api.listProviders(), []);
  const presets = useLoad(() => api.listPresets(), []);
  const [editing, setEditing] = useState<Provider | 'new' | undefined>();

  return (
    <>
      <h1>Custom AI Integration</h1>
      <p className="muted">
        Any OpenAI-compatible chat completions endpoint: a hosted service, a proxy, or a model on your own
        machine. Keys are stored encrypted and never shown again.
      </p>
      <div className="columns wide-second">
        <section aria-labelledby="providers-heading">
          <div className="title-row">
            <h2 id="providers-heading">Models</h2>
            <button type="button" onClick={() => setEditing('new')}>
              Add a model
            </button>
          </div>
          <ErrorMessage error={providers.error} />
          {providers.data && providers.data.length === 0 ? (
            <EmptyState title="No model configured">
              <p>
                Without one, Reqase Lite drafts test cases with its offline rules engine. Add a model to use
                your own AI.
              </p>
            </EmptyState>
          ) : null}
          <ul className="card-list">
            {(providers.data ?? []).map((provider) => (
              <li key={provider.id} className="card">
                <div className="title-row">
                  <strong>{provider.name}</strong>
                  <button type="button" className="link" onClick={() => setEditing(provider)}>
                    Edit
                  </button>
                </div>
                <p className="muted">
                  {provider.model} at {provider.baseUrl}
                  <br />
                  API key: {provider.hasApiKey ? provider.apiKeyMasked : 'none'}
                </p>
              </li>
            ))}
          </ul>
        </section>
        {editing ? (
          <ProviderForm
            key={editing === 'new' ? 'new' : editing.id}
            provider={editing === 'new' ? undefined : editing}
            presets={presets.data ?? []}
            onSaved={() => {
              setEditing(undefined);
              providers.reload();
            }}
            onCancel={() => setEditing(undefined)}
          />
        ) : null}
      </div>
    </>
  );
}

interface ProviderFormProps {
  provider: Provider | undefined;
  presets: ProviderPreset[];
  onSaved: () => void;
  onCancel: () => void;
}

// eslint-disable-next-line max-lines-per-function -- not split yet (ARCHITECTURE.md, "Size exceptions")
function ProviderForm({ provider, presets, onSaved, onCancel }: ProviderFormProps) {
  const [name, setName] = useState(provider?.name ?? '');
  const [preset, setPreset] = useState('');
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '');
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState(provider?.model ?? '');
  const [temperature, setTemperature] = useState(provider?.temperature?.toString() ?? '');
  const [maxTokens, setMaxTokens] = useState(provider?.maxTokens?.toString() ?? '');
  const [report, setReport] = useState<CheckReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'check' | 'save' | undefined>();
  const [notices, setNotices] = useState<string[]>([]);

  const chosenPreset = presets.find((candidate) => candidate.id === preset);

  function choosePreset(id: string) {
    setPreset(id);
    const chosen = presets.find((candidate) => candidate.id === id);
    if (!chosen) return;
    setBaseUrl(chosen.baseUrl);
    if (chosen.defaultModel && !model) setModel(chosen.defaultModel);
    if (!name) setName(chosen.id);
    setReport(undefined);
  }

  async function check() {
    setBusy('check');
    setError(undefined);
    setReport(undefined);
    try {
      // A stored provider unchanged but for the form: check it with its stored key (never sent to the page).
      const storedAsIs =
        provider !== undefined &&
        !apiKey &&
        baseUrl.trim() === provider.baseUrl &&
        model.trim() === provider.model;
      setReport(
        storedAsIs
          ? await api.checkStoredProvider(provider.name)
          : await api.checkProvider({
              baseUrl: baseUrl.trim(),
              model: model.trim(),
              ...(apiKey ? { apiKey } : {}),
            }),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy('save');
    setError(undefined);
    try {
      const input: ProviderInput = {
        name: name.trim(),
        baseUrl: baseUrl.trim(),
        model: model.trim(),
        ...(apiKey ? { apiKey } : {}),
        ...(temperature.trim() ? { temperature: Number(temperature) } : {}),
        ...(maxTokens.trim() ? { maxTokens: Number(maxTokens) } : {}),
      };
      const saved = await api.saveProvider(input);
      setNotices(saved.notices);
      setApiKey('');
      onSaved();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

  const failed = report?.checks.filter((row) => row.status === 'fail').length ?? 0;
  return (
    <section aria-labelledby="provider-form-heading" className="panel">
      <h2 id="provider-form-heading">{provider ? `Edit ${provider.name}` : 'Add a model'}</h2>
      <form onSubmit={save} className="stack">
        <label>
          Preset
          <select value={preset} onChange={(event) => choosePreset(event.target.value)}>
            <option value="">Custom endpoint</option>
            {presets.map((option) => (
              <option key={option.id} value={option.id}>
                {option.label}
              </option>
            ))}
          </select>
          {chosenPreset?.quirks ? <span className="hint">{chosenPreset.quirks}</span> : null}
        </label>
        <label>
          Name
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            pattern="[\w.\-]{1,100}"
            title="Letters, digits, dots, dashes and underscores"
            readOnly={provider !== undefined}
          />
        </label>
        <label>
          Base URL
          <input
            value={baseUrl}
            onChange={(event) => setBaseUrl(event.target.value)}
            required
            placeholder="http://localhost:8000/v1"
            inputMode="url"
          />
        </label>
        {baseUrl.includes('YOUR-RESOURCE') ? (
          <p className="hint">Replace YOUR-RESOURCE with your Azure resource name.</p>
        ) : null}
        <label>
          API key{' '}
          <span className="muted">
            {provider?.hasApiKey
              ? `(stored: ${provider.apiKeyMasked}; leave empty to keep it)`
              : chosenPreset?.requiresApiKey
                ? '(required by this service)'
                : '(optional)'}
          </span>
          <input
            type="password"
            autoComplete="off"
            value={apiKey}
            onChange={(event) => setApiKey(event.target.value)}
            placeholder={provider?.hasApiKey ? provider.apiKeyMasked : ''}
          />
        </label>
        <label>
          Model
          <input
            value={model}
            onChange={(event) => setModel(event.target.value)}
            required
            placeholder="as listed at GET /v1/models"
          />
        </label>
        <div className="row">
          <label>
            Temperature
            <input
              type="number"
              min={0}
              max={2}
              step={0.1}
              value={temperature}
              placeholder="0.7"
              onChange={(event) => setTemperature(event.target.value)}
            />
          </label>
          <label>
            Max tokens
            <input
              type="number"
              min={1}
              step={1}
              value={maxTokens}
              placeholder="default"
              onChange={(event) => setMaxTokens(event.target.value)}
            />
          </label>
        </div>
        <ErrorMessage error={error} />
        {report ? <CheckResults report={report} failed={failed} /> : null}
        {notices.length ? <Notice>{notices.join(' ')}</Notice> : null}
        <div className="case-actions">
          <button
            type="button"
            onClick={() => void check()}
            disabled={busy !== undefined || !baseUrl.trim() || !model.trim()}
          >
            {busy === 'check' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="primary" disabled={busy !== undefined}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}

const statusIcons = { pass: '✔', warn: '!', fail: '✘', skip: '–' } as const;

function CheckResults({ report, failed }: { report: CheckReport; failed: number }) {
  return (
    <div className="check-report" aria-label="Connection check">
      <p className={report.compatible ? 'check-verdict ok' : 'check-verdict bad'} role="status">
        {report.compatible
          ? `Compatible: ${report.model} at ${report.baseUrl} works with Reqase Lite.`
          : `Not compatible: ${failed} check${failed === 1 ? '' : 's'} failed. Fix them before saving.`}
      </p>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Result</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((row) => (
            <tr key={row.id} className={`check-${row.status}`} data-testid={`check-${row.id}`}>
              <td>{row.id}</td>
              <td>
                <span className={`badge badge-${row.status}`}>
                  {statusIcons[row.status]} {row.status}
                </span>
              </td>
              <td>
                <InlineCode text={row.message} />
                {row.fix ? (
                  <div className="error-fix">
                    <strong>Fix: </strong>
                    <InlineCode text={row.fix} />
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Equivalent cURL command</summary>
        <pre className="mono">{report.curl}</pre>
      </details>
    </div>
  );
}
