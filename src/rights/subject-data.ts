/**
 * Everything Steward holds about one person, section by section, read in pages so that memory
 * stays bounded however much is held (C9.1). The access package, the portability export and the
 * Art. 15 answer read through this module; none of them loads a whole section at once.
 *
 * What is left out, and why: keyed hashes (identifier lookups, suppression entries, promotion
 * redemptions) are not personal data anyone can read, and the audit ledger is the operators' record
 * of their own work. Sections say so in their `note` where the person might otherwise look for it.
 */
import type { AppContext } from '../context.js';
import { unseal } from '../capture/sealed.js';
import { notFound } from '../errors.js';
import { localise } from '../policy/text.js';
import { hashedOnlyKinds } from '../subjects/normalize.js';
import type { IdentifierKind } from '../subjects/normalize.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import type { Tx } from '../store/transaction.js';

/** One value of a row: JSON-compatible. */
export type Row = Record<string, unknown>;

/** What a field of a section holds, for `schema.json` and the CSV header. */
export interface FieldDescription {
  readonly name: string;
  readonly type: 'string' | 'number' | 'boolean' | 'date-time' | 'object' | 'array';
  readonly description: string;
  /** True when the field may be empty (null in JSON, an empty cell in CSV). */
  readonly nullable?: boolean;
  /**
   * The field holds an object whose keys become CSV columns `name.key` (record data). Only the
   * last field of a section may be expanded: its columns are the last of the CSV, and the
   * package adds columns for keys first seen late by padding the end of earlier rows.
   */
  readonly expand?: boolean;
  /** The data category the field holds (connected systems' fields, from their dataset). */
  readonly category?: string;
}

/** One kind of data held: a table's rows for this person, or records of one kind. */
export interface SubjectSection {
  /** File-safe id: `identifiers`, `records/form_submission`, `consent_events`, ... */
  readonly id: string;
  /** Which part of Steward's data the section comes from. */
  readonly section:
    | 'subject'
    | 'identifiers'
    | 'records'
    | 'consent_events'
    | 'subscriptions'
    | 'notice_tasks'
    | 'suppressions'
    | 'promotion_redemptions'
    | 'requests'
    /** A collection of a connected system (`systems/<system>/<collection>`). */
    | 'system';
  /** For records: the kind of record (`form_submission`, `support_interaction`...). */
  readonly category?: string;
  readonly description: string;
  readonly fields: readonly FieldDescription[];
  /** What is held but not shown, and why. */
  readonly note?: string;
  /** How many rows `pages()` yields. */
  readonly count: number;
  /**
   * The rows, a page at a time, in a stable order; each call reads them again from the store.
   * `pageSize` overrides the section's page size (a reader that wants only the first rows).
   */
  pages(options?: { pageSize?: number }): AsyncIterable<readonly Row[]>;
}

export interface SubjectDataOptions {
  /**
   * The partition to read: `''` (the controller's own data, the default) or `<service>:<provider>`
   * for data held as processor. A subject of another partition is not found (fail closed).
   */
  readonly tenant?: string;
  /** Language of names taken from the declaration (source names); English by default. */
  readonly language?: string;
  /** Rows per page; 1,000 by default. */
  readonly pageSize?: number;
  /** Records only: keep a record when this returns true (the portability filter). */
  readonly recordFilter?: (record: RecordMeta) => boolean;
  /** Only these sections (all when absent). */
  readonly sections?: readonly SubjectSection['section'][];
}

/** A record's metadata as stored, before its data is unsealed. */
export interface RecordMeta {
  readonly sourceType: string;
  readonly purposes: readonly { id: string; basis: string | null }[];
}

const HASHED = 'kept only as a keyed hash';

/**
 * The subject a request resolves to: a merged record points at the one it was merged into. Throws
 * `not_found` when there is no such subject in the partition.
 */
