import type { TestKind } from '../model.ts';
import { type CaseStep, type Field } from './fields.ts';
import { type StoryReading } from './story-reading.ts';

/** What one case sets up, does and observes. */
export interface CaseBody {
  preconditions: string[];
  steps: CaseStep[];
  results: string[];
}

export interface CaseRow {
  title: string;
  kind: TestKind;
  body: CaseBody;
}

/**
 * Cases that differ only in one value (the boundary values of a limit, the values of a list):
 * separate manual cases, one Scenario Outline in Gherkin.
 */
export interface CaseSet {
  title: string;
  kind: TestKind;
  covers: string[];
  /** Security-relevant (roles): keeps the top priority. */
  important?: boolean;
  rows: CaseRow[];
}

export function shortText(text: string): string {
  const words = text.replace(/[.;]+$/, '').split(/\s+/);
  if (words.length <= 12) return words.join(' ');
  const cut = words.slice(0, 12).join(' ');
  // Never cut inside a quotation: close the title before the quote instead.
  const quote = cut.search(/["“„«]/);
  return quote > 0 && (cut.match(/["“„«»”“]/g)?.length ?? 0) % 2 === 1
    ? `${cut.slice(0, quote).trim()} …`
    : `${cut} …`;
}

/** The story's flow with one field's step replaced (or added before the last step) and extra preconditions. */
export function flowWith(
  story: StoryReading,
  change: { field?: Field; step?: CaseStep; preconditions?: string[]; insert?: CaseStep[] },
  results: string[],
): CaseBody {
  const fieldIndex = change.field ? story.fields.indexOf(change.field) : -1;
  const subject = change.field?.subject.toLowerCase();
  const steps: CaseStep[] = [];
  let replaced = false;
  for (const step of story.flow) {
    const sameField =
      step.field !== undefined &&
      (step.field === fieldIndex || story.fields[step.field]!.subject.toLowerCase() === subject);
    if (sameField && change.step) {
      if (!replaced) steps.push(change.step);
      replaced = true;
    } else if (!sameField || !change.step)
      steps.push({ wording: step.wording, ...(step.data ? { data: step.data } : {}) });
  }
  const extra = [...(change.step && !replaced ? [change.step] : []), ...(change.insert ?? [])];
  if (extra.length > 0) steps.splice(Math.max(0, steps.length - 1), 0, ...extra);
  return { preconditions: [...story.preconditions, ...(change.preconditions ?? [])], steps, results };
}
