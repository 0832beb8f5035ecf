import { useState } from 'react';
import { EmptyState } from '../components.tsx';
import { linkTo } from '../router.ts';
import type { CoverageState, ProjectDashboard } from './dashboard-data.ts';

/** Stories shown before "Show all": a long backlog stays quick to render. */
const FIRST_STORIES = 100;

const stateText: Record<CoverageState, { symbol: string; label: string }> = {
  accepted: { symbol: '✓', label: 'covered by an accepted case' },
  draft: { symbol: '◐', label: 'covered by draft cases only' },
  none: { symbol: '–', label: 'not covered' },
};

/** Where a cell leads: the project's Review tab filtered by the cell's story. */
function casesOf(project: string, storyKey: string): string {
  return linkTo({ page: 'project', project, tab: 'review', story: storyKey });
}

/** Stories × acceptance criteria; each cell links to the story's cases. */
export function CoverageMatrix({ dashboard }: { dashboard: ProjectDashboard }) {
  const [showAll, setShowAll] = useState(false);
  const { stories, totals } = dashboard.coverage;
  if (stories.length === 0)
    return <EmptyState title="No stories yet">Import stories to see their coverage.</EmptyState>;
  const columns = Math.max(...stories.map((story) => story.criteria.length));
  const shown = showAll ? stories : stories.slice(0, FIRST_STORIES);
  return (
    <div className="coverage-matrix">
      <ul className="chart-legend" aria-label="Cell states">
        {(Object.keys(stateText) as CoverageState[]).map((state) => (
          <li key={state}>
            <span className={`matrix-cell matrix-${state}`} aria-hidden="true">
              {stateText[state].symbol}
            </span>
            {stateText[state].label} ({totals[state] ?? 0})
          </li>
        ))}
      </ul>
      <div className="coverage-scroll">
        <table aria-label="Coverage of acceptance criteria">
          <thead>
            <tr>
              <th scope="col">Story</th>
              {Array.from({ length: columns }, (_, index) => (
                <th key={index} scope="col">
                  AC-{index + 1}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((story) => (
              <tr key={story.key}>
                <th scope="row" title={story.summary}>
                  {story.key}
                </th>
                {Array.from({ length: columns }, (_, index) => {
                  const cell = story.criteria[index];
                  if (!cell) return <td key={index} />;
                  const label = `${story.key} ${cell.criterionId}: ${stateText[cell.state].label} (${cell.accepted} accepted, ${cell.draft} draft). ${cell.text}`;
                  return (
                    <td key={index}>
                      <a
                        className={`matrix-cell matrix-${cell.state}`}
                        href={casesOf(dashboard.project, story.key)}
                        data-state={cell.state}
                        data-cell={`${story.key}/${cell.criterionId}`}
                        title={label}
                        aria-label={label}
                      >
                        {stateText[cell.state].symbol}
                      </a>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {shown.length < stories.length ? (
        <button type="button" onClick={() => setShowAll(true)}>
          Show all {stories.length} stories
        </button>
      ) : null}
    </div>
  );
}
