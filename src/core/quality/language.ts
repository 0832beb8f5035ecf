/**
 * A cheap guess at a text's language from its most frequent small words. Rules that read English
 * wording (verbs, dangling words) stay silent on other languages instead of misfiring.
 */
export type TextLanguage = 'en' | 'de' | 'fr' | 'es' | 'other';

const MARKERS: Record<Exclude<TextLanguage, 'other'>, ReadonlySet<string>> = {
  en: new Set([
    'the',
    'and',
    'is',
    'are',
    'to',
    'of',
    'with',
    'must',
    'can',
    'when',
    'be',
    'a',
    'an',
    'or',
    'not',
  ]),
  de: new Set([
    'der',
    'die',
    'das',
    'und',
    'ist',
    'sind',
    'mit',
    'muss',
    'kann',
    'wenn',
    'nicht',
    'ein',
    'eine',
    'zu',
    'den',
    'wird',
  ]),
  fr: new Set([
    'le',
    'la',
    'les',
    'et',
    'est',
    'sont',
    'avec',
    'doit',
    'peut',
    'quand',
    'un',
    'une',
    'des',
    'pas',
    'du',
    'de',
  ]),
  es: new Set([
    'el',
    'la',
    'los',
    'las',
    'y',
    'es',
    'son',
    'con',
    'debe',
    'puede',
    'cuando',
    'un',
    'una',
    'no',
    'del',
    'de',
  ]),
};

/**
 * @example
 * detectLanguage('Der Antrag muss vom Vorgesetzten genehmigt werden') // 'de'
 */
export function detectLanguage(text: string): TextLanguage {
  const words = text.toLowerCase().split(/[^\p{L}]+/u);
  let best: TextLanguage = 'other';
  let bestHits = 0;
  for (const [language, markers] of Object.entries(MARKERS) as Array<[TextLanguage, ReadonlySet<string>]>) {
    let hits = 0;
    for (const word of words) if (markers.has(word)) hits++;
    if (hits > bestHits) {
      best = language;
      bestHits = hits;
    }
  }
  return bestHits >= 2 ? best : 'other';
}
