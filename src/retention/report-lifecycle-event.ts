/**
 * Lifecycle events (C10.1): the company's systems tell Steward that something happened that
 * starts a retention clock (a contract ended, an account was closed, an order was delivered), for
 * a person, one of Steward's records, or a row of a connected system. Only events some rule or
 * interaction of the declaration waits for are accepted, and only once: an exact duplicate (same
 * declaration, target, event and time) changes nothing. A recorded event is audited and, in the
 * same transaction, moves the clocks of the records it concerns (`records.expires_at`).
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { FieldValue } from '../connectors/contract.js';
import { ConnectorError } from '../connectors/contract.js';
import type { AppContext } from '../context.js';
import { canonicalJson, sha256Hex } from '../crypto.js';
import { AppError, notInForce } from '../errors.js';
import {
  countsAsRelationship,
  eventOfRule,
  eventsInUse,
  lifecycleEvent,
  reportableEvents,
} from '../policy/lifecycle.js';
import { markSuppressionChange } from '../consent/changes.js';
import type { PolicyModel } from '../policy/model.js';
import type { LifecycleEventTable } from '../store/schema.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { CONTROLLER_TENANT, findSubjectId, normaliseAll } from '../subjects/subjects.js';
import type { RecordExpiry } from './record-clocks.js';
import { purposesInteractingBy, purposesWithRule, restartClocks } from './record-clocks.js';

/** How far ahead of Steward's clock a reported time may be: the reporting system's clock may run fast. */
export const FUTURE_SKEW_MS = 5 * 60_000;

const keyValue = z.union([z.string().max(512), z.number().finite()]);

export const lifecycleEventInput = z
  .strictObject({
    declarationId: z.string().min(1).max(100),
    event: z
      .string()
      .regex(
        /^[a-z][a-z0-9_-]{0,99}$/,
        'must be the id of a lifecycle event, such as contract_end or delivered',
      ),
    occurredAt: z.iso
      .datetime({ message: 'must be an ISO 8601 date-time', offset: true })
      .optional()
      .describe('When it happened; default now'),
    subject: z
      .union([
        z.strictObject({ id: z.uuid('must be a subject id') }),
        z.strictObject({
          kind: z.enum(['email', 'phone', 'account', 'customer']),
          value: z.string().min(1).max(512),
        }),
      ])
      .optional()
      .describe('The person: their subject id, or an identifier ({ kind: email, value })'),
    record: z
      .union([
        z.strictObject({ id: z.uuid('must be a record id') }),
        z.strictObject({
          system: z.string().min(1).max(100),
          collection: z.string().min(1).max(128),
          key: z
            .record(z.string().max(128), keyValue)
            .refine(
              (k) => Object.keys(k).length > 0 && Object.keys(k).length <= 8,
              'must name 1 to 8 key fields',
            ),
        }),
      ])
      .optional()
      .describe('One record: a Steward record id, or a connected system’s row ({ system, collection, key })'),
  })
  .superRefine((input, issue) => {
    if ((input.subject === undefined) === (input.record === undefined))
      issue.addIssue({
        code: 'custom',
        path: [input.subject === undefined ? 'subject' : 'record'],
        message: 'name either the person (subject) or one record (record), not both',
      });
  });
export type LifecycleEventInput = z.input<typeof lifecycleEventInput>;

/** Where an event was reported from. */
export type LifecycleSource = 'api' | 'cli';

export interface LifecycleEventView {
  readonly id: string;
  readonly declarationId: string;
  readonly event: string;
  readonly occurredAt: string;
  readonly receivedAt: string;
  readonly source: string;
  readonly actor: string;
  readonly subjectId: string | null;
  readonly record:
    | { readonly id: string }
    | { readonly system: string; readonly collection: string; readonly key: Record<string, unknown> }
    | null;
}

