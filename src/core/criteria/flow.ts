import { actionVerbBase, isActionVerb } from './verbs.ts';

/** One action of a criterion's flow: `chooses a leave type` → `{ verb: 'choose', object: 'a leave type' }`. */
export interface FlowAction {
  verb: string;
  object: string;
}

const ACTOR = /^(?:the|a|an)\s+([\p{L}'-]+(?:\s+[\p{L}'-]+){0,3})$/iu;
// Actors are people: `the employee`, `a ward clerk`; never `a frozen card` or `the system`.
const PERSON =
  /(?:er|or|ant|ist|ian|man|woman|person|user|customer|client|member|owner|admin|guest|visitor|patient|resident|citizen|shopper|cardholder|traveller|traveler|staff|nurse|clerk|agent|employee|physician|student|teacher)s?$/i;
const JOINT = /(,\s*(?:and\s+then\s+|and\s+|then\s+)?|\s+and\s+then\s+|\s+and\s+|\s+then\s+)/;

/**
 * Reads an English criterion that describes what someone does, in order: its actor and actions.
 * Undefined when the sentence is not such a flow.
 *
 * @example
 * readFlow('The employee chooses a leave type and an end date and submits the request.')
 * // { actor: 'the employee', actions: [{ verb: 'choose', object: 'a leave type and an end date' },
 * //   { verb: 'submit', object: 'the request' }] }
 */
export function readFlow(sentence: string): { actor: string; actions: FlowAction[] } | undefined {
  const text = sentence.trim().replace(/[.!]+$/, '');
  const start = actorAndFirstVerb(text);
  if (!start) return undefined;
  const { actor, base, rest } = start;
  const actions: FlowAction[] = [{ verb: base, object: '' }];
  const pieces = rest.split(JOINT);
  let object = pieces[0] ?? '';
  for (let index = 1; index < pieces.length; index += 2) {
    const joint = pieces[index]!;
    const next = pieces[index + 1] ?? '';
    const verb = /^([a-z]+)\b\s*(.*)$/s.exec(next);
    const nextBase = verb ? actionVerbBase(verb[1]!) : undefined;
    if (verb && nextBase) {
      actions[actions.length - 1]!.object = object.trim();
      actions.push({ verb: nextBase, object: '' });
      object = verb[2] ?? '';
    } else {
      object += joint + next;
    }
  }
  actions[actions.length - 1]!.object = object.trim();
  return { actor, actions };
}

/** `The home owner opens …`: the actor is the words before the first action verb (at most four). */
function actorAndFirstVerb(text: string): { actor: string; base: string; rest: string } | undefined {
  const words = text.split(' ');
  for (let length = 2; length <= 5 && length < words.length; length += 1) {
    const actor = words.slice(0, length).join(' ');
    if (!ACTOR.test(actor)) return undefined;
    if (!PERSON.test(words[length - 1]!)) continue;
    // `The cardholder can freeze or unfreeze the card`: a modal and an alternative verb are skipped.
    const modal = /^(?:can|may)$/i.test(words[length]!) && !/\d/.test(text) ? 1 : 0;
    const verb = words[length + modal] ?? '';
    const base = modal ? (isActionVerb(verb) ? verb.toLowerCase() : undefined) : actionVerbBase(verb);
    if (base) {
      let restWords = words.slice(length + modal + 1);
      if (restWords[0] === 'or' && restWords[1] && isActionVerb(restWords[1])) restWords = restWords.slice(2);
      return { actor: `the ${actor.replace(/^\S+\s+/, '')}`.toLowerCase(), base, rest: restWords.join(' ') };
    }
  }
  return undefined;
}

/** The things an entry action names: `a leave type, a start date and an end date` → three objects. */
export function objectsOf(object: string): string[] {
  return object
    .split(/,\s*(?:and\s+)?|\s+and\s+/)
    .map((part) => part.trim())
    .filter(Boolean);
}
