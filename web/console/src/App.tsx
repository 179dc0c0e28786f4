import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, api, isAbortError, type Operator, type SessionResponse } from './api';
import { Layout } from './components/Layout';
import { ErrorPanel, Loading } from './components/Status';
import { SignInPage } from './pages/SignInPage';
import { SessionContext, type Session } from './session';

type SessionState =
  | { status: 'checking' }
  | { status: 'signed-out' }
  | { status: 'signed-in'; operator: Operator }
  | { status: 'unavailable'; message: string };

export function App() {
  const [state, setState] = useState<SessionState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.get<SessionResponse>('/session', controller.signal).then(
      ({ operator }) => setState({ status: 'signed-in', operator }),
      (err: unknown) => {
        if (isAbortError(err)) return;
        if (err instanceof ApiError && err.status === 401) setState({ status: 'signed-out' });
        else setState({ status: 'unavailable', message: err instanceof Error ? err.message : String(err) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  const expire = useCallback(() => setState({ status: 'signed-out' }), []);

  const signOut = useCallback(async () => {
    try {
      await api.delete('/session');
    } catch (err) {
      // Already signed out on the server: nothing left to do.
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
    setState({ status: 'signed-out' });
  }, []);

  const operator = state.status === 'signed-in' ? state.operator : null;
  const session = useMemo<Session | null>(() => (operator ? { operator, expire } : null), [operator, expire]);

  switch (state.status) {
    case 'checking':
      return (
        <main className="centered">
          <Loading>Loading the Steward console…</Loading>
        </main>
      );
    case 'unavailable':
      return (
        <main className="centered">
          <ErrorPanel
            title="The console could not start"
            message={state.message}
            onRetry={() => {
              setState({ status: 'checking' });
              setAttempt((n) => n + 1);
            }}
          />
        </main>
      );
    case 'signed-out':
      return <SignInPage onSignedIn={(signedIn) => setState({ status: 'signed-in', operator: signedIn })} />;
    case 'signed-in':
      return (
        <SessionContext.Provider value={session}>
          <Layout onSignOut={signOut} />
        </SessionContext.Provider>
      );
  }
}
