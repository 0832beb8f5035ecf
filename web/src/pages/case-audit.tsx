/**
 * "How was this generated?": the stored request and answer of the generation that wrote a case —
 * the messages sent, the raw answer, the model and provider, usage and latency, warnings.
 */
import { historyApi } from '../api.ts';
import { ErrorMessage, useLoad } from '../components.tsx';

export function CaseAudit({ caseId }: { caseId: string }) {
  const { data, error, loading } = useLoad(() => historyApi.generation(caseId), [caseId]);
  if (loading && !data) return <p className="muted">Loading how this case was generated…</p>;
  if (!data) return <ErrorMessage error={error} />;
  const generation = data.generation;
  return (
    <section className="case-audit" aria-label="How this case was generated">
      <p>{data.summary}</p>
      {generation ? (
        <>
          <dl className="audit-facts">
            <dt>Model</dt>
            <dd>{generation.model ?? 'none (offline rules engine)'}</dd>
            <dt>Provider</dt>
            <dd>{generation.providerName ?? 'none'}</dd>
            {generation.responseMode ? (
              <>
                <dt>Structured output</dt>
                <dd>{generation.responseMode}</dd>
              </>
            ) : null}
            <dt>Tokens</dt>
            <dd>
              {generation.usage
                ? `${generation.usage.promptTokens} in, ${generation.usage.completionTokens} out${generation.usage.estimated ? ' (estimated)' : ''}`
                : 'not reported'}
            </dd>
            <dt>Time</dt>
            <dd>
              {generation.latencyMilliseconds === null
                ? 'not recorded'
                : `${(generation.latencyMilliseconds / 1000).toFixed(1)} s`}
            </dd>
            <dt>Generated</dt>
            <dd>{new Date(generation.createdAt).toLocaleString()}</dd>
          </dl>
          {generation.warnings.length ? (
            <ul aria-label="Warnings of the generation">
              {generation.warnings.map((warning, index) => (
                <li key={index}>{warning}</li>
              ))}
            </ul>
          ) : null}
          {generation.messages.length ? (
            <section aria-label="Prompt">
              <h4>Prompt</h4>
              {generation.messages.map((message, index) => (
                <details key={index} open={message.role !== 'system'}>
                  <summary>{message.role}</summary>
                  <pre style={{ whiteSpace: 'pre-wrap' }}>{message.content}</pre>
                </details>
              ))}
            </section>
          ) : null}
          {generation.rawAnswer !== null ? (
            <section aria-label="Raw answer">
              <h4>Raw answer</h4>
              <pre style={{ whiteSpace: 'pre-wrap' }}>{generation.rawAnswer}</pre>
            </section>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
