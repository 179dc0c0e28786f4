/**
 * Test data for the consent benchmarks and the consent crash test: a fast bulk loader that fills a
 * store with people (one email address each) and a realistic mix of answers for one
 * communication, and the consent-write request both use. The loader writes rows with raw prepared
 * statements in large transactions (SQLite through a second connection to the same file,
 * PostgreSQL with `unnest` arrays): it is set-up, not a test of Steward's write path.
 *
 * @example
 * const people = planPeople(1_000_000, 20261125);
 * const rows = storedPeople(ctx.keys, people);
 * loadPeopleSqlite(file, rows, { declarationId: 'sncn-general', communication: 'sncn_newsletter' });
 * // then: suppressionIndex(ctx).sync(), and compare each verdict with expectedReason(people.kinds[i])
 */
import { request } from 'node:http';
import type { Agent } from 'node:http';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Keys } from '../src/context.js';
import { lookupOf } from '../src/subjects/subjects.js';
import { seededRandom } from './support.js';

/** What the store holds for one address, and so what the check must answer for it. */
export type PersonKind =
  'confirmed' | 'unsubscribed' | 'objected' | 'child' | 'restricted' | 'unconfirmed' | 'unknown';

/** The blocked kinds, in equal shares of the blocked tenth. */
export const blockedKinds = [
  'unsubscribed',
  'objected',
  'child',
  'restricted',
  'unconfirmed',
  'unknown',
] as const satisfies readonly PersonKind[];

/** The verdict reason an opt-in marketing communication (such as `sncn_newsletter`) gets for each kind. */
export function expectedReason(kind: PersonKind): string {
  switch (kind) {
    case 'confirmed':
      return 'consent';
    case 'unknown':
      return 'unknown_opt_in_required';
    default:
      return kind;
  }
}

export interface People {
  /** Every address, in a shuffled order (a mailing list is not sorted by outcome). */
  readonly addresses: string[];
  /** `kinds[i]` is what the store holds for `addresses[i]`. */
  readonly kinds: PersonKind[];
}

const domains = [
  'example.com',
  'example.se',
  'mail.example.org',
  'corp.example.net',
  'example.no',
  'post.example.dk',
  'example.fi',
  'students.example.edu',
];

/**
 * `count` addresses, already normalised (plain ASCII, lower-case domain): exactly one in ten is
 * blocked, the blocked ones split evenly over `blockedKinds`; the rest have confirmed subscriptions.
 */
export function planPeople(count: number, seed: number): People {
  const addresses = new Array<string>(count);
  const kinds = new Array<PersonKind>(count);
  for (let i = 0; i < count; i += 1) {
    addresses[i] = `person.${i.toString(36)}${(i * 7919) % 1000}@${domains[i % domains.length]}`;
    kinds[i] = i % 10 === 9 ? blockedKinds[Math.floor(i / 10) % blockedKinds.length]! : 'confirmed';
  }
  const random = seededRandom(seed);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [addresses[i], addresses[j]] = [addresses[j]!, addresses[i]!];
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  // Flat strings, as a parsed request body gives, rather than the concatenations built above.
  return { addresses: JSON.parse(JSON.stringify(addresses)) as string[], kinds };
}

export interface Target {
  readonly declarationId: string;
  readonly communication: string;
}

/** One stored person: normalised address, its keyed hash, and what the store holds for it. */
export interface StoredPerson {
  readonly value: string;
  readonly lookup: string;
  readonly kind: PersonKind;
}

const jurisdictions = ['SE', 'SE', 'SE', 'NO', 'DK', 'FI', null] as const;

