/**
 * Withdrawal of consent (Art. 7(3), C9.4): every consent the person gave stops from now on, and
 * what was done before stays lawful (withdrawal is not retroactive, so the earlier events stay in
 * the ledger, followed by a `withdrawn` event). Records lose their consent-based purposes; a
 * record left with no purpose has no ground to be kept and is deleted (unless a legal hold covers
 * it). Records kept on other grounds stay, and the answer says which and why, from the
 * declaration.
 *
 * Subscriptions to opt-in communications are ended through `unsubscribe`, one transaction per
 * subscription, before the rest is written in one transaction: a withdrawal interrupted between
 * them is completed by running it again (it is idempotent).
 */
import { catalogLanguage, messages, shippedLanguages } from '../i18n/messages.js';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { consentedPurposes, recordConsentEvents } from '../consent/ledger.js';
import { dropPurposes } from '../consent/object-to-purpose.js';
import { unsubscribe } from '../consent/subscriptions.js';
import type { AppContext } from '../context.js';
import { notInForce } from '../errors.js';
import { describeBasis } from '../policy/describe.js';
import { resolveByJurisdiction } from '../policy/model.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { LegalBasis, Purpose } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { transaction } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { subjectForRequest } from './restrict-subject.js';

/**
 * Why a purpose may go on without consent, in our words for the requester, from the declaration.
 *
 * @example groundsFor(bookkeeping, 'legal_obligation')
 *   // "The law requires it: Bokföringslagen (1999:1078) ch. 7 (Legal obligation (Art. 6(1)(c) GDPR))."
 */
export function groundsFor(purpose: Purpose, basis: LegalBasis, language = 'en'): string {
  const m = messages(language);
  const named = describeBasis(basis, language);
  const description = localise(purpose.description, language).replace(/\.$/, '');
  switch (basis) {
    case 'contract':
      return m.format('grounds.contract', { basis: named, description });
    case 'legal_obligation':
      return purpose.statutoryObligation === undefined
        ? m.format('grounds.legal_obligation', { basis: named, description })
        : m.format('grounds.statute', { basis: named, statute: purpose.statutoryObligation });
    case 'legitimate_interests': {
      const interest = purpose.legitimateInterest?.interest;
      const why = interest === undefined ? description : localise(interest, language).replace(/\.$/, '');
      return m.format('grounds.legitimate_interests', { basis: named, why });
    }
    case 'consent':
      return m.format('grounds.consent', { basis: named });
    default:
      return m.format('grounds.other', { basis: named, description });
  }
}

export const withdrawInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  /** One declaration; absent: every declaration in force. */
  declarationId: z.string().min(1).max(100).optional(),
  requestId: z.string().min(1).max(100).optional(),
  channel: z.string().min(1).max(50).default('rights_request'),
  /** The language the names and grounds are told in (the requester's); default English. */
  language: z
    .string()
    .max(10)
    .refine((l) => catalogLanguage(l) !== undefined, {
      message: `must be a language Steward has wording in: ${shippedLanguages.join(', ')}`,
    })
    .default('en'),
});

export interface StoppedPurpose {
  readonly declarationId: string;
  readonly purpose: string;
  readonly name: string;
}

export interface ContinuingPurpose {
  readonly declarationId: string;
  readonly purpose: string;
  readonly name: string;
  readonly basis: LegalBasis;
  /** Requester-facing: the ground the processing goes on under, from the declaration. */
  readonly why: string;
  /** The person's records that serve it. */
  readonly records: number;
}

export interface WithdrawResult {
  readonly stopped: readonly StoppedPurpose[];
  /** Subscriptions to opt-in communications that were ended. */
  readonly unsubscribed: readonly { declarationId: string; communication: string }[];
  readonly continuing: readonly ContinuingPurpose[];
  /** Records that served only consent-based purposes, now deleted. */
  readonly removedRecords: number;
  /** Records kept without their consent-based purposes (on other grounds, or under a legal hold). */
  readonly updatedRecords: number;
}

interface StoredPurpose {
  readonly id: string;
  readonly basis: LegalBasis | null;
}

