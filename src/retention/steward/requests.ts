/**
 * Rights requests that were closed, whole: the request (with its sealed claims and outcome), its
 * timeline, verification challenges, tasks, plan and steps, contacts, result links and the DRP
 * messages that opened it. Counted from when the request was received, under the rule of the
 * purpose that handles requests, for its email addresses (as the messages about requests are):
 * the record of how a request was handled is kept that long, then goes. A request still open is
 * the basis of work under way and is never swept. A request is held when its person (once
 * verified) is under a hold covering what requests hold. A request without its requester says
 * nothing, so anonymising it is deleting it.
 */
import type { AppContext } from '../../context.js';
import type { RequestTable } from '../../store/schema.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { keepsRequests, rightsPurpose } from './outbox.js';
import { releaseEmptySubjects } from './release-subjects.js';

type Row = Pick<RequestTable, 'id' | 'subject_id' | 'received_at'>;

/** Tables whose rows belong to one request (`request_id`), removed before the request itself. */
const parts = [
  'request_events',
  'verification_challenges',
  'request_tasks',
  'request_steps',
  'request_plans',
  'request_contacts',
  'result_links',
  'drp_messages',
] as const;

export function requestsTarget(ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  if (!keepsRequests(scope)) return undefined;
  const categories = rightsPurpose(scope)?.categories ?? [];
  return keysetTarget<Row>(system, {
    collection: 'requests',
    action: 'delete',
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('requests')
          .select(['id', 'subject_id', 'received_at'])
          .where('declaration_id', '=', scope.model.id)
          .where('received_at', '<', thresholdOf(scope, at).toISOString())
          .where('closed_at', 'is not', null),
        'received_at',
        'id',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.received_at, r.id],
    oldest: (r) => ({ clock: r.received_at, deadline: deadlineOf(scope, r.received_at) }),
    subjects: async (_db, rows) =>
      new Map(
        rows.flatMap((r) => (r.subject_id === null ? [] : [[r, { subjectId: r.subject_id, categories }]])),
      ),
    async apply(tx, rows) {
      const ids = rows.map((r) => r.id);
      for (const table of parts) await tx.deleteFrom(table).where('request_id', 'in', ids).execute();
      await tx.deleteFrom('requests').where('id', 'in', ids).execute();
      await releaseEmptySubjects(
        tx,
        ctx,
        rows.flatMap((r) => (r.subject_id === null ? [] : [r.subject_id])),
      );
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
