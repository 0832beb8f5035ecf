import type { ProjectRecord, StoryRecord, TestCaseRecord, TestCase } from '../../core/index.ts';
import type { Storage } from '../../storage/index.ts';
import { InvalidInputError, NotFoundError } from '../../shared/errors.ts';
import type { ConnectorDependencies } from '../../connectors/index.ts';
import type { GenerationDependencies } from '../generation.ts';
import type { AppSettings } from '../settings.ts';
import { contentOf } from './test-case-patch.ts';

/** What every workspace service shares: settings, the lazily opened storage, injected I/O. */
export interface WorkspaceContext {
  settings: AppSettings;
  storage(): Promise<Storage>;
  generation: GenerationDependencies;
  /** Injected into every Jira, Xray and TestRail client (tests pass fetch and sleep). */
  connectors: ConnectorDependencies;
  /** The current time (injected clock), e.g. for "AC-2 changed on 2026-11-25". */
  now(): Date;
}

export async function requireProject(storage: Storage, name: string): Promise<ProjectRecord> {
  if (!name?.trim()) {
    throw new InvalidInputError('No project was named.', {
      fix: 'Name the project.',
      remedies: [
        { kind: 'change-value', field: 'project' },
        { kind: 'run-action', action: 'list-projects' },
      ],
    });
  }
  const project = await storage.projects.findByName(name.trim());
  if (!project) {
    throw new NotFoundError(`There is no project named "${name}".`, {
      fix: 'List the projects, or create this one.',
      remedies: [
        { kind: 'run-action', action: 'list-projects' },
        { kind: 'run-action', action: 'create-project', project: name.trim() },
      ],
    });
  }
  return project;
}

export async function requireStory(
  storage: Storage,
  project: ProjectRecord,
  key: string,
): Promise<StoryRecord> {
  const story =
    (await storage.stories.findByKey(project.id, key)) ??
    (await storage.stories.findByKey(project.id, key.trim().toUpperCase()));
  if (!story) {
    throw new NotFoundError(`Project "${project.name}" has no story ${key}.`, {
      fix: 'List its stories, or import the story.',
      remedies: [
        { kind: 'run-action', action: 'list-stories', project: project.name },
        { kind: 'run-action', action: 'import-stories', project: project.name },
      ],
    });
  }
  return story;
}

/** A stored case as the domain (and exports) see it: its display id (`TC-3`) as id. */
export function domainTestCase(record: TestCaseRecord): TestCase & { status: TestCaseRecord['status'] } {
  return { id: record.displayId, ...contentOf(record), status: record.status };
}

/** The story part of a stored story record (the fields of the domain `Story`). */
export function domainStory(record: StoryRecord) {
  return {
    key: record.key,
    summary: record.summary,
    description: record.description,
    acceptanceCriteria: record.acceptanceCriteria,
    outOfScope: record.outOfScope,
    notes: record.notes,
    source: record.source,
  };
}

/** `2026-11-25` in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}
