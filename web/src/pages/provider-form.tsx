import { useState, type FormEvent } from 'react';
import { api, type CheckReport, type Provider, type ProviderInput, type ProviderPreset } from '../api.ts';
import { ErrorMessage, Notice, NumberField } from '../components.tsx';
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

/** What the form's fields hold, as typed. */
interface ProviderFields {
  name: string;
  baseUrl: string;
  apiKey: string;
  model: string;
  temperature: string;
  maxTokens: string;
  inputPrice: string;
  outputPrice: string;
}

type UpdateFields = (changes: Partial<ProviderFields>) => void;

interface FieldsProps {
  fields: ProviderFields;
  update: UpdateFields;
}

function initialFields(provider: Provider | undefined): ProviderFields {
  return {
    name: provider?.name ?? '',
    baseUrl: provider?.baseUrl ?? '',
    apiKey: '',
    model: provider?.model ?? '',
    temperature: provider?.temperature?.toString() ?? '',
    maxTokens: provider?.maxTokens?.toString() ?? '',
    inputPrice: provider?.inputPricePerMillionTokens?.toString() ?? '',
    outputPrice: provider?.outputPricePerMillionTokens?.toString() ?? '',
  };
}

/** Tests the connection the form describes. */
async function checkConnection(provider: Provider | undefined, fields: ProviderFields) {
  const { apiKey, baseUrl, model } = fields;
  // A stored provider unchanged but for the form: check it with its stored key (never sent to the page).
  const storedAsIs =
    provider !== undefined &&
    !apiKey &&
    baseUrl.trim() === provider.baseUrl &&
    model.trim() === provider.model;
  return storedAsIs
    ? await api.checkStoredProvider(provider.name)
    : await api.checkProvider({
        baseUrl: baseUrl.trim(),
        model: model.trim(),
        ...(apiKey ? { apiKey } : {}),
      });
}

function providerInputOf(fields: ProviderFields): ProviderInput {
  const { name, baseUrl, model, apiKey, temperature, maxTokens } = fields;
  return {
    name: name.trim(),
    baseUrl: baseUrl.trim(),
    model: model.trim(),
    ...(apiKey ? { apiKey } : {}),
    ...(temperature.trim() ? { temperature: Number(temperature) } : {}),
    ...(maxTokens.trim() ? { maxTokens: Number(maxTokens) } : {}),
    // An emptied price field removes the stored price.
    inputPricePerMillionTokens: numberOrUndefined(fields.inputPrice) ?? null,
    outputPricePerMillionTokens: numberOrUndefined(fields.outputPrice) ?? null,
  };
}

