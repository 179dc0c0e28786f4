/**
 * Erasure conditions (a purpose's `erasure.conditions`): whether one holds for the person now, as
 * the declaration says it is detected, and the words that tell the requester.
 *
 * - `{ event, until }`: a lifecycle event reported for the person, one of their records or one of
 *   their rows in a connected system, with no `until` event for the same target at or after it
 *   (an order placed and not delivered). Without `until`, it holds once started.
 * - `{ legalHold: true }`: the person has an active legal hold (a dispute).
 * - `{ system, collection, field, in }`: one of the person's rows of that collection, read through
 *   its connector, holds one of the values (a payment `pending`); `endsAt` names the column with
 *   the date it is due to end.
 *
 * A condition that cannot be checked (its system unreachable) counts as holding, with the reason:
 * erasure waits rather than erasing what must stay.
 */
import type { FieldValue, Row, Seeds } from '../connectors/contract.js';
import type { AppContext } from '../context.js';
import { canonicalJson } from '../crypto.js';
import { messages } from '../i18n/messages.js';
import type { PolicyModel } from '../policy/model.js';
import type { ErasureCondition, Purpose } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { activeHolds } from '../retention/holds.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { addDuration } from '../time.js';
import type { RequestSeeds } from './seeds.js';
import { seedsFor } from './seeds.js';
import { safeMessage } from './systems.js';

/** A condition as found for one person. */
export interface ConditionState {
  readonly purpose: string;
  readonly condition: string;
  readonly effect: ErasureCondition['effect'];
  readonly holds: boolean;
  /** When it began (its first open start event), when known. */
  readonly since?: string;
  /** The date it is due to end: the `endsAt` column, or `since` + `expectedWithin`. */
  readonly endsOn?: string;
  /** Why it could not be checked (then it counts as holding). */
  readonly problem?: string;
}

/** A condition that holds, as the plan carries it (words in English, like the rest of the answer). */
export interface OpenCondition {
  readonly purpose: string;
  readonly purposeName: string;
  readonly condition: string;
  readonly effect: ErasureCondition['effect'];
  /** For the requester: why, until when, and what happens then. */
  readonly words: string;
  /** The declaration's explanation alone. */
  readonly explanation: string;
  readonly endsOn?: string;
  /** How often a deferred condition is checked again (ISO 8601 duration). */
  readonly recheck: string;
}

/** The key a condition goes by in a plan and in a request's steps: `purpose.condition`. */
export const conditionKey = (c: Pick<ConditionState, 'purpose' | 'condition'>) =>
  `${c.purpose}.${c.condition}`;

/** Every erasure condition of the declaration, with its purpose. */
export function declaredConditions(model: PolicyModel): { purpose: Purpose; condition: ErasureCondition }[] {
  return model.declaration.purposes.flatMap((purpose) =>
    model.exemptionOf(purpose) !== undefined
      ? []
      : (purpose.erasure?.conditions ?? []).map((condition) => ({ purpose, condition })),
  );
}

const latest = (dates: readonly string[]) => [...dates].sort().at(-1);

/** The person's rows of one collection, every page (a person's orders or payments are few). */
async function personRows(
  ctx: AppContext,
  system: string,
  seeds: Seeds,
  collection: string,
  fields: readonly string[],
): Promise<Row[]> {
  const connector = await ctx.systems.connector(system);
  const rows: Row[] = [];
  for await (const page of connector.pages(seeds, collection, { fields, limit: 500 }))
    rows.push(...page.rows);
  return rows;
}

const asText = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v as FieldValue));

async function eventCondition(
  ctx: AppContext,
  model: PolicyModel,
  base: RequestSeeds,
  w: { event: string; until?: string },
): Promise<{ holds: boolean; since?: string }> {
  const events = [w.event, ...(w.until === undefined ? [] : [w.until])];
  const subject = base.subjectId;
  const rows = await ctx.store.db
    .selectFrom('lifecycle_events')
    .select(['event', 'occurred_at', 'subject_id', 'record_id', 'system', 'collection', 'record_key'])
    .where('tenant', '=', CONTROLLER_TENANT)
    .where('declaration_id', '=', model.id)
    .where('event', 'in', events)
    .where((eb) =>
      subject === undefined
        ? eb('system', 'is not', null)
        : eb.or([eb('subject_id', '=', subject), eb('system', 'is not', null)]),
    )
    .execute();
  // Rows of connected systems are the person's when their key is among the person's rows there.
  const mine = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.system === null || r.collection === null) continue;
    const where = `${r.system}|${r.collection}`;
    if (mine.has(where)) continue;
    const connector = await ctx.systems.connector(r.system);
    const collection = connector.dataset.collections.find((c) => c.name === r.collection);
    const keys = new Set<string>();
    if (collection !== undefined) {
      const found = await personRows(
        ctx,
        r.system,
        seedsFor(base, r.system),
        r.collection,
        collection.primaryKey,
      );
      for (const row of found)
        keys.add(canonicalJson(Object.fromEntries(collection.primaryKey.map((k) => [k, asText(row[k])]))));
    }
    mine.set(where, keys);
  }
  const targetOf = (r: (typeof rows)[number]): string | undefined => {
    if (r.record_id !== null) return `record:${r.record_id}`;
    if (r.system !== null && r.collection !== null && r.record_key !== null) {
      const key = JSON.parse(r.record_key) as Record<string, unknown>;
      const text = canonicalJson(Object.fromEntries(Object.entries(key).map(([k, v]) => [k, asText(v)])));
      return mine.get(`${r.system}|${r.collection}`)?.has(text) === true
        ? `row:${r.system}|${r.collection}|${text}`
        : undefined;
    }
    return r.subject_id === null ? undefined : 'subject';
  };
  const open: string[] = [];
  const byTarget = new Map<string, { starts: string[]; ends: string[] }>();
  for (const r of rows) {
    const target = targetOf(r);
    if (target === undefined) continue;
    const entry = byTarget.get(target) ?? { starts: [], ends: [] };
    (r.event === w.event ? entry.starts : entry.ends).push(new Date(r.occurred_at).toISOString());
    byTarget.set(target, entry);
  }
  for (const { starts, ends } of byTarget.values()) {
    const start = latest(starts);
    if (start === undefined) continue;
    if (w.until === undefined || !ends.some((e) => e >= start)) open.push(start);
  }
  const since = [...open].sort()[0];
  return { holds: open.length > 0, ...(since === undefined ? {} : { since }) };
}

