/**
 * Low-level text helpers for finding JSON inside a model's answer: reasoning blocks, code fences,
 * balanced objects and arrays, and an incremental scanner over the elements of one array.
 */

/** Removes `<think>…</think>` (and `<thinking>`/`<reasoning>`) blocks, including an unclosed one. */
export function stripReasoning(text: string): string {
  let result = text.replace(/<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi, '');
  // A closing tag without its opening one: the reasoning began before the visible text.
  const orphanClose = /<\/(think|thinking|reasoning)>/i.exec(result);
  if (orphanClose) result = result.slice(orphanClose.index + orphanClose[0].length);
  // An opening tag never closed: everything after it is reasoning cut short.
  const unclosed = /<(think|thinking|reasoning)>/i.exec(result);
  if (unclosed) result = result.slice(0, unclosed.index);
  return result.trim();
}

export interface FencedBlock {
  language: string;
  content: string;
  /** False when the closing fence is missing (a truncated answer). */
  closed: boolean;
}

/** The contents of Markdown code fences (``` or ~~~), in order. */
export function extractFencedBlocks(text: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  const fence = /(^|\n)[ \t]*(```|~~~)[ \t]*([\w+-]*)[^\n]*\n/g;
  let match: RegExpExecArray | null;
  while ((match = fence.exec(text))) {
    const marker = match[2] ?? '```';
    const start = match.index + match[0].length;
    const closing = new RegExp(`\\n[ \\t]*${marker}`, 'g');
    closing.lastIndex = start - 1;
    const end = closing.exec(text);
    if (!end) {
      blocks.push({ language: (match[3] ?? '').toLowerCase(), content: text.slice(start), closed: false });
      break;
    }
    blocks.push({
      language: (match[3] ?? '').toLowerCase(),
      content: text.slice(start, end.index),
      closed: true,
    });
    fence.lastIndex = end.index + end[0].length;
  }
  return blocks;
}

/**
 * From an opening `{` or `[` at `start`, the index just past its matching close, honouring
 * strings. `complete` is false when the text ends first.
 */
export function findBalancedEnd(text: string, start: number): { end: number; complete: boolean } {
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (escaped) escaped = false;
      else if (character === '\\') escaped = true;
      else if (character === '"') inString = false;
      continue;
    }
    if (character === '"') inString = true;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) return { end: index + 1, complete: true };
    }
  }
  return { end: text.length, complete: false };
}