/** A UUID-shaped id that sorts in insertion order, so primary-key indexes grow by appending. */
function orderedId(table: number, n: number): string {
  return `${table.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * The people the store holds (every kind but `unknown`) with their lookups under `keys`, sorted
 * by lookup so the unique lookup index grows by appending. Computed once, loadable into several
 * stores that share the secret.
 */
export function storedPeople(keys: Keys, people: People): StoredPerson[] {
  const rows: StoredPerson[] = [];
  for (let i = 0; i < people.addresses.length; i += 1) {
    const kind = people.kinds[i]!;
    if (kind === 'unknown') continue;
    const value = people.addresses[i]!;
    rows.push({ value, lookup: lookupOf(keys, 'email', value), kind });
  }
  return rows.sort((a, b) => (a.lookup < b.lookup ? -1 : a.lookup > b.lookup ? 1 : 0));
}

/** Column values of the four tables for row `n`, shared by both dialects. */
function shape(row: StoredPerson, n: number, target: Target, now: string) {
  const subjectId = orderedId(1, n);
  const identifierId = orderedId(2, n);
  return {
    subject: {
      id: subjectId,
      jurisdiction: jurisdictions[n % jurisdictions.length] ?? null,
      child: row.kind === 'child' ? 1 : 0,
      restricted: row.kind === 'restricted' ? 1 : 0,
      objectedAt: row.kind === 'objected' ? now : null,
    },
    identifier: { id: identifierId, subjectId, value: row.value, lookup: row.lookup },
    subscription: {
      id: orderedId(3, n),
      subjectId,
      identifierId,
      state:
        row.kind === 'unsubscribed'
          ? 'unsubscribed'
          : row.kind === 'unconfirmed'
            ? 'unconfirmed'
            : 'confirmed',
      confirmedAt: row.kind === 'unconfirmed' ? null : now,
    },
    // An unsubscribe suppresses the one communication; an objection every marketing communication.
    suppression:
      row.kind === 'unsubscribed'
        ? {
            id: orderedId(4, n),
            lookup: row.lookup,
            declarationId: target.declarationId,
            scope: target.communication,
            reason: 'unsubscribed',
            subjectId,
          }
        : row.kind === 'objected'
          ? {
              id: orderedId(4, n),
              lookup: row.lookup,
              declarationId: '*',
              scope: '*',
              reason: 'objected',
              subjectId,
            }
          : undefined,
  };
}

const SENDER = 'Sony Network Communications Nordics';

export interface Loaded {
  /** Rows written over all four tables. */
  readonly rows: number;
}

/**
 * Writes the people into the SQLite file at `path` (already migrated, possibly open in Steward)
 * through a second connection, 100,000 people per transaction, then records one change with no
 * subject so every suppression index rebuilds.
 */
export function loadPeopleSqlite(path: string, rows: readonly StoredPerson[], target: Target): Loaded {
  const now = new Date().toISOString();
  const db = new SQLite(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = OFF');
    db.pragma('busy_timeout = 5000');
    db.pragma('cache_size = -262144');
    const subject = db.prepare(
      `insert into subjects (id, tenant, jurisdiction, child, restricted, objected_at, merged_into, created_at, updated_at)
       values (?, '', ?, ?, ?, ?, null, ?, ?)`,
    );
    const identifier = db.prepare(
      `insert into identifiers (id, subject_id, tenant, kind, value, lookup, created_at)
       values (?, ?, '', 'email', ?, ?, ?)`,
    );
    const subscription = db.prepare(
      `insert into subscriptions (id, subject_id, identifier_id, declaration_id, communication_id, state, sender, created_at, updated_at, confirmed_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const suppression = db.prepare(
      `insert into suppressions (id, lookup, declaration_id, scope, reason, subject_id, created_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
    );
    let written = 0;
    const insertBatch = db.transaction((from: number, to: number) => {
      for (let n = from; n < to; n += 1) {
        const s = shape(rows[n]!, n, target, now);
        subject.run(
          s.subject.id,
          s.subject.jurisdiction,
          s.subject.child,
          s.subject.restricted,
          s.subject.objectedAt,
          now,
          now,
        );
        identifier.run(s.identifier.id, s.identifier.subjectId, s.identifier.value, s.identifier.lookup, now);
        subscription.run(
          s.subscription.id,
          s.subscription.subjectId,
          s.subscription.identifierId,
          target.declarationId,
          target.communication,
          s.subscription.state,
          SENDER,
          now,
          now,
          s.subscription.confirmedAt,
        );
        written += 3;
        const p = s.suppression;
        if (p !== undefined) {
          suppression.run(p.id, p.lookup, p.declarationId, p.scope, p.reason, p.subjectId, now);
          written += 1;
        }
      }
    });
    for (let from = 0; from < rows.length; from += 100_000)
      insertBatch(from, Math.min(rows.length, from + 100_000));
    db.prepare(`insert into suppression_changes (subject_id, at) values (null, ?)`).run(now);
    return { rows: written + 1 };
  } finally {
    db.close();
  }
}

/**
 * Writes the people into a PostgreSQL schema (already migrated): per 50,000 people one transaction
 * of four `insert … select from json_to_recordset($1)` statements, with foreign-key triggers
 * off for the session where the role may do that (the rows are consistent by construction);
 * then records one change with no subject.
 */
export async function loadPeoplePostgres(
  url: string,
  schema: string,
  rows: readonly StoredPerson[],
  target: Target,
): Promise<Loaded> {
  const now = new Date().toISOString();
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query('set synchronous_commit = off');
    await client.query('set session_replication_role = replica').catch(() => undefined);
    let written = 0;
    for (let from = 0; from < rows.length; from += 50_000) {
      const shapes = rows.slice(from, from + 50_000).map((r, k) => shape(r, from + k, target, now));
      const suppressions = shapes.flatMap((s) => (s.suppression === undefined ? [] : [s.suppression]));
      await client.query('begin');
      await client.query(
        `insert into subjects (id, tenant, jurisdiction, child, restricted, objected_at, merged_into, created_at, updated_at)
         select id, '', jurisdiction, child, restricted, "objectedAt", null, $2, $2
         from json_to_recordset($1::json) as t(id text, jurisdiction text, child int, restricted int, "objectedAt" text)`,
        [JSON.stringify(shapes.map((s) => s.subject)), now],
      );
      await client.query(
        `insert into identifiers (id, subject_id, tenant, kind, value, lookup, created_at)
         select id, "subjectId", '', 'email', value, lookup, $2
         from json_to_recordset($1::json) as t(id text, "subjectId" text, value text, lookup text)`,
        [JSON.stringify(shapes.map((s) => s.identifier)), now],
      );
      await client.query(
        `insert into subscriptions (id, subject_id, identifier_id, declaration_id, communication_id, state, sender, created_at, updated_at, confirmed_at)
         select id, "subjectId", "identifierId", $2, $3, state, $4, $5, $5, "confirmedAt"
         from json_to_recordset($1::json) as t(id text, "subjectId" text, "identifierId" text, state text, "confirmedAt" text)`,
        [
          JSON.stringify(shapes.map((s) => s.subscription)),
          target.declarationId,
          target.communication,
          SENDER,
          now,
        ],
      );
      if (suppressions.length > 0)
        await client.query(
          `insert into suppressions (id, lookup, declaration_id, scope, reason, subject_id, created_at)
           select id, lookup, "declarationId", scope, reason, "subjectId", $2
           from json_to_recordset($1::json) as t(id text, lookup text, "declarationId" text, scope text, reason text, "subjectId" text)`,
          [JSON.stringify(suppressions), now],
        );
      await client.query('commit');
      written += shapes.length * 3 + suppressions.length;
    }
    await client.query(`insert into suppression_changes (subject_id, at) values (null, $1)`, [now]);
    await client.query('analyze');
    return { rows: written + 1 };
  } finally {
    await client.end();
  }
}

/** Any SHA-256 in hex will do as the hash of the notice text shown. */
export const NOTICE_HASH = 'c0ffee'.padEnd(64, '0');

/** The body of `POST /api/v1/consents`: consent given for `personalised_content` by one address. */
export function consentBody(email: string, idempotencyKey?: string): Record<string, unknown> {
  return {
    declarationId: 'sncn-general',
    subject: { identifiers: [{ kind: 'email', value: email }] },
    event: 'given',
    targets: [{ kind: 'purpose', id: 'personalised_content' }],
    noticeHash: NOTICE_HASH,
    channel: 'web',
    element: 'preference_centre',
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * One HTTP request to 127.0.0.1:`port` through `agent` (keep-alive), body sent as given;
 * resolves with the status and the whole response body, rejects on a network error.
 */
export function send(
  agent: Agent,
  port: number,
  options: { method: string; path: string; apiKey: string; type?: string; body?: string | Buffer },
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        method: options.method,
        path: options.path,
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          ...(options.body === undefined
            ? {}
            : {
                'content-type': options.type ?? 'application/json',
                'content-length': Buffer.byteLength(options.body),
              }),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (b: Buffer) => parts.push(b));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(120_000, () => req.destroy(new Error(`no answer to ${options.path} for 120 s`)));
    req.end(options.body);
  });
}
