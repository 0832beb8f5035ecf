import type { StoryLanguage } from '../criteria/index.ts';
import { isActionVerb, thirdPersonOf } from '../criteria/index.ts';

/** One step in two wordings: an instruction for a manual case, and the text after `When`/`And` in Gherkin. */
export interface Wording {
  action: string;
  gherkin: string;
}

/**
 * What the offline engine says, in the story's language. English steps are instructions
 * (`Select "Annual" as the leave type`) with the actor in Gherkin (`the employee selects …`);
 * German, French and Spanish steps use the infinitive, as test steps there usually do, with an
 * impersonal Gherkin form (`man …`, `on …`, `se …`) that needs no conjugation.
 */
export interface Phrases {
  language: StoryLanguage;
  /** A free instruction (English: from the criterion) in both wordings. */
  instruction(action: string): Wording;
  open(place: string): Wording;
  select(subject: string, value: string): Wording;
  enter(subject: string, value: string): Wording;
  upload(subject: string, file: string): Wording;
  submit(object?: string): Wording;
  clock(label: string): Wording;
  tryTo(action: string): Wording;
  leaveEmpty(subject: string): Wording;
  signedInAs(role: string): string;
  signedInAsOther(allowed: string): string;
  /** The place where the story's flow starts: `the form "Submit a leave request"`. */
  formOf(summary: string): string;
  /**
   * A precondition: the object another party acts on exists, made by the story's actor
   * (`A leave request submitted by the employee exists`). `object` as the role rule writes it
   * (`the leave request submitted by the employee`, `den Antrag`); `maker` without article.
   */
  existing(object: string, maker: string): string;
  messageShown(message: string): string;
  accepted(subject: string): string;
  rejected(subject: string, allowed: string): string;
  notOffered(value: string, subject: string): string;
  requiredMissing(subject: string): string;
  invalidFormat(subject: string, format: string): string;
  refused(): string;
  saved(): string;
  /** `1 to 9`, `at most 15 days`, in the language. */
  between(min: string, max: string): string;
  atMost(value: string): string;
  atLeast(value: string): string;
  exactly(value: string): string;
  /** Words for titles: a valid and an invalid value, boundary values, values of a list, a refusal. */
  titles: {
    accepted: string;
    refused: string;
    boundaries: string;
    values: string;
    cannot: string;
    empty: string;
    invalid: string;
    outside: string;
  };
  /** A result as the text after `Then`. */
  thenText(result: string): string;
  /** A precondition as the text after `Given`. */
  givenText(precondition: string): string;
}

