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

/**
 * The language of a story's text, by counting common function words; English when unsure.
 *
 * @example
 * detectLanguage('Die Urlaubsart muss Erholungsurlaub oder Sonderurlaub sein.') // 'de'
 */
export function detectLanguage(text: string): StoryLanguage {
  const words = text.toLowerCase().split(/[^\p{L}']+/u);
  let best: StoryLanguage = 'en';
  let bestCount = 0;
  for (const language of STORY_LANGUAGES) {
    const markers = MARKERS[language];
    let count = 0;
    for (const word of words) if (markers.has(word)) count += 1;
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
