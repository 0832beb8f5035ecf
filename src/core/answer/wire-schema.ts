import { z } from 'zod';
import { TestKindSchema, type TestFormat } from '../model.ts';

/**
 * The wire shape of a model's answer, as asked for in the prompt and in `json_schema` mode.
 * Kept apart from the domain `TestCase`: the model does not choose ids, engines or warnings, and
 * strict structured output needs every field present (empty strings and lists instead of absent).
 */
export const WireTestStepSchema = z.object({
  action: z.string().describe('One concrete thing the tester does'),
  data: z.string().describe('The exact input for this step, or an empty string'),
  expected: z.string().describe('What the tester can observe afterwards, or an empty string'),
});

const wireTestCaseFields = {
  title: z.string().describe('Short name saying what is shown, e.g. "Login fails with a wrong password"'),
  kind: TestKindSchema,
  priority: z.string(),
  preconditions: z.array(z.string()),
  steps: z.array(WireTestStepSchema),
  covers: z.array(z.string()).describe('Ids of the acceptance criteria covered, e.g. ["AC-1"]'),
};

export const WireTestCaseSchema = z.object(wireTestCaseFields);
export const WireBddTestCaseSchema = z.object({
  ...wireTestCaseFields,
  gherkin: z.string().describe('One Feature with exactly one Scenario, valid Gherkin'),
});

export const ModelAnswerSchema = z.object({ testCases: z.array(WireTestCaseSchema) });
export const BddModelAnswerSchema = z.object({ testCases: z.array(WireBddTestCaseSchema) });
export type ModelAnswer = z.infer<typeof ModelAnswerSchema> | z.infer<typeof BddModelAnswerSchema>;

/** The zod schema of the answer expected for a format (BDD cases carry their Gherkin). */
export function modelAnswerSchemaFor(format: TestFormat) {
  return format === 'bdd' ? BddModelAnswerSchema : ModelAnswerSchema;
}

/** Converted once per format: the conversion cost more than the rest of building a prompt. */
const jsonSchemas = new Map<TestFormat, Readonly<Record<string, unknown>>>();

/**
 * The JSON Schema sent as `response_format.json_schema.schema`; strict-mode compatible. The same
 * frozen object for every call with a format: read it, never change it.
 */
export function modelAnswerJsonSchema(format: TestFormat): Readonly<Record<string, unknown>> {
  let schema = jsonSchemas.get(format);
  if (!schema) {
    const converted = z.toJSONSchema(modelAnswerSchemaFor(format), { target: 'draft-7' }) as Record<
      string,
      unknown
    >;
    // Endpoints in strict mode reject the meta-schema keyword; it carries nothing for them.
    delete converted.$schema;
    schema = deepFreeze(converted);
    jsonSchemas.set(format, schema);
  }
  return schema;
}

function deepFreeze<Value>(value: Value): Value {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
