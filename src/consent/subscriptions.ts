/**
 * Marketing choices: subscriptions per address per communication (C4a.5), with double opt-in
 * where the declaration asks; unsubscribing one list or one address leaves the others (C4a.8,
 * C4a.9); "all marketing" per address; and the objection to direct marketing (C4a.7), which
 * covers every address of the person and outlives erasure as keyed-hash suppression entries.
 * Transactional communications cannot be subscribed to or unsubscribed from (C4a.10).
 */
import { messagesFor } from '../i18n/declaration.js';
import { catalogLanguage } from '../i18n/messages.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Communication } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT, markVerified, normaliseAll, resolveSubject } from '../subjects/subjects.js';
import { markSuppressionChange, suppressAddress } from './changes.js';
import { consentedPurposes, recordConsentEvents } from './ledger.js';
import { sendMail } from './mailer.js';
import { ALL, communicationOf } from './suppression.js';
import { signToken, verifyToken } from './tokens.js';

/** Where a choice was made, and the minimised context kept as evidence. */
export const choiceContext = z.strictObject({
  channel: z.string().min(1).max(50).default('api'),
  element: z.string().max(200).optional(),
  noticeHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be the SHA-256 (hex) of the notice text shown')
    .optional(),
  ip: z.string().max(64).optional(),
  userAgent: z.string().max(1000).optional(),
  gpc: z.boolean().default(false),
  jurisdiction: z
    .string()
    .regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'must be a country code such as SE')
    .optional(),
});
export type ChoiceContext = z.infer<typeof choiceContext>;

export const subscribeInput = choiceContext.extend({
  declarationId: z.string().min(1).max(100),
  communication: z.string().min(1).max(100),
  email: z.string().min(1).max(320),
  idempotencyKey: z.string().min(8).max(200).optional(),
});

const CONFIRMATION_DAYS = 7;

function activeOf(ctx: Pick<AppContext, 'policies'>, declarationId: string): ActiveDeclaration {
  const active = ctx.policies.get(declarationId);
  if (active === undefined) throw notInForce(declarationId);
  return active;
}

function marketingOnly(communication: Communication, action: string): void {
  if (communication.kind === 'transactional') {
    throw new AppError(
      'validation_failed',
      `"${communication.id}" is a service message: it cannot be ${action}, and it never carries marketing.`,
      [{ path: 'communication', message: 'transactional' }],
    );
  }
}

/** The notice hash recorded with a choice: the one the caller showed, or the version's content hash. */
function noticeHashOf(active: ActiveDeclaration, given: string | undefined): string {
  return given ?? active.version.contentHash;
}

async function audit(
  tx: Tx,
  ctx: AppContext,
  actor: string,
  action: string,
  subjectId: string,
  details: Record<string, unknown>,
) {
  await appendAudit(tx, ctx.store.dialect, ctx.clock, {
    actor,
    action,
    target: `subject:${subjectId}`,
    details,
  });
}

export interface SubscribeResult {
  readonly subscriptionId: string;
  readonly state: 'unconfirmed' | 'confirmed' | 'blocked_by_objection';
}

/**
 * Subscribes an address. With double opt-in the subscription waits, unconfirmed, for the link in
 * a confirmation message; consent is recorded when it is followed.
 */
