import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExportDocumentSchema,
  ExportTargetSchema,
  GENERIC_CSV_COLUMNS,
  TESTRAIL_CSV_COLUMNS,
  XRAY_CSV_COLUMNS,
  ZEPHYR_CSV_COLUMNS,
} from '../../src/formats/index.ts';
import type { Workspace } from '../../src/app/workspace/index.ts';
import { DIALECTS, describeDialect, isAvailable } from '../storage/storage-setup.ts';
import {
  CHECKOUT_STORIES,
  CHECKOUT_STORIES_CHANGED,
  createTestWorkspace,
  type TestWorkspace,
} from './workspace-support.ts';

const csvColumns: Record<string, readonly string[]> = {
  csv: GENERIC_CSV_COLUMNS,
  'xray-csv': XRAY_CSV_COLUMNS,
  zephyr: ZEPHYR_CSV_COLUMNS,
  testrail: TESTRAIL_CSV_COLUMNS,
};

function parseFeature(text: string) {
  const parser = new Parser(new AstBuilder(IdGenerator.incrementing()), new GherkinClassicTokenMatcher());
  return parser.parse(text);
}

for (const dialect of DIALECTS) {
  describe.skipIf(!isAvailable(dialect))(describeDialect('workspace flow', dialect), () => {
    let test: TestWorkspace;
    let workspace: Workspace;

    beforeEach(async () => {
      test = await createTestWorkspace(dialect);
      workspace = test.workspace;
      await workspace.projects.create({
        name: 'Shop',
        defaultFormat: 'manual',
        testCaseRules: 'Titles start with a verb.',
      });
    });
    afterEach(async () => test.dispose());

    it('imports, generates offline, reviews, re-imports a changed story and generates only for what changed', async () => {
      const imported = await workspace.stories.importStories('Shop', {
        content: CHECKOUT_STORIES,
        fileName: 'checkout.md',
      });
      expect(imported.stories.map((story) => [story.key, story.status])).toEqual([
        ['SHOP-1', 'created'],
        ['SHOP-2', 'created'],
      ]);

      const first = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true });
      expect(first.generation?.engine).toBe('rules');
      expect(first.testCases.length).toBeGreaterThanOrEqual(3);
      expect(first.testCases.map((testCase) => testCase.displayId)).toEqual(
        first.testCases.map((_, index) => `TC-${index + 1}`),
      );
      expect(
        first.testCases.every(
          (testCase) => testCase.status === 'draft' && testCase.generationId === first.generation?.id,
        ),
      ).toBe(true);

      // Review: accept one by story reference, reject one by id, edit a third.
      // Accept the AC-1 case, reject the AC-3 one, edit the AC-2 one (it stays live, to be marked later).
      const covering = (id: string) => first.testCases.find((testCase) => testCase.covers.includes(id));
      const [one, two, three] = [covering('AC-1'), covering('AC-3'), covering('AC-2')];
      expect(one?.displayId).toBe('TC-1');
      const accepted = await workspace.testCases.accept({ references: ['SHOP-1/TC-1'], projectName: 'Shop' });
      expect(accepted).toEqual({ changed: 1, ids: [one?.id] });
      await workspace.testCases.reject({ references: [two?.id as string] });
      const edited = await workspace.testCases.edit(
        three?.id as string,
        'title: Pay with a saved Mastercard\npriority: low\n',
      );
      expect(edited).toMatchObject({
        title: 'Pay with a saved Mastercard',
        priority: 'low',
        version: 2,
        storyKey: 'SHOP-1',
      });
      const history = await workspace.testCases.history(three?.id as string);
      expect(history.versions).toHaveLength(1);
      expect(history.versions[0]).toMatchObject({
        version: 1,
        note: 'edited',
        content: { title: three?.title },
      });
      await expect(workspace.testCases.edit(three?.id as string, { covers: ['AC-9'] })).rejects.toThrow(
        /AC-9/,
      );
      await expect(workspace.testCases.edit(three?.id as string, 'steps: 3')).rejects.toThrow(/not usable/);

      // The rules engine writes the same case again: refused, no new version.
      await expect(workspace.testCases.regenerate(one?.id as string, { offline: true })).rejects.toThrow(
        /again unchanged/,
      );
      expect((await workspace.testCases.show(one?.id as string)).version).toBe(1);

      const details = await workspace.stories.show('Shop', 'SHOP-1');
      expect(details.testCases.find((testCase) => testCase.id === two?.id)?.status).toBe('rejected');
      // Coverage counts live cases only: the rejected one is in no criterion's list.
      expect(Object.values(details.coverage).flat()).not.toContain(two?.displayId);
      expect(Object.values(details.coverage).flat()).toContain(one?.displayId);
      expect(details.generations).toHaveLength(1);
      expect(details.generations[0]).not.toHaveProperty('rawAnswer');

      // The same text again: unchanged, nothing marked.
      const again = await workspace.stories.importStories('Shop', {
        content: CHECKOUT_STORIES,
        fileName: 'checkout.md',
      });
      expect(again.stories.map((story) => story.status)).toEqual(['unchanged', 'unchanged']);

      // AC-2 reworded, AC-4 added.
      const coveringAc2 = (
        await workspace.testCases.list({ projectName: 'Shop', storyKey: 'SHOP-1' })
      ).testCases.filter((testCase) => testCase.covers.includes('AC-2') && testCase.status !== 'rejected');
      expect(coveringAc2.length).toBeGreaterThan(0);
      const changed = await workspace.stories.importStories('Shop', {
        content: CHECKOUT_STORIES_CHANGED,
        fileName: 'checkout.md',
      });
      const shop1 = changed.stories[0];
      expect(shop1?.status).toBe('changed');
      expect(changed.stories[1]?.status).toBe('unchanged');
      expect(shop1?.changes?.changed.map((change) => change.id)).toEqual(['AC-2']);
      expect(shop1?.changes?.added).toEqual([
        { id: 'AC-4', text: 'Saved cards can be reused without typing the number again.' },
      ]);
      expect(shop1?.changes?.removed).toEqual([]);
      expect(new Set(shop1?.markedForReview)).toEqual(new Set(coveringAc2.map((testCase) => testCase.id)));
      const needsReview = await workspace.testCases.list({ projectName: 'Shop', needsReview: true });
      expect(needsReview.total).toBe(coveringAc2.length);
      expect(
        needsReview.testCases.every(
          (testCase) => testCase.needsReviewReason === 'AC-2 changed on 2026-11-25',
        ),
      ).toBe(true);

      const upToDate = new Set(
        (
          await workspace.testCases.list({
            projectName: 'Shop',
            storyKey: 'SHOP-1',
            status: ['draft', 'accepted'],
            needsReview: false,
          })
        ).testCases.flatMap((testCase) => testCase.covers),
      );
      const onlyChanged = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
        offline: true,
        onlyChanged: true,
      });
      expect(onlyChanged.criteria).toContain('AC-2');
      expect(onlyChanged.criteria).toContain('AC-4');
      expect(onlyChanged.criteria).toEqual(
        ['AC-1', 'AC-2', 'AC-3', 'AC-4'].filter((id) => !upToDate.has(id)),
      );
      expect(onlyChanged.testCases.length).toBeGreaterThan(0);
      expect(
        onlyChanged.testCases.every((testCase) =>
          testCase.covers.every((id) => onlyChanged.criteria.includes(id)),
        ),
      ).toBe(true);
      // Numbers continue after the earlier cases.
      expect(onlyChanged.testCases[0]?.caseNumber).toBe(first.testCases.length + 1);

      // Everything now has an up-to-date case: a second only-changed run generates nothing.
      const nothing = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', {
        offline: true,
        onlyChanged: true,
      });
      expect(nothing.generation).toBeNull();
      expect(nothing.skipped).toMatch(/nothing to generate/);

      // Accepting a marked case clears the mark.
      await workspace.testCases.accept({ references: needsReview.testCases.map((testCase) => testCase.id) });
      expect((await workspace.testCases.list({ projectName: 'Shop', needsReview: true })).total).toBe(0);

      const project = await workspace.projects.show('Shop');
      expect(project.storyCount).toBe(2);
      expect(project.testCases.rejected).toBe(1);
    });

    it('exports to every target, filtered by status and story, and each parses back', async () => {
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
      const manual = await workspace.generation.generateForStoredStory('Shop', 'SHOP-1', { offline: true });
      const bdd = await workspace.generation.generateForStoredStory('Shop', 'SHOP-2', {
        offline: true,
        format: 'bdd',
      });
      await workspace.testCases.accept({ projectName: 'Shop', storyKey: 'SHOP-1', allDrafts: true });
      await workspace.testCases.accept({ references: [bdd.testCases[0]?.id as string] });
      await workspace.testCases.reject({ references: [manual.testCases[0]?.id as string] });
      const acceptedCount = manual.testCases.length - 1 + 1;

      for (const target of ExportTargetSchema.options) {
        const result = await workspace.exports.exportCases({
          projectName: 'Shop',
          target,
          statuses: ['accepted'],
        });
        expect(result.testCaseCount, target).toBe(acceptedCount);
        if (target === 'cucumber') {
          expect(result.files.map((file) => file.name).sort()).toEqual(['SHOP-1.feature', 'SHOP-2.feature']);
          const shop2 = parseFeature(
            result.files.find((file) => file.name === 'SHOP-2.feature')?.content ?? '',
          );
          expect(shop2.feature?.children.filter((child) => child.scenario)).toHaveLength(1);
          const shop1 = parseFeature(
            result.files.find((file) => file.name === 'SHOP-1.feature')?.content ?? '',
          );
          expect(shop1.feature?.children.filter((child) => child.scenario)).toHaveLength(
            manual.testCases.length - 1,
          );
        } else if (target === 'json') {
          const document = ExportDocumentSchema.parse(JSON.parse(result.files[0]?.content ?? ''));
          expect(
            document.stories
              .flatMap((story) => story.testCases)
              .every((testCase) => testCase.status === 'accepted'),
          ).toBe(true);
          expect(document.stories.flatMap((story) => story.testCases)).toHaveLength(acceptedCount);
        } else if (target === 'xray-json') {
          const tests = JSON.parse(result.files[0]?.content ?? '') as Array<{ fields: { summary: string } }>;
          expect(tests).toHaveLength(acceptedCount);
        } else if (target === 'markdown') {
          expect(result.files[0]?.content).toContain('## SHOP-1');
          expect(result.files[0]?.content).not.toContain(manual.testCases[0]?.title);
        } else {
          const rows = parseCsv(result.files[0]?.content ?? '', { bom: true }) as string[][];
          expect(rows[0], target).toEqual([...(csvColumns[target] ?? [])]);
          // TestRail puts BDD cases in a file of their own (one template per file): count every CSV file.
          const dataRows = result.files
            .filter((file) => file.name.endsWith('.csv'))
            .reduce((sum, file) => sum + (parseCsv(file.content, { bom: true }) as string[][]).length - 1, 0);
          expect(dataRows, target).toBeGreaterThanOrEqual(acceptedCount);
        }
      }

      const onlyShop2 = await workspace.exports.exportCases({
        projectName: 'Shop',
        target: 'csv',
        storyKeys: ['SHOP-2'],
      });
      const rows = parseCsv(onlyShop2.files[0]?.content ?? '', { columns: true }) as Array<
        Record<string, string>
      >;
      expect(new Set(rows.map((row) => row['Story Key']))).toEqual(new Set(['SHOP-2']));
      await expect(workspace.exports.exportCases({ projectName: 'Shop', target: 'excel' })).rejects.toThrow(
        /Unknown export target/,
      );
    });

    it('streams paged targets with one header, the same rows as the whole export', async () => {
      const many = Array.from(
        { length: 105 },
        (_, index) =>
          `# LOAD-${index + 1}: Story ${index + 1}\n\n## Acceptance Criteria\n\n- The total for order ${index + 1} is shown.\n`,
      ).join('\n');
      await workspace.stories.importStories('Shop', { content: many, fileName: 'many.md' });
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      for (const story of await storage.stories.list(project?.id as string)) {
        await storage.testCases.insertMany([
          {
            projectId: story.projectId,
            storyId: story.id,
            title: `Check ${story.key}`,
            kind: 'positive',
            priority: 'high',
            preconditions: [],
            steps: [{ action: 'Open', expected: 'Shown' }],
            covers: ['AC-1'],
            engine: 'rules',
            warnings: [],
          },
        ]);
      }
      const chunks: Array<{ append: boolean; length: number }> = [];
      let content = '';
      const summary = await workspace.exports.exportCasesTo(
        { projectName: 'Shop', target: 'testrail' },
        async (file, append) => {
          chunks.push({ append, length: file.content.length });
          content = append ? content + file.content : file.content;
        },
      );
      expect(summary.testCaseCount).toBe(105);
      expect(chunks.map((chunk) => chunk.append)).toEqual([false, true]);
      const rows = parseCsv(content) as string[][];
      expect(rows.filter((row) => row[0] === 'Title')).toHaveLength(1);
      expect(rows).toHaveLength(106);
    });

    it('leaves the database unchanged on an empty file, malformed CSV or duplicate keys', async () => {
      await workspace.stories.importStories('Shop', { content: CHECKOUT_STORIES, fileName: 'checkout.md' });
      const storage = await workspace.storage();
      const project = await storage.projects.findByName('Shop');
      const before = await storage.stories.list(project?.id as string);

      await expect(
        workspace.stories.importStories('Shop', { content: '', fileName: 'empty.md' }),
      ).rejects.toThrow();
      await expect(
        workspace.stories.importStories('Shop', { content: '   \n', fileName: 'backlog.csv' }),
      ).rejects.toThrow();
      await expect(
        workspace.stories.importStories('Shop', {
          content: 'Key,Summary\nNEW-1,"Unclosed quote\nNEW-2,Fine\n',
          fileName: 'backlog.csv',
        }),
      ).rejects.toThrow();
      await expect(
        workspace.stories.importStories('Shop', {
          content: 'Key,Summary,AC\nNEW-1,One,a\nNEW-1,Two,b\n',
          fileName: 'backlog.csv',
        }),
      ).rejects.toThrow(/more than once/);
      await expect(workspace.stories.importStories('Nope', { content: CHECKOUT_STORIES })).rejects.toThrow(
        /no project named "Nope"/,
      );

      expect(await storage.stories.list(project?.id as string)).toEqual(before);
    });

    it('reads a CSV backlog with an explicit column mapping', async () => {
      const csv =
        'Issue key,Title,Criteria\nPAY-1,Refund an order,"Refund goes to the card; A refund e-mail is sent"\n';
      const result = await workspace.stories.importStories('Shop', {
        content: csv,
        fileName: 'export.txt',
        csvMapping: { key: 'Issue key', summary: 'Title', acceptanceCriteria: 'Criteria' },
      });
      expect(result.stories[0]?.story.acceptanceCriteria.map((criterion) => criterion.id)).toEqual([
        'AC-1',
        'AC-2',
      ]);
      expect((await workspace.stories.list('Shop')).total).toBe(1);
    });

    it('manages projects: update, rules from a file, remove with everything in it', async () => {
      await expect(workspace.projects.create({ name: 'Shop' })).rejects.toThrow();
      await expect(workspace.projects.create({ name: 'X', defaultFormat: 'excel' })).rejects.toThrow(
        /Unknown test case format/,
      );
      const renamed = await workspace.projects.update('Shop', { name: 'Store', defaultFormat: 'bdd' });
      expect(renamed).toMatchObject({ name: 'Store', defaultFormat: 'bdd', defaultProvider: null });
      expect((await workspace.projects.list()).map((project) => project.name)).toEqual(['Store']);
      await workspace.stories.importStories('Store', { content: CHECKOUT_STORIES });
      await workspace.generation.generateForStoredStory('Store', 'SHOP-2', { offline: true });
      await workspace.projects.remove('Store');
      expect(await workspace.projects.list()).toEqual([]);
      await expect(workspace.projects.show('Store')).rejects.toThrow(/no project/);
    });
  });
}
