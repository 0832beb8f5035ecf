/**
 * Wire shapes of a test case's history (each version with who made it), restoring a version, and
 * the audit of the generation that wrote a case.
 */
import { z } from '@hono/zod-openapi';
import { EngineSchema, TestCaseStatusSchema, UsageSchema, VersionActionSchema } from '../app/index.ts';
import { HistorySchema, TestCaseContentWireSchema, timestamp } from './workspace-schemas.ts';

export const HistoryEntryWireSchema = z
  .object({
    version: z.number().int(),
    content: TestCaseContentWireSchema,
    status: TestCaseStatusSchema.nullable().openapi({
      description:
        'The current status for the current version; else the status when it was replaced (null: unknown).',
    }),
    action: VersionActionSchema,
    origin: z.string().openapi({ example: 'edited by a person: fixed the amount' }),
    actor: z.string().openapi({
      description:
        'The API token’s name, "local" (loopback server without a token), the OS user (CLI), or "unknown".',
      example: 'ci-bot',
    }),
    at: timestamp,
    current: z.boolean(),
  })
  .openapi('TestCaseHistoryEntry');

export const FullHistorySchema = HistorySchema.extend({
  entries: z
    .array(HistoryEntryWireSchema)
    .openapi({ description: 'Every version, oldest first; the current one last.' }),
  review: z
    .object({ status: TestCaseStatusSchema, actor: z.string(), at: timestamp })
    .nullable()
    .openapi({ description: 'The last accept or reject; null when none was recorded.' }),
}).openapi('TestCaseFullHistory');

export const RestoreBodySchema = z
  .object({
    version: z.number().int().positive().openapi({ description: 'The earlier version to restore.' }),
    expectedVersion: z.number().int().positive().optional().openapi({
      description: 'Refused with 409 when the case is no longer at this version.',
    }),
  })
  .strict()
  .openapi('RestoreTestCase');

export const GenerationAuditSchema = z
  .object({
    testCaseId: z.string(),
    engine: EngineSchema,
    summary: z.string(),
    generation: z
      .object({
        id: z.string(),
        providerName: z.string().nullable(),
        model: z.string().nullable(),
        responseMode: z.string().nullable(),
        messages: z.array(z.object({ role: z.string(), content: z.string() })),
        rawAnswer: z.string().nullable(),
        usage: UsageSchema.nullable(),
        latencyMilliseconds: z.number().nullable(),
        warnings: z.array(z.string()),
        createdAt: timestamp,
      })
      .nullable(),
  })
  .openapi('GenerationAudit');
