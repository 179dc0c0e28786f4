// The operator's actions on a request and their dialogs: approve, refuse, extend, fee, withdraw,
// and closing a task. Each form checks what the server would refuse anyway, then shows the
// server's own message when it refuses (an extension after the first deadline, for example).
import { useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  closedRequestStatuses,
  refusalGrounds,
  type ApiError,
  type RefusalGround,
  type RequestActionResponse,
  type RequestSummary,
  type RequestTask,
} from '../api';
import { Dialog } from './Dialog';
import { humanise, Timestamp } from './Format';
import { FormField, ServerError } from './FormField';
import { taskKindLabels } from './RequestFormat';
import { useSession } from '../session';
import { toApiError } from '../useApiResource';

const MIN_REASONS = 10;

const groundLabels: Record<RefusalGround, string> = {
  identity_not_verified: 'Identity could not be verified',
  manifestly_unfounded: 'Manifestly unfounded',
  excessive: 'Excessive (for example repetitive)',
  exemption: 'A legal exemption applies',
  not_covered: 'Not covered by the right asked for',
  other: 'Other (say which in the reasons)',
};

export type RequestAction =
  { kind: 'approve' | 'refuse' | 'extend' | 'fee' | 'withdraw' } | { kind: 'close-task'; task: RequestTask };

/** Posts an operator action; a 401 ends the session, anything else is kept to show in the form. */
function useAction(onDone: (message: string) => void) {
  const { expire } = useSession();
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<ApiError | null>(null);

  async function submit<T>(path: string, body: unknown, done: (response: T) => string): Promise<void> {
    if (busy) return;
    setBusy(true);
    setServerError(null);
    try {
      onDone(done(await api.post<T>(path, body)));
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 401) return expire();
      setServerError(error);
      setBusy(false);
    }
  }
  return { busy, serverError, submit };
}

interface ActionProps {
  request: RequestSummary;
  onClose: () => void;
  onDone: (message: string) => void;
}

function ActionButtons({
  busy,
  label,
  danger = false,
  onClose,
}: {
  busy: boolean;
  label: string;
  danger?: boolean;
  onClose: () => void;
}) {
  return (
    <div className="actions">
      <button
        type="submit"
        className={`button ${danger ? 'button-danger' : 'button-primary'}`}
        disabled={busy}
        aria-busy={busy}
      >
        {label}
      </button>
      <button type="button" className="button button-secondary" onClick={onClose}>
        Cancel
      </button>
    </div>
  );
}

function reasonsError(reasons: string): string | null {
  const stated = reasons.trim();
  if (stated === '') return 'State the reasons.';
  if (stated.length < MIN_REASONS)
    return `Say a little more: the reasons need at least ${MIN_REASONS} characters.`;
  return null;
}

