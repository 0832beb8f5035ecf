import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  LinearScale,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { ChartColours } from './dashboard-theme.ts';

// Only what bar charts need, so the bundle leaves out the rest of chart.js.
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip);

export interface ChartSeries {
  label: string;
  values: number[];
  /** One colour for the series, or one per bar. */
  colour: string | string[];
}

export interface LegendEntry {
  label: string;
  colour: string;
}

export interface BarChartProps {
  /** Names the figure for tests and styles (`data-chart`). */
  id: string;
  title: string;
  labels: string[];
  series: ChartSeries[];
  colours: ChartColours;
  /** Default: one entry per series. */
  legend?: LegendEntry[];
  stacked?: boolean;
  /** Bars from the left (long category names such as rule ids). */
  horizontal?: boolean;
  /** Pixels. Default: 260. */
  height?: number;
}

/**
 * A bar chart (chart.js) with an HTML legend, and the same figures as a table inside the canvas
 * for screen readers.
 */
export function BarChart(props: BarChartProps) {
  const { id, title, labels, series, colours, stacked = false, horizontal = false, height = 260 } = props;
  const legend =
    props.legend ??
    series.map((entry) => ({
      label: entry.label,
      colour: typeof entry.colour === 'string' ? entry.colour : (entry.colour[0] ?? colours.muted),
    }));
  const data = {
    labels,
    datasets: series.map((entry) => ({
      label: entry.label,
      data: entry.values,
      backgroundColor: entry.colour,
      borderRadius: 2,
    })),
  };
  return (
    <figure className="dashboard-chart" data-chart={id}>
      <figcaption>{title}</figcaption>
      <ul className="chart-legend">
        {legend.map((entry) => (
          <li key={entry.label}>
            <span className="chart-swatch" style={{ background: entry.colour }} aria-hidden="true" />
            {entry.label}
          </li>
        ))}
      </ul>
      <div className="chart-canvas" style={{ height }}>
        <Bar
          data={data}
          options={chartOptions(colours, stacked, horizontal)}
          role="img"
          aria-label={title}
          fallbackContent={<ChartTable title={title} labels={labels} series={series} />}
        />
      </div>
    </figure>
  );
}

function chartOptions(colours: ChartColours, stacked: boolean, horizontal: boolean): ChartOptions<'bar'> {
  const axis = { stacked, ticks: { color: colours.muted }, grid: { color: colours.line } };
  return {
    animation: false,
    maintainAspectRatio: false,
    indexAxis: horizontal ? 'y' : 'x',
    scales: {
      x: {
        ...axis,
        ...(horizontal ? { beginAtZero: true, ticks: { color: colours.muted, precision: 0 } } : {}),
      },
      y: {
        ...axis,
        ...(horizontal ? {} : { beginAtZero: true, ticks: { color: colours.muted, precision: 0 } }),
      },
    },
    plugins: {
      legend: { display: false },
      tooltip: { backgroundColor: colours.text, titleColor: colours.surface, bodyColor: colours.surface },
    },
  };
}

function ChartTable({ title, labels, series }: Pick<BarChartProps, 'title' | 'labels' | 'series'>) {
  return (
    <table>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col" />
          {series.map((entry) => (
            <th key={entry.label} scope="col">
              {entry.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((label, index) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            {series.map((entry) => (
              <td key={entry.label}>{entry.values[index] ?? 0}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
