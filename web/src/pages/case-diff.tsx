/**
 * What changed between two versions of a test case, as a line diff (jsdiff) of its title,
 * preconditions, steps and Gherkin. Removed lines are struck through, added lines underlined.
 */
import { diffLines, type Change } from 'diff';
import type { CaseHistoryEntry } from '../api.ts';

type Content = CaseHistoryEntry['content'];

const removedStyle = { background: 'rgba(220, 38, 38, 0.15)', textDecoration: 'line-through' } as const;
const addedStyle = { background: 'rgba(22, 163, 74, 0.18)', textDecoration: 'none' } as const;

/** The parts of a case a reader compares, each as text with one line per item. */
function sectionsOf(content: Content): Array<{ name: string; text: string }> {
  return [
    { name: 'Title', text: `${content.title}\n` },
    {
      name: 'Details',
      text: `kind ${content.kind} · priority ${content.priority} · covers ${content.covers.join(', ') || 'nothing'}\n`,
    },
    { name: 'Preconditions', text: content.preconditions.map((line) => `${line}\n`).join('') },
    {
      name: 'Steps',
      text: content.steps
        .map(
          (step, index) =>
            `${index + 1}. ${step.action}${step.data ? ` [${step.data}]` : ''} → ${step.expected}\n`,
        )
        .join(''),
    },
    { name: 'Gherkin', text: content.gherkin ?? '' },
  ];
}

function ChangeLines({ change }: { change: Change }) {
  const lines = change.value.replace(/\n$/, '').split('\n');
  const sign = change.added ? '+' : change.removed ? '−' : ' ';
  const Tag = change.added ? 'ins' : change.removed ? 'del' : 'span';
  const style = change.added ? addedStyle : change.removed ? removedStyle : undefined;
  return (
    <>
      {lines.map((line, index) => (
        <Tag
          key={index}
          style={{ display: 'block', ...style }}
          className={change.added ? 'diff-added' : change.removed ? 'diff-removed' : 'diff-same'}
        >
          {sign} {line}
        </Tag>
      ))}
    </>
  );
}

/** The sections that differ between `before` and `after`, each as a line diff; "no change" when none. */
export function CaseDiff({ before, after }: { before: Content; after: Content }) {
  const afterSections = sectionsOf(after);
  const changed = sectionsOf(before)
    .map((section, index) => ({
      name: section.name,
      changes: diffLines(section.text, afterSections[index]?.text ?? ''),
    }))
    .filter((section) => section.changes.some((change) => change.added || change.removed));
  if (changed.length === 0) return <p className="muted">No change in the content.</p>;
  return (
    <div className="case-diff">
      {changed.map((section) => (
        <section key={section.name} aria-label={`Changes in ${section.name}`}>
          <h4>{section.name}</h4>
          <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
            {section.changes.map((change, index) => (
              <ChangeLines key={index} change={change} />
            ))}
          </pre>
        </section>
      ))}
    </div>
  );
}
