/**
 * The domain's public surface: schemas and ports, constraints and Gherkin, prompts, the answer
 * parser, quality checks, generation and the offline rules engine. Core imports only `shared/`.
 */
export * from './model.ts';
export type * from './ports.ts';
export * from './repositories.ts';
export type * from './connector-repositories.ts';
export * from './constraints/index.ts';
export * from './gherkin/index.ts';
export * from './prompt/index.ts';
export * from './answer/index.ts';
export * from './quality/index.ts';
export * from './generation/index.ts';
export * from './offline/index.ts';
export * from './stored-case-quality.ts';
export * from './review-events.ts';
