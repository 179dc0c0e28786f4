import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, isAbortError } from './api';
import { useSession } from './session';

export type ResourceState<T> =
  { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: ApiError };

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'client_error', err instanceof Error ? err.message : 'Something went wrong.');
}

/** Loads `GET /api/v1{path}` when mounted; a 401 ends the session. */
export function useApiResource<T>(path: string): { state: ResourceState<T>; reload: () => void } {
  const { expire } = useSession();
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.get<T>(path, controller.signal).then(
      (data) => setState({ status: 'ready', data }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        const error = toApiError(err);
        if (error.status === 401) expire();
        else setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [path, attempt, expire]);

  const reload = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  return { state, reload };
}
