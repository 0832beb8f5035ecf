import { EmptyState } from '../components.tsx';
import { BarChart } from './dashboard-chart.tsx';
import type { ProjectDashboard, ProviderUsage } from './dashboard-data.ts';
import { seriesColours, type ChartColours } from './dashboard-theme.ts';

interface SectionProps {
  dashboard: ProjectDashboard;
  colours: ChartColours;
}

export function ReviewProgressChart({ dashboard, colours }: SectionProps) {
  const days = dashboard.reviewProgress;
  if (days.length === 0)
    return <EmptyState title="No review activity yet">Generate test cases to see them here.</EmptyState>;
  return (
    <BarChart
      id="review-progress"
      title="Cases per day"
      labels={days.map((day) => day.day)}
      colours={colours}
      series={[
        { label: 'New drafts', values: days.map((day) => day.created), colour: colours.accent },
        { label: 'Accepted', values: days.map((day) => day.accepted), colour: colours.ok },
        { label: 'Rejected', values: days.map((day) => day.rejected), colour: colours.bad },
        { label: 'Edited', values: days.map((day) => day.edited), colour: colours.muted },
      ]}
    />
  );
}

export function QualityChart({ dashboard, colours }: SectionProps) {
  const { quality } = dashboard;
  if (quality.scoredCases === 0)
    return <EmptyState title="No cases to score">Draft and accepted cases are scored.</EmptyState>;
  return (
    <>
      <BarChart
        id="quality"
        title="Draft and accepted cases by score"
        labels={quality.buckets.map((bucket) => `${bucket.from}–${bucket.to}`)}
        colours={colours}
        series={[
          { label: 'Cases', values: quality.buckets.map((bucket) => bucket.count), colour: colours.accent },
        ]}
      />
      <p className="muted">
        {quality.scoredCases} cases scored · average {quality.averageScore ?? '–'} of 100
      </p>
    </>
  );
}

export function FindingsChart({ dashboard, colours }: SectionProps) {
  const findings = dashboard.findingsByRule;
  if (findings.length === 0)
    return <EmptyState title="No findings">The quality rules found nothing to fix.</EmptyState>;
  const severityColour = { error: colours.bad, warning: colours.warn, info: colours.muted };
  return (
    <BarChart
      id="findings"
      title="Findings per rule"
      labels={findings.map((finding) => finding.rule)}
      colours={colours}
      horizontal
      height={Math.max(160, findings.length * 28 + 40)}
      series={[
        {
          label: 'Findings',
          values: findings.map((finding) => finding.count),
          colour: findings.map((finding) => severityColour[finding.severity]),
        },
      ]}
      legend={[
        { label: 'Error', colour: severityColour.error },
        { label: 'Warning', colour: severityColour.warning },
        { label: 'Info', colour: severityColour.info },
      ]}
    />
  );
}

export function providerLabel(provider: string | null): string {
  return provider ?? 'Offline rules engine';
}

export function formatCost(usage: Pick<ProviderUsage, 'costUsd'>): string {
  if (usage.costUsd === null) return 'no price set';
  const digits = usage.costUsd !== 0 && usage.costUsd < 0.01 ? 4 : 2;
  return `$${usage.costUsd.toFixed(digits)}`;
}

export function TokensChart({ dashboard, colours }: SectionProps) {
  const { days, providers } = dashboard.tokens;
  if (days.length === 0)
    return <EmptyState title="No generations yet">Tokens are counted per generation.</EmptyState>;
  const dayLabels = [...new Set(days.map((day) => day.day))];
  const palette = seriesColours(colours, providers.length);
  return (
    <BarChart
      id="tokens"
      title="Tokens per day, by provider"
      labels={dayLabels}
      colours={colours}
      stacked
      series={providers.map((provider, index) => ({
        label: providerLabel(provider.provider),
        values: dayLabels.map(
          (label) =>
            days.find((day) => day.day === label && day.provider === provider.provider)?.totalTokens ?? 0,
        ),
        colour: palette[index]!,
      }))}
    />
  );
}

export function CostTable({ dashboard }: { dashboard: ProjectDashboard }) {
  const { days, providers } = dashboard.tokens;
  if (providers.length === 0) return null;
  return (
    <div className="dashboard-costs">
      <div className="dashboard-table-scroll">
        <table className="dashboard-table" aria-label="Tokens and estimated cost per provider">
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col">Generations</th>
              <th scope="col">Prompt tokens</th>
              <th scope="col">Answer tokens</th>
              <th scope="col">Estimated cost</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((provider) => (
              <tr key={provider.provider ?? ''}>
                <th scope="row">{providerLabel(provider.provider)}</th>
                <td>{provider.generations}</td>
                <td>{provider.promptTokens.toLocaleString('en-US')}</td>
                <td>{provider.completionTokens.toLocaleString('en-US')}</td>
                <td className={provider.priced ? undefined : 'muted'}>{formatCost(provider)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <details>
        <summary>Per day</summary>
        <table className="dashboard-table" aria-label="Tokens and estimated cost per day">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Provider</th>
              <th scope="col">Tokens</th>
              <th scope="col">Estimated cost</th>
            </tr>
          </thead>
          <tbody>
            {days.map((day) => (
              <tr key={`${day.day}/${day.provider ?? ''}`}>
                <td>{day.day}</td>
                <td>{providerLabel(day.provider)}</td>
                <td>{day.totalTokens.toLocaleString('en-US')}</td>
                <td className={day.priced ? undefined : 'muted'}>{formatCost(day)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      {providers.some((provider) => !provider.priced) ? (
        <p className="muted">
          A provider shows “no price set” until its input and output prices are saved with it on the Custom AI
          Integration page.
        </p>
      ) : null}
    </div>
  );
}
