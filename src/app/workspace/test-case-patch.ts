/**
 * A person's edit of a stored test case: the patch schema, reading a patch given as JSON or YAML,
 * and merging it into the current content (Gherkin checked, preconditions kept in step).
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import {
  TestCaseSchema,
  TestKindSchema,
  TestStepSchema,
  validateGherkin,
  type TestCaseContent,
  type TestCaseRecord,
} from '../../core/index.ts';
import { definedFields } from '../../shared/defined-fields.ts';
import { InvalidInputError } from '../../shared/errors.ts';

/** Fields an edit may change; absent fields keep their value. `gherkin: null` drops the Gherkin text. */
export const TestCasePatchSchema = z
  .object({
    title: z.string().min(1),
    kind: TestKindSchema,
    priority: z.string().min(1),
    preconditions: z.array(z.string()),
    steps: z.array(TestStepSchema),
    gherkin: z.string().min(1).nullable(),
    covers: z.array(z.string()),
  })
  .partial()
  .strict();
export type TestCasePatch = z.infer<typeof TestCasePatchSchema>;

/**
 * The preconditions a Gherkin scenario states: its leading Given steps (and the And/But steps
 * that continue them), in order, as sentences. An edit that rewrites the Gherkin but not the
 * preconditions gets these, so the two never disagree.
 */
export function preconditionsOfGherkin(gherkin: string): string[] {
  const preconditions: string[] = [];
  let inGiven = false;
  for (const line of gherkin.split(/\r?\n/)) {
    const step = /^\s*(Given|And|But|When|Then|\*)\s+(.+?)\s*$/.exec(line);
    if (!step) continue;
    const [, keyword, text] = step as unknown as [string, string, string];
    if (keyword === 'When' || keyword === 'Then') {
      if (preconditions.length > 0 || inGiven) break;
      continue;
    }
    if (keyword === 'Given') inGiven = true;
    if (!inGiven) continue;
    preconditions.push(`${text.charAt(0).toUpperCase()}${text.slice(1)}`);
  }
  return preconditions;
}

/** Reads a patch given as an object, or as JSON or YAML text. */
export function parsePatch(patch: TestCasePatch | string): TestCasePatch {
  let value: unknown = patch;
  if (typeof patch === 'string') {
    try {
      value = parseYaml(patch);
    } catch (cause) {
      throw new InvalidInputError(`The edit is neither JSON nor YAML: ${(cause as Error).message}`, {
        fix: 'Give an object such as {"title": "New title"} or YAML lines such as `title: New title`.',
        cause,
      });
    }
  }
  const parsed = TestCasePatchSchema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new InvalidInputError(
      `The edit is not usable: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'edit'}: ${issue.message}`).join('; ')}.`,
      {
        fix: 'Edit only title, kind, priority, preconditions, steps ([{action, data, expected}]), gherkin or covers.',
      },
    );
  }
  return parsed.data;
}

export function contentOf(record: TestCaseRecord): TestCaseContent {
  return {
    title: record.title,
    kind: record.kind,
    priority: record.priority,
    preconditions: record.preconditions,
    steps: record.steps,
    ...(record.gherkin === undefined || record.gherkin === null ? {} : { gherkin: record.gherkin }),
    covers: record.covers,
    engine: record.engine,
    warnings: record.warnings,
  };
}

export function mergedContent(
  current: TestCaseRecord,
  patch: TestCasePatch,
  criterionIds: string[],
): TestCaseContent {
  const { gherkin, ...rest } = patch;
  const merged: TestCaseContent = { ...contentOf(current), ...definedFields(rest) };
  if (gherkin === null) delete merged.gherkin;
  else if (gherkin !== undefined) {
    merged.gherkin = gherkin.endsWith('\n') ? gherkin : `${gherkin}\n`;
    // Rewritten Gherkin carries its own Given steps: the preconditions follow them.
    if (patch.preconditions === undefined) merged.preconditions = preconditionsOfGherkin(merged.gherkin);
  }
  const checked = TestCaseSchema.omit({ id: true }).safeParse(merged);
  if (!checked.success) {
    throw new InvalidInputError(`The edited case is not valid: ${checked.error.issues[0]?.message}.`, {
      fix: 'Check the fields of the edit.',
    });
  }
  if (merged.gherkin !== undefined) {
    const gherkinCheck = validateGherkin(merged.gherkin);
    if (!gherkinCheck.ok) {
      throw new InvalidInputError(`The edited Gherkin does not parse: ${gherkinCheck.error.message}`, {
        fix: 'Keep one "Feature:" with a "Scenario:" and Given/When/Then steps.',
        cause: gherkinCheck.error,
      });
    }
  }
  const unknown = merged.covers.filter((id) => !criterionIds.includes(id));
  if (patch.covers && unknown.length > 0) {
    throw new InvalidInputError(`The story has no acceptance criterion ${unknown.join(', ')}.`, {
      fix: `Cover only ${criterionIds.join(', ') || 'the story’s criteria'}.`,
    });
  }
  // The reviewer's edit replaces the generator's findings about the old text.
  return {
    ...merged,
    warnings: patch.title || patch.steps || patch.gherkin !== undefined ? [] : merged.warnings,
  };
}
