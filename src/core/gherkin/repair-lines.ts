import { capitalize } from '../words.ts';

/** One line of a model's Gherkin, its decoration removed and its kind named, for the repair. */

const STEP_WORDS = ['given', 'when', 'then', 'and', 'but'];
const HEADER_WORDS: Array<[RegExp, string]> = [
  [/^scenario\s+outline$/i, 'Scenario Outline'],
  [/^scenario\s+template$/i, 'Scenario Template'],
  [/^scenario$/i, 'Scenario'],
  [/^feature$/i, 'Feature'],
  [/^background$/i, 'Background'],
  [/^examples$/i, 'Examples'],
  [/^scenarios$/i, 'Examples'],
  [/^example$/i, 'Example'],
  [/^rule$/i, 'Rule'],
];

export type LineKind =
  | 'feature'
  | 'header'
  | 'scenario'
  | 'examples'
  | 'step'
  | 'table'
  | 'tag'
  | 'comment'
  | 'blank'
  | 'docstring'
  | 'other';

export interface RepairLine {
  kind: LineKind;
  text: string;
}

/** Normalises one line's decoration (bullets, numbers, bold, headings, case) and classifies it. */
export function classify(rawLine: string, note: (repair: string) => void): RepairLine {
  let line = rawLine.replace(/\t/g, '  ').trim();
  if (line === '') return { kind: 'blank', text: '' };
  if (line.startsWith('"""') || line.startsWith('```')) return { kind: 'docstring', text: line };
  if (line.startsWith('#')) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading && /^\**\s*(?:feature|scenario|background|examples|rule)\b/i.test(heading[1]!)) {
      note('removed Markdown heading marks');
      line = heading[1]!;
    } else {
      return { kind: 'comment', text: line };
    }
  }
  const decoration = /^(?:\d+[.)]|[-*•+]|>)\s+(?=\S)/.exec(line);
  if (
    decoration &&
    /^(?:\d+[.)]|[-*•+]|>)\s+\**\s*(?:given|when|then|and|but|scenario|feature|examples|background)\b/i.test(
      line,
    )
  ) {
    note('removed list numbers or bullets before keywords');
    line = line.slice(decoration[0].length);
  }
  if (/^\*\*|^__/.test(line)) {
    const unbolded = line.replace(/^(\*\*|__)([^*_]+?)\1/, '$2');
    if (unbolded !== line) {
      note('removed bold marks around keywords');
      line = unbolded.trim();
    }
  }
  if (line.startsWith('@')) return { kind: 'tag', text: line };
  if (line.startsWith('|')) return { kind: 'table', text: line };

  const header = /^([A-Za-z]+(?:\s+[A-Za-z]+)?)\s*:\s*(.*)$/.exec(line);
  if (header) {
    const match = HEADER_WORDS.find(([pattern]) => pattern.test(header[1]!));
    if (match) {
      const keyword = match[1];
      if (header[1] !== keyword) note(`wrote "${keyword}:" with its usual capitalisation`);
      const text = `${keyword}: ${header[2]!.replace(/\*+$/, '').trim()}`.trimEnd();
      if (keyword === 'Feature') return { kind: 'feature', text };
      if (keyword === 'Examples') return { kind: 'examples', text };
      if (keyword === 'Background' || keyword === 'Rule') return { kind: 'header', text };
      return { kind: 'scenario', text };
    }
  }
  const step = /^([A-Za-z]+)\b\s*:?\s*(.*)$/.exec(line);
  if (step && STEP_WORDS.includes(step[1]!.toLowerCase()) && step[2]!.length > 0) {
    const keyword = capitalize(step[1]!.toLowerCase());
    const rest = step[2]!.replace(/^\*+\s*/, '');
    const fixed = `${keyword} ${rest}`;
    if (step[1] !== keyword) note('capitalised step keywords');
    else if (line !== fixed && /^[A-Za-z]+\s*:/.test(line)) note('removed colons after step keywords');
    return { kind: 'step', text: fixed };
  }
  if (line.startsWith('* ')) return { kind: 'step', text: line };
  return { kind: 'other', text: line };
}

export function scenarioName(line: string): string {
  return line.replace(/^[^:]*:\s*/, '').trim();
}

export function placeholdersOf(steps: string[]): string[] {
  const names = new Set<string>();
  for (const step of steps) for (const match of step.matchAll(/<([^<>\s][^<>]*)>/g)) names.add(match[1]!);
  return [...names];
}
