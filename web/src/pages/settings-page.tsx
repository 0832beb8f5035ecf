import { useState } from 'react';
import { api, type Provider } from '../api.ts';
import { EmptyState, ErrorMessage, useLoad } from '../components.tsx';
import { ProviderForm } from './provider-form.tsx';

/** Custom AI Integration: the team's OpenAI-compatible endpoints, each tested before it is saved. */
export function SettingsPage() {
  const providers = useLoad(() => api.listProviders(), []);
  const presets = useLoad(() => api.listPresets(), []);
  const projects = useLoad(() => api.listProjects(), []);
  const [editing, setEditing] = useState<Provider | 'new' | undefined>();
  const { testing, error, test, remove } = useProviderActions(providers.reload, (name) =>
    setEditing((current) => (current !== 'new' && current?.name === name ? undefined : current)),
  );
  const defaultFor = (name: string) =>
    (projects.data ?? [])
      .filter((project) => project.defaultProvider === name)
      .map((project) => project.name);

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
          <ErrorMessage error={providers.error ?? error} />
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
              <ProviderCard
                key={provider.id}
                provider={provider}
                defaultFor={defaultFor(provider.name)}
                testing={testing.has(provider.name)}
                onEdit={() => setEditing(provider)}
                onTest={() => void test(provider.name)}
                onDelete={() => void remove(provider.name)}
              />
            ))}
          </ul>
        </section>
        {editing ? (
          <ProviderForm
            key={editing === 'new' ? 'new' : editing.id}
            provider={editing === 'new' ? undefined : editing}
            presets={presets.data ?? []}
            onSaved={(name, checked) => {
              setEditing(undefined);
              providers.reload();
              // The form tested the settings before they were stored: test the stored provider so
              // its card shows a result that belongs to it.
              if (checked) void test(name);
            }}
            onCancel={() => setEditing(undefined)}
          />
        ) : null}
      </div>
    </>
  );
}

/** Test and delete a stored provider; `reload` refreshes the cards after each. */
function useProviderActions(reload: () => void, onRemoved: (name: string) => void) {
  const [testing, setTesting] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<unknown>();

  /** Tests a stored provider; its card then shows the result (the server records it). */
  async function test(name: string) {
    setTesting((previous) => new Set(previous).add(name));
    setError(undefined);
    try {
      await api.checkStoredProvider(name);
    } catch (caught) {
      setError(caught);
    } finally {
      setTesting((previous) => {
        const next = new Set(previous);
        next.delete(name);
        return next;
      });
      reload();
    }
  }

  async function remove(name: string) {
    setError(undefined);
    try {
      await api.removeProvider(name);
      onRemoved(name);
    } catch (caught) {
      setError(caught);
    } finally {
      reload();
    }
  }

  return { testing, error, test, remove };
}

interface ProviderCardProps {
  provider: Provider;
  /** The projects generating with this provider by default. */
  defaultFor: string[];
  testing: boolean;
  onEdit: () => void;
  onTest: () => void;
  onDelete: () => void;
}

/** A stored provider: what it runs, its last test, whether projects use it by default; edit, test, delete. */
function ProviderCard({ provider, defaultFor, testing, onEdit, onTest, onDelete }: ProviderCardProps) {
  const [confirming, setConfirming] = useState(false);
  const check = provider.lastCheck;
  const priced =
    provider.inputPricePerMillionTokens !== null || provider.outputPricePerMillionTokens !== null;
  return (
    <li className="card provider-card" data-testid={`provider-${provider.name}`}>
      <div className="title-row">
        <strong>
          {provider.name}{' '}
          {defaultFor.length ? (
            <span className="badge badge-default" title={`Default model of ${defaultFor.join(', ')}`}>
              default
            </span>
          ) : null}
        </strong>
        <span className="card-actions">
          <button type="button" className="link" onClick={onEdit}>
            Edit
          </button>
          <button type="button" className="link" onClick={onTest} disabled={testing}>
            {testing ? 'Testing…' : 'Test'}
          </button>
          <button type="button" className="link danger" onClick={() => setConfirming(true)}>
            Delete
          </button>
        </span>
      </div>
      <p className="muted">
        {provider.model} at {provider.baseUrl}
        <br />
        API key: {provider.hasApiKey ? provider.apiKeyMasked : 'none'}
        {priced ? (
          <>
            <br />
            Price: ${provider.inputPricePerMillionTokens ?? '?'} in, $
            {provider.outputPricePerMillionTokens ?? '?'} out per million tokens
          </>
        ) : null}
        {defaultFor.length ? (
          <>
            <br />
            Default for {defaultFor.join(', ')}
          </>
        ) : null}
      </p>
      <p className={`last-check ${check ? (check.verdict === 'compatible' ? 'ok' : 'bad') : 'muted'}`}>
        {check ? (
          <>
            {check.verdict === 'compatible' ? '✔ Compatible' : '✘ Not compatible'}
            {' · tested '}
            <time dateTime={check.checkedAt}>{new Date(check.checkedAt).toLocaleString()}</time>
            <span className="last-check-summary">{check.summary}</span>
          </>
        ) : (
          'Not tested yet'
        )}
      </p>
      {confirming ? (
        <div className="confirm" role="group" aria-label={`Delete ${provider.name}?`}>
          <span>
            Delete {provider.name}?{' '}
            {defaultFor.length ? `${defaultFor.join(', ')} will have no default model.` : ''}
          </span>
          <button type="button" className="danger" onClick={onDelete}>
            Delete {provider.name}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : null}
    </li>
  );
}
