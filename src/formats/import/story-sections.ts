import type { StoryDraft } from './story-builder.ts';

/** The parts of a story body that Reqase Lite keeps apart. */
export type SectionKind = 'description' | 'criteria' | 'outOfScope' | 'notes';

// English, German, French and Spanish section names, compared in lower case without accents.
const CRITERIA_TITLES =
  /^(acceptance[ -]criteria|acceptance[ -]criterion|acceptance[ -]criterias|acceptance[ -]tests?|acs?|a\.c\.|criteria|conditions of satisfaction|akzeptanzkriterien|akzeptanzkriterium|abnahmekriterien|annahmekriterien|kriterien|criteres d'acceptation|critere d'acceptation|criteres d'acceptance|criteres de validation|criteres|conditions d'acceptation|criterios de aceptacion|criterio de aceptacion|criterios de aceptación|criterios|condiciones de aceptacion)$/;
const OUT_OF_SCOPE_TITLES =
  /^(out[ -]of[ -]scope|not in scope|outside (of )?(the )?scope|non[ -]?goals?|exclusions?|excluded|not included|won'?t do|nicht im umfang|nicht enthalten|ausserhalb des umfangs|abgrenzung|hors (du )?perimetre|hors perimetre|hors champ|fuera de alcance|fuera del alcance)$/;
const NOTES_TITLES =
  /^(notes?|additional notes|technical notes|assumptions|remarks|comments|links|dependencies|open questions|hinweise|anmerkungen|notizen|annahmes?|remarques|hypotheses|notas|observaciones|supuestos)$/;
const DESCRIPTION_TITLES =
  /^(description|user story|story|summary|background|context|details|beschreibung|kontext|hintergrund|contexte|historia de usuario|descripcion|contexto)$/;

/** Which section a heading (or a `Label:` line) opens; `undefined` for headings of other content. */
export function classifyHeading(title: string): SectionKind | undefined {
  const normalized = title
    .replace(/[*_`]/g, '')
    .replace(/\(s\)/gi, '')
    .replace(/[:：]\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/\s*'\s*/g, "'");
  if (CRITERIA_TITLES.test(normalized)) return 'criteria';
  if (OUT_OF_SCOPE_TITLES.test(normalized)) return 'outOfScope';
  if (NOTES_TITLES.test(normalized)) return 'notes';
  if (DESCRIPTION_TITLES.test(normalized)) return 'description';
  return undefined;
}

/**
 * Reads a title such as `SHOP-12: Customer pays by card`, `[SHOP-12] Customer pays`, `User story: …`
 * or a plain summary.
 */
export function parseTitleLine(line: string): { key?: string; summary: string } {
  const title = line
    .replace(/^\s*#+\s*/, '')
    .replace(/\s+#+\s*$/, '')
    .replace(/^\*\*(.*)\*\*$/, '$1')
    .replace(/^(user story|story|title|summary)\s*[:：]\s*/i, '')
    .trim();
  const match = /^\[?([A-Z][A-Z0-9_]*-\d+)\]?(?:\s*[:\-–—|]\s*|\s+)(.+)$/.exec(title);
  if (match?.[1] && match[2]) return { key: match[1], summary: match[2].trim() };
  return { summary: title };
}

const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const BOLD_LINE = /^\s*(?:\*\*|__)(.+?)(?:\*\*|__)\s*:?\s*$/;
const LABEL_LINE = /^\s*(?:\*\*|__)?(\p{L}[\p{L}'’ -]{0,40}?)(?:\*\*|__)?\s*[:：](?:\*\*|__)?\s*(.*)$/u;
const FENCE = /^\s*(```|~~~)/;

/** The sections of a story body, each present (empty when the body has none). */
export type StoryBody = {
  [Section in 'description' | 'acceptanceCriteria' | 'outOfScope' | 'notes']-?: NonNullable<
    StoryDraft[Section]
  >;
};

/**
 * Splits a story body (the text after its title) into description, acceptance criteria,
 * out-of-scope items and notes. Sections open with Markdown headings (`## Acceptance Criteria`),
 * bold lines (`**Out of scope**`) or label lines (`Acceptance criteria:`, `Out of Scope: payments`).
 */
export function parseStoryBody(lines: readonly string[]): StoryBody {
  const sections: Record<SectionKind, string[]> = {
    description: [],
    criteria: [],
    outOfScope: [],
    notes: [],
  };
  let current: SectionKind = 'description';
  let inFence = false;
  for (const line of lines) {
    const fenceLine = FENCE.test(line);
    if (fenceLine) inFence = !inFence;
    if ((inFence || fenceLine) && (current === 'criteria' || current === 'outOfScope')) {
      // Code in a criteria or out-of-scope list is an example, not an item: keep it in the description.
      sections.description.push(line);
      continue;
    }
    if (!inFence) {
      const heading = HEADING.exec(line) ?? BOLD_LINE.exec(line);
      if (heading?.[1] !== undefined) {
        const kind = classifyHeading(heading[1]);
        if (kind) {
          current = kind;
          continue;
        }
        if (HEADING.test(line)) {
          // A heading of other content (e.g. "## Design") belongs to the description as plain text.
          current = 'description';
          sections.description.push(heading[1]);
          continue;
        }
      }
      const bare = classifyHeading(line);
      if (bare && bare !== 'description' && line.trim().length <= 40) {
        // A paragraph that is only a section name ("Acceptance Criteria"), as Jira descriptions often have.
        current = bare;
        continue;
      }
      const label = LABEL_LINE.exec(line);
      if (label?.[1] !== undefined) {
        const kind = classifyHeading(label[1]);
        if (kind && kind !== 'description') {
          current = kind;
          // The blank line keeps an inline item ("Out of scope: refunds") apart from a list above it.
          if (label[2]?.trim()) sections[kind].push('', label[2]);
          continue;
        }
      }
    }
    sections[current].push(line);
  }
  return {
    description: sections.description.join('\n').trim(),
    acceptanceCriteria: splitListItems(sections.criteria),
    outOfScope: splitListItems(sections.outOfScope),
    notes: splitListItems(sections.notes),
  };
}

const BULLET = /^(\s*)(?:[-*+•‣◦▪]|\d{1,3}[.)]|\(\d{1,3}\)|[a-z]\))\s+(.*)$/;
const CHECKBOX = /^\[[ xX✓]?\]\s*/;
const CRITERION_PREFIX = /^(?:AC|Acceptance\s+Criteri(?:on|a))[\s-]*\d+\s*[:.)\-–—]\s*/i;
const GHERKIN_START = /^(?:Given|Scenario(?:\s+Outline)?\s*:|Example\s*:)\s*/i;
const GHERKIN_CONTINUE = /^(?:When|Then|And|But)\b/i;

