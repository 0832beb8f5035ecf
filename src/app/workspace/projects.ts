import {
  TestFormatSchema,
  type ProjectRecord,
  type ProjectRevision,
  type TestFormat,
} from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import { refuseNulCharacter } from '../../shared/nul-character.ts';
import { MAX_RULES_FILE_BYTES, readInput } from '../read-input.ts';
import { requireProject, type WorkspaceContext } from './context.ts';

/** A project as shown to people and API clients: its default provider by name. */
export interface ProjectView extends ProjectRecord {
  defaultProvider: string | null;
}

export interface ProjectDetails extends ProjectView {
  storyCount: number;
  testCases: { total: number; draft: number; accepted: number; rejected: number; needsReview: number };
}

export interface CreateProjectInput {
  name: string;
  /** Default: `manual`. */
  defaultFormat?: TestFormat | string;
  /** The team's test case rules as text. */
  testCaseRules?: string;
  /** A file holding the rules (relative to the settings' cwd); used when `testCaseRules` is absent. */
  testCaseRulesFile?: string;
  /** Name of a stored provider. */
  defaultProvider?: string | null;
}

export interface ProjectChangesInput {
  name?: string;
  defaultFormat?: TestFormat | string;
  testCaseRules?: string;
  testCaseRulesFile?: string;
  /** `null` clears it. */
  defaultProvider?: string | null;
}

export interface ProjectService {
  create(input: CreateProjectInput): Promise<ProjectView>;
  list(): Promise<ProjectView[]>;
  show(name: string): Promise<ProjectDetails>;
  update(name: string, changes: ProjectChangesInput): Promise<ProjectView>;
  /** Removes the project with its stories, test cases, generations and jobs. */
  remove(name: string): Promise<void>;
  /** The project's id and revision (raised by the database on every change its pages show); undefined: no such project. */
  revision(name: string): Promise<ProjectRevision | undefined>;
}

export function createProjectService(context: WorkspaceContext): ProjectService {
  return {
    async create(input) {
      const storage = await context.storage();
      const name = checkName(input.name);
      const defaultFormat = input.defaultFormat === undefined ? undefined : checkFormat(input.defaultFormat);
      const testCaseRules = await rules(context, input.testCaseRules, input.testCaseRulesFile);
      refuseNulCharacter({ name, testCaseRules }, 'The project');
      const defaultProviderId = await providerId(storage, input.defaultProvider);
      const project = await storage.projects.create({
        name,
        ...(defaultFormat ? { defaultFormat } : {}),
        ...(testCaseRules === undefined ? {} : { testCaseRules }),
        ...(defaultProviderId === undefined ? {} : { defaultProviderId }),
      });
      return view(storage, project);
    },

    async list() {
      const storage = await context.storage();
      const providers = new Map(
        (await storage.providers.list()).map((provider) => [provider.id, provider.name]),
      );
      return (await storage.projects.list()).map((project) => ({
        ...project,
        defaultProvider: project.defaultProviderId
          ? (providers.get(project.defaultProviderId) ?? null)
          : null,
      }));
    },

    async show(name) {
      const storage = await context.storage();
      const project = await requireProject(storage, name);
      const [storyCount, testCases] = await Promise.all([
        storage.stories.count(project.id),
        storage.projects.caseCounts(project.id),
      ]);
      return {
        ...(await view(storage, project)),
        storyCount,
        testCases,
      };
    },

    async update(name, changes) {
      const storage = await context.storage();
      const project = await requireProject(storage, name);
      const testCaseRules = await rules(context, changes.testCaseRules, changes.testCaseRulesFile);
      refuseNulCharacter({ name: changes.name, testCaseRules }, 'The project');
      const defaultProviderId = await providerId(storage, changes.defaultProvider);
      const updated = await storage.projects.update(project.id, {
        ...(changes.name === undefined ? {} : { name: checkName(changes.name) }),
        ...(changes.defaultFormat === undefined ? {} : { defaultFormat: checkFormat(changes.defaultFormat) }),
        ...(testCaseRules === undefined ? {} : { testCaseRules }),
        ...(defaultProviderId === undefined ? {} : { defaultProviderId }),
      });
      return view(storage, updated);
    },

    async remove(name) {
      const storage = await context.storage();
      const project = await requireProject(storage, name);
      await storage.projects.remove(project.id);
    },

    async revision(name) {
      const storage = await context.storage();
      return storage.projects.revisionByName(name.trim());
    },
  };
}

/** The project as shown: with its default provider's name. */
async function view(storage: Storage, project: ProjectRecord): Promise<ProjectView> {
  const provider = project.defaultProviderId
    ? await storage.providers.getById(project.defaultProviderId)
    : undefined;
  return { ...project, defaultProvider: provider?.name ?? null };
}

/** The id of the named provider; `null` or `''` clears it, `undefined` leaves it. */
async function providerId(
  storage: Storage,
  name: string | null | undefined,
): Promise<string | null | undefined> {
  if (name === undefined) return undefined;
  if (name === null || name === '') return null;
  const provider = await storage.providers.get(name);
  if (!provider) {
    throw new NotFoundError(`There is no provider named "${name}".`, {
      fix: 'Add the provider, or list the providers.',
      remedies: [
        { kind: 'run-action', action: 'add-provider' },
        { kind: 'run-action', action: 'list-providers' },
      ],
    });
  }
  return provider.id;
}

/** The rules text as given, or read from the rules file. */
async function rules(
  context: WorkspaceContext,
  text: string | undefined,
  file: string | undefined,
): Promise<string | undefined> {
  if (text !== undefined) return text;
  if (file === undefined) return undefined;
  const content = await readInput(file, {
    what: 'test case rules file',
    maxBytes: MAX_RULES_FILE_BYTES,
    cwd: context.settings.cwd,
  });
  return content.toString('utf8');
}

function checkName(name: string): string {
  const trimmed = name?.trim() ?? '';
  if (trimmed === '' || trimmed.length > 200) {
    throw new InvalidInputError('A project name must be 1 to 200 characters long.', {
      fix: 'Give a short name such as "Shop".',
    });
  }
  return trimmed;
}

export function checkFormat(format: string): TestFormat {
  const parsed = TestFormatSchema.safeParse(format);
  if (!parsed.success) {
    throw new InvalidInputError(`Unknown test case format "${format}".`, {
      fix: `Use one of ${TestFormatSchema.options.join(', ')}.`,
    });
  }
  return parsed.data;
}
