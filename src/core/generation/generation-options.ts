import type { AnswerLayout } from '../answer/index.ts';
import type { TestCase, Usage } from '../model.ts';
import type { ChatMessage, LanguageModel } from '../ports.ts';
import type { GenerationPromptInput, ResponseMode } from '../prompt/index.ts';
import type { CaseRepair, QualityFinding, StoryQuality } from '../quality/index.ts';

/** Progress of one generation, as it happens. */
export type GenerationEvent =
  | { kind: 'generation-start'; responseMode: ResponseMode; purpose: RequestPurpose }
  | { kind: 'text-delta'; delta: string }
  /** One per test case, as soon as its text is complete (before the answer ends when streaming). */
  | { kind: 'test-case-end'; testCase: TestCase }
  | { kind: 'warning'; message: string }
  | {
      kind: 'generation-end';
      testCaseCount: number;
      uncovered: string[];
      truncated: boolean;
      usage: Usage;
      latencyMilliseconds: number;
    };

/** Why a request is made: the first answer, or the one follow-up (repair and/or coverage gaps). */
export type RequestPurpose = 'cases' | 'fill-gaps' | 'repair';

/**
 * What the request asks of the model (story, format, rules, context, count, kinds, priorities,
 * language, existing cases) is the prompt's input; the constraints, gap and repair fields are
 * worked out here.
 */
export interface GenerateTestCasesOptions extends Omit<
  GenerationPromptInput,
  'constraints' | 'onlyCriteria' | 'repairCases' | 'responseMode'
> {
  /** The port to the model; the app layer adapts the OpenAI-compatible client to it. */
  model: LanguageModel;
  /**
   * How the answer's structure is requested. `auto` (default) tries `json_schema`, then
   * `json_object`, then instructions only, moving down whenever the endpoint rejects a mode; a
   * given mode starts there (e.g. the one remembered for the provider) and can still move down.
   */
  responseMode?: ResponseMode | 'auto';
  /** Ask once more for acceptance criteria no case covers. Default false. */
  fillGaps?: boolean;
  /**
   * Send the cases with error findings back to the model once, with the findings; a rewrite
   * replaces a case only when it has fewer findings. Shares the one follow-up request with
   * `fillGaps`. Default false.
   */
  repair?: boolean;
  /**
   * Tokens (prompt and answer, estimated at 4 characters a token before the request) the whole
   * generation may use; the follow-up request is left out, or sends fewer cases, to stay inside.
   * Default: no limit.
   */
  tokenBudget?: number;
  /** Stream the answer, delivering each case as soon as it is complete. Default false. */
  stream?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: GenerationEvent) => void;
  /** Milliseconds clock, for `latencyMilliseconds`. Default `performance.now`. */
  now?: () => number;
}

export interface GenerationResult {
  testCases: TestCase[];
  /** Every acceptance criterion id with the ids of the cases covering it. */
  coverage: Record<string, string[]>;
  uncovered: string[];
  /** Everything the caller should know: repairs, truncation, quality findings about the set. */
  warnings: string[];
  /** Every quality finding (those about one case are also in its `warnings`). */
  findings: QualityFinding[];
  /** The quality score of the story and each case, with the findings. */
  quality: StoryQuality;
  /** What the repair round did, one entry per case sent back (empty when none was). */
  repairs: CaseRepair[];
  truncated: boolean;
  /** Summed over every request made. */
  usage: Usage;
  /** The mode the endpoint accepted; remember it per provider. */
  responseModeUsed: ResponseMode;
  layout: AnswerLayout;
  /** The first answer's text, as received. */
  rawAnswer: string;
  /** The messages of the first request. */
  messages: ChatMessage[];
  /** The model named by the endpoint. */
  model: string;
  latencyMilliseconds: number;
}
