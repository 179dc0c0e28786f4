/**
 * Objections (Art. 21, C9.3). An objection to direct marketing, or to reusing content the person
 * made public, is absolute: it takes effect at once through `objectToPurpose` (C4a.7, C4a.4). An
 * objection to other processing on legitimate interests (or a public task) is weighed: it is
 * recorded as pending, and an operator decides with reasons. Upheld, the purpose stops for the
 * person: their records lose it (a record serving nothing else is deleted, unless held), and
 * capture refuses new records for it.
 *
 * The stop is kept like the marketing objection: as suppression entries under the keyed hashes
 * of the person's identifiers, with scope `purpose:<id>`, so it outlives erasure and holds for
 * identifiers linked later. The pending state and the decision live in the audit ledger (the
 * request workflow keeps the request itself): `pendingObjections` folds those entries.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { markSuppressionChange, suppressAddress } from '../consent/changes.js';
import { dropPurposes, objectToPurpose } from '../consent/object-to-purpose.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { LegalBasis, Purpose } from '../policy/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { subjectForRequest } from './restrict-subject.js';

/** The suppression scope that stops a purpose for a person after an upheld objection. */
export const purposeScope = (purposeId: string): string => `purpose:${purposeId}`;

/**
 * The purposes among `purposes` that an upheld objection stops for this person, found by the
 * keyed hashes of their identifiers (so a person who comes back after erasure is still covered).
 */
export async function stoppedPurposes(
  db: Tx,
  input: { subjectId: string; tenant: string; declarationId: string; purposes: readonly string[] },
): Promise<string[]> {
  if (input.purposes.length === 0) return [];
  const rows = await db
    .selectFrom('suppressions')
    .select('scope')
    .where(
      'lookup',
      'in',
      db
        .selectFrom('identifiers')
        .select('lookup')
        .where('subject_id', '=', input.subjectId)
        .where('tenant', '=', input.tenant),
    )
    .where('declaration_id', '=', input.declarationId)
    .where('scope', 'in', input.purposes.map(purposeScope))
    .where('reason', '=', 'objected')
    .execute();
  const scopes = new Set(rows.map((r) => r.scope));
  return input.purposes.filter((p) => scopes.has(purposeScope(p)));
}

export interface PendingObjection {
  readonly declarationId: string;
  readonly purpose: string;
  readonly recordedAt: string;
  readonly requestId: string | null;
}

interface ObjectionDetails {
  readonly declarationId?: string;
  readonly purpose?: string;
  readonly request?: string | null;
}

/** The weighed objections of a subject still waiting for an operator's decision. */
export async function pendingObjections(db: Tx, subjectId: string): Promise<PendingObjection[]> {
  const entries = await db
    .selectFrom('audit_log')
    .select(['action', 'at', 'details'])
    .where('target', '=', `subject:${subjectId}`)
    .where('action', 'in', ['subject.objection_recorded', 'subject.objection_decided'])
    .orderBy('seq')
    .execute();
  const pending = new Map<string, PendingObjection>();
  for (const entry of entries) {
    const details = JSON.parse(entry.details) as ObjectionDetails;
    if (details.declarationId === undefined || details.purpose === undefined) continue;
    const key = `${details.declarationId}|${details.purpose}`;
    if (entry.action === 'subject.objection_decided') pending.delete(key);
    else
      pending.set(key, {
        declarationId: details.declarationId,
        purpose: details.purpose,
        recordedAt: entry.at,
        requestId: details.request ?? null,
      });
  }
  return [...pending.values()];
}

async function isPending(tx: Tx, subjectId: string, declarationId: string, purposeId: string) {
  return (await pendingObjections(tx, subjectId)).some(
    (p) => p.declarationId === declarationId && p.purpose === purposeId,
  );
}

export const objectInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  declarationId: z.string().min(1).max(100),
  purpose: z.string().min(1).max(100),
  requestId: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(50).default('rights_request'),
});

export type ObjectionOutcome =
  /** Absolute objections (direct marketing, public content): done at once. */
  | {
      readonly status: 'upheld';
      readonly purpose: string;
      readonly absolute: boolean;
      readonly removedRecords: number;
      readonly updatedRecords: number;
    }
  /** Weighed objections: an operator decides with `decideObjection`. */
  | {
      readonly status: 'pending_decision';
      readonly purpose: string;
      readonly basis: LegalBasis;
      /** The legitimate-interest assessment the decision weighs the objection against. */
      readonly assessment: Purpose['legitimateInterest'] | null;
      /** Records of the person that serve the purpose now. */
      readonly records: number;
    }
  /** Art. 21(1) covers processing on legitimate interests or a public task only. */
  | { readonly status: 'not_applicable'; readonly purpose: string; readonly basis: LegalBasis | null };

function purposeOf(ctx: AppContext, declarationId: string, purposeId: string) {
  const active = ctx.policies.get(declarationId);
  const purpose = active?.model.purposes.get(purposeId);
  if (active === undefined || purpose === undefined) {
    throw new AppError('not_declared', `Purpose "${purposeId}" is not declared in "${declarationId}".`, [
      { path: 'purpose', message: 'unknown purpose' },
    ]);
  }
  return { active, purpose };
}

