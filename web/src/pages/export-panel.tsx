import { useState, type FormEvent } from 'react';
import { api, EXPORT_FORMATS, saveBlob, type ExportFormat, type TestCaseStatus } from '../api.ts';

/** The choices of the form, each a set of the server's statuses. */
const statusChoices = {
  accepted: ['accepted'],
  draft: ['draft'],
  all: ['draft', 'accepted'],
} satisfies Record<string, TestCaseStatus[]>;
import { ErrorMessage, Notice, useLoad } from '../components.tsx';

export function ExportPanel({ project }: { project: string }) {
  const stories = useLoad(() => api.listStories(project), [project]);
  const [format, setFormat] = useState<ExportFormat>('xray-json');
  const [status, setStatus] = useState<keyof typeof statusChoices>('accepted');
  const [storyKey, setStoryKey] = useState('');
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function download(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setSaved(undefined);
    try {
      const file = await api.exportTestCases(project, format, {
        statuses: statusChoices[status] ?? ['accepted'],
        ...(storyKey ? { storyKeys: [storyKey] } : {}),
      });
      saveBlob(file.blob, file.fileName);
      setSaved(
        `${file.fileName}${Number.isNaN(file.testCaseCount) ? '' : ` (${file.testCaseCount} test case${file.testCaseCount === 1 ? '' : 's'})`}`,
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={download} className="stack panel narrow-form" aria-label="Export">
      <label>
        Format
        <select value={format} onChange={(event) => setFormat(event.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Test cases
        <select value={status} onChange={(event) => setStatus(event.target.value as typeof status)}>
          <option value="accepted">Accepted only</option>
          <option value="draft">Drafts only</option>
          <option value="all">All but rejected</option>
        </select>
      </label>
      <label>
        Stories
        <select value={storyKey} onChange={(event) => setStoryKey(event.target.value)}>
          <option value="">All stories</option>
          {(stories.data ?? []).map((story) => (
            <option key={story.id} value={story.key}>
              {story.key}: {story.summary}
            </option>
          ))}
        </select>
      </label>
      <ErrorMessage error={error ?? stories.error} />
      {saved ? <Notice>Downloaded {saved}.</Notice> : null}
      <div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Preparing…' : 'Download'}
        </button>
      </div>
    </form>
  );
}
