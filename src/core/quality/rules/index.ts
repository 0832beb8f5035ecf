import type { QualityRule } from '../context.ts';
import { brokenText } from './broken-text.ts';
import {
  flowTooShort,
  gherkinActionInThen,
  gherkinRepeatedKeyword,
  missingResult,
  outOfScope,
  placeholderData,
  resultNotObservable,
  resultRestatesCriterion,
  stepNotActionable,
} from './case-text-rules.ts';
import {
  boundarySetNotOutline,
  duplicateOfExisting,
  duplicateSteps,
  nearDuplicate,
} from './duplicate-rules.ts';
import {
  boundarySetIncomplete,
  boundaryValuesAccumulate,
  constraintCoverage,
  coverageClaimUnbacked,
  criterionMessageMissing,
  enumerationValueUnused,
  preconditionContradictsStory,
} from './story-rules.ts';

/** Every rule, in the order their findings are listed. */
export const QUALITY_RULES: readonly QualityRule[] = [
  stepNotActionable,
  resultNotObservable,
  missingResult,
  placeholderData,
  resultRestatesCriterion,
  brokenText,
  flowTooShort,
  outOfScope,
  preconditionContradictsStory,
  coverageClaimUnbacked,
  boundaryValuesAccumulate,
  gherkinActionInThen,
  gherkinRepeatedKeyword,
  duplicateSteps,
  nearDuplicate,
  duplicateOfExisting,
  boundarySetNotOutline,
  criterionMessageMissing,
  constraintCoverage,
  enumerationValueUnused,
  boundarySetIncomplete,
];