/** Withdraws every consent of a subject. Harmless when repeated. Needs `requests:manage`. */
export async function withdrawConsent(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof withdrawInput>,
): Promise<WithdrawResult> {
  requirePermission(actor, 'requests:manage');
  const input = withdrawInput.parse(raw);
  let declarations: ActiveDeclaration[];
  if (input.declarationId === undefined) declarations = ctx.policies.list();
  else {
    const active = ctx.policies.get(input.declarationId);
    if (active === undefined) throw notInForce(input.declarationId);
    declarations = [active];
  }
  const subject = await transaction(ctx.store, (tx) => subjectForRequest(tx, input.subjectId));
  const subjectId = subject.id;
  const jurisdiction = subject.jurisdiction ?? 'default';

  const unsubscribed: { declarationId: string; communication: string }[] = [];
  const subscriptions = await ctx.store.db
    .selectFrom('subscriptions')
    .select(['identifier_id', 'declaration_id', 'communication_id'])
    .where('subject_id', '=', subjectId)
    .where('state', 'in', ['confirmed', 'unconfirmed'])
    .execute();
  const stoppedByCommunication = new Map<string, StoppedPurpose>();
  for (const s of subscriptions) {
    const active = declarations.find((d) => d.model.id === s.declaration_id);
    const communication = active?.model.declaration.communications.find((c) => c.id === s.communication_id);
    if (active === undefined || communication === undefined || communication.kind !== 'marketing') continue;
    if (resolveByJurisdiction(communication.permission, jurisdiction) !== 'opt_in') continue;
    await unsubscribe(ctx, actorRef(actor), {
      declarationId: s.declaration_id,
      communication: s.communication_id,
      identifierId: s.identifier_id,
      channel: input.channel,
    });
    unsubscribed.push({ declarationId: s.declaration_id, communication: s.communication_id });
    const purpose = active.model.purposes.get(communication.purpose);
    stoppedByCommunication.set(`${s.declaration_id}|${communication.purpose}`, {
      declarationId: s.declaration_id,
      purpose: communication.purpose,
      name: purpose === undefined ? communication.purpose : localise(purpose.name, input.language),
    });
  }

  return transaction(ctx.store, async (tx): Promise<WithdrawResult> => {
    const stopped = new Map(stoppedByCommunication);
    const continuing = new Map<string, ContinuingPurpose>();
    let removedRecords = 0;
    let updatedRecords = 0;
    for (const active of declarations) {
      const declarationId = active.model.id;
      const given = [...(await consentedPurposes(tx, subjectId, declarationId))].sort();
      if (given.length > 0) {
        await recordConsentEvents(tx, ctx, {
          subjectId,
          declaration: active,
          targets: given.map((id) => ({ kind: 'purpose' as const, id })),
          event: 'withdrawn',
          noticeHash: active.version.contentHash,
          channel: input.channel,
          element: 'withdrawal',
        });
      }
      const records = await tx
        .selectFrom('records')
        .select('purposes')
        .where('subject_id', '=', subjectId)
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('declaration_id', '=', declarationId)
        .execute();
      const onConsent = new Set(given);
      for (const r of records)
        for (const p of JSON.parse(r.purposes) as StoredPurpose[])
          if (p.basis === 'consent') onConsent.add(p.id);
      for (const id of onConsent) {
        const purpose = active.model.purposes.get(id);
        stopped.set(`${declarationId}|${id}`, {
          declarationId,
          purpose: id,
          name: purpose === undefined ? id : localise(purpose.name, input.language),
        });
      }
      const dropped = await dropPurposes(tx, { subjectId, declarationId, purposes: [...onConsent] });
      removedRecords += dropped.removed;
      updatedRecords += dropped.updated + dropped.held;

      const remaining = await tx
        .selectFrom('records')
        .select('purposes')
        .where('subject_id', '=', subjectId)
        .where('declaration_id', '=', declarationId)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
      for (const r of remaining) {
        for (const p of JSON.parse(r.purposes) as StoredPurpose[]) {
          const purpose = active.model.purposes.get(p.id);
          if (purpose === undefined || p.basis === null || p.basis === 'consent') continue;
          const key = `${declarationId}|${p.id}|${p.basis}`;
          const entry = continuing.get(key);
          continuing.set(key, {
            declarationId,
            purpose: p.id,
            name: localise(purpose.name, input.language),
            basis: p.basis,
            why: groundsFor(purpose, p.basis, input.language),
            records: (entry?.records ?? 0) + 1,
          });
        }
      }
    }
    const result: WithdrawResult = {
      stopped: [...stopped.values()],
      unsubscribed,
      continuing: [...continuing.values()],
      removedRecords,
      updatedRecords,
    };
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.consent_withdrawn',
      target: `subject:${subjectId}`,
      details: {
        stopped: result.stopped.map((s) => `${s.declarationId}/${s.purpose}`),
        unsubscribed: unsubscribed.map((u) => `${u.declarationId}/${u.communication}`),
        removedRecords,
        updatedRecords,
        request: input.requestId ?? null,
        channel: input.channel,
      },
    });
    return result;
  });
}
