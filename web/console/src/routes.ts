import type { ComponentType } from 'react';
import { OverviewPage } from './pages/OverviewPage';
import { comingLater } from './pages/PlaceholderPage';

export interface RouteDef {
  /** Hash path, e.g. `/requests` for `#/requests`. */
  path: string;
  /** Navigation label and page title. */
  label: string;
  Page: ComponentType;
}

// One line per screen; the navigation is built from this table, in this order.
export const routes: readonly RouteDef[] = [
  { path: '/', label: 'Overview', Page: OverviewPage },
  { path: '/subjects', label: 'Subjects', Page: comingLater('Subjects') },
  { path: '/consent', label: 'Consent', Page: comingLater('Consent') },
  { path: '/requests', label: 'Requests', Page: comingLater('Requests') },
  { path: '/website', label: 'Website', Page: comingLater('Website') },
  { path: '/audit', label: 'Audit', Page: comingLater('Audit') },
];

export function findRoute(path: string): RouteDef | undefined {
  return routes.find((route) => route.path === path);
}