export async function subscribe(
  ctx: AppContext,
  actor: string,
  raw: z.input<typeof subscribeInput>,
): Promise<SubscribeResult> {
  const input = subscribeInput.parse(raw);
  const active = activeOf(ctx, input.declarationId);
  const communication = communicationOf(ctx, input.declarationId, input.communication);
  marketingOnly(communication, 'subscribed to');
  const [email] = normaliseAll(ctx.keys, [{ kind: 'email', value: input.email }], 'email');
  if (email === undefined) throw new Error('unreachable');
  let confirmation: { identifierId: string } | undefined;
  const result = await transaction(ctx.store, async (tx): Promise<SubscribeResult> => {
    const subject = await resolveSubject(tx, ctx, {
      tenant: CONTROLLER_TENANT,
      identifiers: [email],
      source: `subscription:${input.communication}`,
      ...(input.jurisdiction ? { jurisdiction: input.jurisdiction } : {}),
    });
    const identifierId = subject.identifierIds.get(`email:${email.value}`);
    if (identifierId === undefined)
      throw new AppError(
        'conflict',
        'This address belongs to another record; an operator must merge them first.',
      );
    const row = await tx
      .selectFrom('subjects')
      .select('objected_at')
      .where('id', '=', subject.subjectId)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirstOrThrow();
    const existing = await tx
      .selectFrom('subscriptions')
      .select(['id', 'state'])
      .where('identifier_id', '=', identifierId)
      .where('declaration_id', '=', input.declarationId)
      .where('communication_id', '=', communication.id)
      .executeTakeFirst();
    if (row.objected_at !== null)
      return { subscriptionId: existing?.id ?? '', state: 'blocked_by_objection' };
    if (existing?.state === 'confirmed') return { subscriptionId: existing.id, state: 'confirmed' };
    const now = ctx.clock.now().toISOString();
    const state = communication.doubleOptIn ? 'unconfirmed' : 'confirmed';
    const id = existing?.id ?? randomUUID();
    if (existing === undefined) {
      await tx
        .insertInto('subscriptions')
        .values({
          id,
          subject_id: subject.subjectId,
          identifier_id: identifierId,
          declaration_id: input.declarationId,
          communication_id: communication.id,
          state,
          sender: communication.sender,
          created_at: now,
          updated_at: now,
          confirmed_at: state === 'confirmed' ? now : null,
        })
        .execute();
    } else {
      await tx
        .updateTable('subscriptions')
        .set({ state, updated_at: now, confirmed_at: state === 'confirmed' ? now : null })
        .where('id', '=', id)
        .execute();
    }
    if (state === 'confirmed') {
      await giveConsent(
        tx,
        ctx,
        active,
        subject.subjectId,
        identifierId,
        communication.id,
        input,
        input.idempotencyKey,
      );
    } else {
      confirmation = { identifierId };
    }
    await markSuppressionChange(tx, ctx, subject.subjectId);
    await audit(tx, ctx, actor, 'subscription.requested', subject.subjectId, {
      communication: communication.id,
      state,
    });
    return { subscriptionId: id, state };
  });
  if (confirmation !== undefined)
    await sendConfirmation(ctx, active, communication, email.value, confirmation.identifierId);
  return result;
}

