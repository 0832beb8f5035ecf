/**
 * "Test connection" as a person reads it: one verdict line (compatible or not, the cause, its fix
 * in this app's words), the check table folded below it for whoever wants the details.
 */
import type { CheckReport } from '../api.ts';
import { InlineCode } from '../components.tsx';
import { withoutCliWording } from '../remedy-wording.ts';

const statusIcons = { pass: '✔', warn: '!', fail: '✘', skip: '–' } as const;

/** The model ids the endpoint listed at GET /models during the check (empty when it did not). */
export function servedModelsOf(report: CheckReport | undefined): string[] {
  return report?.checks.find((check) => check.id === 'models')?.servedModels ?? [];
}

/** The verdict in one line and what to do about it, worded for the form around it. */
export function verdictOf(report: CheckReport): { line: string; fix?: string } {
  const warnings = report.checks.filter((row) => row.status === 'warn').length;
  if (report.compatible) {
    return {
      line:
        `Compatible: ${report.model} at ${report.baseUrl} works with Reqase Lite` +
        (warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'} in the details).` : '.'),
    };
  }
  const cause = report.rootCause;
  if (cause?.check === 'models') {
    const suggestion = /did you mean '([^']+)'/.exec(cause.message)?.[1] ?? servedModelsOf(report)[0];
    return {
      line: `Not compatible: ${cause.message}`,
      fix: `Pick a model this endpoint serves in "Model"${suggestion ? `, e.g. ${suggestion}` : ''}, then test again.`,
    };
  }
  if (cause?.check === 'path') {
    return {
      line: `Not compatible: ${cause.message}`,
      fix: 'Correct "Base URL": the address before /chat/completions, usually ending in /v1.',
    };
  }
  if (cause?.check === 'auth') {
    return {
      line: `Not compatible: ${withoutCliWording(cause.message) || 'the endpoint refused the API key.'}`,
      fix: 'Enter the API key the endpoint expects in "API key", then test again.',
    };
  }
  const failed = report.checks.filter((row) => row.status === 'fail');
  const first = failed[0];
  const fix = first?.fix ? withoutCliWording(first.fix) : '';
  return {
    line: `Not compatible: ${first ? withoutCliWording(first.message) || `the ${first.id} check failed.` : 'a check failed.'}`,
    fix:
      fix || `See the ${failed.length} failed check${failed.length === 1 ? '' : 's'} in the details below.`,
  };
}

/** The verdict line, then the checks and the equivalent cURL command folded in one <details>. */
export function ConnectionVerdict({ report }: { report: CheckReport }) {
  const verdict = verdictOf(report);
  const counts = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const row of report.checks) counts[row.status] += 1;
  return (
    <div className="check-report" aria-label="Connection check">
      <p className={report.compatible ? 'check-verdict ok' : 'check-verdict bad'} role="status">
        {verdict.line}
      </p>
      {verdict.fix ? (
        <p className="check-fix">
          <strong>Fix: </strong>
          {verdict.fix}
        </p>
      ) : null}
      <details className="check-details">
        <summary>
          Details: {report.checks.length} checks ({counts.pass} passed, {counts.warn} warnings, {counts.fail}{' '}
          failed, {counts.skip} skipped)
        </summary>
        <CheckTable report={report} />
        <details>
          <summary>Equivalent cURL command</summary>
          <pre className="mono">{report.curl}</pre>
        </details>
      </details>
    </div>
  );
}

function CheckTable({ report }: { report: CheckReport }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {report.checks.map((row) => {
          const fix = row.fix ? withoutCliWording(row.fix) : '';
          return (
            <tr key={row.id} className={`check-${row.status}`} data-testid={`check-${row.id}`}>
              <td>{row.id}</td>
              <td>
                <span className={`badge badge-${row.status}`}>
                  {statusIcons[row.status]} {row.status}
                </span>
              </td>
              <td>
                <InlineCode text={withoutCliWording(row.message) || row.message.replace(/--/g, '')} />
                {fix ? (
                  <div className="error-fix">
                    <strong>Fix: </strong>
                    <InlineCode text={fix} />
                  </div>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
