import type { ReactNode } from 'react';
import type { ApiError } from '../api';

export function Loading({ children }: { children: ReactNode }) {
  return (
    <p className="loading" role="status">
      {children}
    </p>
  );
}

export function ErrorPanel({
  title,
  message,
  onRetry,
}: {
  title: string;
  message: string;
  onRetry?: () => void;
}) {
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{title}</p>
      <p>{message}</p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What an operator sees when the server refuses a screen to their role (403). */
export function Forbidden({ what }: { what?: string }) {
  return (
    <div className="notice notice-info" role="status" data-testid="forbidden">
      <p className="notice-title">Your role does not allow this</p>
      <p>
        {what ? `${what} needs` : 'This needs'} a permission your role does not have. Ask an administrator if
        your work requires it.
      </p>
    </div>
  );
}

/** A failed API call: the role message on 403, otherwise the server's message. */
export function ApiErrorPanel({
  title,
  error,
  what,
  onRetry,
}: {
  title: string;
  error: ApiError;
  what?: string;
  onRetry?: () => void;
}) {
  if (error.status === 403) return <Forbidden what={what} />;
  return <ErrorPanel title={title} message={error.message} onRetry={onRetry} />;
}

/**
 * A polite live region for the outcome of an action. Keep it rendered (with `null` when there is
 * nothing to say) so screen readers announce the message when it appears.
 */
export function Success({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="live-region">
      {children ? <p className="notice notice-ok">{children}</p> : null}
    </div>
  );
}
