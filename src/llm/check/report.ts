/**
 * The check report as a person reads it: one line per check with a status symbol, the fix
 * underneath, a verdict, and the cURL command to rerun by hand.
 */
import { wordRemedies, type Remedy, type RemedyWording } from '../../shared/remedy.ts';
import type { CheckReport, CheckStatus } from './types.ts';

const symbols: Record<CheckStatus, string> = { pass: '✔', warn: '!', fail: '✖', skip: '-' };
const colours: Record<CheckStatus, string> = { pass: '32', warn: '33', fail: '31', skip: '90' };

/**
 * Renders the report as text; ANSI colours only when `color` is true.
 *
 * @example process.stdout.write(renderCheckReport(report, { color: process.stdout.isTTY && !process.env.NO_COLOR }))
 */
export function renderCheckReport(
  report: CheckReport,
  options: {
    color: boolean;
    /** How the surface words remedies (the CLI: flags); without it, the plain `fix` is shown. */
    wording?: RemedyWording;
  },
): string {
  const fixOf = (advice: { fix?: string; remedies?: Remedy[] }): string | undefined =>
    options.wording && advice.remedies?.length ? wordRemedies(advice.remedies, options.wording) : advice.fix;
  const paint = (code: string, text: string): string =>
    options.color ? `\u001b[${code}m${text}\u001b[0m` : text;
  const width = Math.max(...report.checks.map((check) => check.id.length));
  const lines: string[] = [`Checking ${report.baseUrl} with model "${report.model}"`, ''];
  const cause = report.rootCause;
  if (cause) {
    lines.push(`${paint('31', 'Root cause:')} ${cause.message}`);
    lines.push(`${paint('33', 'fix:')} ${fixOf(cause)}`);
    const explained = explainedBy(report);
    if (explained) lines.push(paint('90', `${explained}; fix the root cause first.`));
    lines.push('');
  }
  for (const check of report.checks) {
    const symbol = paint(colours[check.status], symbols[check.status]);
    const id = check.id.padEnd(width);
    const timing = check.ms > 0 ? paint('90', ` (${check.ms} ms)`) : '';
    const consequence =
      check.consequenceOf && check.status !== 'skip'
        ? paint('90', `consequence of ${check.consequenceOf}: `)
        : '';
    lines.push(`  ${symbol} ${options.color ? paint('1', id) : id}  ${consequence}${check.message}${timing}`);
    // A consequence's own fix would send the reader after the wrong problem.
    if (check.fix && check.status !== 'pass' && !check.consequenceOf) {
      lines.push(`  ${' '.repeat(width + 4)}${paint(colours[check.status], 'fix:')} ${fixOf(check)}`);
    }
  }
  const count = (status: CheckStatus): number =>
    report.checks.filter((check) => check.status === status).length;
  const failed = report.checks.filter((check) => check.status === 'fail').map((check) => check.id);
  const summary = `${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped`;
  lines.push('');
  lines.push(
    report.compatible
      ? paint('32', `Compatible: ${summary}.`)
      : paint(
          '31',
          cause
            ? `Not compatible: ${cause.message}${explainedBy(report) ? ` (${explainedBy(report)})` : ''}. ${summary}.`
            : `Not compatible (${failed.join(', ')}): ${summary}.`,
        ),
  );
  lines.push(
    '',
    'Rerun the contract’s request by hand (put your key in place of the masked one):',
    report.curl,
    '',
  );
  return lines.join('\n');
}

/** "structure, temperature fail because of it; 7 checks were skipped because of it" */
function explainedBy(report: CheckReport): string {
  const cause = report.rootCause;
  if (!cause) return '';
  const byStatus = (status: CheckStatus): string[] =>
    report.checks
      .filter((check) => check.consequenceOf === cause.check && check.status === status)
      .map((check) => check.id);
  const parts = [
    byStatus('fail').length ? `${byStatus('fail').join(', ')} failed because of it` : '',
    byStatus('warn').length ? `${byStatus('warn').join(', ')} warned because of it` : '',
    byStatus('skip').length ? `${byStatus('skip').length} checks were skipped because of it` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
