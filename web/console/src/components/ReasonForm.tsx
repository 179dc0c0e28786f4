import { useId, useState, type FormEvent } from 'react';
import { navigate } from '../router';

/** The reasons Steward accepts for opening a person's data (src/access/reasons.ts). */
export const reasonLabels = {
  handling_request: 'Handling their rights request',
  support_case: 'A support case',
  fraud_investigation: 'A fraud investigation',
  legal_claim: 'A legal claim',
  audit_sample: 'An audit sample',
} as const;
export type Reason = keyof typeof reasonLabels;

const referenceLabels: Record<Reason, string> = {
  handling_request: 'Request reference',
  support_case: 'Case or ticket',
  fraud_investigation: 'Case (optional)',
  legal_claim: 'Matter',
  audit_sample: 'Sample (optional)',
};
const referenceNeeded: ReadonlySet<Reason> = new Set(['handling_request', 'support_case', 'legal_claim']);

/** What the address of an opened subject carries: the reason, its reference and a note. */
export interface StatedReason {
  reason: Reason;
  reference: string;
  note: string;
}

export function isReason(value: string | undefined | null): value is Reason {
  return value !== undefined && value !== null && Object.hasOwn(reasonLabels, value);
}

/**
 * Asks why the operator opens a person's data (C7.2): a reason from the list, the case it belongs
 * to, an optional note. Then goes to the subject page with them in its address, which is the only
 * place they live in the browser; the server checks them and writes them to the audit ledger.
 */
export function ReasonForm({
  subjectId,
  initial,
  onCancel,
  autoFocus = false,
}: {
  subjectId: string;
  initial?: Partial<StatedReason>;
  onCancel?: () => void;
  autoFocus?: boolean;
}) {
  const [reason, setReason] = useState<Reason | ''>(initial?.reason ?? '');
  const [reference, setReference] = useState(initial?.reference ?? '');
  const [note, setNote] = useState(initial?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const reasonId = useId();
  const referenceId = useId();
  const noteId = useId();
  const errorId = useId();

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason === '') {
      setError('Choose why you are opening this person’s data.');
      return;
    }
    if (referenceNeeded.has(reason) && reference.trim() === '') {
      setError(`Name the ${referenceLabels[reason].toLowerCase()}.`);
      return;
    }
    setError(null);
    navigate(`/subjects/${encodeURIComponent(subjectId)}`, {
      reason,
      ...(reference.trim() ? { reference: reference.trim() } : {}),
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  }

  return (
    <form className="form" noValidate onSubmit={handleSubmit} data-testid="reason-form">
      <div className="field">
        <label htmlFor={reasonId}>Why are you opening this person's data?</label>
        <select
          id={reasonId}
          name="reason"
          data-testid="reason-select"
          data-autofocus={autoFocus ? true : undefined}
          required
          aria-invalid={error && reason === '' ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          value={reason}
          onChange={(event) => setReason(isReason(event.target.value) ? event.target.value : '')}
        >
          <option value="">Choose a reason…</option>
          {Object.entries(reasonLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {reason !== '' && (
        <div className="field">
          <label htmlFor={referenceId}>{referenceLabels[reason]}</label>
          <input
            id={referenceId}
            name="reference"
            type="text"
            data-testid="reference-input"
            maxLength={100}
            autoComplete="off"
            aria-invalid={error && reference.trim() === '' ? true : undefined}
            value={reference}
            onChange={(event) => setReference(event.target.value)}
          />
        </div>
      )}
      <div className="field">
        <label htmlFor={noteId}>Note (optional)</label>
        <input
          id={noteId}
          name="note"
          type="text"
          data-testid="note-input"
          maxLength={500}
          autoComplete="off"
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
        <p className="field-hint">
          The reason, the reference and the note are recorded in the audit ledger with your name.
        </p>
      </div>
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
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
