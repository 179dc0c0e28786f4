import { useId, useState, type FormEvent } from 'react';
import { api, type NoticeTask, type NoticeTaskStatus, type NoticeTasksResponse } from '../api';
import { Dialog } from '../components/Dialog';
import { plural, Timestamp } from '../components/Format';
import { ApiErrorPanel, Forbidden, Loading, Success } from '../components/Status';
import { href } from '../router';
import { useSession } from '../session';
import { toApiError, useApiResource } from '../useApiResource';

const views: { status: NoticeTaskStatus; label: string }[] = [
  { status: 'open', label: 'Open' },
  { status: 'sent', label: 'Sent' },
  { status: 'exempt', label: 'Exempt' },
];

type Closing = { task: NoticeTask; status: 'sent' | 'exempt' };

const closeText = {
  sent: {
    title: 'Mark the notice as sent',
    hint: 'How and when was the notice given? For example “Emailed the Art. 14 notice on 3 May”.',
    submit: 'Mark sent',
    done: 'The notice was marked as sent.',
  },
  exempt: {
    title: 'Exempt this notice',
    hint: 'Why is no notice owed? Name the Art. 14(5) exemption and the reasons.',
    submit: 'Record exemption',
    done: 'The notice was recorded as exempt.',
  },
} as const;

function CloseDialog({
  closing,
  onClose,
  onDone,
}: {
  closing: Closing;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const { expire } = useSession();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [forbidden, setForbidden] = useState(false);
  const [busy, setBusy] = useState(false);
  const noteId = useId();
  const hintId = useId();
  const errorId = useId();
  const text = closeText[closing.status];

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const stated = note.trim();
    if (stated === '') {
      setError('Write a note: it is kept as the record of how this notice was handled.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post<undefined>(`/notice-tasks/${encodeURIComponent(closing.task.id)}/close`, {
        status: closing.status,
        note: stated,
      });
      onDone(text.done);
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.status === 401) return expire();
      if (apiError.status === 403) setForbidden(true);
      else setError(apiError.message);
      setBusy(false);
    }
  }

  return (
    <Dialog title={text.title} onClose={onClose} testId="close-notice-dialog">
      <p className="muted">
        Notice due <Timestamp value={closing.task.dueAt} dateOnly /> for data from{' '}
        <code>{closing.task.sourceId}</code>.
      </p>
      {forbidden && <Forbidden what="Closing a notice" />}
      <form className="form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <div className="field">
          <label htmlFor={noteId}>Note</label>
          <p id={hintId} className="field-hint">
            {text.hint}
          </p>
          <textarea
            id={noteId}
            name="note"
            rows={3}
            required
            maxLength={2000}
            data-autofocus
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
          {error && (
            <p id={errorId} className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            {text.submit}
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function StatusCell({ task }: { task: NoticeTask }) {
  if (task.status === 'open' && task.overdue) return <span className="badge badge-error">Overdue</span>;
  if (task.status === 'open') return <span className="badge badge-warning">Due</span>;
  return <span className="badge badge-ok">{task.status === 'sent' ? 'Sent' : 'Exempt'}</span>;
}

function TasksTable({
  tasks,
  status,
  onClose,
}: {
  tasks: NoticeTask[];
  status: NoticeTaskStatus;
  onClose: (closing: Closing) => void;
}) {
  const sorted = [...tasks].sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  const open = status === 'open';
  return (
    <div className="table-wrap">
      <table data-testid="notices-table">
        <caption className="visually-hidden">
          {open ? 'Open notices, earliest due first' : `Notices ${status}, by due date`}
        </caption>
        <thead>
          <tr>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">Person</th>
            <th scope="col">Source</th>
            <th scope="col">Declaration</th>
            {open ? (
              <th scope="col">Actions</th>
            ) : (
              <>
                <th scope="col">Closed</th>
                <th scope="col">Note</th>
              </>
            )}
          </tr>
        </thead>
        <tbody>
          {sorted.map((task) => (
            <tr key={task.id} data-task-id={task.id} className={task.overdue ? 'row-overdue' : undefined}>
              <td>
                <Timestamp value={task.dueAt} dateOnly />
              </td>
              <td>
                <StatusCell task={task} />
              </td>
              <td>
                <a href={href(`/subjects/${task.subjectId}`)} title={task.subjectId}>
                  <span className="visually-hidden">Person </span>
                  <code>{task.subjectId.slice(0, 8)}</code>
                </a>
              </td>
              <td>
                <code>{task.sourceId}</code>
              </td>
              <td>
                <code>{task.declarationId}</code>
              </td>
              {open ? (
                <td>
                  <div className="row-actions">
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      onClick={() => onClose({ task, status: 'sent' })}
                    >
                      Mark sent<span className="visually-hidden"> (notice from {task.sourceId})</span>
                    </button>
                    <button
                      type="button"
                      className="button button-small button-secondary"
                      onClick={() => onClose({ task, status: 'exempt' })}
                    >
                      Exempt<span className="visually-hidden"> (notice from {task.sourceId})</span>
                    </button>
                  </div>
                </td>
              ) : (
                <>
                  <td>{task.closedAt ? <Timestamp value={task.closedAt} /> : '—'}</td>
                  <td className="note-cell">{task.note ?? '—'}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Tasks({ status }: { status: NoticeTaskStatus }) {
  const { state, reload, refresh } = useApiResource<NoticeTasksResponse>(`/notice-tasks?status=${status}`);
  const [closing, setClosing] = useState<Closing | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  let body;
  if (state.status === 'loading') body = <Loading>Loading notices…</Loading>;
  else if (state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load the notices"
        error={state.error}
        what="Seeing notices owed"
        onRetry={reload}
      />
    );
  else {
    const { tasks } = state.data;
    const overdue = tasks.filter((task) => task.overdue).length;
    body =
      tasks.length === 0 ? (
        <p className="muted">
          {status === 'open'
            ? 'No notices are owed right now.'
            : `No notices have been ${status === 'sent' ? 'sent' : 'exempted'} yet.`}
        </p>
      ) : (
        <>
          <p className="muted">
            {plural(tasks.length, 'notice', 'notices')}
            {status === 'open' && overdue > 0 ? `, ${overdue} overdue` : ''}.
          </p>
          <TasksTable tasks={tasks} status={status} onClose={setClosing} />
        </>
      );
  }

  return (
    <>
      <Success>{message}</Success>
      {body}
      {closing && (
        <CloseDialog
          closing={closing}
          onClose={() => setClosing(null)}
          onDone={(done) => {
            setClosing(null);
            setMessage(done);
            refresh();
          }}
        />
      )}
    </>
  );
}

export function NoticesPage() {
  const [status, setStatus] = useState<NoticeTaskStatus>('open');
  return (
    <div className="page" data-testid="notices">
      <h1 tabIndex={-1}>Notices owed</h1>
      <p className="muted lead">
        When Steward receives someone’s data from another source, it owes them a notice (GDPR Art. 14) within
        a month. Mark each one sent, or record why it is exempt.
      </p>
      <section className="card stack-tight" aria-labelledby="notices-heading">
        <div className="card-header">
          <h2 id="notices-heading">{views.find((view) => view.status === status)?.label} notices</h2>
          <div className="segmented" role="group" aria-label="Which notices to show">
            {views.map((view) => (
              <button
                key={view.status}
                type="button"
                className="segmented-button"
                aria-pressed={view.status === status}
                onClick={() => setStatus(view.status)}
              >
                {view.label}
              </button>
            ))}
          </div>
        </div>
        <Tasks key={status} status={status} />
      </section>
    </div>
  );
}
