import { useRef, useState, type Dispatch, type FormEvent, type SetStateAction } from 'react';
import { api, type ImportResult, type StoryWithCoverage } from '../api.ts';
import { BulkPanel } from './bulk-panel.tsx';
import { EmptyState, ErrorMessage, Notice, useLoad } from '../components.tsx';
import { linkTo } from '../router.ts';

function coverageText(coverage: StoryWithCoverage['coverage']): string {
  if (coverage.status === 'no-criteria') return `No acceptance criteria · ${coverage.testCases} test cases`;
  if (coverage.status === 'not-generated') return `No test cases · 0/${coverage.criteria} criteria covered`;
  const uncovered = coverage.uncovered.length ? ` (missing ${coverage.uncovered.join(', ')})` : '';
  return `${coverage.covered}/${coverage.criteria} criteria covered${uncovered} · ${coverage.accepted}/${coverage.testCases} accepted`;
}

interface StoriesTableProps {
  project: string;
  stories: StoryWithCoverage[];
  selected: Set<string>;
  setSelected: Dispatch<SetStateAction<Set<string>>>;
}

/** The stories with their coverage, each selectable for bulk generation. */
function StoriesTable({ project, stories: all, selected, setSelected }: StoriesTableProps) {
  const toggle = (key: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  return (
    <div className="table-scroll">
      <table className="table stories-table">
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all stories"
                checked={selected.size === all.length}
                onChange={(event) =>
                  setSelected(event.target.checked ? new Set(all.map((story) => story.key)) : new Set())
                }
              />
            </th>
            <th scope="col">Key</th>
            <th scope="col">Summary</th>
            <th scope="col">Coverage</th>
          </tr>
        </thead>
        <tbody>
          {all.map((story) => {
            const coverage = story.coverage;
            const status = coverage.needsReview > 0 ? 'review' : coverage.status;
            return (
              <tr key={story.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select ${story.key}`}
                    checked={selected.has(story.key)}
                    onChange={() => toggle(story.key)}
                  />
                </td>
                <td className="story-key">
                  <a href={linkTo({ page: 'story', project, storyKey: story.key })}>{story.key}</a>
                </td>
                <td>{story.summary}</td>
                <td>
                  <span className={`coverage coverage-${status}`} data-testid={`coverage-${story.key}`}>
                    {coverageText(coverage)}
                    {coverage.needsReview ? ` · ${coverage.needsReview} need review` : ''}
                  </span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function StoriesPanel({ project, onChange }: { project: string; onChange: () => void }) {
  const stories = useLoad(() => api.listStories(project), [project]);
  const [selected, setSelected] = useState<Set<string>>(new Set());

  const reload = () => {
    stories.reload();
    onChange();
  };

  const all = stories.data ?? [];
  return (
    <div className="columns">
      <section aria-labelledby="stories-heading">
        <h2 id="stories-heading">Stories</h2>
        <ErrorMessage error={stories.error} />
        {stories.data && all.length === 0 ? (
          <EmptyState title="No stories in this project yet">
            <p>
              Import a Markdown, JSON, Jira, CSV or .feature file, or paste a story, with the form on the
              right.
            </p>
          </EmptyState>
        ) : null}
        {all.length > 0 ? (
          <StoriesTable project={project} stories={all} selected={selected} setSelected={setSelected} />
        ) : null}
        {all.length > 0 ? (
          <BulkPanel project={project} storyKeys={[...selected]} onFinished={reload} />
        ) : null}
      </section>
      <ImportPanel project={project} onImported={reload} />
    </div>
  );
}

/** Which stories an import stored, and its warnings. */
function ImportResultNotice({ result }: { result: ImportResult }) {
  return (
    <Notice>
      Imported into {result.project}:{' '}
      {result.stories.map((story) => `${story.key} (${story.status})`).join(', ')}
      {result.warnings.length ? (
        <ul>
          {result.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}

function ImportPanel({ project, onImported }: { project: string; onImported: () => void }) {
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<ImportResult | undefined>();
  const [busy, setBusy] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  async function readFile(file: File | undefined) {
    if (!file) return;
    setContent(await file.text());
    setFileName(file.name);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const imported = await api.importStories(project, { content, ...(fileName ? { fileName } : {}) });
      setResult(imported);
      setContent('');
      setFileName(undefined);
      if (fileInput.current) fileInput.current.value = '';
      onImported();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="import-heading" className="panel">
      <h2 id="import-heading">Import stories</h2>
      <form onSubmit={submit} className="stack">
        <label>
          File <span className="muted">(.md, .json, .csv, .feature, .txt)</span>
          <input
            ref={fileInput}
            type="file"
            accept=".md,.markdown,.json,.csv,.feature,.txt,text/*,application/json"
            onChange={(event) => void readFile(event.target.files?.[0])}
          />
        </label>
        <label>
          Or paste a story
          <textarea
            rows={10}
            value={content}
            onChange={(event) => {
              setContent(event.target.value);
              if (fileName && !event.target.value) setFileName(undefined);
            }}
            placeholder={
              '# SHOP-12: Apply a discount code\n\nAs a shopper I want …\n\n## Acceptance Criteria\n\n- …'
            }
          />
        </label>
        {fileName ? <p className="muted">Reading {fileName}</p> : null}
        <ErrorMessage error={error} />
        {result ? <ImportResultNotice result={result} /> : null}
        <div>
          <button type="submit" className="primary" disabled={busy || !content.trim()}>
            {busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </section>
  );
}
