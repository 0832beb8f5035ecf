import { useState, type FormEvent } from 'react';
import { api, type CheckReport, type Provider, type ProviderInput, type ProviderPreset } from '../api.ts';
import { ErrorMessage, Notice } from '../components.tsx';
import { ConnectionVerdict, servedModelsOf } from './connection-verdict.tsx';

export interface ProviderFormProps {
  provider: Provider | undefined;
  presets: ProviderPreset[];
  /** `checked`: a connection test passed in this form, so the stored provider is worth testing again. */
  onSaved: (name: string, checked: boolean) => void;
  onCancel: () => void;
}

/** A number field's value for the API: undefined when empty (kept as stored), else the number. */
const numberOrUndefined = (text: string) => (text.trim() ? Number(text) : undefined);

/** Add or edit a provider: test the connection first, pick a served model, save. */
// eslint-disable-next-line max-lines-per-function -- one form; its fields are plain JSX
export function ProviderForm({ provider, presets, onSaved, onCancel }: ProviderFormProps) {
  const [name, setName] = useState(provider?.name ?? '');
  const [preset, setPreset] = useState('');
  const [baseUrl, setBaseUrl] = useState(provider?.baseUrl ?? '');
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState(provider?.model ?? '');
  const [temperature, setTemperature] = useState(provider?.temperature?.toString() ?? '');
  const [maxTokens, setMaxTokens] = useState(provider?.maxTokens?.toString() ?? '');
  const [inputPrice, setInputPrice] = useState(provider?.inputPricePerMillionTokens?.toString() ?? '');
  const [outputPrice, setOutputPrice] = useState(provider?.outputPricePerMillionTokens?.toString() ?? '');
  const [report, setReport] = useState<CheckReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<'check' | 'save' | undefined>();
  const [notices, setNotices] = useState<string[]>([]);

  const chosenPreset = presets.find((candidate) => candidate.id === preset);
  const servedModels = servedModelsOf(report);

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
        // An emptied price field removes the stored price.
        inputPricePerMillionTokens: numberOrUndefined(inputPrice) ?? null,
        outputPricePerMillionTokens: numberOrUndefined(outputPrice) ?? null,
      };
      const saved = await api.saveProvider(input);
      setNotices(saved.notices);
      setApiKey('');
      const checkedAsSaved =
        report !== undefined &&
        report.baseUrl === saved.provider.baseUrl &&
        report.model === saved.provider.model;
      onSaved(saved.provider.name, checkedAsSaved);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(undefined);
    }
  }

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
            list="provider-served-models"
            placeholder="as the endpoint lists it (Test connection shows the list)"
          />
          <datalist id="provider-served-models">
            {servedModels.map((id) => (
              <option key={id} value={id} />
            ))}
          </datalist>
        </label>
        {servedModels.length ? (
          <label>
            Models this endpoint serves
            <select
              value={servedModels.includes(model.trim()) ? model.trim() : ''}
              onChange={(event) => event.target.value && setModel(event.target.value)}
            >
              <option value="">Pick one…</option>
              {servedModels.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        ) : null}
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
        <div className="row">
          <label>
            Input price <span className="muted">(US$ per million tokens)</span>
            <input
              type="number"
              min={0}
              step="any"
              value={inputPrice}
              placeholder="optional"
              onChange={(event) => setInputPrice(event.target.value)}
            />
          </label>
          <label>
            Output price <span className="muted">(US$ per million tokens)</span>
            <input
              type="number"
              min={0}
              step="any"
              value={outputPrice}
              placeholder="optional"
              onChange={(event) => setOutputPrice(event.target.value)}
            />
          </label>
        </div>
        <ErrorMessage error={error} />
        {report ? <ConnectionVerdict report={report} /> : null}
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
