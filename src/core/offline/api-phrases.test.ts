import { describe, expect, it } from 'vitest';
import type { Story, TestCase } from '../model.ts';
import { generateOffline } from './generate-offline.ts';

// A fresh story (not in the corpus or examples): a REST endpoint with a range, a list and a status.
const story: Story = {
  key: 'INV-3',
  summary: 'Register a device through the inventory API',
  description: 'As an integration I want to call PUT /devices/{id} so that the inventory stays current.',
  acceptanceCriteria: [
    { id: 'AC-1', text: 'A PUT /devices/{id} request with a valid body stores the device and returns 200.' },
    { id: 'AC-2', text: 'The rack slot must be between 1 and 42.' },
    { id: 'AC-3', text: 'The state must be one of active, spare or retired.' },
  ],
  outOfScope: [],
  notes: [],
  source: 'markdown',
};

function textOf(testCase: TestCase | undefined): string {
  if (!testCase) return '';
  const steps = testCase.steps.map((step) => `${step.action} ${step.expected ?? ''}`);
  return [testCase.title, ...steps, testCase.gherkin ?? ''].join('\n');
}

describe('the offline engine on a REST API story', () => {
  for (const format of ['manual', 'bdd'] as const) {
    it(`writes requests, not forms, with statuses as results (${format})`, () => {
      const { testCases } = generateOffline(story, { format });
      expect(testCases.length).toBeGreaterThan(3);
      const text = JSON.stringify(testCases);
      expect(text).not.toMatch(/\bOpen the form\b|\bSubmit the form\b|opens the form|submits the form/i);
      expect(text).toContain('PUT /devices/{id}');
      for (const testCase of testCases) {
        const body = testCase.gherkin ?? testCase.steps.map((step) => step.action).join('\n');
        expect(body).toMatch(/PUT \/devices\/\{id\}/);
      }
      const refused = testCases.find((testCase) => /43/.test(textOf(testCase)));
      expect(textOf(refused)).toMatch(/4xx client error/);
      const accepted = testCases.find((testCase) => /"spare"/.test(textOf(testCase)));
      expect(textOf(accepted)).toMatch(/response status is 200/);
    });
  }

  it('keeps form steps for a story about a screen', () => {
    const screenStory: Story = {
      ...story,
      description: 'As a technician I want to register a device in the inventory screen.',
      acceptanceCriteria: story.acceptanceCriteria.slice(1),
    };
    const text = JSON.stringify(generateOffline(screenStory, { format: 'manual' }).testCases);
    expect(text).not.toMatch(/JSON body/);
  });
});
