import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, type Operator, type SessionResponse } from '../api';

export function SignInPage({ onSignedIn }: { onSignedIn: (operator: Operator) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  useEffect(() => {
    document.title = 'Sign in · Steward';
  }, []);

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setSubmitting(true);
    setError(null);
    try {
      const { operator } = await api.post<SessionResponse>('/session', { email: email.trim(), password });
      onSignedIn(operator);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Sign-in failed. Please try again.');
      setSubmitting(false);
      passwordRef.current?.select();
    }
  }

  return (
    <main className="signin">
      <div className="signin-panel">
        <p className="brand brand-large" aria-hidden="true">
          Steward
        </p>
        <h1>Sign in to Steward</h1>
        <p className="muted">Operator console for privacy operations.</p>
        <form
          data-testid="signin-form"
          className="form"
          aria-describedby={error ? errorId : undefined}
          onSubmit={(event) => void handleSubmit(event)}
        >
          <div className="field">
            <label htmlFor="signin-email">Email</label>
            <input
              id="signin-email"
              name="email"
              type="email"
              autoComplete="username"
              autoFocus
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="signin-password">Password</label>
            <input
              id="signin-password"
              ref={passwordRef}
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </div>
          {error && (
            <div id={errorId} className="notice notice-error" role="alert">
              {error}
            </div>
          )}
          <button
            type="submit"
            className="button button-primary"
            disabled={submitting}
            aria-busy={submitting}
          >
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