async function giveConsent(
  tx: Tx,
  ctx: AppContext,
  active: ActiveDeclaration,
  subjectId: string,
  identifierId: string,
  communicationId: string,
  context: ChoiceContext,
  idempotencyKey?: string,
) {
  // A new, explicit subscription by the person lifts an earlier unsubscribe from this list, and
  // the address-wide "all marketing" stop (the other lists keep their own per-list entries).
  // An objection is never lifted this way.
  const lookup = await tx
    .selectFrom('identifiers')
    .select('lookup')
    .where('id', '=', identifierId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirstOrThrow();
  await tx
    .deleteFrom('suppressions')
    .where('lookup', '=', lookup.lookup)
    .where('declaration_id', '=', active.model.id)
    .where('scope', 'in', [communicationId, ALL])
    .where('reason', '=', 'unsubscribed')
    .execute();
  await recordConsentEvents(tx, ctx, {
    subjectId,
    declaration: active,
    targets: [{ kind: 'communication', id: communicationId, identifierId }],
    event: 'given',
    noticeHash: noticeHashOf(active, context.noticeHash),
    channel: context.channel,
    element: context.element ?? null,
    ip: context.ip ?? null,
    userAgent: context.userAgent ?? null,
    gpc: context.gpc,
    jurisdiction: context.jurisdiction ?? null,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });
}

async function sendConfirmation(
  ctx: AppContext,
  active: ActiveDeclaration,
  communication: Communication,
  to: string,
  identifierId: string,
) {
  const e = Math.floor(ctx.clock.now().getTime() / 1000) + CONFIRMATION_DAYS * 86_400;
  const token = signToken(ctx.keys.tokens, 'confirm', {
    i: identifierId,
    d: active.model.id,
    c: communication.id,
    e,
  });
  const language = catalogLanguage(active.model.declaration.languages[0] ?? 'en') ?? 'en';
  const name = localise(communication.name, language);
  const link = `${ctx.config.publicUrl}/confirm/${token}`;
  const t = messagesFor(active.model.declaration, language);
  await sendMail(ctx, {
    to,
    kind: 'confirmation',
    communicationId: communication.id,
    subject: t.format('email.confirmation.subject', { name }),
    text: t.format('email.confirmation.body', {
      name,
      sender: communication.sender,
      days: CONFIRMATION_DAYS,
      link,
    }),
    secrets: [token],
  });
}

export type ConfirmResult =
  | { ok: true; communication: string; alreadyConfirmed: boolean; subjectId: string }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' | 'gone' };

/** Follows a confirmation link: the subscription becomes confirmed and consent is recorded. */
export async function confirmSubscription(
  ctx: AppContext,
  token: string,
  context: z.input<typeof choiceContext>,
): Promise<ConfirmResult> {
  const verified = verifyToken(ctx.keys.tokens, 'confirm', token, ctx.clock.now());
  if (!verified.ok) return verified;
  const { i: identifierId, d: declarationId, c: communicationId } = verified.payload;
  const active = ctx.policies.get(declarationId);
  if (active === undefined || communicationId === undefined) return { ok: false, reason: 'gone' };
  const input = choiceContext.parse({ ...context, channel: 'email_confirmation' });
  return transaction(ctx.store, async (tx): Promise<ConfirmResult> => {
    const sub = await tx
      .selectFrom('subscriptions')
      .select(['id', 'state', 'subject_id'])
      .where('identifier_id', '=', identifierId)
      .where('declaration_id', '=', declarationId)
      .where('communication_id', '=', communicationId)
      .executeTakeFirst();
    if (sub === undefined || sub.state === 'unsubscribed') return { ok: false, reason: 'gone' };
    if (sub.state === 'confirmed')
      return { ok: true, communication: communicationId, alreadyConfirmed: true, subjectId: sub.subject_id };
    const now = ctx.clock.now().toISOString();
    await tx
      .updateTable('subscriptions')
      .set({ state: 'confirmed', confirmed_at: now, updated_at: now })
      .where('id', '=', sub.id)
      .execute();
    await giveConsent(tx, ctx, active, sub.subject_id, identifierId, communicationId, input);
    // Following the link proves control of the address: from now on it is the person's channel.
    await markVerified(tx, ctx, { id: identifierId, tenant: CONTROLLER_TENANT }, 'double_opt_in');
    await markSuppressionChange(tx, ctx, sub.subject_id);
    await audit(tx, ctx, `subject:${sub.subject_id}`, 'subscription.confirmed', sub.subject_id, {
      communication: communicationId,
    });
    return { ok: true, communication: communicationId, alreadyConfirmed: false, subjectId: sub.subject_id };
  });
}

interface AddressRef {
  readonly identifierId: string;
  readonly subjectId: string;
  readonly lookup: string;
}

async function addressRef(tx: Tx, identifierId: string): Promise<AddressRef | undefined> {
  const row = await tx
    .selectFrom('identifiers')
    .select(['id', 'subject_id', 'lookup'])
    .where('id', '=', identifierId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('kind', '=', 'email')
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { identifierId: row.id, subjectId: row.subject_id, lookup: row.lookup };
}

/**
 * Unsubscribes one address from one communication at once (C4a.6, C4a.8, C4a.9). Harmless when
 * repeated. Returns false when the address is unknown.
 */
export async function unsubscribe(
  ctx: AppContext,
  actor: string,
  input: { declarationId: string; communication: string; identifierId: string } & Partial<ChoiceContext>,
): Promise<boolean> {
  const active = activeOf(ctx, input.declarationId);
  const communication = communicationOf(ctx, input.declarationId, input.communication);
  marketingOnly(communication, 'unsubscribed from');
  return transaction(ctx.store, async (tx) => {
    const address = await addressRef(tx, input.identifierId);
    if (address === undefined) return false;
    await applyUnsubscribe(tx, ctx, active, address, communication, input);
    await audit(tx, ctx, actor, 'subscription.unsubscribed', address.subjectId, {
      communication: communication.id,
      channel: input.channel ?? 'api',
    });
    return true;
  });
}

async function applyUnsubscribe(
  tx: Tx,
  ctx: AppContext,
  active: ActiveDeclaration,
  address: AddressRef,
  communication: Communication,
  context: Partial<ChoiceContext>,
) {
  const now = ctx.clock.now().toISOString();
  const declarationId = active.model.id;
  const existing = await tx
    .selectFrom('subscriptions')
    .select(['id', 'state'])
    .where('identifier_id', '=', address.identifierId)
    .where('declaration_id', '=', declarationId)
    .where('communication_id', '=', communication.id)
    .executeTakeFirst();
  if (existing?.state === 'unsubscribed') return;
  if (existing === undefined) {
    await tx
      .insertInto('subscriptions')
      .values({
        id: randomUUID(),
        subject_id: address.subjectId,
        identifier_id: address.identifierId,
        declaration_id: declarationId,
        communication_id: communication.id,
        state: 'unsubscribed',
        sender: communication.sender,
        created_at: now,
        updated_at: now,
        confirmed_at: null,
      })
      .execute();
  } else {
    await tx
      .updateTable('subscriptions')
      .set({ state: 'unsubscribed', updated_at: now })
      .where('id', '=', existing.id)
      .execute();
  }
  await suppressAddress(tx, ctx.clock, {
    lookup: address.lookup,
    declarationId: declarationId,
    scope: communication.id,
    reason: 'unsubscribed',
    subjectId: address.subjectId,
  });
  await recordConsentEvents(tx, ctx, {
    subjectId: address.subjectId,
    declaration: active,
    targets: [{ kind: 'communication', id: communication.id, identifierId: address.identifierId }],
    event: 'withdrawn',
    noticeHash: noticeHashOf(active, context.noticeHash),
    channel: context.channel ?? 'api',
    element: context.element ?? null,
    ip: context.ip ?? null,
    userAgent: context.userAgent ?? null,
    gpc: context.gpc ?? false,
    jurisdiction: context.jurisdiction ?? null,
  });
  await markSuppressionChange(tx, ctx, address.subjectId);
}

/** "All marketing" for one address: every marketing communication of the declaration (C4a.9). */
export async function unsubscribeAllMarketing(
  ctx: AppContext,
  actor: string,
  input: { declarationId: string; identifierId: string } & Partial<ChoiceContext>,
): Promise<boolean> {
  const active = activeOf(ctx, input.declarationId);
  return transaction(ctx.store, async (tx) => {
    const address = await addressRef(tx, input.identifierId);
    if (address === undefined) return false;
    for (const communication of active.model.declaration.communications) {
      if (communication.kind === 'marketing')
        await applyUnsubscribe(tx, ctx, active, address, communication, input);
    }
    await suppressAddress(tx, ctx.clock, {
      lookup: address.lookup,
      declarationId: active.model.id,
      scope: ALL,
      reason: 'unsubscribed',
      subjectId: address.subjectId,
    });
    await markSuppressionChange(tx, ctx, address.subjectId);
    await audit(tx, ctx, actor, 'subscription.unsubscribed_all', address.subjectId, {
      channel: input.channel ?? 'api',
    });
    return true;
  });
}

/**
 * The objection to direct marketing (C4a.7): absolute, needing no reasons. It covers every
 * address and identifier of the person and every marketing communication of every declaration,
 * and its suppression entries are keyed hashes that stay when the person's data is erased.
 */
export async function objectToDirectMarketing(
  ctx: AppContext,
  actor: string,
  input: { subjectId: string } & Partial<ChoiceContext>,
): Promise<void> {
  await transaction(ctx.store, async (tx) => {
    const subject = await tx
      .selectFrom('subjects')
      .select(['id', 'objected_at', 'tenant'])
      .where('id', '=', input.subjectId)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (subject === undefined) throw new AppError('not_found', `Subject ${input.subjectId} was not found.`);
    const now = ctx.clock.now().toISOString();
    if (subject.objected_at === null)
      await tx
        .updateTable('subjects')
        .set({ objected_at: now, updated_at: now })
        .where('id', '=', subject.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
    const addresses = await tx
      .selectFrom('identifiers')
      .select('lookup')
      .where('subject_id', '=', subject.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('kind', '=', 'email')
      .execute();
    for (const a of addresses) {
      await suppressAddress(tx, ctx.clock, {
        lookup: a.lookup,
        declarationId: ALL,
        scope: ALL,
        reason: 'objected',
        subjectId: subject.id,
      });
    }
    // Consent for direct-marketing purposes ends with the objection.
    for (const active of ctx.policies.list()) {
      const purposes = active.model.declaration.purposes
        .filter((p) => p.directMarketing === true)
        .map((p) => ({ kind: 'purpose' as const, id: p.id }));
      const given = await consentedPurposes(tx, subject.id, active.model.id);
      const toWithdraw = purposes.filter((p) => given.has(p.id));
      if (toWithdraw.length > 0) {
        await recordConsentEvents(tx, ctx, {
          subjectId: subject.id,
          declaration: active,
          targets: toWithdraw,
          event: 'withdrawn',
          noticeHash: noticeHashOf(active, input.noticeHash),
          channel: input.channel ?? 'api',
          element: input.element ?? 'marketing_objection',
          ip: input.ip ?? null,
          userAgent: input.userAgent ?? null,
          gpc: input.gpc ?? false,
        });
      }
    }
    await markSuppressionChange(tx, ctx, subject.id);
    await audit(tx, ctx, actor, 'subject.objected_to_marketing', subject.id, {
      channel: input.channel ?? 'api',
    });
  });
}

export interface PreferenceView {
  readonly address: string;
  readonly declarationId: string;
  readonly objected: boolean;
  readonly communications: readonly {
    id: string;
    name: string;
    description: string;
    kind: 'marketing' | 'transactional';
    sender: string;
    state: 'subscribed' | 'pending' | 'not_subscribed' | 'unsubscribed' | 'always_sent';
  }[];
}

/** What the preference centre shows for one address. */
export async function preferencesFor(
  ctx: AppContext,
  declarationId: string,
  identifierId: string,
  language?: string,
): Promise<PreferenceView | undefined> {
  const active = ctx.policies.get(declarationId);
  if (active === undefined) return undefined;
  const identifier = await ctx.store.db
    .selectFrom('identifiers')
    .innerJoin('subjects', 'subjects.id', 'identifiers.subject_id')
    .select(['identifiers.value', 'identifiers.lookup', 'subjects.objected_at'])
    .where('identifiers.id', '=', identifierId)
    .where('subjects.tenant', '=', CONTROLLER_TENANT)
    .where('identifiers.tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirst();
  if (identifier?.value == null) return undefined;
  const subs = await ctx.store.db
    .selectFrom('subscriptions')
    .select(['communication_id', 'state'])
    .where('identifier_id', '=', identifierId)
    .where('declaration_id', '=', declarationId)
    .execute();
  const allOff = await ctx.store.db
    .selectFrom('suppressions')
    .select('scope')
    .where('lookup', '=', identifier.lookup)
    .where('declaration_id', 'in', [declarationId, ALL])
    .where('scope', '=', ALL)
    .executeTakeFirst();
  const state = new Map(subs.map((s) => [s.communication_id, s.state]));
  const lang = language ?? active.model.declaration.languages[0] ?? 'en';
  return {
    address: identifier.value,
    declarationId,
    objected: identifier.objected_at !== null,
    communications: active.model.declaration.communications.map((c) => {
      const s = state.get(c.id);
      return {
        id: c.id,
        name: localise(c.name, lang),
        description: localise(c.description, lang),
        kind: c.kind,
        sender: c.sender,
        state:
          c.kind === 'transactional'
            ? 'always_sent'
            : allOff !== undefined || s === 'unsubscribed'
              ? 'unsubscribed'
              : s === 'confirmed'
                ? 'subscribed'
                : s === 'unconfirmed'
                  ? 'pending'
                  : 'not_subscribed',
      };
    }),
  };
}
