/**
 * The consent ledger: append-only events (given, withdrawn, expired, renewed) for purposes,
 * communications and cookie categories. Each event records what was shown (declaration version
 * and the hash of the notice text), where (channel and UI element), when, and the minimised
 * context: IP truncated, user agent reduced to its family, the Global Privacy Control flag and
 * the jurisdiction. Current state is derived from the events, never stored beside them.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.js';
import { defineTopic } from '../events.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { ConsentEventTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';
import { markConsentChange } from './changes.js';
import { truncateIp, userAgentFamily } from './minimise.js';

export type ConsentTargetKind = ConsentEventTable['target_kind'];
export type ConsentEventKind = ConsentEventTable['event'];

export interface ConsentEventInput {
  readonly subjectId: string;
  readonly declaration: ActiveDeclaration;
  readonly targets: readonly { kind: ConsentTargetKind; id: string; identifierId?: string | null }[];
  readonly event: ConsentEventKind;
  readonly noticeHash: string;
  readonly channel: string;
  readonly element?: string | null;
  readonly ip?: string | null;
  readonly userAgent?: string | null;
  readonly gpc?: boolean;
  readonly jurisdiction?: string | null;
  readonly at?: Date;
  /** Makes a retried write harmless: the same key is stored once. */
  readonly idempotencyKey?: string;
}

/** Consent events were appended for a person (published in their transaction; retention's clocks listen). */
export interface ConsentRecorded {
  readonly ctx: Pick<AppContext, 'policies'>;
  readonly subjectId: string;
  readonly declarationId: string;
  readonly event: ConsentEventKind;
}
export const consentRecorded = defineTopic<ConsentRecorded>('consent.recorded');

/**
 * Appends one event per target inside the caller's transaction; returns their ids. Events on
 * cookie categories also mark a consent change, so every process's token cache sees them.
 */
export async function recordConsentEvents(
  tx: Tx,
  ctx: Pick<AppContext, 'clock' | 'store' | 'events' | 'policies'>,
  input: ConsentEventInput,
): Promise<string[]> {
  const at = (input.at ?? ctx.clock.now()).toISOString();
  const rows = input.targets.map((target, i) => ({
    id: randomUUID(),
    subject_id: input.subjectId,
    identifier_id: target.identifierId ?? null,
    declaration_id: input.declaration.model.id,
    declaration_version: input.declaration.version.number,
    notice_hash: input.noticeHash,
    target_kind: target.kind,
    target_id: target.id,
    event: input.event,
    channel: input.channel,
    element: input.element ?? null,
    at,
    ip: input.ip ? truncateIp(input.ip) : null,
    user_agent: input.userAgent ? userAgentFamily(input.userAgent) : null,
    gpc: input.gpc ? 1 : 0,
    jurisdiction: input.jurisdiction ?? null,
    idempotency_key: input.idempotencyKey ? `${input.idempotencyKey}#${i}` : null,
  }));
  if (rows.length === 0) return [];
  await tx
    .insertInto('consent_events')
    .values(rows)
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
  if (input.targets.some((t) => t.kind === 'cookie_category'))
    await markConsentChange(tx, ctx, input.subjectId);
  await ctx.events.publish(tx, consentRecorded, {
    ctx,
    subjectId: input.subjectId,
    declarationId: input.declaration.model.id,
    event: input.event,
  });
  return rows.map((r) => r.id);
}

export interface ConsentEventView {
  readonly id: string;
  readonly declarationId: string;
  readonly declarationVersion: number;
  readonly noticeHash: string;
  readonly target: { kind: ConsentTargetKind; id: string };
  readonly identifierId: string | null;
  readonly event: ConsentEventKind;
  readonly channel: string;
  readonly element: string | null;
  readonly at: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly gpc: boolean;
  readonly jurisdiction: string | null;
}

export async function consentHistory(db: Tx, subjectId: string): Promise<ConsentEventView[]> {
  const rows = await db
    .selectFrom('consent_events')
    .selectAll()
    .where('subject_id', '=', subjectId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    declarationId: r.declaration_id,
    declarationVersion: r.declaration_version,
    noticeHash: r.notice_hash,
    target: { kind: r.target_kind, id: r.target_id },
    identifierId: r.identifier_id,
    event: r.event,
    channel: r.channel,
    element: r.element,
    at: r.at,
    ip: r.ip,
    userAgent: r.user_agent,
    gpc: r.gpc === 1,
    jurisdiction: r.jurisdiction,
  }));
}

export interface ConsentState {
  readonly declarationId: string;
  readonly target: { kind: ConsentTargetKind; id: string };
  readonly identifierId: string | null;
  readonly given: boolean;
  readonly since: string;
  readonly lastEvent: string;
}

/** Current state per (declaration, target, address), from the events in order. */
export function deriveState(events: readonly ConsentEventView[]): ConsentState[] {
  const state = new Map<string, ConsentState>();
  for (const e of events) {
    const key = `${e.declarationId}|${e.target.kind}|${e.target.id}|${e.identifierId ?? ''}`;
    state.set(key, {
      declarationId: e.declarationId,
      target: e.target,
      identifierId: e.identifierId,
      given: e.event === 'given' || e.event === 'renewed',
      since: e.at,
      lastEvent: e.id,
    });
  }
  return [...state.values()];
}

/** The purposes of a declaration a subject has consent on record for now (given or renewed last). */
export async function consentedPurposes(
  db: Tx,
  subjectId: string,
  declarationId: string,
): Promise<Set<string>> {
  const events = await db
    .selectFrom('consent_events')
    .select(['target_id', 'event'])
    .where('subject_id', '=', subjectId)
    .where('declaration_id', '=', declarationId)
    .where('target_kind', '=', 'purpose')
    .orderBy('seq')
    .execute();
  const given = new Set<string>();
  for (const e of events) {
    if (e.event === 'given' || e.event === 'renewed') given.add(e.target_id);
    else given.delete(e.target_id);
  }
  return given;
}
