/**
 * A person withdraws, from their preference centre, the consent they gave to one purpose
 * (C4a.8): a `withdrawn` event for each identifier that gave it, a suppression change and an
 * audit entry, in one transaction. Plain input; the page that calls it reads the form.
 */
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import { transaction } from '../store/transaction.js';
import { markSuppressionChange } from './changes.js';
import type { ConsentState } from './ledger.js';
import { consentHistory, deriveState, recordConsentEvents } from './ledger.js';

/** Where a choice was made, as the consent ledger keeps it. */
export interface ChoiceOrigin {
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly gpc: boolean;
}

export interface WithdrawPurposeConsentInput {
  readonly declarationId: string;
  readonly subjectId: string;
  readonly purposeId: string;
  readonly origin: ChoiceOrigin;
}

/** Purposes resting on consent that the person has consent in force for, in declaration order. */
export function givenPurposes(active: ActiveDeclaration, states: readonly ConsentState[]) {
  const given = new Set(
    states
      .filter((s) => s.given && s.declarationId === active.model.id && s.target.kind === 'purpose')
      .map((s) => s.target.id),
  );
  return active.model.declaration.purposes.filter(
    (p) => given.has(p.id) && active.model.basesOf(p).includes('consent'),
  );
}

/** The purposes a person may withdraw consent from now, for the preference centre to list. */
export async function withdrawablePurposes(ctx: AppContext, declarationId: string, subjectId: string) {
  const active = ctx.policies.get(declarationId);
  if (active === undefined) return [];
  return givenPurposes(active, deriveState(await consentHistory(ctx.store.db, subjectId)));
}

/** True when consent was in force and is now withdrawn; false when there was none to withdraw. */
export async function withdrawPurposeConsent(
  ctx: AppContext,
  input: WithdrawPurposeConsentInput,
): Promise<boolean> {
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) return false;
  const { subjectId, purposeId, origin } = input;
  return transaction(ctx.store, async (tx) => {
    const states = deriveState(await consentHistory(tx, subjectId)).filter(
      (s) =>
        s.given &&
        s.declarationId === active.model.id &&
        s.target.kind === 'purpose' &&
        s.target.id === purposeId,
    );
    if (states.length === 0) return false;
    await recordConsentEvents(tx, ctx, {
      subjectId,
      declaration: active,
      targets: states.map((s) => ({ kind: 'purpose' as const, id: purposeId, identifierId: s.identifierId })),
      event: 'withdrawn',
      noticeHash: active.version.contentHash,
      channel: 'preference_centre',
      element: `withdraw:${purposeId}`,
      ip: origin.ip,
      userAgent: origin.userAgent,
      gpc: origin.gpc,
    });
    await markSuppressionChange(tx, ctx, subjectId);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: `subject:${subjectId}`,
      action: 'consent.withdrawn',
      target: `subject:${subjectId}`,
      details: { targets: [{ kind: 'purpose', id: purposeId }], channel: 'preference_centre' },
    });
    return true;
  });
}
