import { useId, useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  hashedOnlyKinds,
  type ConsentEvent,
  type SubjectFile,
  type SubjectFileResponse,
  type SubjectIdentifier,
  type SubjectNoticeTask,
  type SubjectRecord,
  type Subscription,
} from '../api';
import { Dialog } from '../components/Dialog';
import { capitalise, Hash, humanise, Identifier, plural, Timestamp } from '../components/Format';
import { isReason, reasonLabels, ReasonForm } from '../components/ReasonForm';
import type { StatedReason } from '../components/ReasonForm';
import { ApiErrorPanel, ErrorPanel, Forbidden, Loading, Success } from '../components/Status';
import type { PageProps } from '../routes';
import { href, useHashQuery } from '../router';
import { useSession } from '../session';
import { toApiError, useApiResource } from '../useApiResource';

const targetKindLabels: Record<string, string> = {
  purpose: 'Purpose',
  communication: 'Communication',
  cookie_category: 'Cookie category',
};

const eventTones: Record<string, string> = {
  given: 'ok',
  renewed: 'ok',
  withdrawn: 'warning',
  expired: 'neutral',
};

function Section({
  title,
  children,
  testId,
  count,
}: {
  title: string;
  children: ReactNode;
  testId?: string;
  count?: number;
}) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>
        {title}
        {count !== undefined && <span className="count"> ({count})</span>}
      </h2>
      {children}
    </section>
  );
}

/** How an identifier is shown: its value, or that only its keyed hash is kept. */
function IdentifierValue({ identifier }: { identifier: SubjectIdentifier }) {
  if (identifier.value === null || hashedOnlyKinds.has(identifier.kind)) {
    return <span className="muted">kept as keyed hash</span>;
  }
  return <span className="identifier-value">{identifier.value}</span>;
}

function addressResolver(subject: SubjectFile): (identifierId: string | null) => ReactNode {
  const byId = new Map(subject.identifiers.map((identifier) => [identifier.id, identifier]));
  return (identifierId) => {
    if (identifierId === null) return <span className="muted">the person (any address)</span>;
    const identifier = byId.get(identifierId);
    if (!identifier) return <span className="muted">an address no longer held</span>;
    return identifier.value === null ? (
      <span className="muted">{identifier.kind} (kept as keyed hash)</span>
    ) : (
      identifier.value
    );
  };
}

function Target({ target }: { target: { kind: string; id: string } }) {
  return (
    <>
      <span className="muted">{targetKindLabels[target.kind] ?? humanise(target.kind)}</span>{' '}
      <code>{target.id}</code>
    </>
  );
}

function Flags({ subject }: { subject: SubjectFile }) {
  const flags: ReactNode[] = [];
  if (subject.child)
    flags.push(
      <li key="child" className="badge badge-warning">
        Child
      </li>,
    );
  if (subject.restricted)
    flags.push(
      <li key="restricted" className="badge badge-warning">
        Processing restricted
      </li>,
    );
  if (subject.objectedAt)
    flags.push(
      <li key="objected" className="badge badge-error">
        Objected to direct marketing
      </li>,
    );
  if (flags.length === 0)
    return <p className="muted flags-none">No flags: not a child, not restricted, no objection.</p>;
  return (
    <ul className="flags" aria-label="Flags">
      {flags}
    </ul>
  );
}

const verificationLabels: Record<string, string> = {
  double_opt_in: 'control proved by double opt-in',
  code: 'control proved by a code',
  operator: 'confirmed by an operator',
  import: 'from a verified import',
};

/**
 * Where each identifier came from and whether Steward trusts it as the person's: a claimed one
 * (typed beside another of theirs) receives no codes or results until an operator confirms it.
 */
