import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, isAbortError } from './api';
import { useSession } from './session';

export type ResourceState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError };

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'client_error', err instanceof Error ? err.message : 'Something went wrong.');
}

const loading = { status: 'loading' } as const;

/**
 * Loads `GET /api/v1{path}` when mounted and whenever `path` changes; a 401 ends the session.
 * `reload` shows the loading state again; `refresh` keeps showing the current data until the new
 * data arrives.
 */
export function useApiResource<T>(path: string): {
  state: ResourceState<T>;
  reload: () => void;
  refresh: () => void;
} {
  const { expire } = useSession();
  // Remember which path the state belongs to, so a new path never shows the old path's data.
  const [loaded, setLoaded] = useState<{ path: string; state: ResourceState<T> }>({ path, state: loading });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.get<T>(path, controller.signal).then(
      (data) => setLoaded({ path, state: { status: 'ready', data } }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        const error = toApiError(err);
        if (error.status === 401) expire();
        else setLoaded({ path, state: { status: 'error', error } });
      },
    );
    return () => controller.abort();
  }, [path, attempt, expire]);

  const reload = useCallback(() => {
    setLoaded((current) => ({ path: current.path, state: loading }));
    setAttempt((n) => n + 1);
  }, []);
  const refresh = useCallback(() => setAttempt((n) => n + 1), []);

  return { state: loaded.path === path ? loaded.state : loading, reload, refresh };
}