function lowerFirst(text: string): string {
  return /^\p{Lu}(?:\p{Ll}|\s)/u.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

function capitalizeFirst(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

/** `Select "Annual" as the leave type` → `the employee selects "Annual" as the leave type`. */
function englishGherkin(action: string, actor: string): string {
  const match = /^(\p{L}+)\b(.*)$/u.exec(action);
  if (!match || !isActionVerb(match[1]!)) return `${actor} ${lowerFirst(action)}`;
  return `${actor} ${thirdPersonOf(match[1]!)}${match[2]}`;
}

function english(actor: string): Phrases {
  const wording = (action: string): Wording => ({ action, gherkin: englishGherkin(action, actor) });
  return {
    language: 'en',
    instruction: wording,
    open: (place) => wording(`Open ${place}`),
    select: (subject, value) => wording(`Select "${value}" as the ${subject}`),
    enter: (subject, value) => wording(`Enter ${value} as the ${subject}`),
    upload: (subject, file) => wording(`Upload ${file} as the ${subject}`),
    submit: (object) => wording(`Submit the ${object ?? 'form'}`),
    clock: (label) => wording(`Set the test clock to ${label}`),
    tryTo: (action) => wording(`Try to ${action}`),
    leaveEmpty: (subject) => wording(`Leave the ${subject} empty`),
    signedInAs: (role) => `Signed in as ${/'s\b/.test(role) ? 'the' : article(role)} ${role}`,
    signedInAsOther: (allowed) => `Signed in as a user who is not the ${allowed}`,
    formOf: (summary) => `the form "${summary}"`,
    existing: (object) =>
      `${capitalizeFirst(object.replace(/^the\s+(\S)/i, (_, first: string) => `${article(first)} ${first}`))} exists`,
    messageShown: (message) => `The message "${message}" is shown`,
    accepted: (subject) => `The ${subject} is accepted without a validation message`,
    rejected: (subject, allowed) =>
      `The ${subject} ${/[^s]s$/.test(subject) ? 'are' : 'is'} refused with a validation message that names the allowed value (${allowed}), and nothing is saved`,
    notOffered: (value, subject) =>
      `"${value}" is not offered as the ${subject}, or it is refused with a validation message`,
    requiredMissing: (subject) =>
      `A validation message marks the ${subject} as missing, and nothing is saved`,
    invalidFormat: (subject, format) =>
      `A validation message says the ${subject} is not a valid ${format}, and nothing is saved`,
    refused: () => 'The action is refused and nothing is changed',
    saved: () => 'The entries are saved and a confirmation is shown',
    titles: {
      accepted: 'accepted',
      refused: 'refused',
      boundaries: 'boundary values',
      values: 'each value',
      cannot: 'cannot',
      empty: 'left empty',
      invalid: 'invalid',
      outside: 'value outside the list',
    },
    between: (min, max) => `${min} to ${max}`,
    atMost: (value) => `at most ${value}`,
    atLeast: (value) => `at least ${value}`,
    exactly: (value) => `exactly ${value}`,
    thenText: lowerFirst,
    givenText: (precondition) =>
      lowerFirst(
        precondition
          .replace(
            /^Signed in as (an?|the) (.+)$/,
            (_, word: string, role: string) => `${word} ${role} is signed in`,
          )
          .replace(/^Signed in as a user who is not the (.+)$/, 'a user who is not the $1 is signed in'),
      ),
  };
}

/** `den Antrag genehmigen` → `den Antrag zu genehmigen`. */
function germanZu(action: string): string {
  return action.replace(/(\S+)$/, 'zu $1');
}

/** `Die Meldung „…“ wird angezeigt` → `wird die Meldung „…“ angezeigt`, the word order after `Dann`. */
function germanThen(result: string): string {
  const match = /^(\p{Lu}\p{Ll}*)\s+(.+?)\s+(wird|werden)\s+(.+)$/u.exec(result);
  return match ? `${match[3]} ${match[1]!.toLowerCase()} ${match[2]} ${match[4]}` : lowerFirst(result);
}

const german: Phrases = {
  language: 'de',
  instruction: (action) => ({ action, gherkin: `man ${action}` }),
  open: (place) => ({
    action: `${place.charAt(0).toUpperCase()}${place.slice(1)} öffnen`,
    gherkin: `man ${place} öffnet`,
  }),
  select: (subject, value) => ({
    action: `„${value}“ als ${subject} auswählen`,
    gherkin: `man „${value}“ als ${subject} auswählt`,
  }),
  enter: (subject, value) => ({
    action: `${value} als ${subject} eingeben`,
    gherkin: `man ${value} als ${subject} eingibt`,
  }),
  upload: (subject, file) => ({
    action: `${file} als ${subject} hochladen`,
    gherkin: `man ${file} als ${subject} hochlädt`,
  }),
  submit: () => ({ action: 'Die Eingaben absenden', gherkin: 'man die Eingaben absendet' }),
  clock: (label) => ({
    action: `Die Testuhr auf ${label} stellen`,
    gherkin: `man die Testuhr auf ${label} stellt`,
  }),
  tryTo: (action) => ({
    action: `Versuchen, ${germanZu(action)}`,
    gherkin: `man versucht, ${germanZu(action)}`,
  }),
  leaveEmpty: (subject) => ({ action: `${subject} leer lassen`, gherkin: `man ${subject} leer lässt` }),
  signedInAs: (role) => `Angemeldet als ${role}`,
  signedInAsOther: (allowed) => `Angemeldet als andere Person (nicht ${allowed})`,
  formOf: (summary) => `das Formular „${summary}“`,
  existing: (object, maker) =>
    `${capitalizeFirst(object.replace(/^den\s/i, 'der ').replace(/^dem\s/i, 'der '))} liegt zur Bearbeitung vor (erstellt von: ${maker})`,
  messageShown: (message) => `Die Meldung „${message}“ wird angezeigt`,
  accepted: () => 'Die Eingabe wird angenommen und keine Fehlermeldung erscheint',
  rejected: (_, allowed) =>
    `Die Eingabe wird mit einem Hinweis auf den zulässigen Wert (${allowed}) abgelehnt; nichts wird gespeichert`,
  notOffered: (value) => `„${value}“ wird nicht angeboten oder mit einer Fehlermeldung abgelehnt`,
  requiredMissing: (subject) =>
    `Eine Fehlermeldung kennzeichnet ${subject} als fehlend; nichts wird gespeichert`,
  invalidFormat: (subject) => `Eine Fehlermeldung weist ${subject} als ungültig ab; nichts wird gespeichert`,
  refused: () => 'Die Aktion wird verweigert und nichts wird geändert',
  saved: () => 'Die Eingaben werden gespeichert und eine Bestätigung erscheint',
  titles: {
    accepted: 'angenommen',
    refused: 'abgelehnt',
    boundaries: 'Grenzwerte',
    values: 'jeder Wert',
    cannot: 'darf nicht',
    empty: 'leer',
    invalid: 'ungültig',
    outside: 'Wert außerhalb der Liste',
  },
  between: (min, max) => `${min} bis ${max}`,
  atMost: (value) => `höchstens ${value}`,
  atLeast: (value) => `mindestens ${value}`,
  exactly: (value) => `genau ${value}`,
  thenText: germanThen,
  givenText: (precondition) =>
    precondition
      .replace(/^Angemeldet als (.+)$/, 'man ist als $1 angemeldet')
      .replace(
        /^(Der|Die|Das) (.+ liegt zur Bearbeitung vor)/,
        (_, word: string, rest: string) => `${word.toLowerCase()} ${rest}`,
      ),
};

const french: Phrases = {
  language: 'fr',
  instruction: (action) => ({ action, gherkin: `on ${action}` }),
  open: (place) => ({ action: `Ouvrir ${place}`, gherkin: `on ouvre ${place}` }),
  select: (subject, value) => ({
    action: `Choisir « ${value} » pour ${subject}`,
    gherkin: `on choisit « ${value} » pour ${subject}`,
  }),
  enter: (subject, value) => ({
    action: `Saisir ${value} pour ${subject}`,
    gherkin: `on saisit ${value} pour ${subject}`,
  }),
  upload: (subject, file) => ({
    action: `Téléverser ${file} pour ${subject}`,
    gherkin: `on téléverse ${file} pour ${subject}`,
  }),
  submit: () => ({ action: 'Valider la saisie', gherkin: 'on valide la saisie' }),
  clock: (label) => ({
    action: `Régler l'horloge de test sur ${label}`,
    gherkin: `on règle l'horloge de test sur ${label}`,
  }),
  tryTo: (action) => ({ action: `Essayer de ${action}`, gherkin: `on essaie de ${action}` }),
  leaveEmpty: (subject) => ({ action: `Laisser ${subject} vide`, gherkin: `on laisse ${subject} vide` }),
  signedInAs: (role) => `Connecté en tant que ${role}`,
  signedInAsOther: (allowed) => `Connecté en tant qu'autre utilisateur (pas ${allowed})`,
  formOf: (summary) => `le formulaire « ${summary} »`,
  existing: (object, maker) => `${capitalizeFirst(object)} existe déjà (auteur : ${maker})`,
  messageShown: (message) => `Le message « ${message} » s'affiche`,
  accepted: () => "La saisie est acceptée sans message d'erreur",
  rejected: (_, allowed) =>
    `La saisie est refusée avec un message qui indique les valeurs autorisées (${allowed}) ; rien n'est enregistré`,
  notOffered: (value) => `« ${value} » n'est pas proposé, ou il est refusé avec un message d'erreur`,
  requiredMissing: (subject) => `Un message signale que ${subject} manque ; rien n'est enregistré`,
  invalidFormat: (subject) => `Un message signale que ${subject} n'est pas valide ; rien n'est enregistré`,
  refused: () => "L'action est refusée et rien n'est modifié",
  saved: () => 'La saisie est enregistrée et une confirmation s’affiche',
  titles: {
    accepted: 'accepté',
    refused: 'refusé',
    boundaries: 'valeurs limites',
    values: 'chaque valeur',
    cannot: 'ne peut pas',
    empty: 'vide',
    invalid: 'invalide',
    outside: 'valeur hors liste',
  },
  between: (min, max) => `${min} à ${max}`,
  atMost: (value) => `au maximum ${value}`,
  atLeast: (value) => `au moins ${value}`,
  exactly: (value) => `exactement ${value}`,
  thenText: lowerFirst,
  givenText: (precondition) =>
    lowerFirst(precondition).replace(/^connecté en tant que/, "l'utilisateur est connecté en tant que"),
};

const spanish: Phrases = {
  language: 'es',
  instruction: (action) => ({ action, gherkin: `se ${action}` }),
  open: (place) => ({ action: `Abrir ${place}`, gherkin: `se abre ${place}` }),
  select: (subject, value) => ({
    action: `Seleccionar «${value}» como ${subject}`,
    gherkin: `se selecciona «${value}» como ${subject}`,
  }),
  enter: (subject, value) => ({
    action: `Introducir ${value} como ${subject}`,
    gherkin: `se introduce ${value} como ${subject}`,
  }),
  upload: (subject, file) => ({
    action: `Subir ${file} como ${subject}`,
    gherkin: `se sube ${file} como ${subject}`,
  }),
  submit: () => ({ action: 'Confirmar la solicitud', gherkin: 'se confirma la solicitud' }),
  clock: (label) => ({
    action: `Ajustar el reloj de prueba a ${label}`,
    gherkin: `se ajusta el reloj de prueba a ${label}`,
  }),
  tryTo: (action) => ({ action: `Intentar ${action}`, gherkin: `se intenta ${action}` }),
  leaveEmpty: (subject) => ({
    action: `Dejar vacío el campo ${subject}`,
    gherkin: `se deja vacío el campo ${subject}`,
  }),
  signedInAs: (role) => `Sesión iniciada como ${role}`,
  signedInAsOther: (allowed) => `Sesión iniciada como otro usuario (no ${allowed})`,
  formOf: (summary) => `el formulario «${summary}»`,
  existing: (object, maker) => `${capitalizeFirst(object)} ya existe (autor: ${maker})`,
  messageShown: (message) => `Se muestra el mensaje «${message}»`,
  accepted: () => 'El valor se acepta sin mensaje de error',
  rejected: (_, allowed) =>
    `El valor se rechaza con un mensaje que indica los valores permitidos (${allowed}) y no se guarda nada`,
  notOffered: (value) => `«${value}» no se ofrece, o se rechaza con un mensaje de error`,
  requiredMissing: (subject) => `Un mensaje indica que falta ${subject} y no se guarda nada`,
  invalidFormat: (subject) => `Un mensaje indica que ${subject} no es válido y no se guarda nada`,
  refused: () => 'La acción se rechaza y no se modifica nada',
  saved: () => 'Los datos se guardan y se muestra una confirmación',
  titles: {
    accepted: 'aceptado',
    refused: 'rechazado',
    boundaries: 'valores límite',
    values: 'cada valor',
    cannot: 'no puede',
    empty: 'vacío',
    invalid: 'no válido',
    outside: 'valor fuera de la lista',
  },
  between: (min, max) => `${min} a ${max}`,
  atMost: (value) => `como máximo ${value}`,
  atLeast: (value) => `al menos ${value}`,
  exactly: (value) => `exactamente ${value}`,
  thenText: lowerFirst,
  givenText: (precondition) => lowerFirst(precondition),
};

/** The phrases of a language; `actor` names who acts in English Gherkin (`the employee`). */
export function phrasesFor(language: StoryLanguage, actor: string): Phrases {
  if (language === 'de') return german;
  if (language === 'fr') return french;
  if (language === 'es') return spanish;
  return english(actor);
}
