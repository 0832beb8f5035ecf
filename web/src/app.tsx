import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, setUnauthorizedHandler, type SessionState } from './api.ts';
import { ErrorMessage } from './components.tsx';
import { earlyKeys, takeEarly, takeEarlyAnswer } from './early-requests.ts';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ProjectPage } from './pages/project-page.tsx';
import { linkTo, useRoute, type Route } from './router.ts';
import { ThemeToggle } from './theme.tsx';

// Loaded when first opened: the rest of the app does not carry the charting library.
const DashboardPage = lazy(async () => ({
  default: (await import('./pages/dashboard-page.tsx')).DashboardPage,
}));
// Also loaded when first opened: the code a project's Review tab needs to paint first is less.
const ProjectsPage = lazy(async () => ({
  default: (await import('./pages/projects-page.tsx')).ProjectsPage,
}));
const SettingsPage = lazy(async () => ({
  default: (await import('./pages/settings-page.tsx')).SettingsPage,
}));
const StoryPage = lazy(async () => ({ default: (await import('./pages/story-page.tsx')).StoryPage }));

/** The project the current page belongs to, for the header's link to its dashboard. */
function projectOf(route: Route): string | undefined {
  return route.page === 'project' || route.page === 'story' || route.page === 'dashboard'
    ? route.project
    : undefined;
}

/** Projects, the current project's dashboard, and the model settings. */
function MainNav({ route }: { route: Route }) {
  const current = route.page === 'story' ? 'project' : route.page;
  const project = projectOf(route);
  return (
    <nav aria-label="Main">
      <a
        href={linkTo({ page: 'projects' })}
        aria-current={current === 'projects' || current === 'project' ? 'page' : undefined}
      >
        Projects
      </a>
      {project !== undefined ? (
        <a
          href={linkTo({ page: 'dashboard', project })}
          aria-current={current === 'dashboard' ? 'page' : undefined}
          title={`Dashboard of ${project}`}
        >
          Dashboard
        </a>
      ) : null}
      <a href={linkTo({ page: 'settings' })} aria-current={current === 'settings' ? 'page' : undefined}>
        Custom AI Integration
      </a>
    </nav>
  );
}

export function App() {
  const route = useRoute();
  // The session the entry script asked for, when it has already answered: no "Loading…" render.
  const [session, setSession] = useState(() => takeEarlyAnswer<SessionState>(earlyKeys.session));
  const [sessionError, setSessionError] = useState<unknown>();

  const loadSession = useCallback(() => {
    api.session().then(setSession, setSessionError);
  }, []);

  useEffect(() => {
    if (session === undefined) takeEarly(earlyKeys.session, api.session).then(setSession, setSessionError);
    // A 401 on any call means the session ended (expired, or the token was revoked).
    setUnauthorizedHandler(() => setSession({ authenticationRequired: true, authenticated: false }));
    return () => setUnauthorizedHandler(undefined);
    // Once, on mount: later sessions are read by `loadSession` (after signing out).
  }, []);

  if (sessionError !== undefined) {
    return (
      <main className="page narrow">
        <h1>Reqase Lite</h1>
        <ErrorMessage error={sessionError} />
      </main>
    );
  }
  if (!session) return <main className="page narrow">Loading…</main>;
  if (session.authenticationRequired && !session.authenticated) {
    return <LoginPage onSignedIn={setSession} />;
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <a className="brand" href={linkTo({ page: 'projects' })}>
          Reqase Lite
        </a>
        <MainNav route={route} />
        <ThemeToggle />
        {session.authenticated ? (
          <button
            type="button"
            className="link"
            onClick={() => api.logout().finally(loadSession)}
            title={`Signed in with token ${session.tokenName ?? ''}`}
          >
            Sign out
          </button>
        ) : null}
      </header>
      <main id="main" className="page">
        <Suspense fallback={<p className="muted">Loading…</p>}>
          {route.page === 'projects' ? <ProjectsPage /> : null}
          {route.page === 'project' ? (
            <ProjectPage
              key={`${route.project}/${route.story ?? ''}`}
              project={route.project}
              tab={route.tab}
              {...(route.story ? { story: route.story } : {})}
            />
          ) : null}
          {route.page === 'story' ? (
            <StoryPage
              key={`${route.project}/${route.storyKey}`}
              project={route.project}
              storyKey={route.storyKey}
            />
          ) : null}
          {route.page === 'dashboard' ? (
            <Suspense fallback={<p className="muted">Loading the dashboard…</p>}>
              <DashboardPage key={route.project} project={route.project} />
            </Suspense>
          ) : null}
          {route.page === 'settings' ? <SettingsPage /> : null}
          {route.page === 'not-found' ? <NotFoundPage address={route.address} /> : null}
        </Suspense>
      </main>
    </>
  );
}