export async function resolveSubjectRow(db: Tx, subjectId: string, tenant: string = CONTROLLER_TENANT) {
  const read = (id: string) =>
    db
      .selectFrom('subjects')
      .selectAll()
      .where('id', '=', id)
      .where('tenant', '=', tenant)
      .executeTakeFirst();
  let row = await read(subjectId);
  if (row?.merged_into) row = await read(row.merged_into);
  if (row === undefined) throw notFound(`Subject ${subjectId}`);
  return row;
}

/** Pages of a query ordered by a unique text key, read `size` rows at a time past the last key. */
async function* keyset<T extends K, K>(
  fetch: (after: K | undefined, limit: number) => Promise<T[]>,
  size: number,
): AsyncGenerator<T[]> {
  let after: K | undefined;
  for (;;) {
    const page = await fetch(after, size);
    if (page.length > 0) yield page;
    if (page.length < size) return;
    after = page[page.length - 1];
  }
}

async function* mapPages<T, U extends Row>(
  pages: AsyncIterable<T[]>,
  map: (row: T) => U | undefined,
): AsyncGenerator<U[]> {
  for await (const page of pages) {
    const out: U[] = [];
    for (const row of page) {
      const mapped = map(row);
      if (mapped !== undefined) out.push(mapped);
    }
    if (out.length > 0) yield out;
  }
}

const f = (
  name: string,
  type: FieldDescription['type'],
  description: string,
  extra: Partial<FieldDescription> = {},
): FieldDescription => ({ name, type, description, ...extra });

const recordFields: readonly FieldDescription[] = [
  f('id', 'string', 'Identifier of the record in Steward'),
  f('kind', 'string', 'What happened: form_submission, support_interaction, ...'),
  f('collectedAt', 'date-time', 'When the data was collected (UTC)'),
  f(
    'expiresAt',
    'date-time',
    'When the record is due to be deleted or anonymised under its retention rule; empty when the period starts at a later event (for example the end of a contract)',
    { nullable: true },
  ),
  f('purposes', 'array', 'The purposes the record is kept for, each with the legal basis it rests on'),
  f('categories', 'array', 'The categories of personal data in the record (taxonomy keys)'),
  f('sourceId', 'string', 'Where the data came from (a source of the declaration)'),
  f(
    'sourceType',
    'string',
    'direct (you gave it), observed, third_party, public, group_company or social_network',
  ),
  f('sourceName', 'string', 'The source in words'),
  f('collectionPoint', 'string', 'The form or other place where it was collected', { nullable: true }),
  f('declarationId', 'string', 'The privacy declaration in force when it was collected'),
  f('declarationVersion', 'number', 'Its version number'),
  f('data', 'object', 'The data itself, as captured', { expand: true }),
];

interface SectionContext {
  readonly ctx: AppContext;
  readonly db: Tx;
  readonly subjectId: string;
  readonly tenant: string;
  readonly size: number;
  readonly language: string;
}

async function countOf(query: {
  executeTakeFirst(): Promise<{ n: number | string | bigint } | undefined>;
}): Promise<number> {
  return Number((await query.executeTakeFirst())?.n ?? 0);
}

function sourceNameOf(s: SectionContext, declarationId: string, sourceId: string): string {
  const source = s.ctx.policies.get(declarationId)?.model.declaration.sources.find((x) => x.id === sourceId);
  return source === undefined ? sourceId : localise(source.name, s.language);
}

/** The columns of `records` a record section shows (the subject, partition and kind are known). */
const recordColumns = [
  'id',
  'collected_at',
  'expires_at',
  'purposes',
  'categories',
  'source_id',
  'source_type',
  'collection_point',
  'declaration_id',
  'declaration_version',
  'data',
] as const;

/** Distinct JSON texts parsed once each, up to this many per section. */
const PARSED_TEXTS = 1000;

/**
 * The pages of one kind of record, oldest first. Each page is read from the store, filtered on
 * its metadata, and its data unsealed; the next page is asked for before the current one is
 * handed over, so the store works on it while the caller writes.
 */
