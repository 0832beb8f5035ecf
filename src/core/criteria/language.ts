/** The languages the offline engine reads and writes. Other languages are read as English. */
export type StoryLanguage = 'en' | 'de' | 'fr' | 'es';

export const STORY_LANGUAGES: readonly StoryLanguage[] = ['en', 'de', 'fr', 'es'];

// Short function words that are frequent in one language and rare in the others.
const MARKERS: Record<StoryLanguage, ReadonlySet<string>> = {
  en: new Set([
    'the',
    'and',
    'is',
    'are',
    'must',
    'when',
    'with',
    'can',
    'be',
    'of',
    'to',
    'after',
    'only',
    'shown',
  ]),
  de: new Set([
    'der',
    'die',
    'das',
    'und',
    'ist',
    'muss',
    'wird',
    'nicht',
    'mit',
    'ein',
    'eine',
    'den',
    'dem',
    'oder',
    'nur',
    'darf',
    'ich',
    'möchte',
  ]),
  fr: new Set([
    'le',
    'les',
    'et',
    'est',
    'doit',
    'un',
    'une',
    'des',
    'du',
    'pour',
    'ou',
    'pas',
    'être',
    'je',
    'veux',
    "s'affiche",
    'aucun',
  ]),
  es: new Set([
    'el',
    'los',
    'las',
    'y',
    'es',
    'debe',
    'una',
    'del',
    'para',
    'o',
    'se',
    'que',
    'como',
    'con',
    'quiero',
    'muestra',
  ]),
};

const LANGUAGES_OF_MARKER = new Map<string, StoryLanguage[]>();
for (const language of STORY_LANGUAGES) {
  for (const word of MARKERS[language])
    LANGUAGES_OF_MARKER.set(word, [...(LANGUAGES_OF_MARKER.get(word) ?? []), language]);
}

/**
 * The language of a story's text, by counting common function words; English when unsure.
 *
 * @example
 * detectLanguage('Die Urlaubsart muss Erholungsurlaub oder Sonderurlaub sein.') // 'de'
 */
export function detectLanguage(text: string): StoryLanguage {
  // One pass over the words: each marker word counts for the languages it marks.
  const counts: Record<StoryLanguage, number> = { en: 0, de: 0, fr: 0, es: 0 };
  for (const word of text.toLowerCase().split(/[^\p{L}']+/u)) {
    const languages = LANGUAGES_OF_MARKER.get(word);
    if (languages) for (const language of languages) counts[language] += 1;
  }
  let best: StoryLanguage = 'en';
  let bestCount = 0;
  for (const language of STORY_LANGUAGES) {
    const count = counts[language];
    if (count > bestCount * 1.2 || (count > bestCount && language === 'en')) {
      best = language;
      bestCount = count;
    }
  }
  return best;
}

const LANGUAGE_NAMES: Record<string, StoryLanguage> = {
  en: 'en',
  english: 'en',
  de: 'de',
  german: 'de',
  deutsch: 'de',
  fr: 'fr',
  french: 'fr',
  français: 'fr',
  francais: 'fr',
  es: 'es',
  spanish: 'es',
  español: 'es',
  espanol: 'es',
};

/**
 * A `--language` value (`de`, `de-CH`, `German`, `Deutsch`) as a language the engine writes, or
 * undefined when it writes no such language.
 */
export function storyLanguageFrom(option: string | undefined): StoryLanguage | undefined {
  if (!option) return undefined;
  const name = option.trim().toLowerCase();
  return LANGUAGE_NAMES[name] ?? LANGUAGE_NAMES[name.split(/[-_]/)[0] ?? ''];
}
