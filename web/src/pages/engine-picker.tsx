/**
 * Which provider and model a generation runs with: the project's default unless another stored
 * provider (or the offline rules engine) is picked; the model from the list the provider's
 * endpoint serves, or typed in.
 */
import { useEffect, useState } from 'react';
import { api, describeError, type Provider } from '../api.ts';
import { useLoad } from '../components.tsx';

const OFFLINE = 'offline';

/** What the generate request carries about the engine. */
export interface EngineRequest {
  provider?: string;
  model?: string;
  offline?: boolean;
}

interface EnginePickerProps {
  project: string;
  onChange: (request: EngineRequest) => void;
}

/** The loaded list of model names a provider's endpoint serves. */
interface ServedModels {
  data?: Array<{ id: string }>;
  error?: unknown;
}

/** The sentence saying which engine and model the generation runs with. */
function engineLine(
  provider: Provider | undefined,
  model: string,
  choice: string,
  defaultName: string | null,
  storedCount: number,
): string {
  if (provider)
    return `Runs ${model.trim() || provider.model} at ${provider.baseUrl} (provider ${provider.name}${provider.name === defaultName ? ', the project default' : ''}).`;
  return choice === OFFLINE || storedCount === 0
    ? 'Runs the offline rules engine: no model needed.'
    : 'Runs the server’s configured model, else the offline rules engine.';
}

interface ModelFieldProps {
  provider: Provider;
  model: string;
  setModel: (model: string) => void;
  models: ServedModels;
}

/** The model name, typed in or picked from the names the endpoint serves. */
function ModelNameInput({ provider, model, setModel, models }: ModelFieldProps) {
  return (
    <label>
      Model name
      <input
        value={model}
        list="generate-served-models"
        onChange={(event) => setModel(event.target.value)}
        placeholder={provider.model}
      />
      <datalist id="generate-served-models">
        {(models.data ?? []).map((served) => (
          <option key={served.id} value={served.id} />
        ))}
      </datalist>
    </label>
  );
}

/** The served models as a list to pick from, or why the list is missing. */
function ServedModelList({ provider, model, setModel, models }: ModelFieldProps) {
  return (
    <>
      {models.data?.length ? (
        <label>
          Models {provider.name} serves
          <select
            value={models.data.some((served) => served.id === model.trim()) ? model.trim() : ''}
            onChange={(event) => event.target.value && setModel(event.target.value)}
          >
            <option value="">Pick one…</option>
            {models.data.map((served) => (
              <option key={served.id} value={served.id}>
                {served.id}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {models.error ? (
        <p className="muted">
          The model list is not available ({describeError(models.error).message}); type the model name
          instead.
        </p>
      ) : null}
    </>
  );
}

export function EnginePicker({ project, onChange }: EnginePickerProps) {
  const providers = useLoad(() => api.listProviders(), []);
  const projectView = useLoad(() => api.getProject(project), [project]);
  const defaultName = projectView.data?.defaultProvider ?? null;
  const [picked, setPicked] = useState<string | undefined>();
  const [model, setModel] = useState('');
  const choice = picked ?? defaultName ?? providers.data?.[0]?.name ?? '';
  const provider: Provider | undefined = providers.data?.find((candidate) => candidate.name === choice);
  const models = useLoad(
    async () => (provider ? await api.listProviderModels(provider.name) : []),
    [provider?.name],
  );

  // A newly picked provider starts with its own model.
  useEffect(() => setModel(provider?.model ?? ''), [provider?.name, provider?.model]);

  useEffect(() => {
    if (choice === OFFLINE) onChange({ offline: true });
    else if (provider)
      onChange({ provider: provider.name, ...(model.trim() ? { model: model.trim() } : {}) });
    else onChange({});
  }, [choice, provider?.name, model]);

  if (providers.loading && !providers.data) return <p className="muted">Loading models…</p>;
  const stored = providers.data ?? [];
  const fieldProps = provider ? { provider, model, setModel, models } : undefined;
  return (
    <fieldset className="stack engine-picker">
      <legend>Model</legend>
      <p className="engine-line" data-testid="engine-line">
        {engineLine(provider, model, choice, defaultName, stored.length)}
      </p>
      <div className="row">
        <label>
          Provider
          <select value={choice} onChange={(event) => setPicked(event.target.value)}>
            {stored.map((candidate) => (
              <option key={candidate.id} value={candidate.name}>
                {candidate.name}
                {candidate.name === defaultName ? ' (project default)' : ''}
              </option>
            ))}
            <option value={OFFLINE}>Offline rules engine</option>
          </select>
        </label>
        {fieldProps ? <ModelNameInput {...fieldProps} /> : null}
      </div>
      {fieldProps ? <ServedModelList {...fieldProps} /> : null}
    </fieldset>
  );
}
