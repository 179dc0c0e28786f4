/**
 * Global Privacy Control on the preference centre (C3c.4): when the person's browser sends the
 * signal and the declaration honours it, every consent they gave to a cookie category marked
 * `gpcOptOut` is withdrawn, with the GPC flag, in one transaction. Plain input: the page passes
 * whether the request carried `Sec-GPC: 1`.
 */
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { transaction } from '../store/transaction.js';
import { markSuppressionChange } from './changes.js';
import type { ConsentState } from './ledger.js';
import { consentHistory, deriveState, recordConsentEvents } from './ledger.js';
import type { ChoiceOrigin } from './withdraw-purpose-consent.js';

export interface HonourGpcInput {
  readonly declarationId: string;
  readonly subjectId: string;
  /** Whether the browser sent the signal. */
  readonly signalled: boolean;
  readonly origin: Omit<ChoiceOrigin, 'gpc'>;
}

export interface GpcOutcome {
  /** The signal was sent and the declaration honours it. */
  readonly signalled: boolean;
  /** The cookie categories whose consent this withdrew, in the order given. */
  readonly withdrawn: string[];
}

export async function honourGpc(ctx: AppContext, input: HonourGpcInput): Promise<GpcOutcome> {
  const active = ctx.policies.get(input.declarationId);
  const declaration = active?.model.declaration;
  if (active === undefined || declaration === undefined || !input.signalled || !declaration.gpc.honoured)
    return { signalled: false, withdrawn: [] };
  const { subjectId } = input;
  const sensitive = new Set(declaration.cookies.categories.filter((c) => c.gpcOptOut).map((c) => c.id));
  const given = (states: ConsentState[]) =>
    states.filter(
      (s) =>
        s.given &&
        s.declarationId === active.model.id &&
        s.target.kind === 'cookie_category' &&
        sensitive.has(s.target.id),
    );
  if (sensitive.size === 0 || given(deriveState(await consentHistory(ctx.store.db, subjectId))).length === 0)
    return { signalled: true, withdrawn: [] };
  const withdrawn = await transaction(ctx.store, async (tx) => {
    const states = given(deriveState(await consentHistory(tx, subjectId)));
    if (states.length === 0) return [];
    await recordConsentEvents(tx, ctx, {
      subjectId,
      declaration: active,
      targets: states.map((s) => ({ kind: s.target.kind, id: s.target.id, identifierId: s.identifierId })),
      event: 'withdrawn',
      noticeHash: active.version.contentHash,
      channel: 'preference_centre',
      element: 'gpc',
      ip: input.origin.ip,
      userAgent: input.origin.userAgent,
      gpc: true,
    });
    await markSuppressionChange(tx, ctx, subjectId);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: `subject:${subjectId}`,
      action: 'consent.withdrawn',
      target: `subject:${subjectId}`,
      details: { targets: states.map((s) => s.target), channel: 'preference_centre', gpc: true },
    });
    return [...new Set(states.map((s) => s.target.id))];
  });
  return { signalled: true, withdrawn };
}
