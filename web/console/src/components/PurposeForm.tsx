import { useId, useState, type FormEvent } from 'react';
import { navigate } from '../router';

export const MIN_PURPOSE_LENGTH = 5;

/**
 * Asks why the operator opens a person's data (C7.2), then goes to the subject page with the
 * purpose in its address. The purpose lives only in that address: it is not stored anywhere else.
 */
export function PurposeForm({
  subjectId,
  initialPurpose = '',
  onCancel,
  autoFocus = false,
}: {
  subjectId: string;
  initialPurpose?: string;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const [purpose, setPurpose] = useState(initialPurpose);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const stated = purpose.trim();
    if (stated.length < MIN_PURPOSE_LENGTH) {
      setError(
        stated === ''
          ? 'Say why you are opening this person’s data.'
          : `Say a little more: the purpose needs at least ${MIN_PURPOSE_LENGTH} characters.`,
      );
      return;
    }
    setError(null);
    navigate(`/subjects/${encodeURIComponent(subjectId)}`, { purpose: stated });
  }

  return (
    <form className="form" noValidate onSubmit={handleSubmit} data-testid="purpose-form">
      <div className="field">
        <label htmlFor={inputId}>Why are you opening this person's data?</label>
        <p id={hintId} className="field-hint">
          For example “Answering their access request of 3 May”. It is recorded in the audit ledger with your
          name.
        </p>
        <input
          id={inputId}
          name="purpose"
          type="text"
          data-testid="purpose-input"
          data-autofocus={autoFocus ? true : undefined}
          required
          maxLength={500}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          value={purpose}
          onChange={(event) => setPurpose(event.target.value)}
        />
        {error && (
          <p id={errorId} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary">
          Open their data
        </button>
        {onCancel && (
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
