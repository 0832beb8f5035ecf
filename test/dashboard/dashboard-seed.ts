/**
 * A project whose dashboard figures are known: two stories of three criteria, cases from three
 * generations (two providers and the offline engine) over three days, one accepted, one rejected,
 * one edited. Shared by the app, API and browser tests of the dashboard.
 */
import type { Storage } from '../../src/storage/index.ts';
import { testCaseContent } from '../storage/storage-setup.ts';

export const SEEDED_DAYS = ['2026-11-20', '2026-11-21', '2026-11-22'] as const;

/** `setDay` moves the storage's clock to the day's 09:00 UTC (a no-op keeps the real clock). */
export async function seedDashboardProject(
  storage: Storage,
  setDay: (day: string) => void = () => undefined,
  projectName = 'Shop',
) {
  setDay(SEEDED_DAYS[0]);
  const project = await storage.projects.create({ name: projectName });
  const storyOf = (key: string, summary: string) =>
    storage.stories.save(project.id, {
      key,
      summary,
      description: `As a shopper I want to ${summary.toLowerCase()} so that I get my order.`,
      acceptanceCriteria: [
        { id: 'AC-1', text: `${summary}: the main path works` },
        { id: 'AC-2', text: `${summary}: an invalid input shows an error` },
        { id: 'AC-3', text: `${summary}: a receipt is e-mailed` },
      ],
      outOfScope: [],
      notes: [],
      source: 'markdown',
      contentHash: `hash-${key}`,
    });
  const payment = await storyOf('SHOP-1', 'Pay by card');
  const discount = await storyOf('SHOP-2', 'Apply a discount code');
  const usage = (promptTokens: number, completionTokens: number) => ({
    promptTokens,
    completionTokens,
    totalTokens: promptTokens + completionTokens,
    estimated: false,
  });

  const first = await storage.generations.saveGenerationWithTestCases(
    {
      projectId: project.id,
      storyId: payment.id,
      engine: 'llm',
      providerName: 'team-vllm',
      usage: usage(1000, 500),
    },
    [
      testCaseContent('Pay with a valid card', ['AC-1']),
      testCaseContent('Pay with a declined card', ['AC-2']),
      testCaseContent('Pay and get a receipt', ['AC-1', 'AC-2']),
    ],
  );
  await storage.generations.saveGenerationWithTestCases(
    { projectId: project.id, storyId: discount.id, engine: 'rules' },
    [{ ...testCaseContent('Apply a valid code', ['AC-1']), engine: 'rules' }],
  );

  setDay(SEEDED_DAYS[1]);
  const [accepted, rejected, edited] = first.testCases;
  await storage.testCases.setStatus(accepted!.id, 'accepted');
  await storage.testCases.setStatus(rejected!.id, 'rejected');
  await storage.testCases.updateContent(edited!.id, {
    ...testCaseContent('Pay and get a receipt by e-mail', ['AC-1', 'AC-2']),
  });
  await storage.generations.saveGenerationWithTestCases(
    {
      projectId: project.id,
      storyId: discount.id,
      engine: 'llm',
      providerName: 'openai',
      usage: usage(2000, 1000),
    },
    [testCaseContent('Receipt after a discounted order', ['AC-3'])],
  );

  setDay(SEEDED_DAYS[2]);
  await storage.generations.saveGenerationWithTestCases(
    {
      projectId: project.id,
      storyId: payment.id,
      engine: 'llm',
      providerName: 'team-vllm',
      usage: usage(500, 250),
    },
    [],
  );
  return { project, stories: { payment, discount }, cases: { accepted, rejected, edited } };
}

/** The coverage matrix of the seeded project. */
export const SEEDED_MATRIX = [
  {
    key: 'SHOP-1',
    cells: [
      { criterionId: 'AC-1', state: 'accepted', accepted: 1, draft: 1 },
      { criterionId: 'AC-2', state: 'draft', accepted: 0, draft: 1 },
      { criterionId: 'AC-3', state: 'none', accepted: 0, draft: 0 },
    ],
  },
  {
    key: 'SHOP-2',
    cells: [
      { criterionId: 'AC-1', state: 'draft', accepted: 0, draft: 1 },
      { criterionId: 'AC-2', state: 'none', accepted: 0, draft: 0 },
      { criterionId: 'AC-3', state: 'draft', accepted: 0, draft: 1 },
    ],
  },
] as const;
