import { useState, type FormEvent, type ReactNode } from 'react';
import {
  api,
  operatorChannels,
  requestTypes,
  type ApiError,
  type DeclarationsResponse,
  type OperatorChannel,
  type RequestReceipt,
  type RequestsResponse,
  type RequestSummary,
  type RequestType,
} from '../api';
import { Dialog } from '../components/Dialog';
import { DueChart } from '../components/DueChart';
import { plural, Timestamp } from '../components/Format';
import { FormField, ServerError } from '../components/FormField';
import {
  channelLabel,
  Deadline,
  isOverdue,
  RequestStatusBadge,
  requestTypeLabels,
  typeLabel,
} from '../components/RequestFormat';
import { ApiErrorPanel, Loading, Success } from '../components/Status';
import { href, navigate, useHashQuery } from '../router';
import { useSession } from '../session';
import { toApiError, useApiResource } from '../useApiResource';

type View = 'open' | 'overdue' | 'closed' | 'all';

const views: { view: View; label: string; heading: string }[] = [
  { view: 'open', label: 'Open', heading: 'Open requests' },
  { view: 'overdue', label: 'Overdue', heading: 'Overdue requests' },
  { view: 'closed', label: 'Closed', heading: 'Closed requests' },
  { view: 'all', label: 'All', heading: 'All requests' },
];

const QUEUE_LIMIT = 200;
const CHART_LIMIT = 500;

function viewOf(value: string | null): View {
  return views.some((v) => v.view === value) ? (value as View) : 'open';
}

function typeOf(value: string | null): RequestType | '' {
  return requestTypes.includes(value as RequestType) ? (value as RequestType) : '';
}

function queuePath(view: View, type: RequestType | ''): string {
  const query = new URLSearchParams({
    status: view === 'overdue' ? 'open' : view,
    limit: String(QUEUE_LIMIT),
  });
  if (view === 'overdue') query.set('overdue', 'true');
  if (type !== '') query.set('type', type);
  return `/requests?${query.toString()}`;
}