async function* recordPages(
  s: SectionContext,
  kind: string,
  filter: SubjectDataOptions['recordFilter'],
  size: number,
): AsyncGenerator<Row[]> {
  // A person's records repeat a few purpose and category lists and sources: each distinct text
  // is parsed (and each source named) once, and rows share the result.
  const parsed = new Map<string, unknown>();
  const parse = <T>(text: string): T => {
    let value = parsed.get(text);
    if (value === undefined) {
      value = JSON.parse(text) as unknown;
      if (parsed.size < PARSED_TEXTS) parsed.set(text, value);
    }
    return value as T;
  };
  const names = new Map<string, string>();
  const sourceName = (declarationId: string, sourceId: string) => {
    const key = `${declarationId}\n${sourceId}`;
    let name = names.get(key);
    if (name === undefined) {
      name = sourceNameOf(s, declarationId, sourceId);
      names.set(key, name);
    }
    return name;
  };

  let after: { collected_at: string; id: string } | undefined;
  let more = true;
  const read = async () => {
    let q = s.db
      .selectFrom('records')
      .select(recordColumns)
      .where('subject_id', '=', s.subjectId)
      .where('tenant', '=', s.tenant)
      .where('kind', '=', kind);
    if (after !== undefined) {
      const { collected_at, id } = after;
      // The first condition alone gives the index (kind, subject_id, collected_at, id) its range.
      q = q
        .where('collected_at', '>=', collected_at)
        .where((eb) => eb.or([eb('collected_at', '>', collected_at), eb('id', '>', id)]));
    }
    const rows = await q.orderBy('collected_at').orderBy('id').limit(size).execute();
    more = rows.length === size;
    after = rows[rows.length - 1];
    return filter === undefined
      ? rows
      : rows.filter((r) => filter({ sourceType: r.source_type, purposes: parse(r.purposes) }));
  };
  const toRow = (r: Awaited<ReturnType<typeof read>>[number]): Row => ({
    id: r.id,
    kind,
    collectedAt: r.collected_at,
    expiresAt: r.expires_at,
    purposes: parse<RecordMeta['purposes']>(r.purposes),
    categories: parse<string[]>(r.categories),
    sourceId: r.source_id,
    sourceType: r.source_type,
    sourceName: sourceName(r.declaration_id, r.source_id),
    collectionPoint: r.collection_point,
    declarationId: r.declaration_id,
    declarationVersion: r.declaration_version,
    data: unseal(s.ctx.keys.records, r.data),
  });

  let next: ReturnType<typeof read> | undefined = read();
  while (next !== undefined) {
    const rows = await next;
    next = more ? read() : undefined;
    // Awaited on the next turn; if the caller stops first, its failure must not go unhandled.
    next?.catch(() => undefined);
    if (rows.length > 0) yield rows.map(toRow);
  }
}

/** Record sections, one per kind of record, each with its data unsealed page by page. */
async function* recordSections(
  s: SectionContext,
  filter: SubjectDataOptions['recordFilter'],
): AsyncGenerator<SubjectSection> {
  // One grouped read gives each kind's count, and with a filter, what the filter keeps of it:
  // the filter looks at metadata only, so nothing is unsealed to count.
  const groups = await s.db
    .selectFrom('records')
    .select(['kind', 'source_type', 'purposes', (eb) => eb.fn.countAll().as('n')])
    .where('subject_id', '=', s.subjectId)
    .where('tenant', '=', s.tenant)
    .groupBy(['kind', 'source_type', 'purposes'])
    .orderBy('kind')
    .execute();
  const counts = new Map<string, number>();
  for (const g of groups) {
    const purposes = JSON.parse(g.purposes) as RecordMeta['purposes'];
    const kept = filter === undefined || filter({ sourceType: g.source_type, purposes });
    counts.set(g.kind, (counts.get(g.kind) ?? 0) + (kept ? Number(g.n) : 0));
  }
  const kinds = [...counts].filter(([, n]) => n > 0).map(([kind, n]) => ({ kind, n }));
  for (const { kind, n } of kinds) {
    yield {
      id: `records/${kind}`,
      section: 'records',
      category: kind,
      description: `Records of kind "${kind}": what was collected, when, from where, for which purposes, and until when it is kept.`,
      fields: recordFields,
      count: n,
      pages: (options) => recordPages(s, kind, filter, options?.pageSize ?? s.size),
    };
  }
}

