/**
 * Click tracking in marketing messages (C4a.2), only where the declaration allows it: a
 * communication names the purpose clicks are recorded for, and a link is rewritten only for a
 * person that purpose may cover (consent given, or no objection where it rests on legitimate
 * interests). The check runs again at the click, so a later withdrawal is respected. Each click
 * becomes a record of the person, with its purpose and source, like any other captured data.
 */
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { captureRecord } from '../capture/capture-record.js';
import type { AppContext } from '../context.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Communication } from '../policy/schema.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { consentedPurposes } from './ledger.js';
import { signToken, verifyToken } from './tokens.js';

const trackingActor: Actor = {
  kind: 'system',
  id: 'click-tracking',
  name: 'click tracking',
  permissions: new Set(['subjects:write']),
};

/** May the communication's tracking purpose cover this person now? */
export async function mayTrack(
  db: Tx,
  active: ActiveDeclaration,
  communication: Communication,
  subjectId: string,
): Promise<boolean> {
  const tracking = communication.interactionTracking;
  if (tracking === undefined) return false;
  const purpose = active.model.purposes.get(tracking.purpose);
  const subject = await db
    .selectFrom('subjects')
    .select(['jurisdiction', 'objected_at', 'restricted', 'child'])
    .where('id', '=', subjectId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirst();
  if (purpose === undefined || subject === undefined || subject.restricted === 1 || subject.child === 1)
    return false;
  const basis = active.model.basisFor(purpose, subject.jurisdiction ?? 'default');
  if (basis === 'consent') return (await consentedPurposes(db, subjectId, active.model.id)).has(purpose.id);
  if (basis === 'legitimate_interests') return subject.objected_at === null;
  return basis !== undefined;
}

const LINK = /\bhttps?:\/\/[^\s<>"')\]]+/g;

/** Rewrites every http(s) link in `text` to pass through the click recorder. */
export function trackLinks(
  ctx: Pick<AppContext, 'config' | 'keys'>,
  text: string,
  target: { identifierId: string; declarationId: string; communicationId: string },
): string {
  return text.replace(
    LINK,
    (url) =>
      `${ctx.config.publicUrl}/t/${signToken(ctx.keys.tokens, 'click', { i: target.identifierId, d: target.declarationId, c: target.communicationId, u: url })}`,
  );
}

export type ClickResult = { ok: true; destination: string; recorded: boolean } | { ok: false };

/** Records a click where still allowed and returns where to send the person. */
export async function recordClick(ctx: AppContext, token: string): Promise<ClickResult> {
  const verified = verifyToken(ctx.keys.tokens, 'click', token, ctx.clock.now());
  if (!verified.ok) return { ok: false };
  const { i: identifierId, d: declarationId, c: communicationId, u: destination } = verified.payload;
  const url = z.url({ protocol: /^https?$/ }).safeParse(destination);
  if (!url.success || communicationId === undefined) return { ok: false };
  const active = ctx.policies.get(declarationId);
  const communication = active?.model.declaration.communications.find((c) => c.id === communicationId);
  const identifier = await ctx.store.db
    .selectFrom('identifiers')
    .select(['subject_id', 'value'])
    .where('id', '=', identifierId)
    .where('tenant', '=', CONTROLLER_TENANT)
    .executeTakeFirst();
  const tracking = communication?.interactionTracking;
  if (
    active === undefined ||
    communication === undefined ||
    tracking === undefined ||
    identifier?.value == null ||
    !(await mayTrack(ctx.store.db, active, communication, identifier.subject_id))
  ) {
    return { ok: true, destination: url.data, recorded: false };
  }
  const purpose = active.model.purposes.get(tracking.purpose);
  await captureRecord(ctx, trackingActor, {
    declarationId,
    subject: { identifiers: [{ kind: 'email', value: identifier.value }] },
    kind: 'message_click',
    purposes: [tracking.purpose],
    categories: (purpose?.categories ?? []).filter((c) => c.startsWith('user.behavior')),
    source: tracking.source,
    data: { communication: communicationId, link: url.data },
  });
  return { ok: true, destination: url.data, recorded: true };
}
