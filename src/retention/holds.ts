/**
 * Legal holds (C4f.2): a subject's data, or only some data categories of it, set aside because
 * the law, a court or a dispute requires it. What a hold covers is exempt from erasure and from
 * retention deletion until the hold is released; the erasure answer names the hold so the
 * requester learns why. Placing and releasing are audited with their reasons.
 *
 * A retention sweep must never delete what a hold placed during the sweep covers. Each batch of a
 * sweep reads the holds of its rows and deletes in one transaction, under `lockHolds('batch')`;
 * placing a hold takes `lockHolds('place')` first. On PostgreSQL that is an advisory lock, shared
 * by batches (they do not wait for each other) and exclusive for placing: a hold waits for the
 * batches in flight to commit, and every batch that starts later waits for the hold to commit and
 * then sees it. SQLite runs one writing transaction at a time (BEGIN IMMEDIATE), which gives the
 * same order without a lock.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import type { LegalHoldTable } from '../store/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

export const placeHoldInput = z.strictObject({
  categories: z
    .array(z.string().min(1).max(200))
    .min(1, 'name at least one data category, or leave the field out to hold everything')
    .max(50)
    .optional()
    .describe('Data category keys the hold covers (a key covers the keys below it); absent: everything'),
  reason: z.string().trim().min(5, 'must say why the data must be kept').max(1000),
  reference: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Case number, court order or other reference'),
});
export type PlaceHoldInput = z.input<typeof placeHoldInput>;

export const releaseHoldInput = z.strictObject({
  reason: z.string().trim().min(5, 'must say why the hold ends').max(1000),
});
export type ReleaseHoldInput = z.input<typeof releaseHoldInput>;

export interface LegalHold {
  readonly id: string;
  readonly subjectId: string;
  /** The data categories held, or null for everything held about the subject. */
  readonly categories: readonly string[] | null;
  readonly reason: string;
  readonly reference: string | null;
  readonly placedBy: string;
  readonly placedAt: string;
  readonly releasedBy: string | null;
  readonly releasedAt: string | null;
  readonly active: boolean;
}

function toHold(row: LegalHoldTable): LegalHold {
  return {
    id: row.id,
    subjectId: row.subject_id,
    categories: row.categories === null ? null : (JSON.parse(row.categories) as string[]),
    reason: row.reason,
    reference: row.reference,
    placedBy: row.placed_by,
    placedAt: row.placed_at,
    releasedBy: row.released_by,
    releasedAt: row.released_at,
    active: row.released_at === null,
  };
}

/** The advisory lock key that orders hold placement against sweep batches (PostgreSQL). */
const HOLDS_LOCK = 7270021;

/**
 * Takes the lock between placing holds and sweeping, held until the transaction ends: `batch`
 * (shared) before a sweep batch reads holds, `place` (exclusive) before a hold is inserted.
 */
export async function lockHolds(
  tx: Tx,
  dialect: 'sqlite' | 'postgres',
  mode: 'batch' | 'place',
): Promise<void> {
  if (dialect !== 'postgres') return;
  if (mode === 'batch') await sql`select pg_advisory_xact_lock_shared(${HOLDS_LOCK})`.execute(tx);
  else await sql`select pg_advisory_xact_lock(${HOLDS_LOCK})`.execute(tx);
}

/** The holds in force on each of several subjects (those without any are absent). */
export async function holdsBySubject(
  db: Tx,
  subjectIds: Iterable<string>,
): Promise<ReadonlyMap<string, LegalHold[]>> {
  const bySubject = new Map<string, LegalHold[]>();
  const ids = [...new Set(subjectIds)];
  for (let i = 0; i < ids.length; i += 500) {
    for (const hold of await activeHolds(db, ids.slice(i, i + 500))) {
      const list = bySubject.get(hold.subjectId) ?? [];
      list.push(hold);
      bySubject.set(hold.subjectId, list);
    }
  }
  return bySubject;
}

/** Every hold in force, oldest first (a connected system's sweep asks before each batch). */
export async function holdsInForce(db: Tx): Promise<LegalHold[]> {
  const rows = await db
    .selectFrom('legal_holds')
    .selectAll()
    .where('released_at', 'is', null)
    .orderBy('placed_at')
    .orderBy('id')
    .execute();
  return rows.map(toHold);
}

/** The holds in force on a subject (or on any of several), oldest first. */
export async function activeHolds(db: Tx, subjectId: string | readonly string[]): Promise<LegalHold[]> {
  const ids = typeof subjectId === 'string' ? [subjectId] : [...subjectId];
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('legal_holds')
    .selectAll()
    .where('subject_id', 'in', ids)
    .where('released_at', 'is', null)
    .orderBy('placed_at')
    .orderBy('id')
    .execute();
  return rows.map(toHold);
}

