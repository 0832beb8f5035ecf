import { useState, type FormEvent } from 'react';
import { api, FORMAT_LABELS, type TestFormat } from '../api.ts';
import { EmptyState, ErrorMessage, FormatSelect, useLoad } from '../components.tsx';
import { linkTo, navigate } from '../router.ts';

/** The stored projects, each linking to its stories. */
function ProjectList() {
  const projects = useLoad(() => api.listProjects(), []);
  return (
    <section aria-labelledby="projects-heading">
      <h1 id="projects-heading">Projects</h1>
      <ErrorMessage error={projects.error} />
      {projects.data && projects.data.length === 0 ? (
        <EmptyState title="No projects yet">
          <p>
            Create a project to import stories into: its default format and rules apply to every generation.
          </p>
        </EmptyState>
      ) : null}
      {projects.data && projects.data.length > 0 ? (
        <ul className="card-list">
          {projects.data.map((project) => (
            <li key={project.id} className="card">
              <a
                href={linkTo({ page: 'project', project: project.name, tab: 'stories' })}
                className="card-title"
              >
                {project.name}
              </a>
              <p className="muted">
                {FORMAT_LABELS[project.defaultFormat]} · model: {project.defaultProvider ?? 'server default'}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** Creates a project, then opens its stories. */
function NewProjectForm() {
  const providers = useLoad(() => api.listProviders(), []);
  const [name, setName] = useState('');
  const [defaultFormat, setDefaultFormat] = useState<TestFormat>('manual');
  const [testCaseRules, setTestCaseRules] = useState('');
  const [defaultProvider, setDefaultProvider] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const project = await api.createProject({
        name: name.trim(),
        defaultFormat,
        ...(testCaseRules.trim() ? { testCaseRules } : {}),
        ...(defaultProvider ? { defaultProvider } : {}),
      });
      navigate({ page: 'project', project: project.name, tab: 'stories' });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="new-project-heading" className="panel">
      <h2 id="new-project-heading">New project</h2>
      <form onSubmit={create} className="stack">
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={200} />
        </label>
        <label>
          Default format
          <FormatSelect value={defaultFormat} onChange={setDefaultFormat} />
        </label>
        <label>
          Test case rules <span className="muted">(optional, given to every generation)</span>
          <textarea
            rows={4}
            value={testCaseRules}
            onChange={(event) => setTestCaseRules(event.target.value)}
            placeholder="e.g. Use the persona 'Maria'. One behaviour per case."
          />
        </label>
        <label>
          Default model
          <select value={defaultProvider} onChange={(event) => setDefaultProvider(event.target.value)}>
            <option value="">Server default (or offline rules engine)</option>
            {(providers.data ?? []).map((provider) => (
              <option key={provider.id} value={provider.name}>
                {provider.name} ({provider.model})
              </option>
            ))}
          </select>
        </label>
        <ErrorMessage error={error} />
        <div>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
    </section>
  );
}

export function ProjectsPage() {
  return (
    <div className="columns">
      <ProjectList />
      <NewProjectForm />
    </div>
  );
}
