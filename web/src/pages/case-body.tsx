import type { TestCase } from '../api.ts';

/** A test case's content, read-only (also used for streamed, unsaved cases). */
export function CaseBody({ testCase }: { testCase: TestCase }) {
  return (
    <div className="case-body">
      <h3 className="case-title">{testCase.title}</h3>
      <p className="muted">
        {testCase.kind} · priority {testCase.priority} · covers{' '}
        {testCase.covers.length ? testCase.covers.join(', ') : 'nothing'} ·{' '}
        {testCase.engine === 'rules' ? 'offline rules' : 'model'}
      </p>
      {testCase.preconditions.length ? (
        <div>
          <strong>Preconditions</strong>
          <ul>
            {testCase.preconditions.map((precondition, index) => (
              <li key={index}>{precondition}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {testCase.gherkin ? (
        <pre className="gherkin">{testCase.gherkin}</pre>
      ) : (
        <StepsTable testCase={testCase} />
      )}
      {testCase.warnings.length ? (
        <ul className="warnings" aria-label="Lint warnings">
          {testCase.warnings.map((warning, index) => (
            <li key={index}>⚠ {warning}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function StepsTable({ testCase }: { testCase: TestCase }) {
  if (testCase.steps.length === 0) return null;
  return (
    <table className="steps">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Action</th>
          <th scope="col">Data</th>
          <th scope="col">Expected result</th>
        </tr>
      </thead>
      <tbody>
        {testCase.steps.map((step, index) => (
          <tr key={index}>
            <td>{index + 1}</td>
            <td>{step.action}</td>
            <td>{step.data}</td>
            <td>{step.expected}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