/**
 * Splits the lines of a list section into items: bullets, numbers, checkboxes, `AC1:` prefixes,
 * Given/When/Then blocks, Markdown table rows, or one item per line when the section has no markers.
 */
export function splitListItems(lines: readonly string[]): string[] {
  const items: string[][] = [];
  let current: { parts: string[]; bullet: boolean; gherkin: boolean } | undefined;
  let tableRows = 0;
  const start = (text: string, bullet: boolean) => {
    current = { parts: [text], bullet, gherkin: GHERKIN_START.test(text) };
    items.push(current.parts);
  };
  let fenced: string[] | undefined;
  for (const raw of lines) {
    if (FENCE.test(raw)) {
      // A fenced code block is one item, kept line by line.
      if (fenced) {
        items.push([fenced.join('\n')]);
        fenced = undefined;
      } else fenced = [];
      current = undefined;
      continue;
    }
    if (fenced) {
      fenced.push(raw);
      continue;
    }
    const line = raw.replace(/\t/g, '    ');
    const trimmed = line.trim();
    if (trimmed === '') {
      current = undefined;
      continue;
    }
    if (trimmed.startsWith('|')) {
      tableRows += 1;
      const cells = trimmed
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim());
      if (tableRows === 1 || cells.every((cell) => /^:?-*:?$/.test(cell))) continue;
      const text = cells.filter((cell) => cell !== '' && !/^(AC[-\s]?\d+|#?\d+)$/i.test(cell)).join(' — ');
      if (text) start(text, true);
      current = undefined;
      continue;
    }
    tableRows = 0;
    const bullet = BULLET.exec(line);
    if (bullet) {
      const indent = bullet[1]?.length ?? 0;
      const text = (bullet[2] ?? '').replace(CHECKBOX, '').replace(CRITERION_PREFIX, '').trim();
      if (indent >= 2 && current) {
        current.parts.push('\n' + text);
        continue;
      }
      if (text) start(text, true);
      continue;
    }
    const unprefixed = trimmed.replace(CHECKBOX, '');
    if (CRITERION_PREFIX.test(unprefixed)) {
      start(unprefixed.replace(CRITERION_PREFIX, '').trim(), true);
      continue;
    }
    if (GHERKIN_START.test(unprefixed)) {
      const scenarioTitleOnly =
        current?.parts.length === 1 && /^(Scenario|Example)/i.test(current.parts[0] ?? '');
      if (current && scenarioTitleOnly && /^Given/i.test(unprefixed)) {
        current.parts.push('\n' + unprefixed);
      } else {
        start(unprefixed, false);
      }
      continue;
    }
    if (GHERKIN_CONTINUE.test(unprefixed) && current?.gherkin) {
      current.parts.push('\n' + unprefixed);
      continue;
    }
    if (current && (current.bullet || /^\s{2,}/.test(line))) {
      current.parts.push(' ' + unprefixed);
      continue;
    }
    start(unprefixed, false);
  }
  if (fenced) items.push([fenced.join('\n')]);
  return items.map((parts) => parts.join('').trim()).filter(Boolean);
}
