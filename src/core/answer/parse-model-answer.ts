import { jsonrepair } from 'jsonrepair';
import { parse as parseYaml } from 'yaml';
import { err, ok, type Result } from '../../shared/result.ts';
import type { Story, TestCase, TestFormat } from '../model.ts';
import { AnswerError, excerptOf } from './errors.ts';
import { checkCaseGherkin } from './gherkin-check.ts';
import { looksLikeGherkin } from './gherkin-text.ts';
import {
  CASE_LIST_KEYS,
  closesArray,
  JsonArrayElementScanner,
  extractFencedBlocks,
  findCaseArrayStart,
  findJsonCandidates,
  normalizeKey,
  stripReasoning,
} from './json-text.ts';
import { looksLikeTestCase, normalizeTestCase } from './normalize.ts';
import { readGherkinCases, readHeadingSections, readNumberedCases } from './text-layouts.ts';

export interface ParseAnswerOptions {
  format: TestFormat;
  /** The story the answer is about: `covers` are mapped onto its acceptance criterion ids. */
  story: Story;
  /** The endpoint's finish reason; `length` means the answer was cut at the token limit. */
  finishReason?: string;
  /** The project's priority labels; defaults to high / medium / low. */
  priorities?: readonly string[];
}

/** Which layout the test cases were read from. */
export type AnswerLayout = 'json' | 'json-repaired' | 'yaml' | 'plain-text' | 'markdown' | 'gherkin';

export interface ParsedAnswer {
  testCases: TestCase[];
  /** Repairs and losses, in plain words (never silent). Case-specific ones are also on the case. */
  warnings: string[];
  /** True when the answer was cut off; only complete test cases were kept. */
  truncated: boolean;
  layout: AnswerLayout;
}

const REFUSAL =
  /^\W*(?:i['’]?m sorry|i am sorry|sorry[,!.]|i apologi[sz]e|unfortunately,? i|i can(?:no|['’])t|i cannot|i['’]?m (?:not able|unable)|i am (?:not able|unable)|as an ai\b|i won['’]?t|i will not)/i;

interface ItemsFound {
  items: unknown[];
  layout: AnswerLayout;
  truncated: boolean;
  warnings: string[];
}

/**
 * Reads the test cases out of a model's answer, whatever its layout: JSON (clean, fenced, in
 * prose, repaired, double-encoded, keyed under any common name, or a bare array), YAML, the
 * plain-text `Test Case 1:` layout, Markdown sections with step tables, or raw Gherkin.
 * "Could not read" (`unparseable`) stays apart from "read, but no item is a test case"
 * (`schema-mismatch`); the raw text is kept on every error.
 *
 * @example
 * const result = parseModelAnswer(answer.text, { format: 'manual', story, finishReason: answer.finishReason });
 * if (!result.ok) throw result.error;
 * result.value.testCases; // TC-1, TC-2, …
 */
export function parseModelAnswer(
  text: string,
  options: ParseAnswerOptions,
): Result<ParsedAnswer, AnswerError> {
  const rawText = text;
  const cleaned = stripReasoning(text ?? '');
  if (!cleaned) {
    return err(
      new AnswerError('empty-answer', 'The model returned an empty answer, so no test case could be read.', {
        rawText,
      }),
    );
  }
  const cutOff = options.finishReason === 'length';
  const found = readStructured(cleaned, cutOff) ?? readTextLayouts(cleaned, cutOff);
  if (!found) {
    if (REFUSAL.test(cleaned)) {
      return err(
        new AnswerError('refusal', `The model declined to write test cases: "${excerptOf(cleaned, 160)}"`, {
          rawText,
        }),
      );
    }
    return err(
      new AnswerError(
        'unparseable',
        `The model's answer is in no layout Reqase Lite can read (JSON, YAML, "Test Case 1:" text, Markdown tables or Gherkin). It begins: "${excerptOf(cleaned, 160)}"`,
        { rawText },
      ),
    );
  }

  const testCases: TestCase[] = [];
  const issues: string[] = [];
  for (const item of found.items) {
    const result = normalizeTestCase(item, testCases.length + 1, options);
    if (result.ok) testCases.push(result.testCase);
    else issues.push(...result.issues);
  }
  const warnings = [...found.warnings];
  if (testCases.length === 0) {
    if (found.items.length === 0) {
      const kind = REFUSAL.test(cleaned) ? 'refusal' : 'no-test-cases';
      return err(new AnswerError(kind, 'The model answered with an empty list of test cases.', { rawText }));
    }
    return err(
      new AnswerError(
        'schema-mismatch',
        `The model's answer was read, but none of its ${found.items.length} item(s) is a usable test case: ${issues.slice(0, 3).join('; ')}`,
        { rawText, issues },
      ),
    );
  }
  if (issues.length)
    warnings.push(`Skipped ${issues.length} item(s) that are not usable test cases: ${issues.join('; ')}`);

  for (const testCase of testCases) {
    const gherkinWarnings = checkCaseGherkin(testCase, options.format, options.story.summary);
    warnings.push(...gherkinWarnings.map((warning) => `${testCase.id}: ${warning}`));
  }
  return ok({ testCases, warnings, truncated: found.truncated, layout: found.layout });
}

