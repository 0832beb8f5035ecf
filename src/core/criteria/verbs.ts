/**
 * Verbs of actions a tester can carry out, in their base form. A criterion's flow is read by
 * finding these verbs in the third person after the actor ("the employee chooses …, submits …").
 */
const ACTION_VERBS = [
  'accept',
  'add',
  'agree',
  'apply',
  'approve',
  'assign',
  'attach',
  'book',
  'cancel',
  'change',
  'check',
  'choose',
  'claim',
  'click',
  'complete',
  'confirm',
  'create',
  'decline',
  'define',
  'delete',
  'download',
  'edit',
  'enable',
  'disable',
  'enter',
  'export',
  'fill',
  'filter',
  'follow',
  'freeze',
  'give',
  'import',
  'invite',
  'log',
  'move',
  'open',
  'pay',
  'pick',
  'place',
  'press',
  'provide',
  'publish',
  'rate',
  'record',
  'register',
  'reject',
  'renew',
  'request',
  'return',
  'review',
  'rotate',
  'save',
  'scan',
  'schedule',
  'search',
  'select',
  'send',
  'set',
  'sign',
  'sort',
  'start',
  'submit',
  'tap',
  'transfer',
  'type',
  'unfreeze',
  'update',
  'upload',
  'validate',
  'view',
  'write',
  'identify',
  'answer',
  'take',
  'turn',
  'let',
  'make',
  'try',
  'leave',
  'wait',
  'repeat',
  'go',
  'use',
  'sort',
  'trigger',
  'approve',
  'call',
];

const ACTION_VERB_SET = new Set(ACTION_VERBS);

/** `chooses` → `choose`, `applies` → `apply`, `presses` → `press`; built once from the list. */
const BASE_BY_THIRD_PERSON = new Map<string, string>();
for (const verb of ACTION_VERBS) {
  BASE_BY_THIRD_PERSON.set(thirdPerson(verb), verb);
}

function thirdPerson(verb: string): string {
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  if (/(?:s|sh|ch|x|z|o)$/.test(verb)) return `${verb}es`;
  return `${verb}s`;
}

/** The base form of an action verb in the third person, or undefined for any other word. */
export function actionVerbBase(word: string): string | undefined {
  return BASE_BY_THIRD_PERSON.get(word.toLowerCase());
}

/** `choose` → `chooses`, `apply` → `applies`. */
export function thirdPersonOf(verb: string): string {
  return thirdPerson(verb.toLowerCase());
}

/** Whether a word is an action verb in its base form (`enter`, `choose`). */
export function isActionVerb(word: string): boolean {
  return ACTION_VERB_SET.has(word.toLowerCase());
}

const IRREGULAR_PARTICIPLES: Record<string, string> = {
  send: 'sent',
  pay: 'paid',
  choose: 'chosen',
  set: 'set',
  give: 'given',
  take: 'taken',
  write: 'written',
  log: 'logged',
  submit: 'submitted',
  freeze: 'frozen',
  unfreeze: 'unfrozen',
  turn: 'turned',
};

/** `submit` → `submitted`, `send` → `sent`, `save` → `saved`, `apply` → `applied`. */
export function pastParticiple(verb: string): string {
  const lower = verb.toLowerCase();
  const irregular = IRREGULAR_PARTICIPLES[lower];
  if (irregular) return irregular;
  if (lower.endsWith('e')) return `${lower}d`;
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ied`;
  return `${lower}ed`;
}
