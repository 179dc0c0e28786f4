import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type {
  RequestClaims,
  RequestEvent,
  RequestFileResponse,
  RequestSummary,
  RequestTask,
  VerificationChallenge,
} from '../api';
import { capitalise, humanise, Timestamp } from '../components/Format';
import { ErasureReceiptView, RequestPlanView } from '../components/RequestPlan';
import { RequestActionDialog, RequestActions, type RequestAction } from '../components/RequestActions';
import {
  channelLabel,
  Deadline,
  RequestStatusBadge,
  taskKindLabels,
  typeLabel,
} from '../components/RequestFormat';
import { ApiErrorPanel, ErrorPanel, Loading, Success } from '../components/Status';
import type { PageProps } from '../routes';
import { href } from '../router';
import { useSession } from '../session';
import { useApiResource } from '../useApiResource';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

// ---- Words --------------------------------------------------------------------------------

const secondStepLabels: Record<string, string> = {
  none: 'None: the code is enough',
  second_channel: 'A second code, to another contact on file',
  operator_review: 'An operator reviews the request',
};

const eventLabels: Record<string, string> = {
  received: 'Received',
  first_step_passed: 'First code entered',
  verified: 'Identity verified',
  verified_by_operator: 'Verified by an operator',
  awaiting_review: 'Waiting for an operator',
  needs_review: 'Needs an operator',
  approved: 'Approved',
  fulfilment_started: 'Fulfilment started',
  completed: 'Completed',
  refused: 'Refused',
  extended: 'Deadline extended',
  fee_set: 'Fee set',
  withdrawn: 'Withdrawn',
  task_closed: 'Task closed',
  expired_unverified: 'Expired: the code was never entered',
  routed_to_provider: 'Routed to the provider',
  download_started: 'Download of the answer started',
  download_interrupted: 'Download broke off before the end (the link still works)',
  result_collected: 'Answer downloaded by the requester',
  transmission_started: 'Sending the answer to another organisation started',
  transmission_failed: 'The other organisation did not take the answer (the link still works)',
  result_transmitted: 'Answer sent to another organisation, as the requester asked',
  result_link_closed: 'Result link closed: too many codes asked for or tried',
};

function eventLabel(kind: string): string {
  if (kind.startsWith('reminder_')) return 'Deadline reminder';
  return eventLabels[kind] ?? capitalise(humanise(kind));
}

