import { useState } from 'react';
import { api } from '../api.ts';
import { ErrorMessage, QualityBadge, QualityFindings, useLoad } from '../components.tsx';
import { linkTo } from '../router.ts';
import { GenerateDialog } from './generate-dialog.tsx';
import { ReviewTable } from './review-table.tsx';

type StoryDetails = Awaited<ReturnType<typeof api.getStory>>;
type Story = StoryDetails['story'];
type StoryTestCase = StoryDetails['testCases'][number];

/** The story's description, its acceptance criteria with the cases covering each, out of scope. */
function CriteriaSection({ story, liveCases }: { story: Story; liveCases: StoryTestCase[] }) {
  return (
    <section aria-labelledby="criteria-heading">
      {story.description ? <p className="description">{story.description}</p> : null}
      <h2 id="criteria-heading">Acceptance criteria</h2>
      {story.acceptanceCriteria.length === 0 ? (
        <p className="muted">
          This story has no acceptance criteria; generations will rely on its description.
        </p>
      ) : (
        <ul className="criteria">
          {story.acceptanceCriteria.map((criterion) => {
            const covering = liveCases.filter((testCase) => testCase.covers.includes(criterion.id));
            return (
              <li key={criterion.id} data-testid={`criterion-${criterion.id}`}>
                <span className="criterion-id">{criterion.id}</span> {criterion.text}
                <div className={covering.length ? 'covered-by' : 'covered-by uncovered'}>
                  {covering.length
                    ? `Covered by ${covering.map((testCase) => `${testCase.displayId}${testCase.status === 'accepted' ? ' ✓' : ''}`).join(', ')}`
                    : 'Not covered yet'}
                </div>
              </li>
            );
          })}
        </ul>
      )}
      {story.outOfScope.length ? (
        <>
          <h3>Out of scope</h3>
          <ul>
            {story.outOfScope.map((item) => (
              <li key={item}>{item}</li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

interface CasesSectionProps {
  project: string;
  storyKey: string;
  details: StoryDetails | undefined;
  reload: () => void;
}

/** The story-level quality findings and the review table of its test cases. */
function CasesSection({ project, storyKey, details, reload }: CasesSectionProps) {
  return (
    <section aria-labelledby="cases-heading" className="wide">
      <h2 id="cases-heading">Test cases</h2>
      {details ? (
        <QualityFindings
          findings={details.quality.findings.filter((finding) => !finding.testCaseId)}
          label="Quality findings about the story's test cases"
        />
      ) : null}
      <ReviewTable
        // A generation adds cases outside the table: read its pages again then.
        key={details?.testCases.length ?? 0}
        project={project}
        storyKey={storyKey}
        onChange={reload}
        emptyText="No test cases yet. Select “Generate test cases” to draft some."
      />
    </section>
  );
}

export function StoryPage({ project, storyKey }: { project: string; storyKey: string }) {
  const details = useLoad(() => api.getStory(project, storyKey), [project, storyKey]);
  const projectDetails = useLoad(() => api.getProject(project), [project]);
  const [generating, setGenerating] = useState(false);

  const story = details.data?.story;
  const liveCases = (details.data?.testCases ?? []).filter((testCase) => testCase.status !== 'rejected');
  return (
    <>
      <p className="breadcrumb">
        <a href={linkTo({ page: 'projects' })}>Projects</a> /{' '}
        <a href={linkTo({ page: 'project', project, tab: 'stories' })}>{project}</a> /
      </p>
      <ErrorMessage error={details.error} />
      {story ? (
        <>
          <div className="title-row">
            <h1>
              {story.key}: {story.summary}
            </h1>
            {details.data && liveCases.length ? (
              <QualityBadge score={details.data.quality.score} testId="story-quality" />
            ) : null}
            <button type="button" className="primary" onClick={() => setGenerating(true)}>
              Generate test cases
            </button>
          </div>
          <div className="columns wide-second">
            <CriteriaSection story={story} liveCases={liveCases} />
            <CasesSection
              project={project}
              storyKey={storyKey}
              details={details.data}
              reload={details.reload}
            />
          </div>
          {generating ? (
            <GenerateDialog
              project={project}
              storyKey={story.key}
              defaultFormat={projectDetails.data?.defaultFormat ?? 'manual'}
              onClose={(saved) => {
                setGenerating(false);
                if (saved) details.reload();
              }}
            />
          ) : null}
        </>
      ) : null}
    </>
  );
}