/**
 * The first hold that covers data of the given categories: one without categories, or one whose
 * category is the same as, above or below one of them (a hold on `user.contact` covers a record of
 * `user.contact.email`, and a record of `user.contact` may hold the email a hold names).
 */
export function holdCovering(
  holds: readonly LegalHold[],
  categories: readonly string[],
): LegalHold | undefined {
  return holds.find(
    (hold) =>
      hold.categories === null ||
      hold.categories.some((h) => categories.some((c) => categoryCovers(h, c) || categoryCovers(c, h))),
  );
}

/** Holds are ours, for our legal claims: a subject held as processor is not found here. */
async function liveSubject(tx: Tx, subjectId: string): Promise<void> {
  const row = await tx
    .selectFrom('subjects')
    .select(['merged_into'])
    .where('id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirst();
  if (row === undefined) throw notFound(`Subject ${subjectId}`);
  if (row.merged_into !== null)
    throw new AppError(
      'conflict',
      `Subject ${subjectId} was merged into ${row.merged_into}; place the hold on that subject.`,
      [{ path: 'subjectId', message: 'merged into another subject' }],
    );
}

/** Places a hold on a subject's data (all of it, or the named categories). Needs `holds:manage`. */
export async function placeLegalHold(
  ctx: AppContext,
  actor: Actor,
  subjectId: string,
  raw: PlaceHoldInput,
): Promise<LegalHold> {
  requirePermission(actor, 'holds:manage');
  const input = placeHoldInput.parse(raw);
  const unknown = (input.categories ?? [])
    .map((key, i) => ({ key, i }))
    .filter(({ key }) => !ctx.policies.list().some((a) => a.model.hasCategory(key)));
  if (unknown.length > 0) {
    throw new AppError(
      'validation_failed',
      `Unknown data categories: ${unknown.map((u) => u.key).join(', ')}.`,
      unknown.map(({ key, i }) => ({ path: `categories[${i}]`, message: `"${key}" is not in the taxonomy` })),
    );
  }
  const row: LegalHoldTable = {
    id: randomUUID(),
    subject_id: subjectId,
    categories: input.categories === undefined ? null : JSON.stringify([...new Set(input.categories)]),
    reason: input.reason,
    reference: input.reference ?? null,
    placed_by: actorRef(actor),
    placed_at: ctx.clock.now().toISOString(),
    released_by: null,
    released_at: null,
  };
  await transaction(ctx.store, async (tx) => {
    // A sweep batch in flight commits first; every later batch sees this hold.
    await lockHolds(tx, ctx.store.dialect, 'place');
    await liveSubject(tx, subjectId);
    await tx.insertInto('legal_holds').values(row).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: row.placed_by,
      action: 'legal_hold.placed',
      target: `subject:${subjectId}`,
      details: {
        hold: row.id,
        categories: input.categories ?? null,
        reason: input.reason,
        reference: input.reference ?? null,
      },
    });
  });
  return toHold(row);
}

/** Every hold of a subject, in force or released, newest first. Needs `requests:read`. */
export async function listLegalHolds(ctx: AppContext, actor: Actor, subjectId: string): Promise<LegalHold[]> {
  requirePermission(actor, 'requests:read');
  const rows = await ctx.store.db
    .selectFrom('legal_holds')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('placed_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map(toHold);
}

/**
 * Releases a hold, recording why. Releasing a hold already released changes nothing and returns
 * it as it is. The data it covered is then subject to erasure and retention again.
 */
export async function releaseLegalHold(
  ctx: AppContext,
  actor: Actor,
  holdId: string,
  raw: ReleaseHoldInput,
): Promise<LegalHold> {
  requirePermission(actor, 'holds:manage');
  const input = releaseHoldInput.parse(raw);
  return transaction(ctx.store, async (tx) => {
    const row = await tx.selectFrom('legal_holds').selectAll().where('id', '=', holdId).executeTakeFirst();
    if (row === undefined) throw notFound(`Legal hold ${holdId}`);
    if (row.released_at !== null) return toHold(row);
    const released = { ...row, released_by: actorRef(actor), released_at: ctx.clock.now().toISOString() };
    await tx
      .updateTable('legal_holds')
      .set({ released_by: released.released_by, released_at: released.released_at })
      .where('id', '=', holdId)
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: released.released_by,
      action: 'legal_hold.released',
      target: `subject:${row.subject_id}`,
      details: { hold: holdId, reason: input.reason },
    });
    return toHold(released);
  });
}
