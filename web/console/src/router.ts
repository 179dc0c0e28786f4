// A minimal hash router: the path is whatever follows `#`, e.g. `#/requests` → `/requests`, and an
// optional query after it, e.g. `#/subjects/<id>?purpose=…`.
import { useMemo, useSyncExternalStore } from 'react';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function normalisePath(hash: string): string {
  const raw = hash.replace(/^#/, '').split('?')[0] ?? '';
  if (!raw.startsWith('/')) return '/';
  const trimmed = raw.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** The query part of a hash (`#/path?a=1` → `a=1`), or ''. */
export function hashQueryString(hash: string): string {
  const at = hash.indexOf('?');
  return at === -1 ? '' : hash.slice(at + 1);
}

function currentPath(): string {
  return normalisePath(window.location.hash);
}

function currentQuery(): string {
  return hashQueryString(window.location.hash);
}

/** The current route path; re-renders on `hashchange`. */
export function useHashPath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** The current route's query parameters; re-renders when they change. */
export function useHashQuery(): URLSearchParams {
  const query = useSyncExternalStore(subscribe, currentQuery, () => '');
  return useMemo(() => new URLSearchParams(query), [query]);
}

export function href(path: string, query?: Record<string, string>): string {
  const search = query ? new URLSearchParams(query).toString() : '';
  return `#${path}${search ? `?${search}` : ''}`;
}

/** Goes to a console route (a new history entry, like following a link). */
export function navigate(path: string, query?: Record<string, string>): void {
  window.location.hash = href(path, query);
}