function useActorName(): (actor: string) => string {
  const { operator } = useSession();
  return (actor) => {
    if (actor === `operator:${operator.id}`) return 'You';
    if (actor === 'requester') return 'The requester';
    if (actor === 'system') return 'Steward';
    if (actor.startsWith('request:')) return 'Steward (fulfilment)';
    const [kind, id] = actor.split(':');
    return id ? `${capitalise(humanise(kind ?? ''))} ${id.slice(0, 8)}` : actor;
  };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** A server code such as `declaration_requires_review`, shown in words. */
const CODE = /^[a-z][a-z0-9]*(?:[_+][a-z0-9]+)+$/;

function DetailValue({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span className="muted">—</span>;
  if (typeof value === 'string') {
    if (ISO_TIME.test(value)) return <Timestamp value={value} />;
    return <>{CODE.test(value) ? humanise(value) : value}</>;
  }
  if (typeof value === 'boolean') return <>{value ? 'yes' : 'no'}</>;
  if (typeof value === 'number') return <>{value}</>;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return <>{value.length === 0 ? 'none' : value.join(', ')}</>;
  return <code>{JSON.stringify(value)}</code>;
}

function Outcome({ outcome }: { outcome: unknown }) {
  if (!isRecord(outcome)) return <DetailValue value={outcome} />;
  if (outcome.refused === true)
    return (
      <>
        Refused: {humanise(String(outcome.ground ?? ''))}.{' '}
        <span className="note-cell" data-testid="refusal-reasons">
          {String(outcome.reasons ?? '')}
        </span>
      </>
    );
  if (Array.isArray(outcome.summary))
    return (
      <ul className="plain-list">
        {outcome.summary.map((line, index) => (
          <li key={index}>{String(line)}</li>
        ))}
      </ul>
    );
  return <DetailValue value={outcome} />;
}

function Fee({ fee }: { fee: unknown }) {
  if (!isRecord(fee)) return <DetailValue value={fee} />;
  return (
    <>
      {String(fee.amount)} {String(fee.currency)} ({humanise(String(fee.ground ?? ''))}).{' '}
      <span className="note-cell">{String(fee.reasons ?? '')}</span>
    </>
  );
}

// ---- Sections -----------------------------------------------------------------------------

function Summary({ request, now }: { request: RequestSummary; now: number }) {
  return (
    <dl className="facts" data-testid="request-summary">
      <div>
        <dt>Reference</dt>
        <dd>
          <code data-testid="request-reference">{request.reference}</code>
        </dd>
      </div>
      <div>
        <dt>Type</dt>
        <dd>{typeLabel(request.type)}</dd>
      </div>
      <div>
        <dt>Status</dt>
        <dd data-testid="request-status">
          <RequestStatusBadge status={request.status} />
        </dd>
      </div>
      <div>
        <dt>Received by</dt>
        <dd>{channelLabel(request.channel)}</dd>
      </div>
      <div>
        <dt>Received</dt>
        <dd>
          <Timestamp value={request.receivedAt} />
        </dd>
      </div>
      <div data-testid="request-deadline">
        <dt>Deadline</dt>
        <dd>
          <Deadline request={request} now={now} />
        </dd>
      </div>
      {request.extendedTo !== null && (
        <div>
          <dt>First deadline</dt>
          <dd>
            <Timestamp value={request.dueAt} dateOnly />
          </dd>
        </div>
      )}
      <div>
        <dt>Declaration</dt>
        <dd>
          <code>{request.declarationId}</code>
          {request.serviceId && (
            <span className="cell-note">
              Service <code>{request.serviceId}</code>
            </span>
          )}
        </dd>
      </div>
      <div>
        <dt>Verification</dt>
        <dd>
          {request.verifiedAt ? (
            <>
              Verified <Timestamp value={request.verifiedAt} />
            </>
          ) : (
            'Not verified'
          )}
          <span className="cell-note">
            Second step: {secondStepLabels[request.secondStep] ?? request.secondStep}
          </span>
        </dd>
      </div>
      <div>
        <dt>Person</dt>
        <dd>
          {request.subjectId ? (
            <a href={href(`/subjects/${request.subjectId}`)} title={request.subjectId}>
              <span className="visually-hidden">Subject </span>
              <code>{request.subjectId.slice(0, 8)}</code>
            </a>
          ) : (
            <span className="muted">not matched</span>
          )}
        </dd>
      </div>
      {request.fee !== null && (
        <div className="fact-wide">
          <dt>Fee</dt>
          <dd>
            <Fee fee={request.fee} />
          </dd>
        </div>
      )}
      {request.closedAt && (
        <div>
          <dt>Closed</dt>
          <dd>
            <Timestamp value={request.closedAt} />
          </dd>
        </div>
      )}
      {request.outcome !== null && (
        <div className="fact-wide" data-testid="request-outcome">
          <dt>Outcome</dt>
          <dd>
            <Outcome outcome={request.outcome} />
          </dd>
        </div>
      )}
    </dl>
  );
}

function Claims({
  claims,
  shown,
  onReveal,
}: {
  claims: RequestClaims;
  shown: boolean;
  /** Present when the operator may read what the requester wrote. */
  onReveal?: () => void;
}) {
  return (
    <>
      {shown ? (
        <p className="muted">
          As the requester gave it; this reading was recorded in the audit ledger as handling this request.
        </p>
      ) : (
        <div className="toolbar" data-testid="claims-masked">
          <p className="muted">
            Masked: names, addresses and the requester’s words are shown only to someone handling the request.
          </p>
          {onReveal && (
            <button type="button" className="button button-secondary button-small" onClick={onReveal}>
              Show what they wrote (recorded as handling this request)
            </button>
          )}
        </div>
      )}
      <dl className="facts">
        <div>
          <dt>Name</dt>
          <dd>{claims.name ?? <span className="muted">not given</span>}</dd>
        </div>
        <div>
          <dt>Language</dt>
          <dd>{claims.language ?? <span className="muted">not given</span>}</dd>
        </div>
        {claims.objection && (
          <div className="fact-wide">
            <dt>Objection</dt>
            <dd>
              {humanise(claims.objection.scope)}
              {claims.objection.purposeId && (
                <>
                  {' '}
                  <code>{claims.objection.purposeId}</code>
                </>
              )}
              {claims.objection.grounds && <span className="cell-note">{claims.objection.grounds}</span>}
            </dd>
          </div>
        )}
      </dl>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Identifiers the requester gave</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {claims.identifiers.map((identifier) => (
              <tr key={`${identifier.kind}:${identifier.value}`}>
                <td>{identifier.kind}</td>
                <td>{identifier.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {claims.details && (
        <>
          <h3>In their words</h3>
          <p className="note-cell">{claims.details}</p>
        </>
      )}
      {claims.rectification && claims.rectification.length > 0 && (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Corrections asked for</caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">Should be</th>
              </tr>
            </thead>
            <tbody>
              {claims.rectification.map((change, index) => (
                <tr key={index}>
                  <td>
                    <code>{change.field}</code>
                  </td>
                  <td>{change.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function Verification({ challenges, now }: { challenges: VerificationChallenge[]; now: number }) {
  if (challenges.length === 0) return <p className="muted">No code has been sent for this request.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="verification-table">
        <caption className="visually-hidden">Codes sent to verify the requester</caption>
        <thead>
          <tr>
            <th scope="col">Step</th>
            <th scope="col">Sent to</th>
            <th scope="col">Sent</th>
            <th scope="col">Attempts</th>
            <th scope="col">Expires</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {challenges.map((challenge) => (
            <tr key={`${challenge.step}:${challenge.createdAt}`}>
              <td>{challenge.step === 1 ? '1: a code' : `${challenge.step}: a second code`}</td>
              <td>{challenge.sentTo}</td>
              <td>
                <Timestamp value={challenge.createdAt} />
              </td>
              <td className="numeric">
                {challenge.attempts} of {challenge.maxAttempts}
              </td>
              <td>
                <Timestamp value={challenge.expiresAt} />
              </td>
              <td>
                {challenge.passedAt ? (
                  <>
                    Passed <Timestamp value={challenge.passedAt} />
                  </>
                ) : challenge.attempts >= challenge.maxAttempts ? (
                  'No attempts left'
                ) : Date.parse(challenge.expiresAt) < now ? (
                  'Expired'
                ) : (
                  'Waiting for the code'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Timeline({ events }: { events: RequestEvent[] }) {
  const actorName = useActorName();
  if (events.length === 0) return <p className="muted">Nothing has happened yet.</p>;
  return (
    <ol className="timeline" data-testid="request-timeline" aria-label="Steps, oldest first">
      {events.map((event, index) => {
        const details = isRecord(event.details) ? Object.entries(event.details) : [];
        return (
          <li key={index} className="timeline-item" data-kind={event.kind}>
            <div className="timeline-head">
              <Timestamp value={event.at} />
              <span className="badge badge-neutral">{eventLabel(event.kind)}</span>
              <span>{actorName(event.actor)}</span>
            </div>
            <dl className="timeline-facts">
              <div>
                <dt>Requester sees this</dt>
                <dd>{event.visibleToRequester ? 'yes' : 'no (internal)'}</dd>
              </div>
              {details.map(([key, value]) => (
                <div key={key}>
                  <dt>{capitalise(humanise(key))}</dt>
                  <dd className="note-cell">
                    <DetailValue value={value} />
                  </dd>
                </div>
              ))}
            </dl>
          </li>
        );
      })}
    </ol>
  );
}
/** A task waits for a person when it is not Steward's to run: notices, routing, manual outcomes, failures. */
function waitsForOperator(task: RequestTask): boolean {
  if (task.status === 'failed') return true;
  if (task.status !== 'pending') return false;
  return task.kind !== 'system' || (isRecord(task.result) && task.result.manual === true);
}

function TaskResult({ result }: { result: unknown }) {
  if (result === null) return <span className="muted">—</span>;
  if (isRecord(result) && Array.isArray(result.summary))
    return (
      <ul className="plain-list">
        {result.summary.map((line, index) => (
          <li key={index}>{String(line)}</li>
        ))}
      </ul>
    );
  return <DetailValue value={result} />;
}

function Tasks({ tasks, onClose }: { tasks: RequestTask[]; onClose: (task: RequestTask) => void }) {
  const actorName = useActorName();
  if (tasks.length === 0) return <p className="muted">No tasks: fulfilment has not started.</p>;
  return (
    <div className="table-wrap">
      <table data-testid="tasks-table">
        <caption className="visually-hidden">Tasks, one per system or recipient</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col">Target</th>
            <th scope="col">Action</th>
            <th scope="col">Status</th>
            <th scope="col">Note</th>
            <th scope="col">Result</th>
            <th scope="col">Done</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id} data-task-id={task.id}>
              <td>{taskKindLabels[task.kind] ?? humanise(task.kind)}</td>
              <td>
                <code>{task.target}</code>
              </td>
              <td>{humanise(task.action)}</td>
              <td>
                <span className={`badge badge-${task.status === 'done' ? 'ok' : 'neutral'}`}>
                  {capitalise(task.status)}
                </span>
              </td>
              <td className="note-cell">{task.note ?? '—'}</td>
              <td>
                <TaskResult result={task.result} />
              </td>
              <td>
                {task.doneAt ? (
                  <>
                    <Timestamp value={task.doneAt} />
                    {task.doneBy && <span className="cell-note">by {actorName(task.doneBy)}</span>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td>
                {waitsForOperator(task) ? (
                  <button
                    type="button"
                    className="button button-small button-secondary"
                    onClick={() => onClose(task)}
                  >
                    Close<span className="visually-hidden"> the task for {task.target}</span>
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// ---- The page -----------------------------------------------------------------------------

function RequestFile({
  file,
  onAction,
  onReveal,
  onChanged,
}: {
  file: RequestFileResponse;
  onAction: (action: RequestAction) => void;
  onReveal?: () => void;
  onChanged: (message: string) => void;
}) {
  const now = Date.now();
  return (
    <>
      <section className="card" aria-label="Summary">
        <Summary request={file.request} now={now} />
        <RequestActions request={file.request} onChoose={onAction} />
      </section>
      <Section title="What the requester supplied" testId="request-claims">
        <Claims claims={file.claims} shown={file.claimsShown} {...(onReveal ? { onReveal } : {})} />
      </Section>
      <Section title="Verification">
        <Verification challenges={file.verification} now={now} />
      </Section>
      <Section title="Timeline">
        <Timeline events={file.timeline} />
      </Section>
      <Section title="Plan across systems" testId="plan-section">
        <RequestPlanView requestId={file.request.id} plan={file.plan} onChanged={onChanged} />
      </Section>
      {file.receipt && (
        <Section title="Erasure receipt" testId="receipt-section">
          <ErasureReceiptView receipt={file.receipt} />
        </Section>
      )}
      <Section title="Tasks">
        <Tasks tasks={file.tasks} onClose={(task) => onAction({ kind: 'close-task', task })} />
      </Section>
    </>
  );
}

export function RequestPage({ params }: PageProps) {
  const requestId = params.id ?? '';
  const { operator } = useSession();
  // The reference of the request once the operator asked to read what the requester wrote.
  const [reason, setReason] = useState<string | null>(null);
  const { state, reload, refresh } = useApiResource<RequestFileResponse>(
    `/requests/${encodeURIComponent(requestId)}${
      reason === null
        ? ''
        : `?${new URLSearchParams({ reason: 'handling_request', reference: reason }).toString()}`
    }`,
  );
  const [action, setAction] = useState<RequestAction | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [actionsDone, setActionsDone] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // After an action the button that opened its dialog may be gone (a refused request has no
  // actions left), so focus goes to the heading instead of being lost; the outcome is announced.
  useEffect(() => {
    if (actionsDone > 0) headingRef.current?.focus();
  }, [actionsDone]);

  let body: ReactNode;
  if (state.status === 'loading') body = <Loading>Opening the request…</Loading>;
  else if (state.status === 'error')
    body =
      state.error.status === 404 ? (
        <ErrorPanel title="No such request" message="Steward holds no request with this id." />
      ) : (
        <ApiErrorPanel
          title="Could not open the request"
          error={state.error}
          what="Reading rights requests"
          onRetry={reload}
        />
      );
  else
    body = (
      <RequestFile
        file={state.data}
        onAction={(next) => {
          setMessage(null);
          setAction(next);
        }}
        {...(operator.permissions.includes('requests:claims')
          ? { onReveal: () => setReason(state.data.request.reference) }
          : {})}
        onChanged={(done) => {
          setMessage(done);
          refresh();
        }}
      />
    );

  const reference = state.status === 'ready' ? state.data.request.reference : null;
  return (
    <div className="page" data-testid="request-page">
      <div className="page-heading">
        <p className="breadcrumb">
          <a href={href('/requests')}>Requests</a>
        </p>
        <h1 tabIndex={-1} ref={headingRef}>
          {reference ? `Request ${reference}` : 'Request'}
        </h1>
      </div>
      <Success>{message}</Success>
      {body}
      {action && state.status === 'ready' && (
        <RequestActionDialog
          action={action}
          request={state.data.request}
          onClose={() => setAction(null)}
          onDone={(done) => {
            setAction(null);
            setMessage(done);
            setActionsDone((n) => n + 1);
            refresh();
          }}
        />
      )}
    </div>
  );
}