function IdentifiersTable({ subject, onChanged }: { subject: SubjectFile; onChanged: () => void }) {
  const [confirming, setConfirming] = useState<SubjectFile['identifiers'][number] | null>(null);
  return (
    <div className="table-wrap">
      <table data-testid="identifiers-table">
        <caption className="visually-hidden">Identifiers</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Value</th>
            <th scope="col">Came from</th>
            <th scope="col">Trust</th>
            <th scope="col">Added</th>
          </tr>
        </thead>
        <tbody>
          {subject.identifiers.map((identifier) => (
            <tr key={identifier.id} data-identifier-id={identifier.id}>
              <td>{identifier.kind}</td>
              <td>
                <IdentifierValue identifier={identifier} />
              </td>
              <td>{identifier.source ?? <span className="muted">not recorded</span>}</td>
              <td>
                {identifier.origin === 'claimed' && !identifier.channel ? (
                  <>
                    <span className="badge badge-warning">Claimed, not confirmed</span>
                    {identifier.verifiedBy && (
                      <span className="cell-note">{verificationLabels[identifier.verifiedBy]}</span>
                    )}
                    <span className="cell-note">No codes or results go to it.</span>{' '}
                    <button
                      type="button"
                      className="button button-secondary button-small"
                      onClick={() => setConfirming(identifier)}
                    >
                      Confirm it is theirs
                    </button>
                  </>
                ) : (
                  <>
                    <span className="badge badge-neutral">
                      {identifier.origin === 'founding' ? 'Founding' : 'Confirmed'}
                    </span>
                    {identifier.verifiedBy && (
                      <span className="cell-note">{verificationLabels[identifier.verifiedBy]}</span>
                    )}
                  </>
                )}
              </td>
              <td>
                <Timestamp value={identifier.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {confirming && (
        <ConfirmIdentifierDialog
          subjectId={subject.id}
          identifier={confirming}
          onClose={() => setConfirming(null)}
          onDone={() => {
            setConfirming(null);
            onChanged();
          }}
        />
      )}
    </div>
  );
}

function ConfirmIdentifierDialog({
  subjectId,
  identifier,
  onDone,
  onClose,
}: {
  subjectId: string;
  identifier: SubjectFile['identifiers'][number];
  onDone: () => void;
  onClose: () => void;
}) {
  const { expire } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ReactNode>(null);
  const [busy, setBusy] = useState(false);
  const reasonId = useId();

  async function confirm(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post<undefined>(
        `/subjects/${encodeURIComponent(subjectId)}/identifiers/${encodeURIComponent(identifier.id)}/confirm`,
        { reason },
      );
      onDone();
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.status === 401) return expire();
      setError(apiError.status === 403 ? <Forbidden what="Confirming an identifier" /> : apiError.message);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Confirm this identifier is theirs?" onClose={onClose} testId="confirm-identifier-dialog">
      <p>
        <code>{identifier.value ?? identifier.kind}</code> arrived beside another of this person’s identifiers
        ({identifier.source ?? 'source not recorded'}). Once confirmed, codes and the answers to their
        requests may go to it. Say how you know it is theirs.
      </p>
      <form className="form" onSubmit={(event) => void confirm(event)}>
        <div className="field">
          <label htmlFor={reasonId}>How do you know?</label>
          <input
            id={reasonId}
            type="text"
            required
            minLength={5}
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            data-autofocus
          />
        </div>
        {error && typeof error === 'string' ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : (
          error
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={busy} aria-busy={busy}>
            Confirm
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CurrentConsents({ subject }: { subject: SubjectFile }) {
  const addressOf = addressResolver(subject);
  if (subject.consentState.length === 0) return <p className="muted">No consent on record.</p>;
  return (
    <div className="table-wrap">
      <table>
        <caption className="visually-hidden">Current consents</caption>
        <thead>
          <tr>
            <th scope="col">For</th>
            <th scope="col">Address</th>
            <th scope="col">State</th>
            <th scope="col">Since</th>
            <th scope="col">Declaration</th>
          </tr>
        </thead>
        <tbody>
          {subject.consentState.map((entry) => (
            <tr
              key={`${entry.declarationId}|${entry.target.kind}|${entry.target.id}|${entry.identifierId ?? ''}`}
            >
              <td>
                <Target target={entry.target} />
              </td>
              <td>{addressOf(entry.identifierId)}</td>
              <td>
                <span className={`badge badge-${entry.given ? 'ok' : 'neutral'}`}>
                  {entry.given ? 'Given' : 'Not given'}
                </span>
              </td>
              <td>
                <Timestamp value={entry.since} />
              </td>
              <td>
                <code>{entry.declarationId}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Subscriptions({ subject }: { subject: SubjectFile }) {
  const addressOf = addressResolver(subject);
  if (subject.subscriptions.length === 0) return <p className="muted">No subscriptions.</p>;
  const byAddress = new Map<string, Subscription[]>();
  for (const subscription of subject.subscriptions) {
    const list = byAddress.get(subscription.identifierId) ?? [];
    list.push(subscription);
    byAddress.set(subscription.identifierId, list);
  }
  return (
    <div className="stack-tight">
      {[...byAddress.entries()].map(([identifierId, list]) => (
        <div key={identifierId}>
          <h3 className="address-heading">{addressOf(identifierId)}</h3>
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Subscriptions of this address</caption>
              <thead>
                <tr>
                  <th scope="col">Communication</th>
                  <th scope="col">State</th>
                  <th scope="col">Sender</th>
                  <th scope="col">Updated</th>
                </tr>
              </thead>
              <tbody>
                {list.map((subscription) => (
                  <tr key={subscription.id}>
                    <td>
                      <code>{subscription.communicationId}</code>
                      <span className="muted"> · {subscription.declarationId}</span>
                    </td>
                    <td>
                      <span
                        className={`badge badge-${subscription.state === 'confirmed' ? 'ok' : 'neutral'}`}
                      >
                        {capitalise(humanise(subscription.state))}
                      </span>
                    </td>
                    <td>{subscription.sender}</td>
                    <td>
                      <Timestamp value={subscription.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ))}
    </div>
  );
}

function ConsentHistory({ subject }: { subject: SubjectFile }) {
  const addressOf = addressResolver(subject);
  if (subject.consentEvents.length === 0)
    return (
      <p className="muted" data-testid="consent-history">
        No consent events.
      </p>
    );
  // Newest first; events at the same moment keep the ledger's order, latest first.
  const events: ConsentEvent[] = [...subject.consentEvents]
    .reverse()
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return (
    <ol className="timeline" data-testid="consent-history" aria-label="Consent events, newest first">
      {events.map((event) => (
        <li key={event.id} className="timeline-item">
          <div className="timeline-head">
            <Timestamp value={event.at} />
            <span className={`badge badge-${eventTones[event.event] ?? 'neutral'}`}>
              {capitalise(event.event)}
            </span>
            <Target target={event.target} />
          </div>
          <dl className="timeline-facts">
            <div>
              <dt>Address</dt>
              <dd>{addressOf(event.identifierId)}</dd>
            </div>
            <div>
              <dt>Channel</dt>
              <dd>
                {humanise(event.channel)}
                {event.element ? ` · ${event.element}` : ''}
              </dd>
            </div>
            <div>
              <dt>Notice</dt>
              <dd>
                <code>{event.declarationId}</code> v{event.declarationVersion} ·{' '}
                <Hash value={event.noticeHash} />
              </dd>
            </div>
            {event.jurisdiction && (
              <div>
                <dt>Jurisdiction</dt>
                <dd>{event.jurisdiction}</dd>
              </div>
            )}
            {event.gpc && (
              <div>
                <dt>Browser signal</dt>
                <dd>Global Privacy Control</dd>
              </div>
            )}
            {event.ip && (
              <div>
                <dt>IP address</dt>
                <dd>
                  <code>{event.ip}</code>
                </dd>
              </div>
            )}
            {event.userAgent && (
              <div>
                <dt>Browser</dt>
                <dd className="user-agent">{event.userAgent}</dd>
              </div>
            )}
          </dl>
        </li>
      ))}
    </ol>
  );
}

function DataValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">empty</span>;
  if (typeof value === 'string') return <>{value}</>;
  if (typeof value === 'number' || typeof value === 'boolean') return <>{String(value)}</>;
  return <code>{JSON.stringify(value)}</code>;
}

function RecordData({ data }: { data: unknown }) {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return data === null || data === undefined ? (
      <span className="muted">No data fields</span>
    ) : (
      <DataValue value={data} />
    );
  }
  const entries = Object.entries(data as Record<string, unknown>);
  if (entries.length === 0) return <span className="muted">No data fields</span>;
  return (
    <details className="record-data">
      <summary>{plural(entries.length, 'field', 'fields')}</summary>
      <dl>
        {entries.map(([key, value]) => (
          <div key={key}>
            <dt>{key}</dt>
            <dd>
              <DataValue value={value} />
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

function RecordsTable({ records }: { records: SubjectRecord[] }) {
  if (records.length === 0) return <p className="muted">No records.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="records-table" className="records">
        <caption className="visually-hidden">Records</caption>
        <thead>
          <tr>
            <th scope="col">Record</th>
            <th scope="col">Purposes (basis)</th>
            <th scope="col">Categories</th>
            <th scope="col">Source</th>
            <th scope="col">Collected</th>
            <th scope="col">Expires</th>
            <th scope="col">Data</th>
          </tr>
        </thead>
        <tbody>
          {records.map((record) => (
            <tr key={record.id} data-record-id={record.id}>
              <td>
                <span className="record-kind">{humanise(record.kind)}</span>
                <span className="cell-note">
                  <code>{record.declarationId}</code> v{record.declarationVersion}
                  {record.collectionPoint ? ` · ${record.collectionPoint}` : ''}
                </span>
              </td>
              <td>
                <ul className="plain-list">
                  {record.purposes.map((purpose) => (
                    <li key={purpose.id}>
                      <Identifier value={purpose.id} />{' '}
                      <span className="muted">({purpose.basis ? humanise(purpose.basis) : 'no basis'})</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <ul className="plain-list">
                  {record.categories.map((category) => (
                    <li key={category}>
                      <Identifier value={category} />
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <Identifier value={record.source.id} />
                <span className="cell-note">{humanise(record.source.type)}</span>
              </td>
              <td>
                <Timestamp value={record.collectedAt} />
              </td>
              <td>
                {record.expiresAt ? (
                  <Timestamp value={record.expiresAt} dateOnly />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <RecordData data={record.data} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function NoticeTaskStatusBadge({ task, now }: { task: SubjectNoticeTask; now: string }) {
  if (task.status === 'open' && task.dueAt < now) return <span className="badge badge-error">Overdue</span>;
  if (task.status === 'open') return <span className="badge badge-warning">Open</span>;
  return <span className="badge badge-ok">{capitalise(task.status)}</span>;
}

function PersonNotices({ subject }: { subject: SubjectFile }) {
  if (subject.noticeTasks.length === 0) return <p className="muted">No notices owed to this person.</p>;
  const records = new Map(subject.records.map((record) => [record.id, record]));
  const now = new Date().toISOString();
  return (
    <>
      <div className="table-wrap">
        <table data-testid="subject-notices">
          <caption className="visually-hidden">Notices owed to this person</caption>
          <thead>
            <tr>
              <th scope="col">Due</th>
              <th scope="col">Status</th>
              <th scope="col">For the record</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {subject.noticeTasks.map((task) => (
              <tr key={task.id}>
                <td>
                  <Timestamp value={task.dueAt} dateOnly />
                </td>
                <td>
                  <NoticeTaskStatusBadge task={task} now={now} />
                </td>
                <td>{humanise(records.get(task.recordId)?.kind ?? task.recordId)}</td>
                <td>
                  <code>{task.sourceId}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={href('/notices')}>All notices owed</a>
      </p>
    </>
  );
}

function ObjectionDialog({
  subjectId,
  onDone,
  onClose,
}: {
  subjectId: string;
  onDone: () => void;
  onClose: () => void;
}) {
  const { expire } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReactNode>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await api.post<undefined>(`/subjects/${encodeURIComponent(subjectId)}/marketing-objection`, {
        channel: 'operator',
      });
      onDone();
    } catch (err) {
      const apiError = toApiError(err);
      if (apiError.status === 401) return expire();
      setError(apiError.status === 403 ? <Forbidden what="Recording an objection" /> : apiError.message);
      setBusy(false);
    }
  }

  return (
    <Dialog title="Object to direct marketing?" onClose={onClose} testId="objection-dialog">
      <p>
        Steward will stop all direct marketing to this person: every address they have, every marketing
        communication, including addresses added later. They do not need to give reasons.
      </p>
      {error && typeof error === 'string' ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : (
        error
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-danger"
          onClick={() => void confirm()}
          disabled={busy}
          aria-busy={busy}
          data-autofocus
        >
          Record the objection
        </button>
        <button type="button" className="button button-secondary" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

function SubjectFileView({
  subject,
  stated,
  onObjected,
  onChanged,
}: {
  subject: SubjectFile;
  stated: StatedReason;
  onObjected: () => void;
  onChanged: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  return (
    <>
      <section className="card subject-header" aria-label="Summary">
        <dl className="facts">
          <div className="fact-wide">
            <dt>Subject id</dt>
            <dd>
              <code data-testid="subject-id">{subject.id}</code>
            </dd>
          </div>
          <div>
            <dt>Jurisdiction</dt>
            <dd>{subject.jurisdiction ?? <span className="muted">not known</span>}</dd>
          </div>
          <div>
            <dt>Known since</dt>
            <dd>
              <Timestamp value={subject.createdAt} />
            </dd>
          </div>
          {subject.tenant !== '' && (
            <div>
              <dt>Held as processor for</dt>
              <dd>
                <code>{subject.tenant}</code>
              </dd>
            </div>
          )}
          {subject.objectedAt && (
            <div>
              <dt>Objected to marketing</dt>
              <dd>
                <Timestamp value={subject.objectedAt} />
              </dd>
            </div>
          )}
        </dl>
        <Flags subject={subject} />
        <div className="actions">
          {subject.objectedAt ? (
            <p className="muted">Direct marketing to this person has stopped.</p>
          ) : (
            <button type="button" className="button button-secondary" onClick={() => setConfirming(true)}>
              Object to direct marketing
            </button>
          )}
        </div>
      </section>
      <p className="audit-note" data-testid="audit-note">
        This access was recorded in the audit ledger with your reason: {reasonLabels[stated.reason]}
        {stated.reference && (
          <>
            {' '}
            (<q>{stated.reference}</q>)
          </>
        )}
      </p>
      {confirming && (
        <ObjectionDialog
          subjectId={subject.id}
          onClose={() => setConfirming(false)}
          onDone={() => {
            setConfirming(false);
            onObjected();
          }}
        />
      )}
      <Section title="Identifiers" count={subject.identifiers.length}>
        <IdentifiersTable subject={subject} onChanged={onChanged} />
      </Section>
      <Section title="Current consents">
        <CurrentConsents subject={subject} />
      </Section>
      <Section title="Subscriptions">
        <Subscriptions subject={subject} />
      </Section>
      <Section title="Consent history">
        <ConsentHistory subject={subject} />
      </Section>
      <Section title="Records" count={subject.records.length}>
        <RecordsTable records={subject.records} />
      </Section>
      <Section title="Notices owed">
        <PersonNotices subject={subject} />
      </Section>
    </>
  );
}

function OpenedSubject({ subjectId, stated }: { subjectId: string; stated: StatedReason }) {
  const query = new URLSearchParams({
    reason: stated.reason,
    ...(stated.reference ? { reference: stated.reference } : {}),
    ...(stated.note ? { note: stated.note } : {}),
  }).toString();
  const { state, reload, refresh } = useApiResource<SubjectFileResponse>(
    `/subjects/${encodeURIComponent(subjectId)}?${query}`,
  );
  const [message, setMessage] = useState<string | null>(null);

  let body: ReactNode;
  if (state.status === 'loading') body = <Loading>Opening this person’s data…</Loading>;
  else if (state.status === 'error') {
    const { error } = state;
    if (error.status === 400) {
      body = (
        <>
          <ErrorPanel title="Steward did not open this person’s data" message={error.message} />
          <section className="card" aria-labelledby="purpose-heading">
            <h2 id="purpose-heading">State your reason</h2>
            <ReasonForm subjectId={subjectId} initial={stated} />
          </section>
        </>
      );
    } else if (error.status === 404) {
      body = <ErrorPanel title="No such person" message="Steward holds no one with this subject id." />;
    } else {
      body = (
        <ApiErrorPanel
          title="Could not open this person’s data"
          error={error}
          what="Opening people’s data"
          onRetry={reload}
        />
      );
    }
  } else {
    body = (
      <SubjectFileView
        subject={state.data.subject}
        stated={stated}
        onObjected={() => {
          setMessage('The objection to direct marketing was recorded.');
          refresh();
        }}
        onChanged={() => {
          setMessage('The identifier is confirmed as this person’s.');
          refresh();
        }}
      />
    );
  }
  return (
    <>
      <Success>{message}</Success>
      {body}
    </>
  );
}

export function SubjectPage({ params }: PageProps) {
  const subjectId = params.id ?? '';
  const query = useHashQuery();
  const reason = query.get('reason');
  const stated: StatedReason | undefined = isReason(reason)
    ? { reason, reference: query.get('reference')?.trim() ?? '', note: query.get('note')?.trim() ?? '' }
    : undefined;
  return (
    <div className="page" data-testid="subject-page">
      <div className="page-heading">
        <p className="breadcrumb">
          <a href={href('/subjects')}>Subjects</a>
        </p>
        <h1 tabIndex={-1}>Subject</h1>
      </div>
      {stated === undefined ? (
        <section className="card" aria-labelledby="purpose-heading">
          <h2 id="purpose-heading">State your reason</h2>
          <p className="muted">
            Opening a person’s data is recorded with your reason. Subject <code>{subjectId}</code>
          </p>
          <ReasonForm subjectId={subjectId} />
        </section>
      ) : (
        <OpenedSubject key={query.toString()} subjectId={subjectId} stated={stated} />
      )}
    </div>
  );
}
