/**
 * The clocks of Steward's own records: `records.expires_at` kept true for every trigger, so that a
 * sweep only has to take `expires_at < now`. A record expires when the last of its retention
 * periods ends: each purpose it was captured for and each of its data categories has a rule, and
 * each rule counts (with `expiresAt`, so anchors and month ends agree with every other path) from
 * its own clock:
 *
 * - `collected`: when the record was captured;
 * - `last_interaction`: the person's latest interaction for the purpose, as its `interactions`
 *   say (never before the record itself);
 * - `contract_end`, `account_closed`, `event`: the lifecycle event's time, for an event about a
 *   record that record's event, for an event about the person the first one reported at or after
 *   the record was collected (a contract ended before the record existed is not its contract);
 * - `consent_withdrawn`: when the consents the record rests on (its consent-based purposes; for a
 *   record kept as proof, every consent the person gave in the declaration) were all withdrawn or
 *   expired, the last of them; consent given again stops the clock.
 *
 * While any clock has not started (a contract still running) `expires_at` is null. Each change
 * that can move a clock calls `restartClocks` in its own transaction: capture, a lifecycle event,
 * a consent event (through the `consentRecorded` topic, see `subscribeRecordClocks`), a merge.
 */
import { sql } from 'kysely';
import type { ConsentEventKind } from '../consent/ledger.js';
import { consentRecorded } from '../consent/ledger.js';
import type { AppContext } from '../context.js';
import type { Events } from '../events.js';
import type { Interaction } from '../policy/lifecycle.js';
import { eventOfRule, interactionsOf, lifecycleEvent, ruleIdsOf } from '../policy/lifecycle.js';
import type { PolicyModel } from '../policy/model.js';
import type { Declaration, Purpose, RetentionRule } from '../policy/schema.js';
import type { RecordTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { expiresAt } from './clocks.js';

/** The expiry a record's clocks give: when, and by which rule; both null while a clock waits. */
export interface RecordExpiry {
  readonly expiresAt: string | null;
  readonly rule: string | null;
}

/** Which of a person's records to bring up to date. */
export interface ClockScope {
  readonly declarationId: string;
  readonly subjectId: string;
  /** Only records captured for one of these purposes. */
  readonly purposes?: ReadonlySet<string>;
  /** Only these records. */
  readonly recordIds?: readonly string[];
}

type ClockRecord = Pick<
  RecordTable,
  'id' | 'kind' | 'purposes' | 'categories' | 'collected_at' | 'expires_at' | 'expiry_rule'
>;

/**
 * What a clock counts from: a record, or (id null) a message written to the person at
 * `collected_at`, which is no one record, so an event about any of the person's records reported
 * at or after it counts.
 */
type Clocked = Pick<ClockRecord, 'collected_at'> & { readonly id: string | null };

interface StoredPurpose {
  readonly id: string;
  readonly basis: string | null;
}

/** `"id":"<purpose>"` inside a record's purposes JSON, as a LIKE pattern (`_` and `%` escaped). */
export const purposePattern = (purpose: string) => `%"id":"${purpose.replace(/[\\%_]/g, (c) => `\\${c}`)}"%`;

const latest = (dates: readonly (Date | undefined)[]): Date | undefined =>
  dates.reduce<Date | undefined>(
    (max, d) => (d !== undefined && (max === undefined || d > max) ? d : max),
    undefined,
  );

const dateOf = (iso: string | null | undefined): Date | undefined =>
  iso === null || iso === undefined ? undefined : new Date(iso);

/**
 * The facts a person's clocks count from, each read once, when a rule first needs it: their
 * lifecycle events, consent events and the latest capture per purpose.
 */
class ClockFacts {
  private events?: Promise<{ event: string; occurred_at: string; record_id: string | null }[]>;
  private consents?: Promise<
    {
      target_kind: string;
      target_id: string;
      identifier_id: string | null;
      event: ConsentEventKind;
      at: string;
    }[]
  >;
  private readonly captures = new Map<string, Promise<Date | undefined>>();

  constructor(
    private readonly db: Tx,
    private readonly model: PolicyModel,
    private readonly subjectId: string,
  ) {}

  private get declaration(): Declaration {
    return this.model.declaration;
  }

  lifecycleEvents() {
    this.events ??= this.db
      .selectFrom('lifecycle_events')
      .select(['event', 'occurred_at', 'record_id'])
      .where('tenant', '=', CONTROLLER_TENANT)
      .where('subject_id', '=', this.subjectId)
      .where('declaration_id', '=', this.model.id)
      .where('system', 'is', null)
      .execute();
    return this.events;
  }

  consentEvents() {
    this.consents ??= this.db
      .selectFrom('consent_events')
      .select(['target_kind', 'target_id', 'identifier_id', 'event', 'at'])
      .where('subject_id', '=', this.subjectId)
      .where('declaration_id', '=', this.model.id)
      .orderBy('seq')
      .execute();
    return this.consents;
  }

  /** The person's latest record captured for `purpose` (of `kind`, when given). */
  latestCapture(purposes: readonly string[], kind?: string): Promise<Date | undefined> {
    const key = `${kind ?? ''}|${purposes.join(',')}`;
    let found = this.captures.get(key);
    if (found === undefined) {
      if (purposes.length === 0) return Promise.resolve(undefined);
      let query = this.db
        .selectFrom('records')
        .select((eb) => eb.fn.max('collected_at').as('at'))
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', this.subjectId)
        .where('declaration_id', '=', this.model.id)
        .where((eb) =>
          eb.or(
            purposes.map((p) => sql<boolean>`${eb.ref('purposes')} like ${purposePattern(p)} escape '\\'`),
          ),
        );
      if (kind !== undefined) query = query.where('kind', '=', kind);
      found = query.executeTakeFirst().then((row) => dateOf(row?.at));
      this.captures.set(key, found);
    }
    return found;
  }

  /** The purposes a consent event's target stands for: a purpose, a communication's, a cookie category's. */
  purposesOfTarget(kind: string, id: string): string[] {
    if (kind === 'purpose') return [id];
    if (kind === 'communication')
      return this.declaration.communications.filter((c) => c.id === id).map((c) => c.purpose);
    return this.declaration.cookies.categories.find((c) => c.id === id)?.purposes ?? [];
  }

  /** Per purpose: whether consent stands now, and when it last ended (withdrawn or expired). */
  async consentState(): Promise<Map<string, { given: boolean; endedAt?: Date; givenAt?: Date }>> {
    const byTarget = new Map<string, { purposes: string[]; given: boolean; at: string }>();
    const givenAt = new Map<string, Date>();
    for (const e of await this.consentEvents()) {
      const purposes = this.purposesOfTarget(e.target_kind, e.target_id);
      const given = e.event === 'given' || e.event === 'renewed';
      byTarget.set(`${e.target_kind}|${e.target_id}|${e.identifier_id ?? ''}`, { purposes, given, at: e.at });
      if (given) for (const p of purposes) givenAt.set(p, new Date(e.at));
    }
    const state = new Map<string, { given: boolean; endedAt?: Date; givenAt?: Date }>();
    for (const target of byTarget.values())
      for (const p of target.purposes) {
        const before = state.get(p) ?? { given: false };
        const endedAt = target.given ? before.endedAt : latest([before.endedAt, new Date(target.at)]);
        state.set(p, { given: before.given || target.given, ...(endedAt ? { endedAt } : {}) });
      }
    for (const [p, at] of givenAt) state.set(p, { ...(state.get(p) ?? { given: false }), givenAt: at });
    return state;
  }

  /** The latest time an interaction of `purpose` happened, if any did. */
  async lastInteraction(purpose: Purpose): Promise<Date | undefined> {
    const times = await Promise.all(interactionsOf(purpose).map((i) => this.interactionTime(purpose, i)));
    return latest(times);
  }

  private async interactionTime(purpose: Purpose, interaction: Interaction): Promise<Date | undefined> {
    switch (interaction.kind) {
      case 'capture':
        return this.latestCapture([interaction.purpose ?? purpose.id]);
      case 'click': {
        const tracking = this.declaration.communications
          .filter((c) => c.purpose === purpose.id && c.interactionTracking !== undefined)
          .map((c) => c.interactionTracking!.purpose);
        return this.latestCapture([...new Set(tracking)], 'message_click');
      }
      case 'consent':
        return (await this.consentState()).get(purpose.id)?.givenAt;
      case 'event':
        return latest(
          (await this.lifecycleEvents())
            .filter((e) => e.event === interaction.event)
            .map((e) => new Date(e.occurred_at)),
        );
    }
  }
}

/** When the clock of `rule`, reached through `stored` on `record`, started; undefined while it waits. */
async function clockStart(
  facts: ClockFacts,
  model: PolicyModel,
  rule: RetentionRule,
  purpose: Purpose,
  record: Clocked,
  stored: readonly StoredPurpose[],
): Promise<Date | undefined> {
  const collected = new Date(record.collected_at);
  const event = eventOfRule(rule);
  if (event !== undefined) {
    const aboutRecord = lifecycleEvent(model.declaration, event)?.about === 'record';
    const ofOneRecord = aboutRecord && record.id !== null;
    const times = (await facts.lifecycleEvents())
      .filter(
        (e) =>
          e.event === event &&
          (ofOneRecord
            ? e.record_id === record.id
            : aboutRecord
              ? e.record_id !== null
              : e.record_id === null),
      )
      .map((e) => new Date(e.occurred_at))
      .filter((at) => ofOneRecord || at >= collected);
    return times.reduce<Date | undefined>((min, d) => (min === undefined || d < min ? d : min), undefined);
  }
  switch (rule.trigger) {
    case 'last_interaction':
      return latest([collected, await facts.lastInteraction(purpose)]);
    case 'consent_withdrawn': {
      const state = await facts.consentState();
      const own = stored.filter((p) => p.basis === 'consent').map((p) => p.id);
      const waitsOn = own.length > 0 ? own : [...state.keys()];
      if (waitsOn.length === 0) return collected;
      const states = waitsOn.map((p) => state.get(p));
      if (states.some((s) => s?.given === true)) return undefined;
      return latest([collected, ...states.map((s) => s?.endedAt)]);
    }
    default:
      return collected;
  }
}

/** The expiry of one record: the latest end of its rules' periods; undefined when none applies. */
async function expiryOf(
  facts: ClockFacts,
  model: PolicyModel,
  record: ClockRecord,
): Promise<RecordExpiry | undefined> {
  const stored = JSON.parse(record.purposes) as StoredPurpose[];
  const categories = JSON.parse(record.categories) as string[];
  const fy = model.declaration.financialYear;
  let end: { at: Date; rule: string } | undefined;
  let waiting = false;
  let judged = false;
  const seen = new Set<string>();
  for (const p of stored) {
    const purpose = model.purposes.get(p.id);
    if (purpose === undefined) continue;
    for (const category of categories) {
      const rule = model.retentionFor(purpose, category);
      if (rule === undefined || seen.has(`${p.id}|${rule.id}`)) continue;
      seen.add(`${p.id}|${rule.id}`);
      judged = true;
      const start = await clockStart(facts, model, rule, purpose, record, stored);
      if (start === undefined) {
        waiting = true;
        continue;
      }
      const at = expiresAt(rule, start, fy);
      if (end === undefined || at > end.at) end = { at, rule: rule.id };
    }
  }
  if (!judged) return undefined;
  if (waiting || end === undefined) return { expiresAt: null, rule: null };
  return { expiresAt: end.at.toISOString(), rule: end.rule };
}

/**
 * Brings the expiry of a person's records up to date with every clock, in the caller's
 * transaction, and returns the expiry of each record in scope. Records of a declaration not in
 * force, or whose purposes it no longer declares, are left as they are.
 */
export async function restartClocks(
  tx: Tx,
  ctx: Pick<AppContext, 'policies'>,
  scope: ClockScope,
): Promise<Map<string, RecordExpiry>> {
  const out = new Map<string, RecordExpiry>();
  const model = ctx.policies.get(scope.declarationId)?.model;
  if (model === undefined || scope.recordIds?.length === 0 || scope.purposes?.size === 0) return out;
  let query = tx
    .selectFrom('records')
    .select(['id', 'kind', 'purposes', 'categories', 'collected_at', 'expires_at', 'expiry_rule'])
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('subject_id', '=', scope.subjectId)
    .where('declaration_id', '=', scope.declarationId);
  if (scope.recordIds !== undefined) query = query.where('id', 'in', [...scope.recordIds]);
  const purposes = scope.purposes === undefined ? undefined : [...scope.purposes];
  if (purposes !== undefined)
    query = query.where((eb) =>
      eb.or(purposes.map((p) => sql<boolean>`${eb.ref('purposes')} like ${purposePattern(p)} escape '\\'`)),
    );
  const records = await query.execute();
  const facts = new ClockFacts(tx, model, scope.subjectId);
  const changed = new Map<string, { expiry: RecordExpiry; ids: string[] }>();
  for (const record of records) {
    const expiry = await expiryOf(facts, model, record);
    if (expiry === undefined) continue;
    out.set(record.id, expiry);
    if (expiry.expiresAt === record.expires_at && expiry.rule === record.expiry_rule) continue;
    const key = `${expiry.expiresAt ?? ''}|${expiry.rule ?? ''}`;
    const group = changed.get(key) ?? { expiry, ids: [] };
    group.ids.push(record.id);
    changed.set(key, group);
  }
  for (const { expiry, ids } of changed.values())
    for (let i = 0; i < ids.length; i += 500)
      await tx
        .updateTable('records')
        .set({ expires_at: expiry.expiresAt, expiry_rule: expiry.rule })
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
  return out;
}

/** A message to a person, to be judged under the rule of the purpose it was sent for. */
export interface ClockedMessage {
  readonly subjectId: string;
  readonly purpose: Purpose;
  /** When it was written: no clock of it starts earlier. */
  readonly writtenAt: string;
}

/**
 * When the clock of `rule` started for each message, by the same clocks as a record of the
 * message's purpose collected when it was written (an order confirmation under a `contract_end`
 * rule counts from the contract's end, not from its sending); undefined while the clock waits.
 * Read in the caller's transaction, each person's facts once.
 */
export async function messageClockStarts(
  tx: Tx,
  model: PolicyModel,
  rule: RetentionRule,
  messages: readonly ClockedMessage[],
): Promise<(Date | undefined)[]> {
  const facts = new Map<string, ClockFacts>();
  const starts: (Date | undefined)[] = [];
  for (const m of messages) {
    let of = facts.get(m.subjectId);
    if (of === undefined) facts.set(m.subjectId, (of = new ClockFacts(tx, model, m.subjectId)));
    const stored = [{ id: m.purpose.id, basis: model.basisFor(m.purpose) ?? null }];
    starts.push(
      await clockStart(of, model, rule, m.purpose, { id: null, collected_at: m.writtenAt }, stored),
    );
  }
  return starts;
}

/** Brings every record of a person up to date, in each declaration they have records under. */
export async function restartAllClocks(
  tx: Tx,
  ctx: Pick<AppContext, 'policies'>,
  subjectId: string,
): Promise<void> {
  const declarations = await tx
    .selectFrom('records')
    .select('declaration_id')
    .distinct()
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('subject_id', '=', subjectId)
    .execute();
  for (const { declaration_id: declarationId } of declarations)
    await restartClocks(tx, ctx, { declarationId, subjectId });
}

/** The purposes whose `last_interaction` rules count `matches` as an interaction. */
export function purposesInteractingBy(
  model: PolicyModel,
  matches: (interaction: Interaction, purpose: Purpose) => boolean,
): Set<string> {
  const rules = model.declaration.retention;
  return new Set(
    model.declaration.purposes
      .filter((p) =>
        [...ruleIdsOf(p)].some((id) => rules.find((r) => r.id === id)?.trigger === 'last_interaction'),
      )
      .filter((p) => interactionsOf(p).some((i) => matches(i, p)))
      .map((p) => p.id),
  );
}

/** The purposes with a rule whose clock `starts` says a change can start or stop. */
export function purposesWithRule(model: PolicyModel, starts: (rule: RetentionRule) => boolean): Set<string> {
  const rules = model.declaration.retention.filter(starts).map((r) => r.id);
  return new Set(
    model.declaration.purposes.filter((p) => rules.some((id) => ruleIdsOf(p).has(id))).map((p) => p.id),
  );
}

/**
 * The purposes of a newly captured record whose other records' clocks it moves: those for which
 * a record captured for `purposes` (of `kind`) is an interaction.
 */
export function purposesMovedByCapture(
  model: PolicyModel,
  purposes: readonly string[],
  kind: string,
): Set<string> {
  return purposesInteractingBy(model, (i, p) => {
    if (i.kind === 'capture') return purposes.includes(i.purpose ?? p.id);
    if (i.kind !== 'click' || kind !== 'message_click') return false;
    return model.declaration.communications.some(
      (c) =>
        c.purpose === p.id &&
        c.interactionTracking !== undefined &&
        purposes.includes(c.interactionTracking.purpose),
    );
  });
}

/**
 * Consent events move clocks: a withdrawal starts `consent_withdrawn` rules (and consent given
 * again stops them), and consent given is an interaction where a purpose says so. Wired at the
 * composition root (src/app.ts), so the consent ledger does not import retention.
 */
export function subscribeRecordClocks(events: Events): void {
  events.subscribe(consentRecorded, async (tx, { ctx, subjectId, declarationId }) => {
    const model = ctx.policies.get(declarationId)?.model;
    if (model === undefined) return;
    const purposes = new Set([
      ...purposesWithRule(model, (r) => r.trigger === 'consent_withdrawn'),
      ...purposesInteractingBy(model, (i) => i.kind === 'consent'),
    ]);
    if (purposes.size > 0) await restartClocks(tx, ctx, { declarationId, subjectId, purposes });
  });
}
