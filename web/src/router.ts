import { useEffect, useState } from 'react';

/**
 * Hash routes (`#/projects/Shop/stories/AUTH-1`): they work behind any static server and need
 * nothing from the API's SPA fallback.
 */
export type Route =
  | { page: 'projects' }
  /** `story`: only this story's cases (`#/projects/Shop/review?story=AUTH-1`). */
  | { page: 'project'; project: string; tab: ProjectTab; story?: string }
  | { page: 'story'; project: string; storyKey: string }
  /** The project's dashboard: coverage, review progress, quality, findings, tokens and cost. */
  | { page: 'dashboard'; project: string }
  | { page: 'settings' }
  /** An address that names no page, or cannot be decoded (`%E0%A4%A`): the not-found page. */
  | { page: 'not-found'; address: string };

export type ProjectTab = 'stories' | 'review' | 'export' | 'settings';
const projectTabs: readonly ProjectTab[] = ['stories', 'review', 'export', 'settings'];

export function parseRoute(hash: string): Route {
  const address = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = address.split(/\?(.*)/s);
  let parts: string[];
  let story: string | null;
  try {
    story = new URLSearchParams(query).get('story');
    parts = path
      .split('/')
      .filter(Boolean)
      .map((part) => decodeURIComponent(part));
  } catch {
    // A malformed escape throws URIError; the app must still render (it went blank).
    return { page: 'not-found', address: `/${address}` };
  }
  if (parts[0] === 'settings') return { page: 'settings' };
  if (parts[0] === 'projects' && parts[1]) {
    if (parts[2] === 'stories' && parts[3]) return { page: 'story', project: parts[1], storyKey: parts[3] };
    if (parts[2] === 'dashboard') return { page: 'dashboard', project: parts[1] };
    const tab = projectTabs.find((candidate) => candidate === parts[2]) ?? 'stories';
    return { page: 'project', project: parts[1], tab, ...(story ? { story } : {}) };
  }
  if (parts.length === 0 || parts[0] === 'projects') return { page: 'projects' };
  return { page: 'not-found', address: `/${address}` };
}

export function linkTo(route: Route): string {
  switch (route.page) {
    case 'projects':
      return '#/';
    case 'settings':
      return '#/settings';
    case 'project': {
      const query = route.story ? `?${new URLSearchParams({ story: route.story }).toString()}` : '';
      return `#/projects/${encodeURIComponent(route.project)}/${route.tab}${query}`;
    }
    case 'dashboard':
      return `#/projects/${encodeURIComponent(route.project)}/dashboard`;
    case 'story':
      return `#/projects/${encodeURIComponent(route.project)}/stories/${encodeURIComponent(route.storyKey)}`;
    case 'not-found':
      return `#${route.address}`;
  }
}

export function navigate(route: Route): void {
  location.hash = linkTo(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
