/**
 * A cache of the first pages of a project's read routes (show the project, list its stories, list
 * its test cases), kept per server process and never stale: each entry carries the project's
 * revision, a counter raised on every change those pages show (by the database's triggers of
 * migration 0010, and on SQLite by the case insert itself for new cases, migration 0013), so one indexed read tells whether a stored body is still the answer — also when another
 * server on the same database made the change. The same revision makes a cheap `ETag`: a client
 * that sends it back in `If-None-Match` gets a 304 without the page being computed at all.
 */
import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ServerEnv } from './context.ts';

/** What the cache needs from the app: the project's id and revision, or undefined when there is none. */
export type ProjectRevisionReader = (
  projectName: string,
) => Promise<{ id: string; revision: number } | undefined>;

export interface PageCacheOptions {
  /** Reads the project's revision (one indexed read). */
  readRevision: ProjectRevisionReader;
  /** The most bytes of bodies kept; the least recently used go first. Default 16 MiB. */
  maxBytes?: number;
}

/** Where to mount it; it keeps only the project, its stories and its test cases (`CACHED_PATH`). */
export const PAGE_CACHE_PATH = '/api/projects/*';

const CACHED_PATH = /^\/api\/projects\/([^/]+)(\/stories|\/test-cases)?$/;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
/** What hono's \`c.json\` sends. */
const JSON_CONTENT_TYPE = 'application/json';

interface CachedPage {
  revision: number;
  body: string;
  contentType: string;
  bytes: number;
}

/**
 * A byte-bounded least-recently-used map (a `Map` keeps insertion order: re-inserting on a hit
 * moves the entry to the end, so the first key is always the least recently used).
 */
export class PageStore {
  readonly #entries = new Map<string, CachedPage>();
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get(key: string): CachedPage | undefined {
    const page = this.#entries.get(key);
    if (page === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, page);
    return page;
  }

  set(key: string, page: CachedPage): void {
    this.delete(key);
    if (page.bytes > this.#maxBytes) return;
    this.#entries.set(key, page);
    this.#bytes += page.bytes;
    for (const [oldestKey] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.delete(oldestKey);
    }
  }

  delete(key: string): void {
    const page = this.#entries.get(key);
    if (page === undefined) return;
    this.#entries.delete(key);
    this.#bytes -= page.bytes;
  }
}

/**
 * The middleware: on a GET of a first page, reads the project's revision; answers 304 when the
 * client's `If-None-Match` names it, the stored body when the revision and the request (path,
 * query string, caller's kind) match, else lets the route compute the page and keeps it.
 *
 * @example
 * app.use(PAGE_CACHE_PATH, pageCache({ readRevision: workspace.projects.revision }));
 */
export function pageCache(options: PageCacheOptions): MiddlewareHandler<ServerEnv> {
  const store = new PageStore(options.maxBytes ?? DEFAULT_MAX_BYTES);
  return async (c, next) => {
    const match = c.req.method === 'GET' ? CACHED_PATH.exec(c.req.path) : null;
    const url = new URL(c.req.url);
    if (match === null || !isFirstPage(url.searchParams)) return next();
    const projectName = decodedOrUndefined(match[1]!);
    const project = projectName === undefined ? undefined : await options.readRevision(projectName);
    if (project === undefined) return next();

    // The principal's kind, not the token: every token sees the same pages today.
    const key = `${project.id}\n${c.req.path}\n${sortedQuery(url)}\n${c.get('principal').kind}`;
    const entityTag = `"${project.revision}-${digest(key)}"`;
    const headers = { etag: entityTag, 'cache-control': 'private, no-cache' };
    if (matchesEntityTag(c.req.header('if-none-match'), entityTag)) return c.body(null, 304, headers);

    const cached = store.get(key);
    if (cached !== undefined && cached.revision === project.revision) {
      return c.body(cached.body, 200, { ...headers, 'content-type': cached.contentType });
    }
    // The page routes answer with \`c.json\`: a 200 made that way is kept as the text sent, and
    // gets the cache's headers as it is made. Reading the answer back afterwards instead (a clone,
    // headers set on the made response) costs the Node adapter its light response: a full
    // \`Response\` and a web-stream read of the body on every miss.
    let kept: string | undefined;
    const json = c.json;
    c.json = ((object: unknown, status?: unknown, extraHeaders?: Record<string, string>) => {
      if ((status !== undefined && status !== 200) || extraHeaders !== undefined)
        return json(object as never, status as never, extraHeaders);
      kept = JSON.stringify(object);
      return c.body(kept, 200, { ...headers, 'content-type': JSON_CONTENT_TYPE });
    }) as typeof c.json;
    try {
      await next();
    } finally {
      c.json = json;
    }
    // Kept under the revision read before the page was computed: a change made meanwhile raised
    // the revision, so the next request recomputes rather than trusting this body.
    if (kept === undefined || c.res.status !== 200) return;
    // Two bytes a character: what the string takes in memory (UTF-16), not on the wire.
    store.set(key, {
      revision: project.revision,
      body: kept,
      contentType: JSON_CONTENT_TYPE,
      bytes: kept.length * 2,
    });
  };
}

/** The operations whose first pages the cache keeps, as the OpenAPI document names their paths. */
const CACHED_OPERATION_PATHS = [
  '/api/projects/{project}',
  '/api/projects/{project}/stories',
  '/api/projects/{project}/test-cases',
] as const;

interface DocumentOperation {
  parameters?: unknown[];
  responses?: Record<string, unknown>;
}

/**
 * Declares in the OpenAPI document what the cache adds to the routes it keeps: the `If-None-Match`
 * header, the `ETag` of the page, and the 304 answer. Done on the document rather than in the
 * route definitions: a 304 there would join the status of every answer the typed client sees.
 *
 * @example
 * c.json(withCachedPageAnswers(app.getOpenAPI31Document(config)));
 */
export function withCachedPageAnswers<Document extends { paths?: object }>(document: Document): Document {
  const paths = (document.paths ?? {}) as Record<string, { get?: DocumentOperation } | undefined>;
  const entityTag = {
    description: "The page's version: send it back in If-None-Match to get a 304 while it still holds.",
    schema: { type: 'string' },
  };
  for (const path of CACHED_OPERATION_PATHS) {
    const operation = paths[path]?.get;
    if (operation?.responses === undefined) continue;
    operation.parameters = [
      ...(operation.parameters ?? []),
      {
        name: 'If-None-Match',
        in: 'header',
        required: false,
        description: 'The ETag of the page as last received: a 304 answers while the page is the same.',
        schema: { type: 'string' },
      },
    ];
    const page = operation.responses['200'] as { headers?: Record<string, unknown> } | undefined;
    if (page) page.headers = { ...page.headers, ETag: entityTag };
    operation.responses['304'] = {
      description: "Not modified: If-None-Match named the page's current ETag (first pages only; no body)",
      headers: { ETag: entityTag },
    };
  }
  return document;
}

/** Later pages are not kept: the first pages are the hot ones. */
function isFirstPage(query: URLSearchParams): boolean {
  return !query.has('cursor') && Number(query.get('offset') ?? 0) === 0;
}

function decodedOrUndefined(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function sortedQuery(url: URL): string {
  const parameters = [...url.searchParams.entries()].sort(([left], [right]) =>
    left < right ? -1 : left > right ? 1 : 0,
  );
  return new URLSearchParams(parameters).toString();
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 16);
}

function matchesEntityTag(header: string | undefined, entityTag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === entityTag || tag === `W/${entityTag}`;
  });
}
