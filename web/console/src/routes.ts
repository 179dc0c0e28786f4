import type { ComponentType } from 'react';
import { NoticesPage } from './pages/NoticesPage';
import { OutboxPage } from './pages/OutboxPage';
import { OverviewPage } from './pages/OverviewPage';
import { comingLater } from './pages/PlaceholderPage';
import { RequestPage } from './pages/RequestPage';
import { RequestsPage } from './pages/RequestsPage';
import { RetentionPage } from './pages/RetentionPage';
import { SubjectPage } from './pages/SubjectPage';
import { SubjectsPage } from './pages/SubjectsPage';
import { SystemDatasetPage, SystemsPage } from './pages/SystemsPage';
import { WebsitePage } from './pages/WebsitePage';

/** What a page receives: the `:name` segments of its path. */
export interface PageProps {
  params: Readonly<Record<string, string>>;
}

export interface RouteDef {
  /** Hash path, e.g. `/requests` for `#/requests`; `:name` segments match any one segment. */
  path: string;
  /** Navigation label and page title. */
  label: string;
  Page: ComponentType<PageProps>;
  /** False for pages reached from another page rather than from the navigation. */
  nav?: boolean;
}

// One line per screen; the navigation is built from this table, in this order.
export const routes: readonly RouteDef[] = [
  { path: '/', label: 'Overview', Page: OverviewPage },
  { path: '/subjects', label: 'Subjects', Page: SubjectsPage },
  { path: '/subjects/:id', label: 'Subject', Page: SubjectPage, nav: false },
  { path: '/notices', label: 'Notices owed', Page: NoticesPage },
  { path: '/outbox', label: 'Outbox', Page: OutboxPage },
  { path: '/requests', label: 'Requests', Page: RequestsPage },
  { path: '/requests/:id', label: 'Request', Page: RequestPage, nav: false },
  { path: '/website', label: 'Website', Page: WebsitePage },
  { path: '/systems', label: 'Systems', Page: SystemsPage },
  { path: '/systems/:id', label: 'System dataset', Page: SystemDatasetPage, nav: false },
  { path: '/retention', label: 'Retention', Page: RetentionPage },
  { path: '/audit', label: 'Audit', Page: comingLater('Audit') },
];

export const navRoutes: readonly RouteDef[] = routes.filter((route) => route.nav !== false);

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith(':')) {
      if (actual === '') return undefined;
      try {
        params[segment.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (segment !== actual) return undefined;
  }
  return params;
}

export function matchRoute(path: string): { route: RouteDef; params: Record<string, string> } | undefined {
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return undefined;
}

export function findRoute(path: string): RouteDef | undefined {
  return matchRoute(path)?.route;
}

/** The navigation entry a path belongs to: itself, or the section it sits under (`/subjects/x` → Subjects). */
export function isInSection(navPath: string, path: string): boolean {
  if (navPath === path) return true;
  return navPath !== '/' && path.startsWith(`${navPath}/`);
}
