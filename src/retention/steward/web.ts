/**
 * The website's data: events (C3d), counted from when they happened (`at`) under the rule of the
 * event's purpose for browsing history, and the links that tie a browser's consent id to a known
 * person (C3d.4), counted from the linking under the rule of the link's purpose for cookie ids.
 *
 * An event is personal data while it keeps a visitor id, a consent reference (through which a
 * link names the person) or the /24 network; anonymising drops those three and keeps what is
 * counted (page, type, time, country, browser family), and an anonymised event is outside every
 * later sweep. A link is nothing but identity, so anonymising it is deleting it. Events are held
 * when their consent reference leads through a link to a person under a hold.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { WebEventTable, WebLinkTable } from '../../store/schema.js';
import type { Tx } from '../../store/transaction.js';
import type { HoldSubject, RuleScope, SweepTarget } from '../targets.js';
import { afterCursor, deadlineOf, keysetTarget, thresholdOf } from '../targets.js';
import { releaseEmptySubjects } from './release-subjects.js';

export const BROWSING_CATEGORY = 'user.behavior.browsing_history';
export const COOKIE_ID_CATEGORY = 'user.device.cookie_id';

/** As the partial index web_events_retention says it, so the index serves the sweep. */
const identifying = sql<boolean>`(visitor is not null or consent_ref is not null or network is not null)`;

type EventRow = Pick<WebEventTable, 'at' | 'consent_ref'> & { id: number };

/** Of the purposes named, those whose retention for `category` is the rule. */
function underRule(scope: RuleScope, purposeIds: Iterable<string>, category: string): string[] {
  return [...new Set(purposeIds)].filter((id) => {
    const purpose = scope.model.purposes.get(id);
    return purpose !== undefined && scope.model.retentionFor(purpose, category)?.id === scope.rule.id;
  });
}

export function webEventsTarget(_ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  // The purposes events are taken for are the declared analytics events'.
  const analytics = scope.model.declaration.analytics;
  const purposes = underRule(
    scope,
    analytics.events.map((e) => e.purpose),
    BROWSING_CATEGORY,
  );
  if (purposes.length === 0) return undefined;

  /** Whose events these are: the person a link ties their consent reference to. */
  async function subjects(db: Tx, rows: readonly EventRow[]): Promise<Map<EventRow, HoldSubject>> {
    const refs = [...new Set(rows.flatMap((r) => (r.consent_ref === null ? [] : [r.consent_ref])))];
    const owners = new Map<EventRow, HoldSubject>();
    if (refs.length === 0) return owners;
    const links = await db
      .selectFrom('web_links')
      .select(['consent_ref', 'subject_id'])
      .where('declaration_id', '=', scope.model.id)
      .where('consent_ref', 'in', refs)
      .execute();
    const byRef = new Map(links.map((l) => [l.consent_ref, l.subject_id]));
    for (const row of rows) {
      const subjectId = row.consent_ref === null ? undefined : byRef.get(row.consent_ref);
      if (subjectId !== undefined) owners.set(row, { subjectId, categories: [BROWSING_CATEGORY] });
    }
    return owners;
  }

  return keysetTarget<EventRow>(system, {
    collection: 'web_events',
    action: scope.rule.action,
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('web_events')
          .select(['id', 'at', 'consent_ref'])
          .where('declaration_id', '=', scope.model.id)
          .where('purpose', 'in', purposes)
          .where('at', '<', thresholdOf(scope, at).toISOString())
          .where(identifying),
        'at',
        'id',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.at, r.id],
    oldest: (r) => ({ clock: r.at, deadline: deadlineOf(scope, r.at) }),
    subjects,
    async apply(tx, rows) {
      const ids = rows.map((r) => r.id);
      if (scope.rule.action === 'anonymise') {
        await tx
          .updateTable('web_events')
          .set({ visitor: null, consent_ref: null, network: null })
          .where('id', 'in', ids)
          .execute();
        return { deleted: 0, anonymised: rows.length };
      }
      await tx.deleteFrom('web_events').where('id', 'in', ids).execute();
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}

type LinkRow = Pick<WebLinkTable, 'id' | 'subject_id' | 'linked_at'>;

export function webLinksTarget(ctx: AppContext, system: string, scope: RuleScope): SweepTarget | undefined {
  // Browsers are linked to people only for the purpose `analytics.linkToSubject` names.
  const link = scope.model.declaration.analytics.linkToSubject;
  const purposes = underRule(scope, link === undefined ? [] : [link.purpose], COOKIE_ID_CATEGORY);
  if (purposes.length === 0) return undefined;
  return keysetTarget<LinkRow>(system, {
    collection: 'web_links',
    action: 'delete',
    select: (db, cursor, size, at) =>
      afterCursor(
        db
          .selectFrom('web_links')
          .select(['id', 'subject_id', 'linked_at'])
          .where('declaration_id', '=', scope.model.id)
          .where('purpose', 'in', purposes)
          .where('linked_at', '<', thresholdOf(scope, at).toISOString()),
        'linked_at',
        'id',
        cursor,
      )
        .limit(size)
        .execute(),
    key: (r) => [r.linked_at, r.id],
    oldest: (r) => ({ clock: r.linked_at, deadline: deadlineOf(scope, r.linked_at) }),
    subjects: async (_db, rows) =>
      new Map(
        rows.map((r) => [
          r,
          { subjectId: r.subject_id, categories: [COOKIE_ID_CATEGORY, BROWSING_CATEGORY] },
        ]),
      ),
    async apply(tx, rows) {
      await tx
        .deleteFrom('web_links')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      await releaseEmptySubjects(
        tx,
        ctx,
        rows.map((r) => r.subject_id),
      );
      return { deleted: rows.length, anonymised: 0 };
    },
  });
}