export interface ReportedEvent {
  /** True when the same event was already recorded: nothing new was written. */
  readonly duplicate: boolean;
  readonly event: LifecycleEventView;
  /** Steward's records whose clocks the event concerns, with their expiry now (at most 100). */
  readonly records: readonly ({ readonly id: string } & RecordExpiry)[];
  readonly recordCount: number;
}

function toView(row: LifecycleEventTable): LifecycleEventView {
  return {
    id: row.id,
    declarationId: row.declaration_id,
    event: row.event,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
    source: row.source,
    actor: row.actor,
    subjectId: row.subject_id,
    record:
      row.record_id !== null
        ? { id: row.record_id }
        : row.system !== null && row.collection !== null && row.record_key !== null
          ? {
              system: row.system,
              collection: row.collection,
              key: JSON.parse(row.record_key) as Record<string, unknown>,
            }
          : null,
  };
}

type Parsed = z.infer<typeof lifecycleEventInput>;

/** The event as the declaration accepts it, or the 422 that says why not and what is accepted. */
function acceptedEvent(model: PolicyModel, input: Parsed) {
  const d = model.declaration;
  const accepted = reportableEvents(d);
  const resolved = lifecycleEvent(d, input.event);
  if (resolved === undefined || !accepted.includes(input.event)) {
    const list = accepted.length === 0 ? 'none' : accepted.join(', ');
    const datasetOnly = resolved !== undefined && eventsInUse(d).has(input.event);
    throw new AppError(
      'not_declared',
      datasetOnly
        ? `Event "${input.event}" of "${d.id}" is read from a connected system's data only, not reported. Events reported through the API: ${list}.`
        : `No retention rule, interaction or erasure condition of "${d.id}" counts from event "${input.event}", so Steward keeps no record of it. Events it accepts: ${list}.`,
      [{ path: 'event', message: `not accepted; accepted: ${list}` }],
    );
  }
  const wanted = resolved.about === 'record' ? 'record' : 'subject';
  if (input[wanted] === undefined)
    throw new AppError(
      'not_declared',
      wanted === 'record'
        ? `Event "${input.event}" happens to one record (about: record in "${d.id}"): name it in record, not the person.`
        : `Event "${input.event}" happens to a person (about: subject in "${d.id}"): name them in subject, not one record.`,
      [{ path: wanted, message: 'required for this event' }],
    );
  return resolved;
}

