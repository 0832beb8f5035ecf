import { parseModelAnswer, type Story } from '../core/index.ts';
import type { ParseTestCases } from '../llm/check/index.ts';

/** The story the checker's `test-generation` request describes (kept in step with its prompt). */
const checkStory: Story = {
  key: 'CHECK-1',
  summary: 'Log in with email and password',
  description: 'As a registered user I want to log in with my email and password.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'Valid credentials open the dashboard.' },
    { id: 'AC-2', text: 'A wrong password shows an error.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'text',
};

/**
 * Core's answer parser, in the shape the endpoint checker takes, so `reqase check` and the web
 * app's "Test connection" can tell whether a tiny generation yields test cases Reqase Lite reads.
 */
export const parseCheckTestCases: ParseTestCases = (text) => {
  const parsed = parseModelAnswer(text, { format: 'manual', story: checkStory });
  return parsed.ok ? { count: parsed.value.testCases.length } : { error: parsed.error.message };
};
