export { generateTestCases } from './generate-test-cases.ts';
export type { GenerateTestCasesOptions, GenerationEvent, GenerationResult } from './generation-options.ts';
export { NoTestCasesError, isResponseFormatUnsupported } from './errors.ts';
