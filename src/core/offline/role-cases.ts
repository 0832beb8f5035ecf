import {
  isActionVerb,
  pastParticiple,
  type CriterionReading,
  type RoleRule,
  type StoryLanguage,
} from '../criteria/index.ts';
import type { CaseStep } from './fields.ts';
import type { CaseBody, CaseSet } from './case-set-parts.ts';
import { phrasesFor } from './phrases.ts';
import type { StoryReading } from './story-reading.ts';
import { capitalize, singularNoun } from '../words.ts';

function singularParty(party: string, language: string): string {
  const word = language === 'en' ? party.toLowerCase() : party;
  return language === 'en' && !/\s/.test(word) ? singularNoun(word) : word;
}

function refusalResult(rule: RoleRule, story: StoryReading): string {
  const message = /"([^"]+)"|„([^“]+)“|«\s*([^»]+?)\s*»/.exec(rule.refusal ?? '');
  if (message) return story.phrases.messageShown(message[1] ?? message[2] ?? message[3] ?? '');
  const notSee = /^(?:do|does)\s+not\s+see\s+(.+)$/i.exec(rule.refusal ?? '');
  if (notSee) return `${capitalize(notSee[1]!)} is not shown, and nothing is changed`;
  return story.phrases.refused();
}

const ARTICLE = /^(?:the|a|an|der|die|das|den|dem|ein|eine|le|la|les|l'|el|los|las|un|una)\s+/i;

/** The verb of an action as written: first word, but last in German (`den Antrag genehmigen`). */
function verbOf(action: string, language: StoryLanguage): string {
  const words = action.trim().toLowerCase().split(/\s+/);
  return (language === 'de' ? words[words.length - 1] : words[0]) ?? '';
}

function lastWord(party: string, language: string): string {
  const words = party.replace(ARTICLE, '').split(/\s+/);
  return singularParty(words[words.length - 1] ?? '', language).toLowerCase();
}

/**
 * Where a party other than the story's actor acts, and what must exist for it: `approve the
 * request` in a story about submitting a leave request happens on the leave request the employee
 * submitted, not on the submission form. Undefined when the role's action is the story's own.
 */
function placeOfOtherParty(
  story: StoryReading,
  rule: RoleRule,
  action: string,
): { open: CaseStep; precondition: string } | undefined {
  const language = story.language;
  const allowed = rule.allowed[0];
  if (!allowed || lastWord(allowed, language) === lastWord(story.actor, language)) return undefined;
  const storyVerbs = new Set([
    verbOf(story.summary, language),
    ...story.readings.flatMap((reading) =>
      reading.actions.map((flowAction) => flowAction.verb.toLowerCase()),
    ),
  ]);
  const verb = verbOf(action, language);
  if (!verb || storyVerbs.has(verb)) return undefined;
  const object =
    language === 'de'
      ? action.trim().split(/\s+/).slice(0, -1).join(' ')
      : action
          .trim()
          .replace(/^\S+\s+(?:or\s+\S+\s+)?/i, '')
          .replace(/^(?:de|d'|a|al)\s*/i, '');
  if (!ARTICLE.test(object)) return undefined;
  const maker = story.actor.replace(ARTICLE, '');
  let place = object;
  if (language === 'en') {
    // `the request` of a story about `a leave request` is that leave request, made by the story's actor.
    const noun = object.replace(ARTICLE, '');
    const summaryVerb = verbOf(story.summary, language);
    const summaryObject = story.summary.trim().split(/\s+/).slice(1).join(' ').replace(ARTICLE, '');
    const fuller = summaryObject.toLowerCase().endsWith(noun.toLowerCase()) ? summaryObject : noun;
    const made = isActionVerb(summaryVerb) ? `${pastParticiple(summaryVerb)} by` : 'from';
    place = `the ${fuller} ${made} ${story.actor.replace(ARTICLE, 'the ')}`;
  }
  return { open: { wording: story.phrases.open(place) }, precondition: story.phrases.existing(place, maker) };
}

/** A negative case for each refused party (or someone else), and the allowed party's positive case. */
export function roleSets(story: StoryReading, reading: CriterionReading, messages: string[]): CaseSet[] {
  const rule = reading.roles!;
  const phrases = story.phrases;
  const refusal = rule.refusal
    ? refusalResult({ ...rule, refusal: restoreQuotes(rule.refusal, messages) }, story)
    : phrases.refused();
  const action = rule.action.replace(/\b(?:their|his|her|my)\b/g, 'the');
  // `other users see …`: a concrete other role when the story lists roles, else anyone else.
  const listedRoles = story.fields.flatMap((field) =>
    field.constraint.kind === 'enumeration' && /\brole\b/i.test(field.subject) ? field.constraint.values : [],
  );
  const otherRole = listedRoles.find(
    (role) =>
      !rule.allowed.some((allowed) => allowed.toLowerCase().startsWith(role.toLowerCase().slice(0, 5))),
  );
  const parties = (rule.refused.length > 0 ? rule.refused : [undefined]).map((party) =>
    party && /^(?:other|others|anyone|everyone|andere|autres|otros)\b/i.test(party) ? otherRole : party,
  );
  // In Gherkin the party who tries is the one who acts: `the editor tries to invite members`.
  const elsewhere = placeOfOtherParty(story, rule, action);
  const actingAs = (party: string | undefined) => {
    const partyPhrases = phrasesFor(
      story.language,
      party ? `the ${singularParty(party, story.language)}` : 'the user',
    );
    const first = (elsewhere?.open ?? story.flow[0]!).wording;
    // Only English Gherkin names who acts; the other languages are impersonal already.
    const open =
      story.language === 'en' ? { wording: partyPhrases.instruction(first.action) } : { wording: first };
    return { partyPhrases, open };
  };
  const sets: CaseSet[] = parties.map((party) => {
    const { partyPhrases, open } = actingAs(party);
    const precondition = party
      ? phrases.signedInAs(singularParty(party, story.language))
      : phrases.signedInAsOther(rule.allowed.join(' / '));
    const title = `${reading.id}: ${party ? singularParty(party, story.language) : rule.allowed.join(' / ')} — ${phrases.titles.cannot} ${action}`;
    const body: CaseBody = {
      preconditions: [precondition, ...(elsewhere ? [elsewhere.precondition] : [])],
      steps: [open, { wording: partyPhrases.tryTo(action) }],
      results: [refusal],
    };
    return {
      title,
      kind: 'negative',
      important: true,
      covers: [reading.id],
      rows: [{ title, kind: 'negative', body }],
    };
  });
  const allowed = rule.allowed[0];
  if (allowed) {
    const first = action.replace(/^(\w+)\s+or\s+\w+\s+/, '$1 ');
    const verb = /^(\w+)\s+((?:the|a|an)\s.+)$/i.exec(first);
    const result =
      story.language === 'en' && verb
        ? `${capitalize(verb[2]!.replace(/^(?:a|an)\s/i, 'the '))} is ${pastParticiple(verb[1]!)}, and no access message is shown`
        : phrases.saved();
    const title = `${reading.id}: ${singularParty(allowed, story.language)} — ${first}`;
    const { partyPhrases, open } = actingAs(allowed);
    const body: CaseBody = {
      preconditions: [
        phrases.signedInAs(singularParty(allowed, story.language)),
        ...(elsewhere ? [elsewhere.precondition] : []),
      ],
      steps: [
        open,
        {
          wording:
            story.language === 'en' ? partyPhrases.instruction(capitalize(first)) : partyPhrases.tryTo(first),
        },
      ],
      results: [result],
    };
    sets.push({ title, kind: 'positive', covers: [reading.id], rows: [{ title, kind: 'positive', body }] });
  }
  return sets;
}

function restoreQuotes(text: string, messages: string[]): string {
  return text.replace(/"#(\d+)"/g, (whole, index: string) =>
    messages[Number(index)] !== undefined ? `"${messages[Number(index)]}"` : whole,
  );
}
