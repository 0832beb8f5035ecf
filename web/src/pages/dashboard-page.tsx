import { ErrorMessage, useLoad } from '../components.tsx';
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
            <QualityChart dashboard={data} colours={colours} />
          </section>
          <section className="panel" aria-labelledby="findings-heading">
            <h2 id="findings-heading">Findings</h2>
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
