import { useEffect } from 'react';
import { ErrorMessage, Notice, useLoad } from '../components.tsx';
import { linkTo } from '../router.ts';
import { loadDashboard } from './dashboard-data.ts';
import { CoverageMatrix } from './dashboard-matrix.tsx';
import {
  CostTable,
  FindingsChart,
  QualityChart,
  ReviewProgressChart,
  TokensChart,
} from './dashboard-sections.tsx';
import { useChartColours } from './dashboard-theme.ts';

/** A project at a glance: coverage, review progress, quality, findings, tokens and cost. Loaded on demand. */
export function DashboardPage({ project }: { project: string }) {
  const dashboard = useLoad(() => loadDashboard(project), [project]);
  const colours = useChartColours();
  const data = dashboard.data;
  const pendingStories = data?.quality.pendingStories ?? 0;
  const { reload } = dashboard;
  // A large project is scored over several reads: read again until every story is scored.
  useEffect(() => {
    if (pendingStories > 0) reload();
  }, [data, pendingStories, reload]);
  return (
    <>
      <p className="breadcrumb">
        <a href={linkTo({ page: 'projects' })}>Projects</a> /{' '}
        <a href={linkTo({ page: 'project', project, tab: 'stories' })}>{project}</a> /
      </p>
      <h1>Dashboard</h1>
      <ErrorMessage error={dashboard.error} />
      {!data && !dashboard.error ? <p className="muted">Loading the dashboard…</p> : null}
      {data ? (
        <div className="dashboard">
          <section className="panel dashboard-wide" aria-labelledby="coverage-heading">
            <h2 id="coverage-heading">Coverage of acceptance criteria</h2>
            <CoverageMatrix dashboard={data} />
          </section>
          <section className="panel" aria-labelledby="progress-heading">
            <h2 id="progress-heading">Review progress</h2>
            <ReviewProgressChart dashboard={data} colours={colours} />
          </section>
          <section className="panel" aria-labelledby="quality-heading">
            <h2 id="quality-heading">Quality</h2>
            {pendingStories > 0 ? <Notice>Scoring {pendingStories} more stories…</Notice> : null}
            <QualityChart dashboard={data} colours={colours} />
          </section>
          <section className="panel" aria-labelledby="findings-heading">
            <h2 id="findings-heading">Findings</h2>
            {pendingStories > 0 ? (
              <Notice>Counting the findings of {pendingStories} more stories…</Notice>
            ) : null}
            <FindingsChart dashboard={data} colours={colours} />
          </section>
          <section className="panel dashboard-wide" aria-labelledby="tokens-heading">
            <h2 id="tokens-heading">Tokens and cost</h2>
            <TokensChart dashboard={data} colours={colours} />
            <CostTable dashboard={data} />
          </section>
        </div>
      ) : null}
    </>
  );
}
