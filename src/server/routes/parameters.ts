/**
 * Path and query parameters shared by the resource routes.
 */
import { z } from '@hono/zod-openapi';

export const ProjectParam = z.object({ project: z.string().min(1).max(200) });
export const StoryParam = ProjectParam.extend({ key: z.string().min(1).max(100) });
export const IdParam = z.object({ id: z.string().min(1).max(200) });
export const NameParam = z.object({ name: z.string().min(1).max(200) });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  offset: z.coerce.number().int().min(0).optional(),
});

/** The items of a comma-separated query value, or `undefined` when it names none. */
export function optionalList(text: string | undefined): string[] | undefined {
  const items = text
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items?.length ? items : undefined;
}
