/**
 * Linking a browser's website events to a known person (C3d.4): only where the declaration
 * allows it (`analytics.linkToSubject`) and the ledger shows the browser's consent for the
 * category it names. The link is a row of its own (recorded, audited) and goes with the person:
 * erasing the person deletes the links and the events that carried their browser's consent ref.
 */
import { randomUUID } from 'node:crypto';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { notInForce } from '../errors.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { allowedCategories, consentRef, readToken } from './choices.js';

/**
 * The consent token in the browser script's cookie (form-encoded, the token under `t`), or
 * undefined when there is none.
 */
export function consentTokenOf(cookieValue: string | undefined): string | undefined {
  if (cookieValue === undefined || cookieValue === '') return undefined;
  const token = new URLSearchParams(cookieValue).get('t') ?? cookieValue;
  return token.length > 0 && token.length <= 400 ? token : undefined;
}

export type LinkOutcome =
  | { readonly linked: true; readonly linkId: string }
  | { readonly linked: false; readonly reason: 'not_declared' | 'invalid_token' | 'no_consent' };

export async function linkWebVisitor(
  ctx: AppContext,
  input: { declarationId: string; token: string; subjectId: string; actor: string },
): Promise<LinkOutcome> {
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const rule = active.model.declaration.analytics.linkToSubject;
  if (rule === undefined) return { linked: false, reason: 'not_declared' };
  const token = readToken(ctx, input.token);
  if (token === undefined || token.declarationId !== active.model.id)
    return { linked: false, reason: 'invalid_token' };
  const allowed = await allowedCategories(ctx, ctx.store.db, token, input.token);
  if (!allowed.has(rule.category)) return { linked: false, reason: 'no_consent' };
  const ref = consentRef(ctx, token.consentId);
  const linkId = randomUUID();
  await transaction(ctx.store, async (tx) => {
    await tx
      .insertInto('web_links')
      .values({
        id: linkId,
        declaration_id: active.model.id,
        consent_ref: ref,
        subject_id: input.subjectId,
        purpose: rule.purpose,
        linked_at: ctx.clock.now().toISOString(),
        consent_event_id: null,
      })
      .onConflict((oc) =>
        oc.columns(['consent_ref', 'declaration_id']).doUpdateSet({ subject_id: input.subjectId }),
      )
      .execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: input.actor,
      action: 'web.visitor_linked',
      target: `subject:${input.subjectId}`,
      details: { declarationId: active.model.id, purpose: rule.purpose },
    });
  });
  return { linked: true, linkId };
}

/** Erasure: the person's links, and the website events their linked browsers sent. */
export async function eraseWebLinks(tx: Tx, subjectId: string): Promise<{ links: number; events: number }> {
  const links = await tx
    .selectFrom('web_links')
    .select('consent_ref')
    .where('subject_id', '=', subjectId)
    .execute();
  let events = 0;
  if (links.length > 0) {
    const deleted = await tx
      .deleteFrom('web_events')
      .where(
        'consent_ref',
        'in',
        links.map((l) => l.consent_ref),
      )
      .executeTakeFirst();
    events = Number(deleted.numDeletedRows);
  }
  await tx.deleteFrom('web_links').where('subject_id', '=', subjectId).execute();
  return { links: links.length, events };
}
