/**
 * Criterion reading: acceptance criteria read into actor, actions, condition or rule, outcomes,
 * exact messages and role rules, in English, German, French and Spanish. Pure; used by the offline
 * engine and available to quality rules.
 */
export { detectLanguage, storyLanguageFrom, STORY_LANGUAGES, type StoryLanguage } from './language.ts';
export { quotedTexts } from './quoted.ts';
export { readFlow, objectsOf, type FlowAction } from './flow.ts';
export { readRoleRule, splitParties, type RoleRule } from './roles.ts';
export { readCriterion, type CriterionReading, type CriterionTiming } from './read-criterion.ts';
export { actionVerbBase, pastParticiple, isActionVerb, thirdPersonOf } from './verbs.ts';
export { readNumericRules, subjectOf } from './numeric-rules.ts';
