import { useId, useState } from 'react';
import { api, ApiError } from '../api';
import type { OutboxMessage, OutboxResponse, RevealedMessage } from '../api';
import { humanise, plural, Timestamp } from '../components/Format';
import { ApiErrorPanel, Loading } from '../components/Status';
import { useSession } from '../session';
import { useApiResource } from '../useApiResource';

function newestFirst(a: OutboxMessage, b: OutboxMessage): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
}

/**
 * The whole message, codes and links included: only for the operator holding the personal
 * outbox:reveal permission (the first administrator), only in the development outbox, and each
 * reading is written to the audit ledger.
 */
function RevealMessage({ id }: { id: string }) {
  const [state, setState] = useState<
    { status: 'idle' } | { status: 'shown'; message: RevealedMessage } | { status: 'error'; error: ApiError }
  >({ status: 'idle' });
  if (state.status === 'shown')
    return (
      <section className="card" data-testid="outbox-revealed" aria-label="The whole message">
        <h3>The whole message</h3>
        <p className="muted">As the recipient reads it. This reading is recorded in the audit ledger.</p>
        <pre className="mail-body" data-testid="outbox-revealed-text" tabIndex={0}>
          {state.message.text}
        </pre>
      </section>
    );
  return (
    <div className="toolbar">
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => {
          api.get<{ message: RevealedMessage }>(`/outbox/${id}/message`).then(
            ({ message }) => setState({ status: 'shown', message }),
            (error: unknown) =>
              setState({
                status: 'error',
                error: error instanceof ApiError ? error : new ApiError(0, 'error', String(error)),
              }),
          );
        }}
      >
        Show the whole message (audited)
      </button>
      {state.status === 'error' && <p className="notice notice-error">{state.error.message}</p>}
    </div>
  );
}

function MessageDetail({ message }: { message: OutboxMessage }) {
  const headingId = useId();
  const { operator } = useSession();
  const canReveal = message.revealable && operator.permissions.includes('outbox:reveal');
  const headers = Object.entries(message.headers);
  return (
    <article className="card message-detail" data-testid="outbox-message" aria-labelledby={headingId}>
      <h2 id={headingId} tabIndex={-1}>
        {message.subject || <span className="muted">(no subject)</span>}
      </h2>
      <dl className="facts facts-compact">
        <div>
          <dt>From</dt>
          <dd>{message.from}</dd>
        </div>
        <div>
          <dt>To</dt>
          <dd>{message.to}</dd>
        </div>
        <div>
          <dt>Kind</dt>
          <dd>
            {humanise(message.kind)}
            {message.communication ? (
              <>
                {' · '}
                <code>{message.communication}</code>
              </>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>
            <Timestamp value={message.createdAt} />
          </dd>
        </div>
        <div>
          <dt>Delivery</dt>
          <dd>
            {message.sentAt ? (
              <>
                Sent by SMTP <Timestamp value={message.sentAt} />
              </>
            ) : message.transport === 'outbox' ? (
              'Kept in the outbox (not sent)'
            ) : (
              'Not sent'
            )}
          </dd>
        </div>
      </dl>
      {message.error && (
        <p className="notice notice-error">
          <span className="notice-title">Sending failed: </span>
          {message.error}
        </p>
      )}
      <h3>Headers</h3>
      {headers.length === 0 ? (
        <p className="muted">No extra headers.</p>
      ) : (
        <div className="table-wrap">
          <table data-testid="outbox-headers">
            <caption className="visually-hidden">Message headers</caption>
            <thead>
              <tr>
                <th scope="col">Header</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {headers.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row" className="header-name">
                    {name}
                  </th>
                  <td>
                    <code className="header-value">{value}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>Text</h3>
      <p className="muted">
        {message.sentAt
          ? 'Accepted by the mail server: only what delivery and proof need is kept (its digest below).'
          : 'Codes and the tokens in links are removed from the copy kept here.'}
      </p>
      <pre className="mail-body" data-testid="outbox-text" tabIndex={0} aria-label="Text of the message">
        {message.text}
      </pre>
      {message.digest && (
        <p className="muted">
          SHA-256 of what was sent: <code>{message.digest}</code>
        </p>
      )}
      {canReveal && <RevealMessage id={message.id} />}
      {message.html !== null && message.html !== '' && (
        <details className="mail-html">
          <summary>HTML version, shown as source (not rendered)</summary>
          <pre className="mail-body" tabIndex={0} aria-label="HTML source of the message">
            {message.html}
          </pre>
        </details>
      )}
    </article>
  );
}

export function OutboxPage() {
  const { state, reload, refresh } = useApiResource<OutboxResponse>('/outbox?limit=100');
  const [selectedId, setSelectedId] = useState<string | null>(null);

  let body;
  if (state.status === 'loading') body = <Loading>Loading the outbox…</Loading>;
  else if (state.status === 'error')
    body = (
      <ApiErrorPanel
        title="Could not load the outbox"
        error={state.error}
        what="Reading the outbox"
        onRetry={reload}
      />
    );
  else {
    const { transport } = state.data;
    const messages = [...state.data.messages].sort(newestFirst);
    const selected = messages.find((message) => message.id === selectedId);
    body = (
      <>
        {transport === 'outbox' && (
          <div className="notice notice-info" data-testid="outbox-transport">
            <p className="notice-title">
              No mail server is configured: messages are kept here instead of being sent
            </p>
            <p>Set STEWARD_SMTP_URL to send mail through your SMTP server; copies stay listed here.</p>
          </div>
        )}
        <div className="toolbar">
          <p className="muted">
            {plural(messages.length, 'message', 'messages')}, newest first
            {messages.length >= 100 ? ' (the latest 100)' : ''}.
          </p>
          <button type="button" className="button button-secondary button-small" onClick={refresh}>
            Refresh
          </button>
        </div>
        {messages.length === 0 ? (
          <div className="card">
            <p className="muted">No messages yet.</p>
          </div>
        ) : (
          <div className="master-detail">
            <ul className="message-list" data-testid="outbox-list" aria-label="Messages">
              {messages.map((message) => (
                <li key={message.id}>
                  <button
                    type="button"
                    className="message-item"
                    aria-pressed={message.id === selectedId}
                    onClick={() => setSelectedId(message.id)}
                  >
                    <span className="message-subject">{message.subject || '(no subject)'}</span>
                    <span className="message-meta">
                      <span>To {message.to}</span>
                      <Timestamp value={message.createdAt} />
                    </span>
                    <span className="message-meta">
                      <span className="badge badge-neutral">{humanise(message.kind)}</span>
                      {message.error && <span className="badge badge-error">Failed</span>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
            {selected ? (
              <MessageDetail key={selected.id} message={selected} />
            ) : (
              <div className="card message-empty">
                <p className="muted">Select a message to read its headers and text.</p>
              </div>
            )}
          </div>
        )}
      </>
    );
  }

  return (
    <div className="page page-wide" data-testid="outbox">
      <h1 tabIndex={-1}>Outbox</h1>
      {body}
    </div>
  );
}
