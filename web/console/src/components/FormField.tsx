import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api';
import { Forbidden } from './Status';

/** What a field's control needs to be labelled and described: spread it onto the input. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A labelled field with an optional hint and error, wired up the way the console's forms are:
 * the hint and the error describe the control, and the error is announced when it appears.
 */
export function FormField({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A refusal from the server inside a form: the role message on 403, otherwise the server's words. */
export function ServerError({ error, what }: { error: ApiError | null; what: string }) {
  if (!error) return null;
  if (error.status === 403) return <Forbidden what={what} />;
  return (
    <p className="notice notice-error" role="alert" data-testid="server-error">
      {error.message}
    </p>
  );
}
