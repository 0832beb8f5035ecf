export {
  parseModelAnswer,
  type ParseAnswerOptions,
  type ParsedAnswer,
  type AnswerLayout,
} from './parse-model-answer.ts';
export { AnswerError, type AnswerErrorKind } from './errors.ts';
export {
  ModelAnswerSchema,
  BddModelAnswerSchema,
  WireTestCaseSchema,
  WireBddTestCaseSchema,
  WireTestStepSchema,
  modelAnswerSchemaFor,
  modelAnswerJsonSchema,
  type ModelAnswer,
} from './wire-schema.ts';
export { normalizeCovers } from './covers.ts';
export {
  createStreamingCaseParser,
  type StreamingCaseParser,
  type StreamingCaseParserOptions,
} from './streaming.ts';