async function recordsServing(
  tx: Tx,
  subjectId: string,
  active: ActiveDeclaration,
  purposeId: string,
): Promise<number> {
  const rows = await tx
    .selectFrom('records')
    .select('purposes')
    .where('subject_id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('declaration_id', '=', active.model.id)
    .execute();
  return rows.filter((r) => (JSON.parse(r.purposes) as { id: string }[]).some((p) => p.id === purposeId))
    .length;
}

/**
 * Records an objection to a purpose. Direct marketing and public content stop at once; a purpose
 * on legitimate interests (or a public task) waits for `decideObjection`; any other basis gives
 * `not_applicable` (withdraw consent, or ask for erasure, instead). Recording it again while it
 * is pending changes nothing. Needs `requests:manage` (and `consent:write` for the absolute kinds).
 */
export async function recordObjection(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof objectInput>,
): Promise<ObjectionOutcome> {
  requirePermission(actor, 'requests:manage');
  const input = objectInput.parse(raw);
  const { active, purpose } = purposeOf(ctx, input.declarationId, input.purpose);
  if (purpose.directMarketing === true || purpose.publicContent === true) {
    const done = await objectToPurpose(ctx, actor, input.subjectId, {
      declarationId: input.declarationId,
      purpose: purpose.id,
      channel: input.channel,
    });
    return {
      status: 'upheld',
      purpose: purpose.id,
      absolute: true,
      removedRecords: done.removedRecords,
      updatedRecords: done.updatedRecords,
    };
  }
  return transaction(ctx.store, async (tx): Promise<ObjectionOutcome> => {
    const subject = await subjectForRequest(tx, input.subjectId);
    const basis = active.model.basisFor(purpose, subject.jurisdiction ?? 'default') ?? null;
    if (basis !== 'legitimate_interests' && basis !== 'public_task')
      return { status: 'not_applicable', purpose: purpose.id, basis };
    const stopped = await stoppedPurposes(tx, {
      subjectId: subject.id,
      tenant: CONTROLLER_TENANT,
      declarationId: active.model.id,
      purposes: [purpose.id],
    });
    if (stopped.length > 0)
      return { status: 'upheld', purpose: purpose.id, absolute: false, removedRecords: 0, updatedRecords: 0 };
    if (!(await isPending(tx, subject.id, active.model.id, purpose.id))) {
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: actorRef(actor),
        action: 'subject.objection_recorded',
        target: `subject:${subject.id}`,
        details: {
          declarationId: active.model.id,
          purpose: purpose.id,
          basis,
          request: input.requestId ?? null,
          channel: input.channel,
        },
      });
    }
    return {
      status: 'pending_decision',
      purpose: purpose.id,
      basis,
      assessment: purpose.legitimateInterest ?? null,
      records: await recordsServing(tx, subject.id, active, purpose.id),
    };
  });
}

export const decideObjectionInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  declarationId: z.string().min(1).max(100),
  purpose: z.string().min(1).max(100),
  uphold: z.boolean(),
  reasons: z
    .string()
    .trim()
    .min(10, 'must give the reasons for the decision; they are told to the person')
    .max(4000),
  requestId: z.string().min(1).max(100).optional(),
});

export interface ObjectionDecision {
  readonly purpose: string;
  readonly upheld: boolean;
  readonly reasons: string;
  /** Records deleted because the purpose was all they served. */
  readonly removedRecords: number;
  /** Records that keep serving other purposes (or a legal hold) without this one. */
  readonly updatedRecords: number;
}

/**
 * Decides a pending objection, with reasons. Upheld: the purpose stops for the person (records
 * and future capture). Not upheld: processing goes on, and the reasons (the compelling legitimate
 * grounds) are recorded for the answer. Refused with `conflict` when no objection is pending.
 * Needs `requests:manage`.
 */
export async function decideObjection(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof decideObjectionInput>,
): Promise<ObjectionDecision> {
  requirePermission(actor, 'requests:manage');
  const input = decideObjectionInput.parse(raw);
  const { active, purpose } = purposeOf(ctx, input.declarationId, input.purpose);
  return transaction(ctx.store, async (tx) => {
    const subject = await subjectForRequest(tx, input.subjectId);
    if (!(await isPending(tx, subject.id, active.model.id, purpose.id))) {
      throw new AppError(
        'conflict',
        `No objection to "${purpose.id}" is waiting for a decision for subject ${subject.id}; record it first.`,
        [{ path: 'purpose', message: 'no pending objection' }],
      );
    }
    let removed = 0;
    let updated = 0;
    if (input.uphold) {
      const dropped = await dropPurposes(tx, {
        subjectId: subject.id,
        declarationId: active.model.id,
        purposes: [purpose.id],
      });
      removed = dropped.removed;
      updated = dropped.updated + dropped.held;
      const identifiers = await tx
        .selectFrom('identifiers')
        .select('lookup')
        .where('subject_id', '=', subject.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
      for (const { lookup } of identifiers) {
        await suppressAddress(tx, ctx.clock, {
          lookup,
          declarationId: active.model.id,
          scope: purposeScope(purpose.id),
          reason: 'objected',
          subjectId: subject.id,
        });
      }
      await markSuppressionChange(tx, ctx, subject.id);
    }
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.objection_decided',
      target: `subject:${subject.id}`,
      details: {
        declarationId: active.model.id,
        purpose: purpose.id,
        upheld: input.uphold,
        reasons: input.reasons,
        removedRecords: removed,
        updatedRecords: updated,
        request: input.requestId ?? null,
      },
    });
    return {
      purpose: purpose.id,
      upheld: input.uphold,
      reasons: input.reasons,
      removedRecords: removed,
      updatedRecords: updated,
    };
  });
}
