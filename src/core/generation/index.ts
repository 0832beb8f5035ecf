export {
  generateTestCases,
  type GenerateTestCasesOptions,
  type GenerationEvent,
  type GenerationResult,
} from './generate-test-cases.ts';
export { NoTestCasesError, isResponseFormatUnsupported } from './errors.ts';
