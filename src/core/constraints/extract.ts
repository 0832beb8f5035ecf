import type { Story } from '../model.ts';
import { enumerationConstraints } from './enumerations.ts';
import { formatConstraints, requiredConstraints } from './fields.ts';
import { numericConstraints } from './numeric.ts';
import { roleConstraints } from './roles.ts';
import { splitSentences } from './sentences.ts';
import type { Constraint, ConstraintContext } from './types.ts';

function constraintKey(constraint: Constraint): string {
  switch (constraint.kind) {
    case 'range':
      return `range|${constraint.subject}|${constraint.min}|${constraint.max}|${constraint.unit ?? ''}`;
    case 'limit':
      return `limit|${constraint.subject}|${constraint.bound}|${constraint.value}|${constraint.unit ?? ''}`;
    case 'count':
      return `count|${constraint.subject}|${constraint.value}|${constraint.unit ?? ''}`;
    case 'duration':
      return `duration|${constraint.seconds}|${constraint.relation}`;
    case 'amount':
      return `amount|${constraint.value}|${constraint.unit}`;
    case 'role':
      return `role|${constraint.role}|${constraint.permission}|${constraint.exclusive}`;
    case 'enumeration':
      return `enumeration|${constraint.values.join(',').toLowerCase()}`;
    case 'required':
      return `required|${constraint.subject}`;
    case 'format':
      return `format|${constraint.subject}|${constraint.format}`;
  }
}

/** Every constraint stated in one piece of text (a sentence or several). */
export function extractConstraintsFromText(
  text: string,
  context: ConstraintContext = { origin: 'criterion' },
  options: { roles?: boolean } = {},
): Constraint[] {
  const found: Constraint[] = [];
  for (const sentence of splitSentences(text)) {
    found.push(
      ...numericConstraints(sentence, context),
      ...(options.roles === false ? [] : roleConstraints(sentence, context)),
      ...enumerationConstraints(sentence, context),
      ...requiredConstraints(sentence, context),
      ...formatConstraints(sentence, context),
    );
  }
  return found;
}

/**
 * The constraints a story states, in story order (summary, description, then each criterion),
 * without duplicates: when the description and a criterion say the same thing, the criterion's
 * copy is kept (it carries `criterionId`).
 *
 * @example
 * extractConstraints(story)
 * // [{ kind: 'range', subject: 'password length', min: 8, max: 64, unit: 'characters',
 * //    minInclusive: true, maxInclusive: true, criterionId: 'AC-2', source: '…', phrase: 'between 8 and 64 characters' }]
 */
export function extractConstraints(story: Story): Constraint[] {
  const ordered: Array<{ constraint: Constraint; order: number }> = [];
  let order = 0;
  const fromText = (text: string, context: ConstraintContext) => {
    for (const constraint of extractConstraintsFromText(text, context))
      ordered.push({ constraint, order: order++ });
  };
  fromText(story.summary, { origin: 'summary' });
  fromText(story.description, { origin: 'description' });
  for (const criterion of story.acceptanceCriteria)
    fromText(criterion.text, { origin: 'criterion', criterionId: criterion.id });

  // Keep one copy per key, preferring a criterion's, at the position of the first mention.
  const byKey = new Map<string, { constraint: Constraint; order: number }>();
  for (const entry of ordered) {
    const key = constraintKey(entry.constraint);
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, entry);
    else if (
      (!existing.constraint.criterionId && entry.constraint.criterionId) ||
      (existing.constraint.kind === 'role' &&
        entry.constraint.kind === 'role' &&
        !existing.constraint.action &&
        entry.constraint.action)
    ) {
      byKey.set(key, { constraint: entry.constraint, order: existing.order });
    }
  }
  return [...byKey.values()].sort((left, right) => left.order - right.order).map((entry) => entry.constraint);
}
