// "…", “…”, „…“, « … », and ‘…’ are the quotation marks stories use for exact messages.
const QUOTED = /"([^"\n]+)"|“([^”\n]+)”|„([^“”\n]+)[“”]|«\s*([^»\n]+?)\s*»/g;

/**
 * Every quoted text of a sentence, without its quotation marks, in order: the exact messages a
 * criterion asks for.
 *
 * @example
 * quotedTexts('the message « Aucun train disponible » s’affiche') // ['Aucun train disponible']
 */
export function quotedTexts(text: string): string[] {
  return [...text.matchAll(QUOTED)].map((match) =>
    (match[1] ?? match[2] ?? match[3] ?? match[4] ?? '').trim(),
  );
}

/** A sentence with each quoted text replaced by `"#n"`, so that splitting never cuts a quotation. */
export function maskQuotes(text: string): { masked: string; quotes: string[] } {
  const quotes: string[] = [];
  const masked = text.replace(QUOTED, (whole) => {
    quotes.push(whole);
    return `"#${quotes.length - 1}"`;
  });
  return { masked, quotes };
}

/** Puts back what `maskQuotes` took out. */
export function unmaskQuotes(text: string, quotes: readonly string[]): string {
  return text.replace(/"#(\d+)"/g, (whole, index: string) => quotes[Number(index)] ?? whole);
}
