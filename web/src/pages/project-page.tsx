import { lazy, memo, Suspense, useState, type FormEvent } from 'react';
import { api, FORMAT_LABELS, type ProjectDetails, type TestFormat } from '../api.ts';
import { ErrorMessage, FormatSelect, Notice, useLoad } from '../components.tsx';
import { earlyKeys, takeEarly, takeEarlyAnswer } from '../early-requests.ts';
import { linkTo, type ProjectTab } from '../router.ts';
import { projectReviewStatus } from './review-query.ts';
import { ReviewTable } from './review-table.tsx';

// The other tabs load when first opened: the Review tab paints with less code to fetch and compile.
const StoriesPanel = lazy(async () => ({ default: (await import('./stories-panel.tsx')).StoriesPanel }));
const ExportPanel = lazy(async () => ({ default: (await import('./export-panel.tsx')).ExportPanel }));
const PushPanel = lazy(async () => ({ default: (await import('./push-panel.tsx')).PushPanel }));

const tabLabels: Record<ProjectTab, string> = {
  stories: 'Stories',
  review: 'Review',
  export: 'Export',
  settings: 'Project settings',
};

/** `story`: the Review tab opens filtered by that story (the dashboard's matrix links there). */
export function ProjectPage({ project, tab, story }: { project: string; tab: ProjectTab; story?: string }) {
  const details = useLoad(
    () => takeEarly(earlyKeys.project(project), () => api.getProject(project)),
    [project],
    () => takeEarlyAnswer<ProjectDetails>(earlyKeys.project(project)),
  );
  return (
    <>
      <p className="breadcrumb">
        <a href={linkTo({ page: 'projects' })}>Projects</a> /
      </p>
      <h1>{project}</h1>
      <ErrorMessage error={details.error} />
      {details.data ? <ProjectSummary details={details.data} /> : null}
      <nav className="tabs" aria-label="Project">
        {(Object.keys(tabLabels) as ProjectTab[]).map((candidate) => (
          <a
            key={candidate}
            href={linkTo({ page: 'project', project, tab: candidate })}
            aria-current={candidate === tab ? 'page' : undefined}
          >
            {tabLabels[candidate]}
          </a>
        ))}
      </nav>
      <Suspense fallback={<p className="muted">Loading…</p>}>
        {tab === 'stories' ? <StoriesPanel project={project} onChange={details.reload} /> : null}
        {tab === 'export' ? <ExportPanel project={project} /> : null}
        {tab === 'export' ? <PushPanel project={project} /> : null}
      </Suspense>
      {tab === 'review' ? (
        <ProjectReview project={project} onChange={details.reload} {...(story ? { story } : {})} />
      ) : null}
      {tab === 'settings' && details.data ? (
        <ProjectSettings details={details.data} onSaved={details.reload} />
      ) : null}
    </>
  );
}

function ProjectSummary({ details }: { details: ProjectDetails }) {
  const counts = details.testCases;
  return (
    <p className="muted summary-line">
      {details.storyCount} {details.storyCount === 1 ? 'story' : 'stories'} · {counts.total} test cases (
      {counts.accepted} accepted, {counts.draft} draft, {counts.rejected} rejected
      {counts.needsReview ? `, ${counts.needsReview} need review` : ''}) ·{' '}
      {FORMAT_LABELS[details.defaultFormat]}
    </p>
  );
}

/** Memoised: the project's details arriving (or reloading) do not render the table's rows again. */
const ProjectReview = memo(function ProjectReview({
  project,
  story,
  onChange,
}: {
  project: string;
  story?: string;
  onChange: () => void;
}) {
  return (
    <section aria-label="Review">
      <ReviewTable
        project={project}
        initialStatus={projectReviewStatus(story)}
        {...(story ? { initialStoryFilter: story } : {})}
        onChange={onChange}
        emptyText="No test cases match. Generate test cases from a story, or change the filters."
      />
    </section>
  );
});

function ProjectSettings({ details, onSaved }: { details: ProjectDetails; onSaved: () => void }) {
  const providers = useLoad(() => api.listProviders(), []);
  const [defaultFormat, setDefaultFormat] = useState<TestFormat>(details.defaultFormat);
  const [testCaseRules, setTestCaseRules] = useState(details.testCaseRules);
  const [defaultProvider, setDefaultProvider] = useState(details.defaultProvider ?? '');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      await api.updateProject(details.name, {
        defaultFormat,
        testCaseRules,
        defaultProvider: defaultProvider || null,
      });
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <form onSubmit={save} className="stack panel narrow-form" aria-label="Project settings">
      <label>
        Default format
        <FormatSelect value={defaultFormat} onChange={setDefaultFormat} />
      </label>
      <label>
        Test case rules
        <textarea rows={6} value={testCaseRules} onChange={(event) => setTestCaseRules(event.target.value)} />
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
      <ErrorMessage error={error ?? providers.error} />
      {saved ? <Notice>Saved.</Notice> : null}
      <div>
        <button type="submit" className="primary">
          Save project settings
        </button>
      </div>
    </form>
  );
}