function QueueTable({ requests, now }: { requests: RequestSummary[]; now: number }) {
  return (
    <div className="table-wrap">
      <table data-testid="requests-table">
        <caption className="visually-hidden">Requests, soonest deadline first</caption>
        <thead>
          <tr>
            <th scope="col">Reference</th>
            <th scope="col">Type</th>
            <th scope="col">Status</th>
            <th scope="col">Channel</th>
            <th scope="col">Received</th>
            <th scope="col">Deadline</th>
          </tr>
        </thead>
        <tbody>
          {requests.map((request) => (
            <tr
              key={request.id}
              data-request-id={request.id}
              className={isOverdue(request, now) ? 'row-overdue' : undefined}
            >
              <td>
                <a href={href(`/requests/${request.id}`)}>
                  <code>{request.reference}</code>
                </a>
              </td>
              <td>{typeLabel(request.type)}</td>
              <td>
                <RequestStatusBadge status={request.status} />
              </td>
              <td>{channelLabel(request.channel)}</td>
              <td>
                <Timestamp value={request.receivedAt} dateOnly />
              </td>
              <td>
                <Deadline request={request} now={now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Queue({ view, type }: { view: View; type: RequestType | '' }) {
  const { state, reload } = useApiResource<RequestsResponse>(queuePath(view, type));
  if (state.status === 'loading') return <Loading>Loading requests…</Loading>;
  if (state.status === 'error')
    return (
      <ApiErrorPanel
        title="Could not load the requests"
        error={state.error}
        what="Seeing rights requests"
        onRetry={reload}
      />
    );
  const { requests } = state.data;
  const now = Date.now();
  if (requests.length === 0)
    return (
      <p className="muted">
        {view === 'overdue' ? 'No request is overdue.' : 'No requests here.'}
        {type !== '' ? ` (${typeLabel(type)} only.)` : ''}
      </p>
    );
  const overdue = requests.filter((request) => isOverdue(request, now)).length;
  return (
    <>
      <p className="muted">
        {plural(requests.length, 'request', 'requests')}
        {overdue > 0 && view !== 'overdue' ? `, ${overdue} overdue` : ''}, soonest deadline first
        {requests.length >= QUEUE_LIMIT ? ` (the first ${QUEUE_LIMIT})` : ''}.
      </p>
      <QueueTable requests={requests} now={now} />
    </>
  );
}

function WhatFallsDue() {
  const { state, reload } = useApiResource<RequestsResponse>(`/requests?status=open&limit=${CHART_LIMIT}`);
  if (state.status === 'loading') return <Loading>Loading deadlines…</Loading>;
  if (state.status === 'error')
    return (
      <ApiErrorPanel
        title="Could not load the deadlines"
        error={state.error}
        what="Seeing rights requests"
        onRetry={reload}
      />
    );
  const { requests } = state.data;
  return (
    <>
      <DueChart requests={requests} now={Date.now()} />
      {requests.length >= CHART_LIMIT && (
        <p className="muted">Only the {CHART_LIMIT} soonest deadlines are counted.</p>
      )}
    </>
  );
}

function todayLocal(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

interface EntryErrors {
  receivedOn?: string;
  contact?: string;
}

/** Entering a request that came by letter, email or phone: the deadline runs from the day it arrived. */
function EnterRequestDialog({
  onClose,
  onDone,
}: {
  onClose: () => void;
  onDone: (receipt: RequestReceipt) => void;
}) {
  const { expire } = useSession();
  const declarations = useApiResource<DeclarationsResponse>('/declarations');
  const [channel, setChannel] = useState<OperatorChannel>('email');
  const [receivedOn, setReceivedOn] = useState(todayLocal);
  const [declarationId, setDeclarationId] = useState('');
  const [type, setType] = useState<RequestType>('access');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [details, setDetails] = useState('');
  const [errors, setErrors] = useState<EntryErrors>({});
  const [serverError, setServerError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  const list = declarations.state.status === 'ready' ? declarations.state.data.declarations : [];
  const chosenDeclaration = declarationId || (list[0]?.id ?? '');

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: EntryErrors = {};
    if (receivedOn === '') found.receivedOn = 'Give the day the request arrived.';
    else if (receivedOn > todayLocal()) found.receivedOn = 'The day it arrived cannot be in the future.';
    const identifiers = [
      ...(email.trim() ? [{ kind: 'email', value: email.trim() }] : []),
      ...(phone.trim() ? [{ kind: 'phone', value: phone.trim() }] : []),
    ];
    if (identifiers.length === 0)
      found.contact = 'Give an email address or a phone number: the answer goes only to contacts on file.';
    setErrors(found);
    if (found.receivedOn || found.contact) return;
    setBusy(true);
    setServerError(null);
    try {
      const receipt = await api.post<RequestReceipt>('/requests', {
        declarationId: chosenDeclaration,
        type,
        channel,
        // Midnight of that day where the operator is: the deadline never starts later than the arrival.
        receivedAt: new Date(`${receivedOn}T00:00`).toISOString(),
        requester: { ...(name.trim() ? { name: name.trim() } : {}), identifiers },
        ...(details.trim() ? { details: details.trim() } : {}),
        ...(type === 'objection' ? { objection: { scope: 'direct_marketing' } } : {}),
      });
      onDone(receipt);
    } catch (err) {
      const error = toApiError(err);
      if (error.status === 401) return expire();
      setServerError(error);
      setBusy(false);
    }
  }

  let declarationField: ReactNode;
  if (declarations.state.status === 'loading') declarationField = <Loading>Loading declarations…</Loading>;
  else if (declarations.state.status === 'error')
    declarationField = (
      <ApiErrorPanel
        title="Could not load the declarations"
        error={declarations.state.error}
        what="Reading declarations"
        onRetry={declarations.reload}
      />
    );
  else
    declarationField = (
      <FormField label="Declaration" hint="The notice the request is made under: it sets the deadline.">
        {(control) => (
          <select
            {...control}
            name="declarationId"
            value={chosenDeclaration}
            onChange={(event) => setDeclarationId(event.target.value)}
          >
            {list.map((declaration) => (
              <option key={declaration.id} value={declaration.id}>
                {declaration.title} ({declaration.id})
              </option>
            ))}
          </select>
        )}
      </FormField>
    );

  return (
    <Dialog title="Enter a request" onClose={onClose} testId="enter-request-dialog">
      <p className="muted">
        For a request that came by letter, email or phone. Steward sends a code to contact details it already
        holds for the person; an operator can also verify and approve the request here.
      </p>
      <ServerError error={serverError} what="Entering requests" />
      <form className="form" noValidate onSubmit={(event) => void handleSubmit(event)}>
        <FormField label="Received by">
          {(control) => (
            <select
              {...control}
              name="channel"
              data-autofocus
              value={channel}
              onChange={(event) => setChannel(event.target.value as OperatorChannel)}
            >
              {operatorChannels.map((c) => (
                <option key={c} value={c}>
                  {channelLabel(c)}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField
          label="Received on"
          hint="The day it arrived: the deadline runs from then."
          error={errors.receivedOn}
        >
          {(control) => (
            <input
              {...control}
              name="receivedOn"
              type="date"
              required
              max={todayLocal()}
              value={receivedOn}
              onChange={(event) => setReceivedOn(event.target.value)}
            />
          )}
        </FormField>
        {declarationField}
        <FormField
          label="What they ask for"
          hint={type === 'objection' ? 'An objection entered here is to direct marketing.' : undefined}
        >
          {(control) => (
            <select
              {...control}
              name="type"
              value={type}
              onChange={(event) => setType(event.target.value as RequestType)}
            >
              {requestTypes.map((t) => (
                <option key={t} value={t}>
                  {requestTypeLabels[t]}
                </option>
              ))}
            </select>
          )}
        </FormField>
        <FormField label="Their name (optional)">
          {(control) => (
            <input
              {...control}
              name="name"
              type="text"
              maxLength={200}
              autoComplete="off"
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="Their email address"
          hint="Give an email address, a phone number or both."
          error={errors.contact}
        >
          {(control) => (
            <input
              {...control}
              name="email"
              type="email"
              maxLength={320}
              autoComplete="off"
              spellCheck={false}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          )}
        </FormField>
        <FormField label="Their phone number" hint="In international form, for example +46 70 123 45 67.">
          {(control) => (
            <input
              {...control}
              name="phone"
              type="tel"
              maxLength={40}
              autoComplete="off"
              value={phone}
              onChange={(event) => setPhone(event.target.value)}
            />
          )}
        </FormField>
        <FormField
          label="What they wrote or said"
          hint={
            type === 'rectification'
              ? 'Required for a correction: what is wrong, and what it should be.'
              : 'In their words, as far as you can.'
          }
        >
          {(control) => (
            <textarea
              {...control}
              name="details"
              rows={4}
              maxLength={5000}
              value={details}
              onChange={(event) => setDetails(event.target.value)}
            />
          )}
        </FormField>
        <div className="actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || declarations.state.status !== 'ready'}
            aria-busy={busy}
          >
            Enter the request
          </button>
          <button type="button" className="button button-secondary" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RequestsPage() {
  const query = useHashQuery();
  const view = viewOf(query.get('view'));
  const type = typeOf(query.get('type'));
  const [entering, setEntering] = useState(false);
  const [message, setMessage] = useState<ReactNode>(null);
  // Bumped after an entry: the queue and the chart are mounted afresh, so they load again.
  const [entries, setEntries] = useState(0);
  const heading = views.find((v) => v.view === view)?.heading ?? 'Requests';

  function show(next: { view?: View; type?: RequestType | '' }) {
    const wanted = { view: next.view ?? view, type: next.type ?? type };
    navigate('/requests', {
      ...(wanted.view !== 'open' ? { view: wanted.view } : {}),
      ...(wanted.type !== '' ? { type: wanted.type } : {}),
    });
  }

  return (
    <div className="page" data-testid="requests">
      <div className="toolbar">
        <h1 tabIndex={-1}>Requests</h1>
        <button type="button" className="button button-primary" onClick={() => setEntering(true)}>
          Enter a request
        </button>
      </div>
      <p className="muted lead">
        People’s requests to see, take away, correct or erase their data, to restrict or object to its use, or
        to withdraw consent. Each must be answered within the declaration’s deadline (a month under the GDPR),
        which can be extended once, with reasons, before it passes.
      </p>
      <Success>{message}</Success>
      <section className="card stack-tight" aria-labelledby="queue-heading">
        <div className="card-header">
          <h2 id="queue-heading">{heading}</h2>
          <div className="segmented" role="group" aria-label="Which requests to show">
            {views.map((v) => (
              <button
                key={v.view}
                type="button"
                className="segmented-button"
                aria-pressed={v.view === view}
                onClick={() => show({ view: v.view })}
              >
                {v.label}
              </button>
            ))}
          </div>
        </div>
        <div className="form form-inline">
          <FormField label="Type">
            {(control) => (
              <select
                {...control}
                name="type"
                value={type}
                onChange={(event) => show({ type: typeOf(event.target.value) })}
              >
                <option value="">All types</option>
                {requestTypes.map((t) => (
                  <option key={t} value={t}>
                    {typeLabel(t)}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
        <Queue key={`${view}|${type}|${entries}`} view={view} type={type} />
      </section>
      <section className="card stack-tight" aria-labelledby="due-heading">
        <h2 id="due-heading">What falls due when</h2>
        <WhatFallsDue key={entries} />
      </section>
      {entering && (
        <EnterRequestDialog
          onClose={() => setEntering(false)}
          onDone={(receipt) => {
            setEntering(false);
            setMessage(
              <>
                Request <a href={href(`/requests/${receipt.id}`)}>{receipt.reference}</a> was entered; its
                deadline is <Timestamp value={receipt.dueAt} dateOnly />.
              </>,
            );
            setEntries((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
