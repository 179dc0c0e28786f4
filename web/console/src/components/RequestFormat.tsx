// Words and marks shared by the request screens: types, statuses, channels and the deadline.
import {
  closedRequestStatuses,
  type RequestStatus,
  type RequestSummary,
  type RequestTask,
  type RequestType,
} from '../api';
import { capitalise, humanise, plural, Timestamp } from './Format';

export const DAY_MS = 86_400_000;

export const requestTypeLabels: Record<RequestType, string> = {
  access: 'Access (a copy of their data)',
  portability: 'Portability (data to take away)',
  rectification: 'Rectification (a correction)',
  erasure: 'Erasure',
  restriction: 'Restriction of processing',
  objection: 'Objection to processing',
  withdrawal: 'Withdrawal of consent',
};

const shortTypeLabels: Record<string, string> = {
  access: 'Access',
  portability: 'Portability',
  rectification: 'Rectification',
  erasure: 'Erasure',
  restriction: 'Restriction',
  objection: 'Objection',
  withdrawal: 'Withdrawal of consent',
};

export function typeLabel(type: string): string {
  return shortTypeLabels[type] ?? capitalise(humanise(type));
}

const statusLabels: Record<RequestStatus, string> = {
  received: 'Received',
  verifying: 'Verifying identity',
  awaiting_review: 'Awaiting review',
  in_progress: 'In progress',
  routed: 'Routed to provider',
  completed: 'Completed',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
  expired: 'Expired unverified',
};

/** The status in words; the badge's shade only repeats what the words say. */
export function RequestStatusBadge({ status }: { status: RequestStatus }) {
  const tone = status === 'completed' ? 'ok' : 'neutral';
  return (
    <span className={`badge badge-${tone}`}>{statusLabels[status] ?? capitalise(humanise(status))}</span>
  );
}

const channelLabels: Record<string, string> = {
  privacy_centre: 'Privacy centre',
  api: 'API',
  email: 'Email',
  post: 'Letter',
  phone: 'Phone',
  drp: 'Data Rights Protocol agent',
};

export const taskKindLabels: Record<RequestTask['kind'], string> = {
  system: 'System',
  recipient_notice: 'Tell a recipient',
  provider_route: 'Route to the provider',
  manual: 'Manual',
};

export function channelLabel(channel: string): string {
  return channelLabels[channel] ?? capitalise(humanise(channel));
}

/** Whole days from `now` to `deadline`: positive ahead, negative past (−1 as soon as it passes). */
export function daysUntil(deadline: string, now: number): number {
  return Math.floor((Date.parse(deadline) - now) / DAY_MS);
}

/** Whether an open request is past its deadline in force (by the server's word, or by now). */
export function isOverdue(request: RequestSummary, now: number): boolean {
  return (
    !closedRequestStatuses.has(request.status) && (request.overdue || Date.parse(request.deadline) < now)
  );
}

/**
 * The deadline in force, with the days left or how late it is, said in words (never by colour
 * alone). Closed requests say when they closed instead.
 */
export function Deadline({ request, now }: { request: RequestSummary; now: number }) {
  const closed = closedRequestStatuses.has(request.status);
  let standing;
  if (closed) {
    standing = request.closedAt ? (
      <>
        Closed <Timestamp value={request.closedAt} dateOnly />
        {request.closedAt > request.deadline ? ', after the deadline' : ''}
      </>
    ) : (
      'Closed'
    );
  } else if (isOverdue(request, now)) {
    const late = Math.floor((now - Date.parse(request.deadline)) / DAY_MS);
    standing = (
      <>
        <span className="badge badge-error">Overdue</span>{' '}
        {late < 1 ? 'by less than a day' : `by ${plural(late, 'day', 'days')}`}
      </>
    );
  } else {
    const left = daysUntil(request.deadline, now);
    standing =
      left < 1 ? (
        <>
          <span className="badge badge-warning">Due</span> within a day
        </>
      ) : (
        `${plural(left, 'day', 'days')} left`
      );
  }
  return (
    <>
      <Timestamp value={request.deadline} dateOnly />
      {request.extendedTo !== null && <span className="muted"> (extended)</span>}
      <span className="cell-note" data-testid="deadline-standing">
        {standing}
      </span>
    </>
  );
}