/** One condition for the person, now. */
async function checkOne(
  ctx: AppContext,
  model: PolicyModel,
  base: RequestSeeds,
  purpose: Purpose,
  condition: ErasureCondition,
): Promise<ConditionState> {
  const state = { purpose: purpose.id, condition: condition.id, effect: condition.effect };
  const w = condition.while;
  try {
    if ('legalHold' in w) {
      const holds = base.subjectId === undefined ? [] : await activeHolds(ctx.store.db, base.subjectId);
      const since = holds.map((h) => h.placedAt).sort()[0];
      return { ...state, holds: holds.length > 0, ...(since === undefined ? {} : { since }) };
    }
    if ('event' in w) {
      const found = await eventCondition(ctx, model, base, w);
      const endsOn =
        found.since === undefined || condition.expectedWithin === undefined
          ? undefined
          : addDuration(new Date(found.since), condition.expectedWithin).toISOString();
      return { ...state, ...found, ...(endsOn === undefined ? {} : { endsOn }) };
    }
    const fields = [w.field, ...(w.endsAt === undefined ? [] : [w.endsAt])];
    const rows = await personRows(ctx, w.system, seedsFor(base, w.system), w.collection, fields);
    const wanted = new Set(w.in.map(String));
    const matching = rows.filter((r) => r[w.field] !== null && wanted.has(asText(r[w.field])));
    const ends =
      w.endsAt === undefined ? [] : matching.flatMap((r) => (r[w.endsAt!] == null ? [] : [r[w.endsAt!]]));
    const endsOn = latest(ends.map((v) => new Date(asText(v)).toISOString()));
    return { ...state, holds: matching.length > 0, ...(endsOn === undefined ? {} : { endsOn }) };
  } catch (error) {
    return { ...state, holds: true, problem: safeMessage(error) };
  }
}

/**
 * The declaration's erasure conditions for the person now; `only` narrows them to some keys
 * (`purpose.condition`). Purposes exempt from erasure are skipped: their data stays anyway.
 */
export async function checkConditions(
  ctx: AppContext,
  model: PolicyModel,
  base: RequestSeeds,
  only?: readonly string[],
): Promise<ConditionState[]> {
  const states: ConditionState[] = [];
  for (const { purpose, condition } of declaredConditions(model)) {
    if (only !== undefined && !only.includes(`${purpose.id}.${condition.id}`)) continue;
    states.push(await checkOne(ctx, model, base, purpose, condition));
  }
  return states;
}

const day = (iso: string) => iso.slice(0, 10);

/** A condition that holds, with its words for the requester, in their language. */
export function openCondition(
  model: PolicyModel,
  state: ConditionState,
  now: Date,
  language: string,
): OpenCondition {
  const purpose = model.purposes.get(state.purpose)!;
  const condition = (purpose.erasure?.conditions ?? []).find((c) => c.id === state.condition)!;
  const m = messages(language);
  const explanation = localise(condition.explanation, language).replace(/\.?$/, '.');
  const ends = localise(condition.ends, language);
  const until =
    ends === '' && state.endsOn === undefined
      ? ''
      : ends === ''
        ? m.format('conditions.until', { ends: day(state.endsOn!) })
        : state.endsOn === undefined
          ? m.format('conditions.until', { ends })
          : m.format('conditions.untilExpected', { ends, date: day(state.endsOn) });
  const then =
    condition.effect === 'defer'
      ? m.format('conditions.defer', { date: day(addDuration(now, condition.recheck).toISOString()) })
      : m.format('conditions.refuse');
  return {
    purpose: purpose.id,
    purposeName: localise(purpose.name, language),
    condition: condition.id,
    effect: condition.effect,
    words: [explanation, until, then].filter((w) => w !== '').join(' '),
    explanation,
    ...(state.endsOn === undefined ? {} : { endsOn: state.endsOn }),
    recheck: condition.recheck,
  };
}
