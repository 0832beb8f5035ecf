/** Shared helpers of the benchmarks: timing, percentiles and the printed table. */

export interface Figure {
  benchmark: string;
  metric: string;
  value: number;
  unit: string;
  /** The same metric for the baseline measured in the same run, when there is one. */
  baseline?: number;
  /** What the baseline is, e.g. "bare openai call". */
  baselineLabel?: string;
  note?: string;
}

export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

export const median = (values: number[]) => percentile(values, 0.5);

export async function timed<Value>(action: () => Promise<Value>): Promise<{ value: Value; ms: number }> {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Prints the figures as an aligned table with the ratio against the baseline where one exists. */
export function printTable(figures: Figure[], stream: NodeJS.WriteStream = process.stdout): void {
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.metric,
    `${formatNumber(figure.value)} ${figure.unit}`,
    figure.baseline === undefined
      ? ''
      : `${formatNumber(figure.baseline)} ${figure.unit} (${figure.baselineLabel ?? 'baseline'})`,
    figure.baseline === undefined || figure.baseline === 0
      ? ''
      : `${(figure.value / figure.baseline).toFixed(3)}x`,
    figure.note ?? '',
  ]);
  const header = ['benchmark', 'metric', 'value', 'baseline', 'ratio', 'note'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  stream.write(`${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const row of rows) stream.write(`${line(row)}\n`);
}
