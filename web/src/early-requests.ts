/**
 * The first screen's API requests, sent by the entry script before the app's modules (React and
 * the pages) are initialised and the app renders: the server answers while the browser is busy
 * with them, instead of the app asking for the session once mounted and for the page's data only
 * after the session answered. Hash routes never reach the server, so it cannot put this data in
 * the HTML itself.
 *
 * Each early request is taken once, by the component that would have sent it; one that failed
 * (a 401 before signing in) is sent again then. They are dropped on the first navigation, so an
 * answer never outlives the page it was asked for.
 */
import { api } from './api.ts';
import { initialFilters, projectReviewStatus, queryOf } from './pages/review-query.ts';
import type { Route } from './router.ts';

interface EarlyRequest {
  promise: Promise<unknown>;
  /** Set once the request succeeded: the answer, readable during a render. */
  answer?: { value: unknown };
}

const requests = new Map<string, EarlyRequest>();

/** The keys of the requests sent early; the reader names the same one. */
export const earlyKeys = {
  session: 'session',
  project: (project: string) => `project\n${project}`,
  testCases: (project: string, query: object) => `test-cases\n${project}\n${JSON.stringify(query)}`,
};

function send(key: string, load: () => Promise<unknown>): void {
  const request: EarlyRequest = { promise: load() };
  request.promise.then(
    (value) => (request.answer = { value }),
    () => undefined,
  );
  requests.set(key, request);
}

/**
 * Sends the requests the page at `route` starts with: the session always; a project's details and,
 * on its Review tab, the first page of its drafts (the review table's first query).
 *
 * @example
 * sendEarlyRequests(parseRoute(location.hash));
 */
export function sendEarlyRequests(route: Route): void {
  send(earlyKeys.session, api.session);
  if (route.page === 'project') {
    const { project } = route;
    send(earlyKeys.project(project), () => api.getProject(project));
    if (route.tab === 'review') {
      const query = queryOf(initialFilters(route.story, projectReviewStatus(route.story)));
      send(earlyKeys.testCases(project, query), () => api.listTestCasePage(project, query));
    }
  }
  addEventListener('hashchange', () => requests.clear(), { once: true });
}

/** The early request for `key` if it was sent and not taken yet; a failed one is sent again by `load`. */
export function takeEarly<T>(key: string, load: () => Promise<T>): Promise<T> {
  const request = requests.get(key);
  if (request === undefined) return load();
  requests.delete(key);
  return (request.promise as Promise<T>).catch(() => load());
}

/** The answer of the early request for `key` if it has arrived (taking it), for a first render. */
export function takeEarlyAnswer<T>(key: string): T | undefined {
  const request = requests.get(key);
  if (request?.answer === undefined) return undefined;
  requests.delete(key);
  return request.answer.value as T;
}