function PresetField(props: { preset: string; presets: ProviderPreset[]; onChoose: (id: string) => void }) {
  const chosenPreset = props.presets.find((candidate) => candidate.id === props.preset);
  return (
    <label>
      Preset
      <select value={props.preset} onChange={(event) => props.onChoose(event.target.value)}>
        <option value="">Custom endpoint</option>
        {props.presets.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </select>
      {chosenPreset?.quirks ? <span className="hint">{chosenPreset.quirks}</span> : null}
    </label>
  );
}

/** Name, base URL and API key. */
function EndpointFields({
  fields,
  update,
  provider,
  chosenPreset,
}: FieldsProps & { provider: Provider | undefined; chosenPreset: ProviderPreset | undefined }) {
  return (
    <>
      <label>
        Name
        <input
          value={fields.name}
          onChange={(event) => update({ name: event.target.value })}
          required
          pattern="[\w.\-]{1,100}"
          title="Letters, digits, dots, dashes and underscores"
          readOnly={provider !== undefined}
        />
      </label>
      <label>
        Base URL
        <input
          value={fields.baseUrl}
          onChange={(event) => update({ baseUrl: event.target.value })}
          required
          placeholder="http://localhost:8000/v1"
          inputMode="url"
        />
      </label>
      {fields.baseUrl.includes('YOUR-RESOURCE') ? (
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
          value={fields.apiKey}
          onChange={(event) => update({ apiKey: event.target.value })}
          placeholder={provider?.hasApiKey ? provider.apiKeyMasked : ''}
        />
      </label>
    </>
  );
}

/** The model name, typed in or picked from the names a connection test found. */
function ModelFields({ fields, update, servedModels }: FieldsProps & { servedModels: string[] }) {
  const model = fields.model;
  return (
    <>
      <label>
        Model
        <input
          value={model}
          onChange={(event) => update({ model: event.target.value })}
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
            onChange={(event) => event.target.value && update({ model: event.target.value })}
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
    </>
  );
}

/** Temperature and maximum tokens. */
function SamplingFields({ fields, update }: FieldsProps) {
  return (
    <div className="row">
      <NumberField
        label="Temperature"
        min={0}
        max={2}
        step={0.1}
        placeholder="0.7"
        value={fields.temperature}
        onChange={(text) => update({ temperature: text })}
      />
      <NumberField
        label="Max tokens"
        min={1}
        step={1}
        placeholder="default"
        value={fields.maxTokens}
        onChange={(text) => update({ maxTokens: text })}
      />
    </div>
  );
}

/** Input and output prices per million tokens. */
function PriceFields({ fields, update }: FieldsProps) {
  return (
    <div className="row">
      <NumberField
        label={
          <>
            Input price <span className="muted">(US$ per million tokens)</span>
          </>
        }
        min={0}
        step="any"
        placeholder="optional"
        value={fields.inputPrice}
        onChange={(text) => update({ inputPrice: text })}
      />
      <NumberField
        label={
          <>
            Output price <span className="muted">(US$ per million tokens)</span>
          </>
        }
        min={0}
        step="any"
        placeholder="optional"
        value={fields.outputPrice}
        onChange={(text) => update({ outputPrice: text })}
      />
    </div>
  );
}

type Busy = 'check' | 'save' | undefined;

function FormActions(props: { busy: Busy; canCheck: boolean; onCheck: () => void; onCancel: () => void }) {
  const { busy } = props;
  return (
    <div className="case-actions">
      <button type="button" onClick={props.onCheck} disabled={busy !== undefined || !props.canCheck}>
        {busy === 'check' ? 'Testing…' : 'Test connection'}
      </button>
      <button type="submit" className="primary" disabled={busy !== undefined}>
        {busy === 'save' ? 'Saving…' : 'Save'}
      </button>
      <button type="button" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Add or edit a provider: test the connection first, pick a served model, save. */
export function ProviderForm({ provider, presets, onSaved, onCancel }: ProviderFormProps) {
  const [fields, setFields] = useState(() => initialFields(provider));
  const [preset, setPreset] = useState('');
  const [report, setReport] = useState<CheckReport | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<Busy>();
  const [notices, setNotices] = useState<string[]>([]);
  const update: UpdateFields = (changes) => setFields((previous) => ({ ...previous, ...changes }));

  function choosePreset(id: string) {
    setPreset(id);
    const chosen = presets.find((candidate) => candidate.id === id);
    if (!chosen) return;
    update({
      baseUrl: chosen.baseUrl,
      ...(chosen.defaultModel && !fields.model ? { model: chosen.defaultModel } : {}),
      ...(fields.name ? {} : { name: chosen.id }),
    });
    setReport(undefined);
  }

  async function check() {
    setBusy('check');
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await checkConnection(provider, fields));
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
      const saved = await api.saveProvider(providerInputOf(fields));
      setNotices(saved.notices);
      update({ apiKey: '' });
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

  const chosenPreset = presets.find((candidate) => candidate.id === preset);
  const fieldsProps = { fields, update };
  return (
    <section aria-labelledby="provider-form-heading" className="panel">
      <h2 id="provider-form-heading">{provider ? `Edit ${provider.name}` : 'Add a model'}</h2>
      <form onSubmit={save} className="stack">
        <PresetField preset={preset} presets={presets} onChoose={choosePreset} />
        <EndpointFields {...fieldsProps} provider={provider} chosenPreset={chosenPreset} />
        <ModelFields {...fieldsProps} servedModels={servedModelsOf(report)} />
        <SamplingFields {...fieldsProps} />
        <PriceFields {...fieldsProps} />
        <ErrorMessage error={error} />
        {report ? <ConnectionVerdict report={report} /> : null}
        {notices.length ? <Notice>{notices.join(' ')}</Notice> : null}
        <FormActions
          busy={busy}
          canCheck={Boolean(fields.baseUrl.trim() && fields.model.trim())}
          onCheck={() => void check()}
          onCancel={onCancel}
        />
      </form>
    </section>
  );
}
