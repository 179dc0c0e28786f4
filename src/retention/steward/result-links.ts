/**
 * Result links of rights requests after they expired (their own `expires_at`): a dead link is a
 * token's hash and its counters, and whether the answer was collected is in the request's
 * timeline and the audit ledger, so it goes. Swept with the rule that keeps what requests leave
 * behind; no hold covers it, since it holds nothing about the person.
 */
import type { AppContext } from '../../context.js';
import type { ResultLinkTable } from '../../store/schema.js';
import type { RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, keysetTarget } from '../targets.js';
import { keepsRequests } from './outbox.js';

type Row = Pick<ResultLinkTable, 'token_hash' | 'expires_at' | 'created_at'>;

export function resultLinksTarget(
  _ctx: AppContext,
  system: string,
  scope: RuleScope,
): SweepTarget | undefined {
  if (!keepsRequests(scope)) return undefined;
  return keysetTarget<Row>(system, {
    collection: 'result_links',
    action: 'delete',
    select: (db, cursor, size, at) => {
      const now = at.toISOString();
      return afterCursor(
        db
          .selectFrom('result_links')
          .select(['result_links.token_hash', 'result_links.expires_at', 'result_links.created_at'])
          .where('result_links.expires_at', '<', now)
          .where((eb) =>
            eb.or([
              eb('result_links.delivering_until', 'is', null),
              eb('result_links.delivering_until', '<', now),
            ]),
          )
          .where(({ exists, selectFrom }) =>
            exists(
              selectFrom('requests')
                .select('requests.id')
                .whereRef('requests.id', '=', 'result_links.request_id')
                .where('requests.declaration_id', '=', scope.model.id),
            ),
          ),
        'result_links.expires_at',
        'result_links.token_hash',
        cursor,
      )
        .limit(size)
        .execute();
    },
    key: (r) => [r.expires_at, r.token_hash],
    oldest: (r) => ({ clock: r.created_at, deadline: r.expires_at }),
    async apply(tx, rows) {
      await tx
        .deleteFrom('result_links')
        .where(
          'token_hash',
          'in',
          rows.map((r) => r.token_hash),
        )
        .execute();
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