/** Follows merges: an event for a merged-away subject belongs to the one it was merged into. */
async function liveSubjectId(tx: Tx, subjectId: string): Promise<string> {
  let id = subjectId;
  for (let hops = 0; hops < 10; hops += 1) {
    const row = await tx
      .selectFrom('subjects')
      .select('merged_into')
      .where('id', '=', id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (row === undefined)
      throw new AppError('not_found', `Subject ${subjectId} was not found.`, [
        { path: 'subject.id', message: 'unknown subject' },
      ]);
    if (row.merged_into === null) return id;
    id = row.merged_into;
  }
  return id;
}

/** The target of the event in the store's terms: whose it is, and which record or row. */
interface Target {
  readonly subjectId: string | null;
  readonly recordId: string | null;
  readonly row: { system: string; collection: string; key: string } | null;
}

async function resolveTarget(ctx: AppContext, tx: Tx, model: PolicyModel, input: Parsed): Promise<Target> {
  const { subject, record } = input;
  if (subject !== undefined) {
    if ('id' in subject) return { subjectId: await liveSubjectId(tx, subject.id), recordId: null, row: null };
    const [identifier] = normaliseAll(ctx.keys, [subject], 'subject');
    const found =
      identifier === undefined ? undefined : await findSubjectId(tx, CONTROLLER_TENANT, identifier);
    if (found === undefined)
      throw new AppError('not_found', `No person with that ${subject.kind} is known to Steward.`, [
        { path: 'subject', message: 'unknown subject' },
      ]);
    return { subjectId: await liveSubjectId(tx, found), recordId: null, row: null };
  }
  if (record === undefined) throw new Error('unreachable: the schema requires subject or record');
  if ('id' in record) {
    const row = await tx
      .selectFrom('records')
      .select(['subject_id', 'declaration_id'])
      .where('id', '=', record.id)
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    if (row === undefined || row.declaration_id !== model.id)
      throw new AppError('not_found', `Record ${record.id} was not found under declaration "${model.id}".`, [
        { path: 'record.id', message: 'unknown record' },
      ]);
    return { subjectId: row.subject_id, recordId: record.id, row: null };
  }
  return {
    subjectId: null,
    recordId: null,
    row: { system: record.system, collection: record.collection, key: canonicalJson(record.key) },
  };
}

/** The most pages of a collection read while looking for a row whose key starts with the same value. */
const MAX_KEY_PAGES = 20;

/**
 * Checks that a connected system's row exists, through its connector: a read whose seeds are the
 * key's values (a composite key's first match is then compared in full).
 */
async function connectedRowExists(
  ctx: AppContext,
  model: PolicyModel,
  ref: { system: string; collection: string; key: Record<string, string | number> },
): Promise<void> {
  if (!model.declaration.systems.some((s) => s.id === ref.system))
    throw new AppError('not_found', `System "${ref.system}" is not declared in "${model.id}".`, [
      { path: 'record.system', message: 'unknown system' },
    ]);
  let connector;
  try {
    connector = await ctx.systems.connector(ref.system);
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    throw new AppError('conflict', `The row cannot be checked now: ${error.message}`, [
      { path: 'record.system', message: 'not reachable' },
    ]);
  }
  const collection = connector.dataset.collections.find((c) => c.name === ref.collection);
  if (collection === undefined || collection.reference === true)
    throw new AppError(
      'not_found',
      `System "${ref.system}" has no collection "${ref.collection}" with personal rows.`,
      [{ path: 'record.collection', message: 'unknown collection' }],
    );
  const fields = collection.primaryKey;
  const given = Object.keys(ref.key).sort();
  if (given.join(',') !== [...fields].sort().join(','))
    throw new AppError('validation_failed', `The key of "${ref.collection}" is ${fields.join(', ')}.`, [
      { path: 'record.key', message: `must name exactly ${fields.join(', ')}` },
    ]);
  const [first] = fields;
  const seeds = {
    identities: [],
    linked: [{ collection: ref.collection, field: first!, values: [ref.key[first!]!] }],
  };
  const same = (row: Readonly<Record<string, unknown>>) =>
    fields.every((f) => String(row[f]) === String(ref.key[f]));
  let after: readonly FieldValue[] | undefined;
  try {
    for (let page = 0; page < MAX_KEY_PAGES; page += 1) {
      const read = await connector.read(seeds, ref.collection, {
        fields,
        limit: 500,
        ...(after !== undefined ? { after } : {}),
      });
      if (read.rows.some(same)) return;
      if (read.next === undefined) break;
      after = read.next;
    }
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    throw new AppError('conflict', `The row cannot be checked now: ${error.message}`, [
      { path: 'record', message: 'system not reachable' },
    ]);
  }
  throw new AppError('not_found', `System "${ref.system}" has no row of "${ref.collection}" with that key.`, [
    { path: 'record.key', message: 'unknown row' },
  ]);
}

/** Moves the clocks the event concerns; returns the expiry of each of those records. */
async function moveClocks(
  tx: Tx,
  ctx: AppContext,
  model: PolicyModel,
  event: string,
  target: Target,
): Promise<Map<string, RecordExpiry>> {
  if (target.subjectId === null) return new Map();
  const scope = { declarationId: model.id, subjectId: target.subjectId };
  const interacting = purposesInteractingBy(model, (i) => i.kind === 'event' && i.event === event);
  const started =
    target.recordId !== null
      ? await restartClocks(tx, ctx, { ...scope, recordIds: [target.recordId] })
      : await restartClocks(tx, ctx, {
          ...scope,
          purposes: purposesWithRule(model, (r) => eventOfRule(r) === event),
        });
  const pushed = await restartClocks(tx, ctx, { ...scope, purposes: interacting });
  return new Map([...started, ...pushed]);
}

/**
 * Records a lifecycle event and starts the clocks it concerns. Needs `lifecycle:write`.
 *
 * @example
 * await reportLifecycleEvent(ctx, actor, { declarationId: 'nordkust-kaffe', event: 'delivered', record: { id } }, 'api');
 */
export async function reportLifecycleEvent(
  ctx: AppContext,
  actor: Actor,
  raw: LifecycleEventInput,
  source: LifecycleSource,
): Promise<ReportedEvent> {
  requirePermission(actor, 'lifecycle:write');
  const input = lifecycleEventInput.parse(raw);
  const active = ctx.policies.get(input.declarationId);
  if (active === undefined) throw notInForce(input.declarationId);
  const { model } = active;
  const resolved = acceptedEvent(model, input);
  const now = ctx.clock.now();
  const occurredAt = input.occurredAt === undefined ? now : new Date(input.occurredAt);
  if (occurredAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw new AppError(
      'time_in_future',
      `occurredAt (${occurredAt.toISOString()}) lies more than 5 minutes after Steward's time (${now.toISOString()}): report an event once it has happened, and check the sending system's clock.`,
      [{ path: 'occurredAt', message: 'in the future' }],
    );
  // Outside the transaction: the connector must not wait on the store while it is held.
  if (input.record !== undefined && !('id' in input.record))
    await connectedRowExists(ctx, model, input.record);
  return transaction(ctx.store, async (tx) => {
    const target = await resolveTarget(ctx, tx, model, input);
    const naturalKey = sha256Hex(
      canonicalJson({
        declaration: model.id,
        tenant: CONTROLLER_TENANT,
        subject: target.recordId === null ? target.subjectId : null,
        record: target.recordId,
        row: target.row,
        event: input.event,
        occurredAt: occurredAt.toISOString(),
      }),
    );
    const row: LifecycleEventTable = {
      id: randomUUID(),
      tenant: CONTROLLER_TENANT,
      declaration_id: model.id,
      subject_id: target.subjectId,
      record_id: target.recordId,
      system: target.row?.system ?? null,
      collection: target.row?.collection ?? null,
      record_key: target.row?.key ?? null,
      event: input.event,
      occurred_at: occurredAt.toISOString(),
      received_at: now.toISOString(),
      source,
      actor: actorRef(actor),
      natural_key: naturalKey,
    };
    const inserted = await tx
      .insertInto('lifecycle_events')
      .values(row)
      .onConflict((oc) => oc.column('natural_key').doNothing())
      .returning('id')
      .execute();
    if (inserted.length === 0) {
      const existing = await tx
        .selectFrom('lifecycle_events')
        .selectAll()
        .where('natural_key', '=', naturalKey)
        .where('tenant', '=', CONTROLLER_TENANT)
        .executeTakeFirstOrThrow();
      return { duplicate: true, event: toView(existing), records: [], recordCount: 0 };
    }
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: row.actor,
      action: 'lifecycle_event.recorded',
      target:
        target.subjectId !== null ? `subject:${target.subjectId}` : `system:${row.system}/${row.collection}`,
      details: {
        declaration: model.id,
        event: row.event,
        about: resolved.about,
        occurredAt: row.occurred_at,
        source,
        ...(row.record_id !== null ? { record: row.record_id } : {}),
        ...(target.row !== null ? { row: JSON.parse(target.row.key) as unknown } : {}),
      },
    });
    if (target.subjectId !== null && countsAsRelationship(model.declaration, { event: input.event }))
      await markSuppressionChange(tx, ctx, target.subjectId);
    const clocks = await moveClocks(tx, ctx, model, input.event, target);
    const records = [...clocks]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .slice(0, 100)
      .map(([id, expiry]) => ({ id, ...expiry }));
    return { duplicate: false, event: toView(row), records, recordCount: clocks.size };
  });
}