/** Candidate JSON texts embedded in prose: each top-level `{…}` or `[…]`, longest first. */
export function findJsonCandidates(text: string): Array<{ text: string; complete: boolean }> {
  const candidates: Array<{ text: string; complete: boolean }> = [];
  let index = 0;
  while (index < text.length) {
    const next = text.slice(index).search(/[[{]/);
    if (next < 0) break;
    const start = index + next;
    const { end, complete } = findBalancedEnd(text, start);
    const candidate = text.slice(start, end);
    // `[1]` style references in prose are not answers; keep what could hold a test case.
    if (candidate.length > 10 && /["'\w]\s*:|^\[\s*["{]/.test(candidate)) {
      candidates.push({ text: candidate, complete });
    }
    index = complete ? end : text.length;
  }
  return candidates.sort((left, right) => right.text.length - left.text.length);
}

/**
 * Scans the elements of one JSON array as text arrives, reporting each element as soon as its
 * closing bracket is seen. Feed it the text that follows the array's opening `[`.
 *
 * @example
 * const scanner = new JsonArrayElementScanner();
 * scanner.push('{"a":1},{"a"'); // ['{"a":1}']
 * scanner.push(':2}]');         // ['{"a":2}'], and scanner.ended is true
 */
export class JsonArrayElementScanner {
  #buffer = '';
  #position = 0;
  #depth = 0;
  #inString = false;
  #escaped = false;
  #elementStart = -1;
  /** True once the array's closing `]` has been read. */
  ended = false;

  push(text: string): string[] {
    if (this.ended) return [];
    this.#buffer += text;
    const elements: string[] = [];
    for (; this.#position < this.#buffer.length; this.#position++) {
      const character = this.#buffer[this.#position];
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (character === '\\') this.#escaped = true;
        else if (character === '"') this.#inString = false;
        continue;
      }
      if (character === '"') {
        this.#inString = true;
        if (this.#depth === 0 && this.#elementStart < 0) this.#elementStart = this.#position;
      } else if (character === '{' || character === '[') {
        if (this.#depth === 0) this.#elementStart = this.#position;
        this.#depth++;
      } else if (character === '}' || character === ']') {
        if (this.#depth === 0) {
          // The array's own closing bracket.
          if (this.#elementStart >= 0)
            elements.push(this.#buffer.slice(this.#elementStart, this.#position).trim());
          this.#elementStart = -1;
          this.ended = true;
          this.#position++;
          break;
        }
        this.#depth--;
        if (this.#depth === 0 && this.#elementStart >= 0) {
          elements.push(this.#buffer.slice(this.#elementStart, this.#position + 1));
          this.#elementStart = -1;
        }
      } else if (character === ',' && this.#depth === 0) {
        if (this.#elementStart >= 0)
          elements.push(this.#buffer.slice(this.#elementStart, this.#position).trim());
        this.#elementStart = -1;
      }
    }
    return elements.filter((element) => element.length > 0);
  }

  /** True when an element has begun but not ended (what a cut-off answer leaves behind). */
  get hasPartialElement(): boolean {
    return this.#depth > 0 || this.#inString || this.#elementStart >= 0;
  }
}

/** Keys (compared without case or punctuation) under which models put their list of test cases. */
export const CASE_LIST_KEYS = [
  'testcases',
  'tests',
  'cases',
  'scenarios',
  'testscenarios',
  'items',
  'results',
  'data',
];

/**
 * Where the array of test cases starts in a (possibly partial) JSON text: just past `[`, for
 * `{"testCases": [` and its variants, or a bare top-level array of objects.
 */
export function findCaseArrayStart(text: string): number | undefined {
  // A bare array: the first structural character of the answer is `[` followed by an object.
  const first = text.search(/[[{]/);
  if (first >= 0 && text[first] === '[' && /^\[\s*(\{|$)/.test(text.slice(first))) return first + 1;
  const keyed = /"([A-Za-z_ -]+)"\s*:\s*\[/g;
  let match: RegExpExecArray | null;
  while ((match = keyed.exec(text))) {
    if (CASE_LIST_KEYS.includes(normalizeKey(match[1] ?? ''))) return match.index + match[0].length;
  }
  return undefined;
}

const QUOTE = 34;
const OPENING_BRACE = 123;
const CLOSING_BRACE = 125;
const OPENING_BRACKET = 91;
const CLOSING_BRACKET = 93;
const BACKSLASH = 92;

/** The position of the quote that closes a JSON string opened before `from`, or -1. */
function closingQuote(text: string, from: number): number {
  for (let at = text.indexOf('"', from); at !== -1; at = text.indexOf('"', at + 1)) {
    // Escaped when an odd number of backslashes stands right before it.
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return -1;
}

/**
 * Whether the array whose elements start at `start` is closed in `text`: what
 * `new JsonArrayElementScanner().push(text.slice(start))` leaves in `ended`, found without
 * reading the strings character by character (a string is skipped to its closing quote).
 */
export function closesArray(text: string, start: number): boolean {
  let depth = 0;
  for (let at = start; at < text.length; at++) {
    const character = text.charCodeAt(at);
    if (character === QUOTE) {
      at = closingQuote(text, at + 1);
      if (at === -1) return false;
    } else if (character === OPENING_BRACE || character === OPENING_BRACKET) depth++;
    else if (character === CLOSING_BRACE || character === CLOSING_BRACKET) {
      if (depth === 0) return true;
      depth--;
    }
  }
  return false;
}

/** `Test_Cases`, `test-cases`, `TestCases` → `testcases`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}