function ReasonsField({
  hint,
  error,
  value,
  onChange,
}: {
  hint: ReactNode;
  error: string | null;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <FormField label="Reasons" hint={hint} error={error}>
      {(control) => (
        <textarea
          {...control}
          name="reasons"
          rows={4}
          required
          maxLength={5000}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </FormField>
  );
}

/**
 * Steward writes to a requester only at an address they proved (C9.6); an unverified requester
 * must be told by the operator, by the channel they used.
 */
function howTold(request: RequestSummary, what: string): string {
  return request.verifiedAt === null
    ? `The requester is not verified, so Steward does not write to them: a task on this request asks you to tell them ${what} by the channel they used.`
    : `Steward sends the requester ${what} at their verified address.`;
}

function requestPath(request: RequestSummary, action: string): string {
  return `/requests/${encodeURIComponent(request.id)}/${action}`;
}

function ApproveDialog({ request, onClose, onDone }: ActionProps) {
  const { busy, serverError, submit } = useAction(onDone);
  const [note, setNote] = useState('');
  const [subjectId, setSubjectId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const verifying = request.status === 'verifying';

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (note.trim() === '') {
      setError('Say what you checked: it is kept as the record of this approval.');
      return;
    }
    setError(null);
    void submit<RequestActionResponse>(
      requestPath(request, 'approve'),
      { note: note.trim(), ...(subjectId.trim() ? { subjectId: subjectId.trim() } : {}) },
      () => 'The request was approved and fulfilment has started.',
    );
  }

  return (
    <Dialog
      title={verifying ? 'Verify and approve' : 'Approve this request'}
      onClose={onClose}
      testId="approve-dialog"
    >
      <p className="muted">
        {verifying
          ? 'The requester has not entered their code. Approve only when you have verified who they are another way.'
          : 'Approving starts fulfilment in every system that holds their data.'}
      </p>
      <ServerError error={serverError} what="Approving requests" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField
          label="What did you check?"
          hint="For example “Signed letter, address matches our records” or “ID seen on a video call”."
          error={error}
        >
          {(control) => (
            <textarea
              {...control}
              name="note"
              rows={3}
              required
              maxLength={2000}
              data-autofocus
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="Subject id (optional)"
          hint="When you matched the requester to a person yourself. Left empty, Steward takes the one person their identifiers match, if there is exactly one."
        >
          {(control) => (
            <input
              {...control}
              name="subjectId"
              type="text"
              maxLength={100}
              autoComplete="off"
              spellCheck={false}
              value={subjectId}
              onChange={(event) => setSubjectId(event.target.value)}
            />
          )}
        </FormField>
        <ActionButtons busy={busy} label="Approve and start fulfilment" onClose={onClose} />
      </form>
    </Dialog>
  );
}

function RefuseDialog({ request, onClose, onDone }: ActionProps) {
  const { busy, serverError, submit } = useAction(onDone);
  const [ground, setGround] = useState<RefusalGround>('manifestly_unfounded');
  const [reasons, setReasons] = useState('');
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = reasonsError(reasons);
    setError(problem);
    if (problem) return;
    void submit<RequestActionResponse>(
      requestPath(request, 'refuse'),
      { ground, reasons: reasons.trim() },
      ({ request: refused }) =>
        `The request was refused. ${howTold(refused, 'the reasons and their right to complain')}`,
    );
  }

  return (
    <Dialog title="Refuse this request" onClose={onClose} testId="refuse-dialog">
      <p className="muted">
        Refusing closes the request. The answer gives your reasons, the supervisory authority named in the
        declaration and the right to complain to it.
        {request.verifiedAt === null &&
          ' The requester is not verified, so Steward will not write to them: a task on this request asks you to send that answer by the channel they used.'}
      </p>
      <ServerError error={serverError} what="Refusing requests" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField label="Ground">
          {(control) => (
            <select
              {...control}
              name="ground"
              data-autofocus
              value={ground}
              onChange={(event) => setGround(event.target.value as RefusalGround)}
            >
              {refusalGrounds.map((g) => (
                <option key={g} value={g}>
                  {groundLabels[g]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <ReasonsField
          hint="Written to the requester: say why, plainly."
          error={error}
          value={reasons}
          onChange={setReasons}
        />
        <ActionButtons busy={busy} label="Refuse the request" danger onClose={onClose} />
      </form>
    </Dialog>
  );
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

function ExtendDialog({ request, onClose, onDone }: ActionProps) {
  const { busy, serverError, submit } = useAction(onDone);
  const [amount, setAmount] = useState('2');
  const [unit, setUnit] = useState<'M' | 'D'>('M');
  const [reasons, setReasons] = useState('');
  const [errors, setErrors] = useState<{ amount?: string | null; reasons?: string | null }>({});

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const count = Number(amount);
    const found = {
      amount:
        Number.isInteger(count) && count >= 1 ? null : 'Give a whole number of months or days, at least 1.',
      reasons: reasonsError(reasons),
    };
    setErrors(found);
    if (found.amount || found.reasons) return;
    void submit<RequestActionResponse>(
      requestPath(request, 'extend'),
      { by: `P${count}${unit}`, reasons: reasons.trim() },
      ({ request: extended }) =>
        `The deadline was extended to ${dateFormat.format(new Date(extended.deadline))}. ${howTold(extended, 'the new deadline and the reasons')}`,
    );
  }

  return (
    <Dialog title="Extend the deadline" onClose={onClose} testId="extend-dialog">
      <p className="muted">
        Once only, and only before the first deadline (<Timestamp value={request.dueAt} dateOnly />) passes.
        The extension runs from that deadline; the declaration sets how long it may be.
      </p>
      <ServerError error={serverError} what="Extending deadlines" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField label="Extend by" error={errors.amount}>
          {(control) => (
            <input
              {...control}
              name="amount"
              type="number"
              inputMode="numeric"
              min={1}
              max={366}
              required
              data-autofocus
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Unit">
          {(control) => (
            <select
              {...control}
              name="unit"
              value={unit}
              onChange={(event) => setUnit(event.target.value === 'D' ? 'D' : 'M')}
            >
              <option value="M">Months</option>
              <option value="D">Days</option>
            </select>
          )}
        </FormField>
        <ReasonsField
          hint="Sent to the requester with the new deadline: why more time is needed."
          error={errors.reasons ?? null}
          value={reasons}
          onChange={setReasons}
        />
        <ActionButtons busy={busy} label="Extend the deadline" onClose={onClose} />
      </form>
    </Dialog>
  );
}

function FeeDialog({ request, onClose, onDone }: ActionProps) {
  const { busy, serverError, submit } = useAction(onDone);
  const [ground, setGround] = useState<'further_copy' | 'manifestly_excessive'>('further_copy');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('');
  const [reasons, setReasons] = useState('');
  const [errors, setErrors] = useState<{
    amount?: string | null;
    currency?: string | null;
    reasons?: string | null;
  }>({});

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(amount);
    const code = currency.trim().toUpperCase();
    const found = {
      amount:
        amount.trim() !== '' && Number.isFinite(value) && value >= 0 ? null : 'Give the amount, 0 or more.',
      currency: /^[A-Z]{3}$/.test(code)
        ? null
        : 'Give the three-letter currency code, for example SEK or EUR.',
      reasons: reasonsError(reasons),
    };
    setErrors(found);
    if (found.amount || found.currency || found.reasons) return;
    void submit<RequestActionResponse>(
      requestPath(request, 'fee'),
      { ground, amount: value, currency: code, reasons: reasons.trim() },
      () => `A fee of ${value} ${code} was recorded.`,
    );
  }

  return (
    <Dialog title="Set a fee" onClose={onClose} testId="fee-dialog">
      <p className="muted">
        The first copy is free. A fee may be charged for a further copy, or for a manifestly excessive
        request, where the declaration allows it; the reasons are recorded.
      </p>
      <ServerError error={serverError} what="Setting fees" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField label="Ground">
          {(control) => (
            <select
              {...control}
              name="ground"
              data-autofocus
              value={ground}
              onChange={(event) =>
                setGround(
                  event.target.value === 'manifestly_excessive' ? 'manifestly_excessive' : 'further_copy',
                )
              }
            >
              <option value="further_copy">A further copy</option>
              <option value="manifestly_excessive">Manifestly excessive</option>
            </select>
          )}
        </FormField>
        <FormField label="Amount" error={errors.amount}>
          {(control) => (
            <input
              {...control}
              name="amount"
              type="number"
              inputMode="decimal"
              min={0}
              step="0.01"
              required
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Currency" hint="Three letters, for example SEK." error={errors.currency}>
          {(control) => (
            <input
              {...control}
              name="currency"
              type="text"
              maxLength={3}
              required
              autoComplete="off"
              value={currency}
              onChange={(event) => setCurrency(event.target.value)}
            />
          )}
        </FormField>
        <ReasonsField
          hint="Why a fee is due, for the record."
          error={errors.reasons ?? null}
          value={reasons}
          onChange={setReasons}
        />
        <ActionButtons busy={busy} label="Set the fee" onClose={onClose} />
      </form>
    </Dialog>
  );
}

function WithdrawDialog({ request, onClose, onDone }: ActionProps) {
  const { busy, serverError, submit } = useAction(onDone);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (reason.trim() === '') {
      setError('Say how the requester withdrew it.');
      return;
    }
    setError(null);
    void submit<RequestActionResponse>(
      requestPath(request, 'withdraw'),
      { reason: reason.trim() },
      () => 'The withdrawal was recorded; the request is closed.',
    );
  }

  return (
    <Dialog title="Record a withdrawal" onClose={onClose} testId="withdraw-dialog">
      <p className="muted">
        When the requester tells you they no longer want the request. It closes the request.
      </p>
      <ServerError error={serverError} what="Withdrawing requests" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField label="How they withdrew it" hint="For example “By phone on 3 May”." error={error}>
          {(control) => (
            <textarea
              {...control}
              name="reason"
              rows={3}
              required
              maxLength={2000}
              data-autofocus
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          )}
        </FormField>
        <ActionButtons busy={busy} label="Record the withdrawal" danger onClose={onClose} />
      </form>
    </Dialog>
  );
}

function CloseTaskDialog({ request, task, onClose, onDone }: ActionProps & { task: RequestTask }) {
  const { busy, serverError, submit } = useAction(onDone);
  const [note, setNote] = useState('');
  const [outcome, setOutcome] = useState<'done' | 'skipped'>('done');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (note.trim() === '') {
      setError('Write a note: it is kept as the record of how the task was handled.');
      return;
    }
    setError(null);
    void submit<undefined>(
      `/requests/${encodeURIComponent(request.id)}/tasks/${encodeURIComponent(task.id)}/close`,
      { note: note.trim(), outcome, ...(summary.trim() ? { summary: summary.trim() } : {}) },
      () => `The task for ${task.target} was closed.`,
    );
  }

  return (
    <Dialog title="Close the task" onClose={onClose} testId="close-task-dialog">
      <p className="muted">
        {taskKindLabels[task.kind]}: <code>{task.target}</code>, {humanise(task.action)}.
        {task.note ? ` ${task.note}` : ''}
      </p>
      <ServerError error={serverError} what="Closing tasks" />
      <form className="form" noValidate onSubmit={handleSubmit}>
        <FormField label="Note" hint="What was done, by whom and when." error={error}>
          {(control) => (
            <textarea
              {...control}
              name="note"
              rows={3}
              required
              maxLength={2000}
              data-autofocus
              value={note}
              onChange={(event) => setNote(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Outcome">
          {(control) => (
            <select
              {...control}
              name="outcome"
              value={outcome}
              onChange={(event) => setOutcome(event.target.value === 'skipped' ? 'skipped' : 'done')}
            >
              <option value="done">Done</option>
              <option value="skipped">Skipped (not needed)</option>
            </select>
          )}
        </FormField>
        <FormField
          label="What to tell the requester (optional)"
          hint="A sentence for the answer they receive."
        >
          {(control) => (
            <textarea
              {...control}
              name="summary"
              rows={2}
              maxLength={2000}
              value={summary}
              onChange={(event) => setSummary(event.target.value)}
            />
          )}
        </FormField>
        <ActionButtons busy={busy} label="Close the task" onClose={onClose} />
      </form>
    </Dialog>
  );
}

export function RequestActions({
  request,
  onChoose,
}: {
  request: RequestSummary;
  onChoose: (action: RequestAction) => void;
}) {
  if (closedRequestStatuses.has(request.status))
    return <p className="muted">This request is closed: nothing more can be done to it.</p>;
  const canApprove = request.status === 'awaiting_review' || request.status === 'verifying';
  return (
    <>
      <div className="actions" data-testid="request-actions">
        {canApprove && (
          <button
            type="button"
            className="button button-primary"
            onClick={() => onChoose({ kind: 'approve' })}
          >
            {request.status === 'verifying' ? 'Verify and approve' : 'Approve'}
          </button>
        )}
        {request.extendedTo === null && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => onChoose({ kind: 'extend' })}
          >
            Extend the deadline
          </button>
        )}
        <button type="button" className="button button-secondary" onClick={() => onChoose({ kind: 'fee' })}>
          Set a fee
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => onChoose({ kind: 'withdraw' })}
        >
          Record a withdrawal
        </button>
        <button type="button" className="button button-danger" onClick={() => onChoose({ kind: 'refuse' })}>
          Refuse
        </button>
      </div>
      {request.extendedTo !== null && (
        <p className="muted">The deadline was extended once; it cannot be extended again.</p>
      )}
    </>
  );
}

export function RequestActionDialog({ action, ...props }: ActionProps & { action: RequestAction }) {
  switch (action.kind) {
    case 'approve':
      return <ApproveDialog {...props} />;
    case 'refuse':
      return <RefuseDialog {...props} />;
    case 'extend':
      return <ExtendDialog {...props} />;
    case 'fee':
      return <FeeDialog {...props} />;
    case 'withdraw':
      return <WithdrawDialog {...props} />;
    case 'close-task':
      return <CloseTaskDialog {...props} task={action.task} />;
  }
}
