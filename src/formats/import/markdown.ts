import type { StoryDraft } from './story-builder.ts';
import { parseStoryBody, parseTitleLine } from './story-sections.ts';

/**
 * Reads Markdown stories: each `# ` heading starts a story (`# SHOP-1: Summary` or `# Summary`),
 * followed by description paragraphs and `## Acceptance Criteria`, `## Out of scope`, `## Notes`
 * sections. A file without any `# ` heading is one story titled by its first line.
 */
export function readMarkdownStories(text: string, warnings: string[]): StoryDraft[] {
  const lines = text.split('\n');
  const starts: number[] = [];
  let inFence = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^#\s+\S/.test(line)) starts.push(index);
  });
  if (starts.length === 0) {
    // No "# " heading: stories may sit under lower headings that carry a key ("## SHOP-1: …").
    const keyed = keyedHeadingStarts(lines);
    if (keyed.length < 2) return [readTitledBlock(lines)];
    starts.push(...keyed);
  }
  const preamble = lines.slice(0, starts[0]).join('\n').trim();
  if (preamble !== '' && !/^---\n[\s\S]*\n---$/.test(preamble)) {
    warnings.push('Text before the first "# " heading was ignored: each story starts with a "# " heading.');
  }
  return starts
    .map((start, index) => readTitledBlock(lines.slice(start, starts[index + 1] ?? lines.length)))
    .map((draft) =>
      draft.description ? { ...draft, description: unwrapParagraphs(draft.description) } : draft,
    );
}

/**
 * Joins the lines of each Markdown paragraph, which editors wrap at a fixed width, so a
 * description reads as sentences; lists, tables, quotes, headings, code and hard breaks (two
 * trailing spaces) keep their lines.
 */
export function unwrapParagraphs(text: string): string {
  const structural = /^\s*(?:[-*+]\s|\d+[.)]\s|#|>|\||```|~~~)/;
  // Each output line as its first raw line and the pieces joined to it. Joining the pieces once at
  // the end keeps this linear: re-trimming a growing string per line was quadratic (minutes for a
  // 5 MB paragraph).
  const out: Array<{ first: string; pieces: string[] }> = [];
  let inFence = false;
  for (const line of text.split('\n')) {
    const fence = /^\s*(?:```|~~~)/.test(line);
    const previous = out.at(-1);
    const joinable =
      !inFence &&
      !fence &&
      previous !== undefined &&
      previous.first.trim() !== '' &&
      line.trim() !== '' &&
      !structural.test(line) &&
      !structural.test(previous.first) &&
      // A hard line break (two trailing spaces) only counts on a line not joined yet: joined pieces are trimmed.
      !(previous.pieces.length === 1 && previous.first.endsWith('  '));
    if (joinable) {
      if (previous.pieces.length === 1) previous.pieces[0] = previous.first.trimEnd();
      previous.pieces.push(line.trim());
    } else {
      out.push({ first: line, pieces: [line] });
    }
    if (fence) inFence = !inFence;
  }
  return out.map((entry) => entry.pieces.join(' ')).join('\n');
}

function keyedHeadingStarts(lines: readonly string[]): number[] {
  let inFence = false;
  const headings: Array<{ index: number; level: number }> = [];
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const match = /^(#{2,6})\s+\[?[A-Z][A-Z0-9_]*-\d+\b/.exec(line);
    if (!inFence && match?.[1]) headings.push({ index, level: match[1].length });
  });
  const level = Math.min(...headings.map((heading) => heading.level));
  return headings.filter((heading) => heading.level === level).map((heading) => heading.index);
}

/** Plain text: the first non-empty line is the summary; "Acceptance criteria:" opens the criteria. */
export function readPlainTextStory(text: string): StoryDraft {
  return readTitledBlock(text.split('\n'));
}

function readTitledBlock(lines: readonly string[]): StoryDraft {
  const titleIndex = lines.findIndex((line) => line.trim() !== '');
  const title = parseTitleLine(lines[titleIndex] ?? '');
  return { key: title.key, summary: title.summary, ...parseStoryBody(lines.slice(titleIndex + 1)) };
}
