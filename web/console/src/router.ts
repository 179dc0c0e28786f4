// A minimal hash router: the path is whatever follows `#`, e.g. `#/requests` → `/requests`.
import { useSyncExternalStore } from 'react';

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

function currentPath(): string {
  return normalisePath(window.location.hash);
}

/** The current route path; re-renders on `hashchange`. */
export function useHashPath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

export function href(path: string): string {
  return `#${path}`;
}