// ---------------------------------------------------------------------------------------------
// Structured layouts: JSON and YAML

function readStructured(text: string, cutOff: boolean): ItemsFound | undefined {
  const trimmed = text.trim();
  const whole = /^["[{]/.test(trimmed) ? readJson(trimmed, cutOff) : undefined;
  // The usual answer, one JSON document with the list: no need to look for fences and spans.
  if (whole && !whole.single) return whole;
  const fences = extractFencedBlocks(text);
  const texts: Array<{ text: string; complete: boolean; yaml: boolean; read?: typeof whole }> = [];
  if (/^["[{]/.test(trimmed)) texts.push({ text: trimmed, complete: true, yaml: false, read: whole });
  for (const fence of fences) {
    const yaml = fence.language === 'yaml' || fence.language === 'yml';
    texts.push({ text: fence.content.trim(), complete: fence.closed, yaml });
  }
  for (const candidate of findJsonCandidates(text)) {
    // The same JSON is often found twice: as a fence's content and as a balanced span of the text.
    if (!texts.some((known) => known.text === candidate.text.trim()))
      texts.push({ ...candidate, yaml: false });
  }

  const singles: unknown[] = [];
  for (const candidate of texts) {
    if (candidate.yaml) {
      const yamlItems = readYaml(candidate.text);
      if (yamlItems)
        return {
          items: yamlItems,
          layout: 'yaml',
          truncated: cutOff,
          warnings: truncationWarnings(cutOff, false),
        };
      continue;
    }
    const read = 'read' in candidate ? candidate.read : readJson(candidate.text, cutOff);
    if (!read) continue;
    if (read.single) {
      singles.push(read.items[0]);
      continue;
    }
    return read;
  }
  if (singles.length) {
    return { items: singles, layout: 'json', truncated: cutOff, warnings: truncationWarnings(cutOff, false) };
  }
  // YAML without a language tag, or without a fence: only when it yields test-case-like objects.
  const untagged = fences.filter((fence) => fence.language === '').map((fence) => fence.content);
  for (const yamlText of [...untagged, text]) {
    if (/^\s*[[{]/.test(yamlText)) continue;
    const yamlItems = readYaml(yamlText);
    if (yamlItems)
      return {
        items: yamlItems,
        layout: 'yaml',
        truncated: cutOff,
        warnings: truncationWarnings(cutOff, false),
      };
  }
  return undefined;
}

function truncationWarnings(cutOff: boolean, dropped: boolean, kept?: number): string[] {
  if (dropped) {
    return [
      `The answer was cut off at the token limit; the ${kept ?? 'complete'} complete test case(s) were kept and the unfinished one was dropped. Raise max tokens or ask for fewer cases to get them all.`,
    ];
  }
  if (cutOff)
    return ['The model stopped at the token limit; every test case read from the answer is complete.'];
  return [];
}

function parseJsonLoosely(text: string): { value: unknown; repaired: boolean } | undefined {
  try {
    return { value: JSON.parse(text), repaired: false };
  } catch {
    try {
      return { value: JSON.parse(jsonrepair(text)), repaired: true };
    } catch {
      return undefined;
    }
  }
}

/** `"{\"testCases\": …}"` → the object inside (models sometimes encode their JSON twice). */
function decodeNested(value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 3 && typeof current === 'string'; depth++) {
    const inner = current.trim();
    if (!/^[[{]/.test(inner)) break;
    const parsed = parseJsonLoosely(inner);
    if (!parsed) break;
    current = parsed.value;
  }
  return current;
}

/** The list of test cases inside a parsed value, if any; `single` for a lone test case object. */
function locateCases(value: unknown, depth = 0): { items: unknown[]; single: boolean } | undefined {
  const decoded = decodeNested(value);
  if (Array.isArray(decoded)) {
    const items = decoded.map(decodeNested);
    const usable = items.filter(
      (item) => (item && typeof item === 'object') || (typeof item === 'string' && looksLikeGherkin(item)),
    );
    return usable.length === items.length ? { items, single: false } : undefined;
  }
  if (!decoded || typeof decoded !== 'object') return undefined;
  const record = decoded as Record<string, unknown>;
  const entries = Object.entries(record).map(([key, entry]) => [normalizeKey(key), entry] as const);
  for (const listKey of CASE_LIST_KEYS) {
    const entry = entries.find(([key]) => key === listKey);
    if (!entry) continue;
    const list = decodeNested(entry[1]);
    if (Array.isArray(list)) return { items: list.map(decodeNested), single: false };
  }
  if (looksLikeTestCase(record)) return { items: [record], single: true };
  // Wrappers such as { "response": { "test_cases": [...] } } or { "login_tests": [...] }.
  if (depth < 2) {
    for (const [, entry] of entries) {
      const nested = decodeNested(entry);
      if (Array.isArray(nested) && nested.length > 0 && nested.every(looksLikeTestCase)) {
        return { items: nested, single: false };
      }
      if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
        const inner = locateCases(nested, depth + 1);
        if (inner && !inner.single) return inner;
      }
    }
  }
  return undefined;
}

function readJson(text: string, cutOff: boolean): (ItemsFound & { single?: boolean }) | undefined {
  const arrayStart = findCaseArrayStart(text);
  // An answer cut off mid-way: keep only the elements whose closing brace arrived.
  if (arrayStart !== undefined && !closesArray(text, arrayStart)) {
    const scanner = new JsonArrayElementScanner();
    const elements = scanner.push(text.slice(arrayStart));
    if (!scanner.ended || scanner.hasPartialElement) {
      const items = elements
        .map((element) => parseJsonLoosely(element)?.value)
        .filter((item) => item !== undefined)
        .map(decodeNested);
      return {
        items,
        layout: 'json-repaired',
        truncated: true,
        warnings: truncationWarnings(true, true, items.length),
      };
    }
  }
  const parsed = parseJsonLoosely(text);
  if (!parsed) return undefined;
  const located = locateCases(parsed.value);
  if (!located) return undefined;
  return {
    items: located.items,
    single: located.single,
    layout: parsed.repaired ? 'json-repaired' : 'json',
    truncated: cutOff,
    warnings: [
      ...(parsed.repaired ? ['The JSON in the answer was malformed and has been repaired.'] : []),
      ...truncationWarnings(cutOff, false),
    ],
  };
}

function readYaml(text: string): unknown[] | undefined {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch {
    return undefined;
  }
  const located = locateCases(value);
  if (!located || !located.items.some(looksLikeTestCase)) return undefined;
  return located.items;
}

// ---------------------------------------------------------------------------------------------
// Text layouts

function readTextLayouts(text: string, cutOff: boolean): ItemsFound | undefined {
  let items: unknown[] = readNumberedCases(text);
  let layout: AnswerLayout = /^\s*\|/m.test(text) || /^\s*#{1,6}\s/m.test(text) ? 'markdown' : 'plain-text';
  if (items.length === 0 && looksLikeGherkin(text)) {
    items = readGherkinCases(text);
    layout = 'gherkin';
  }
  if (items.length === 0) {
    items = readHeadingSections(text);
    layout = 'markdown';
  }
  if (items.length === 0) return undefined;
  if (cutOff && items.length > 0) {
    // The last block may have stopped mid-sentence; only the ones before it are surely complete.
    const kept = items.slice(0, -1);
    if (kept.length === 0) {
      return {
        items,
        layout,
        truncated: true,
        warnings: ['The answer was cut off at the token limit; its only test case may be incomplete.'],
      };
    }
    return { items: kept, layout, truncated: true, warnings: truncationWarnings(true, true, kept.length) };
  }
  return { items, layout, truncated: false, warnings: [] };
}
