/**
 * Gherkin validation, rendering and repair, on top of the official `@cucumber/gherkin` parser.
 *
 * `renderFeature` is how Reqase writes Gherkin (always parseable); `validateGherkin` is how it
 * checks Gherkin written by a model; `repairGherkin` fixes the mistakes models commonly make.
 */
export {
  GherkinSyntaxError,
  validateGherkin,
  type GherkinProblem,
  type ParsedFeatureSummary,
  type ParsedScenario,
  type ParsedStep,
  type StepKeyword,
} from './validate.ts';
export {
  renderFeature,
  type RenderExamples,
  type RenderFeatureInput,
  type RenderScenario,
  type RenderStep,
} from './render.ts';
export { repairGherkin } from './repair.ts';
