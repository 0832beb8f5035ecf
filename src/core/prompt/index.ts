export {
  buildGenerationPrompt,
  describeConstraint,
  neutraliseDelimiters,
  type ExistingCase,
  type GenerationPrompt,
  type GenerationPromptInput,
  type ResponseMode,
} from './build-generation-prompt.ts';