/**
 * The sections of data held about one subject, in a fixed order: the subject, identifiers, records
 * (one section per kind), consent events, subscriptions, notice tasks, suppressions, promotion
 * redemptions, requests. Sections with nothing held are still yielded (count 0), so the answer
 * shows what was looked at.
 *
 * @example
 * for await (const section of subjectSections(ctx, subjectId)) {
 *   for await (const page of section.pages()) for (const row of page) write(section.id, row);
 * }
 * @throws AppError `not_found` when the subject is not in the partition asked for.
 */
export async function* subjectSections(
  ctx: AppContext,
  subjectId: string,
  options: SubjectDataOptions = {},
): AsyncGenerator<SubjectSection> {
  const db = ctx.store.db;
  const tenant = options.tenant ?? CONTROLLER_TENANT;
  const subject = await resolveSubjectRow(db, subjectId, tenant);
  const s: SectionContext = {
    ctx,
    db,
    subjectId: subject.id,
    tenant,
    size: options.pageSize ?? 500,
    language: options.language ?? 'en',
  };
  const wanted = (section: SubjectSection['section']) =>
    options.sections === undefined || options.sections.includes(section);
  const one = (rows: readonly Row[]) =>
    async function* (): AsyncGenerator<readonly Row[]> {
      if (rows.length > 0) yield rows;
    };

  if (wanted('subject')) {
    const row: Row = {
      id: subject.id,
      partition: subject.tenant === CONTROLLER_TENANT ? 'controller' : subject.tenant,
      jurisdiction: subject.jurisdiction,
      child: subject.child === 1,
      restricted: subject.restricted === 1,
      objectedAt: subject.objected_at,
      createdAt: subject.created_at,
      updatedAt: subject.updated_at,
    };
    yield {
      id: 'subject',
      section: 'subject',
      description: 'You as Steward knows you: the jurisdiction whose rules apply and the flags on your data.',
      fields: [
        f('id', 'string', 'Your identifier in Steward'),
        f(
          'partition',
          'string',
          '"controller" for our own data, or the service and organisation we hold it for',
        ),
        f('jurisdiction', 'string', 'The country whose rules we apply to you', { nullable: true }),
        f('child', 'boolean', 'Marked as a child: no marketing is ever sent'),
        f('restricted', 'boolean', 'Processing restricted (Art. 18): kept but not otherwise used'),
        f('objectedAt', 'date-time', 'When you objected to direct marketing', { nullable: true }),
        f('createdAt', 'date-time', 'When we first recorded you'),
        f('updatedAt', 'date-time', 'When this was last changed'),
      ],
      count: 1,
      pages: one([row]),
    };
  }

  if (wanted('identifiers')) {
    const rows = await db
      .selectFrom('identifiers')
      .select(['id', 'kind', 'value', 'created_at'])
      .where('subject_id', '=', subject.id)
      .where('tenant', '=', subject.tenant)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const mapped = rows.map((i) => ({
      id: i.id,
      kind: i.kind,
      value: i.value ?? (hashedOnlyKinds.has(i.kind as IdentifierKind) ? HASHED : null),
      createdAt: i.created_at,
    }));
    yield {
      id: 'identifiers',
      section: 'identifiers',
      description: 'The email addresses, phone numbers and other identifiers we know you by.',
      fields: [
        f('id', 'string', 'Identifier of this entry (consents and subscriptions refer to it)'),
        f('kind', 'string', 'email, phone, account, customer, cookie or device'),
        f(
          'value',
          'string',
          `The identifier; cookie and device ids are "${HASHED}": we can recognise the id when we see it again but cannot read it back`,
        ),
        f('createdAt', 'date-time', 'When we recorded it'),
      ],
      count: mapped.length,
      pages: one(mapped),
    };
  }

  if (wanted('records')) yield* recordSections(s, options.recordFilter);

  if (wanted('consent_events')) {
    const count = await countOf(
      db
        .selectFrom('consent_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('subject_id', '=', subject.id),
    );
    yield {
      id: 'consent_events',
      section: 'consent_events',
      description:
        'Every consent you gave or withdrew, with what you were shown, where and when: the proof we keep of your choices.',
      fields: [
        f('id', 'string', 'Identifier of the event'),
        f('at', 'date-time', 'When it happened'),
        f('event', 'string', 'given, withdrawn, expired or renewed'),
        f('targetKind', 'string', 'purpose, communication or cookie_category'),
        f('targetId', 'string', 'Which purpose, communication or cookie category'),
        f('declarationId', 'string', 'The privacy declaration shown'),
        f('declarationVersion', 'number', 'Its version number'),
        f('noticeHash', 'string', 'SHA-256 of the notice text you were shown'),
        f('channel', 'string', 'How the choice was made: web_form, cookie_banner, email, ...'),
        f('element', 'string', 'The form or button used', { nullable: true }),
        f('identifierId', 'string', 'The address it concerns, for communications', { nullable: true }),
        f('ip', 'string', 'Your IP address, shortened (last part removed)', { nullable: true }),
        f('userAgent', 'string', 'Your browser family only', { nullable: true }),
        f('gpc', 'boolean', 'Whether your browser sent a Global Privacy Control signal'),
        f('jurisdiction', 'string', 'The jurisdiction applied', { nullable: true }),
      ],
      count,
      pages: (options) =>
        mapPages(
          keyset(
            (after: { seq: number } | undefined, limit) =>
              db
                .selectFrom('consent_events')
                .selectAll()
                .where('subject_id', '=', subject.id)
                .$if(after !== undefined, (q) => q.where('seq', '>', after?.seq ?? 0))
                .orderBy('seq')
                .limit(limit)
                .execute(),
            options?.pageSize ?? s.size,
          ),
          (e) => ({
            id: e.id,
            at: e.at,
            event: e.event,
            targetKind: e.target_kind,
            targetId: e.target_id,
            declarationId: e.declaration_id,
            declarationVersion: e.declaration_version,
            noticeHash: e.notice_hash,
            channel: e.channel,
            element: e.element,
            identifierId: e.identifier_id,
            ip: e.ip,
            userAgent: e.user_agent,
            gpc: e.gpc === 1,
            jurisdiction: e.jurisdiction,
          }),
        ),
    };
  }

  if (wanted('subscriptions')) {
    const rows = await db
      .selectFrom('subscriptions')
      .selectAll()
      .where('subject_id', '=', subject.id)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    yield {
      id: 'subscriptions',
      section: 'subscriptions',
      description: 'The newsletters and other messages you are (or were) signed up for.',
      fields: [
        f('id', 'string', 'Identifier of the subscription'),
        f('declarationId', 'string', 'The privacy declaration it falls under'),
        f('communicationId', 'string', 'Which newsletter or message'),
        f('state', 'string', 'unconfirmed, confirmed or unsubscribed'),
        f('identifierId', 'string', 'The address it goes to (see identifiers)'),
        f('sender', 'string', 'Who sends it'),
        f('createdAt', 'date-time', 'When you signed up'),
        f('confirmedAt', 'date-time', 'When you confirmed it', { nullable: true }),
        f('updatedAt', 'date-time', 'When it last changed'),
      ],
      count: rows.length,
      pages: one(
        rows.map((r) => ({
          id: r.id,
          declarationId: r.declaration_id,
          communicationId: r.communication_id,
          state: r.state,
          identifierId: r.identifier_id,
          sender: r.sender,
          createdAt: r.created_at,
          confirmedAt: r.confirmed_at,
          updatedAt: r.updated_at,
        })),
      ),
    };
  }

  if (wanted('notice_tasks')) {
    const rows = await db
      .selectFrom('notice_tasks')
      .selectAll()
      .where('subject_id', '=', subject.id)
      .orderBy('due_at')
      .orderBy('id')
      .execute();
    yield {
      id: 'notice_tasks',
      section: 'notice_tasks',
      description:
        'Data we received about you from someone else, for which we owe you a notice (Art. 14 GDPR), and whether it was sent.',
      fields: [
        f('recordId', 'string', 'The record that came from that source'),
        f('sourceId', 'string', 'The source'),
        f('dueAt', 'date-time', 'When the notice is due'),
        f('status', 'string', 'open, sent or exempt'),
        f('closedAt', 'date-time', 'When it was sent or found exempt', { nullable: true }),
        f('note', 'string', 'How the notice was given, or why it was not needed', { nullable: true }),
      ],
      count: rows.length,
      pages: one(
        rows.map((t) => ({
          recordId: t.record_id,
          sourceId: t.source_id,
          dueAt: t.due_at,
          status: t.status,
          closedAt: t.closed_at,
          note: t.note,
        })),
      ),
    };
  }

  if (wanted('suppressions')) {
    const rows = await db
      .selectFrom('suppressions')
      .select(['declaration_id', 'scope', 'reason', 'created_at'])
      .where('subject_id', '=', subject.id)
      .orderBy('created_at')
      .execute();
    yield {
      id: 'suppressions',
      section: 'suppressions',
      description:
        'Blocks on messages to your addresses (unsubscribes, objections). The address itself is kept only as a keyed hash, so the block outlasts deletion of your data.',
      fields: [
        f('declarationId', 'string', 'The declaration, or * for all'),
        f('scope', 'string', 'The communication, or * for all marketing'),
        f('reason', 'string', 'unsubscribed, objected or child'),
        f('createdAt', 'date-time', 'Since when'),
      ],
      note: `The address of each block is ${HASHED} and is not shown.`,
      count: rows.length,
      pages: one(
        rows.map((r) => ({
          declarationId: r.declaration_id,
          scope: r.scope,
          reason: r.reason,
          createdAt: r.created_at,
        })),
      ),
    };
  }

  if (wanted('promotion_redemptions')) {
    yield {
      id: 'promotion_redemptions',
      section: 'promotion_redemptions',
      description: 'Promotions redeemed, kept to stop the same offer being redeemed twice.',
      fields: [],
      note: `Each redemption is ${HASHED} of the device or account id used, not linked to you by name: we can tell that an id redeemed an offer only when the id is presented again, so we cannot list them here.`,
      count: 0,
      pages: one([]),
    };
  }

  if (wanted('requests')) {
    const rows = await db
      .selectFrom('requests')
      .select(['reference', 'type', 'status', 'received_at', 'due_at', 'extended_to', 'closed_at'])
      .where('subject_id', '=', subject.id)
      .orderBy('received_at')
      .orderBy('reference')
      .execute();
    yield {
      id: 'requests',
      section: 'requests',
      description: 'The requests about your rights you have made to us.',
      fields: [
        f('reference', 'string', 'The reference to quote'),
        f(
          'type',
          'string',
          'access, portability, rectification, erasure, restriction, objection or withdrawal',
        ),
        f('status', 'string', 'Where the request stands'),
        f('receivedAt', 'date-time', 'When we received it'),
        f('dueAt', 'date-time', 'When the answer is due'),
        f('extendedTo', 'date-time', 'The extended deadline, if we extended it', { nullable: true }),
        f('closedAt', 'date-time', 'When it was closed', { nullable: true }),
      ],
      count: rows.length,
      pages: one(
        rows.map((r) => ({
          reference: r.reference,
          type: r.type,
          status: r.status,
          receivedAt: r.received_at,
          dueAt: r.due_at,
          extendedTo: r.extended_to,
          closedAt: r.closed_at,
        })),
      ),
    };
  }
}
