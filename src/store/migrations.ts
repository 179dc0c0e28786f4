/**
 * Schema migrations, in order. Each is written once and never edited after it lands; a change
 * is a new migration. Types are chosen to behave the same on SQLite and PostgreSQL.
 */
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from './database.js';

/** An auto-incrementing integer primary key, in the dialect's own words. */
function autoId(dialect: DialectName) {
  return (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
}

export function migrations(dialect: DialectName): Record<string, Migration> {
  return {
    '0001_foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('policy_versions')
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('version_label', 'text', (c) => c.notNull())
          .addColumn('effective_date', 'text', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('policy_versions_pk', ['declaration_id', 'number'])
          .execute();

        await db.schema
          .createTable('operators')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.notNull().unique())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('disabled_at', 'text')
          .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('locked_until', 'text')
          .execute();

        await db.schema
          .createTable('sessions')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('operator_id', 'text', (c) => c.notNull().references('operators.id').onDelete('cascade'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('last_seen_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('api_keys')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull().unique())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('seq', 'integer', (c) => c.primaryKey())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('purpose', 'text')
          .addColumn('details', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('audit_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('jobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('run_at', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_expires_at', 'text')
          .addColumn('last_error', 'text')
          .addColumn('result', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('jobs_claim').on('jobs').columns(['status', 'run_at']).execute();

        await db.schema
          .createTable('disclosures')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text', (c) => c.notNull())
          .addColumn('legal_basis', 'text', (c) => c.notNull())
          .addColumn('categories', 'text', (c) => c.notNull())
          .addColumn('subject_ref', 'text')
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('disclosed_at', 'text', (c) => c.notNull())
          .addColumn('recorded_by', 'text', (c) => c.notNull())
          .addColumn('recorded_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0002_people_and_consent': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('subjects')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('jurisdiction', 'text')
          .addColumn('child', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('restricted', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('objected_at', 'text')
          .addColumn('merged_into', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();

        await db.schema
          .createTable('identifiers')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('lookup', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('identifiers_lookup', ['tenant', 'kind', 'lookup'])
          .execute();
        await db.schema.createIndex('identifiers_subject').on('identifiers').column('subject_id').execute();

        await db.schema
          .createTable('records')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('declaration_version', 'integer', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('purposes', 'text', (c) => c.notNull())
          .addColumn('categories', 'text', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('source_type', 'text', (c) => c.notNull())
          .addColumn('collection_point', 'text')
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('collected_at', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .execute();
        await db.schema
          .createIndex('records_subject')
          .on('records')
          .columns(['subject_id', 'collected_at'])
          .execute();
        await db.schema.createIndex('records_expiry').on('records').column('expires_at').execute();

        await db.schema
          .createTable('notice_tasks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('record_id', 'text', (c) => c.notNull())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('source_id', 'text', (c) => c.notNull())
          .addColumn('due_at', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('closed_at', 'text')
          .addColumn('note', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('notice_tasks_open')
          .on('notice_tasks')
          .columns(['status', 'due_at'])
          .execute();

        await db.schema
          .createTable('consent_events')
          .addColumn('seq', 'integer', autoId(dialect))
          .addColumn('id', 'text', (c) => c.notNull().unique())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('identifier_id', 'text')
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('declaration_version', 'integer', (c) => c.notNull())
          .addColumn('notice_hash', 'text', (c) => c.notNull())
          .addColumn('target_kind', 'text', (c) => c.notNull())
          .addColumn('target_id', 'text', (c) => c.notNull())
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('element', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('gpc', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('jurisdiction', 'text')
          .addColumn('idempotency_key', 'text', (c) => c.unique())
          .execute();
        await db.schema
          .createIndex('consent_events_subject')
          .on('consent_events')
          .columns(['subject_id', 'seq'])
          .execute();

        await db.schema
          .createTable('subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('identifier_id', 'text', (c) =>
            c.notNull().references('identifiers.id').onDelete('cascade'),
          )
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('communication_id', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('sender', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('confirmed_at', 'text')
          .addUniqueConstraint('subscriptions_address', [
            'identifier_id',
            'declaration_id',
            'communication_id',
          ])
          .execute();

        await db.schema
          .createTable('suppressions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('lookup', 'text', (c) => c.notNull())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('suppressions_scope', ['lookup', 'declaration_id', 'scope'])
          .execute();

        await db.schema
          .createTable('redemptions')
          .addColumn('promotion_id', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'text', (c) => c.notNull())
          .addColumn('redeemed_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('redemptions_pk', ['promotion_id', 'key_hash'])
          .execute();

        await db.schema
          .createTable('outbox')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('to_address', 'text', (c) => c.notNull())
          .addColumn('from_address', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('text_body', 'text', (c) => c.notNull())
          .addColumn('html_body', 'text')
          .addColumn('headers', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('communication_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('sent_at', 'text')
          .addColumn('transport', 'text', (c) => c.notNull())
          .addColumn('error', 'text')
          .execute();
        await db.schema.createIndex('outbox_created').on('outbox').column('created_at').execute();

        // Every change that can alter a suppression answer bumps this log, so each process can
        // tell with one indexed read whether its in-memory suppression index is current.
        await db.schema
          .createTable('suppression_changes')
          .addColumn('seq', 'integer', autoId(dialect))
          .addColumn('subject_id', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0003_rights': {
      async up(db: Kysely<unknown>) {
        // A rights request from receipt to closure. What the requester wrote (claims, details)
        // is sealed like captured records; only what the workflow needs is in clear.
        await db.schema
          .createTable('requests')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('reference', 'text', (c) => c.notNull().unique())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('service_id', 'text')
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text')
          .addColumn('contact_lookup', 'text', (c) => c.notNull())
          .addColumn('access_token_hash', 'text', (c) => c.notNull())
          .addColumn('claims', 'text', (c) => c.notNull())
          .addColumn('jurisdiction', 'text')
          .addColumn('second_step', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('due_at', 'text', (c) => c.notNull())
          .addColumn('extended_to', 'text')
          .addColumn('verified_at', 'text')
          .addColumn('reviewed_at', 'text')
          .addColumn('closed_at', 'text')
          .addColumn('outcome', 'text')
          .addColumn('fee', 'text')
          .addColumn('drp_agent_id', 'text')
          .addColumn('drp_agent_request_id', 'text')
          .addColumn('drp_callback', 'text')
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('requests_status_due')
          .on('requests')
          .columns(['status', 'due_at'])
          .execute();
        await db.schema.createIndex('requests_subject').on('requests').column('subject_id').execute();
        await db.schema
          .createIndex('requests_contact')
          .on('requests')
          .columns(['contact_lookup', 'received_at'])
          .execute();

        // The request's timeline: every step, who took it, and whether the requester sees it.
        await db.schema
          .createTable('request_events')
          .addColumn('seq', 'integer', autoId(dialect))
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('details', 'text', (c) => c.notNull())
          .addColumn('visible', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema
          .createIndex('request_events_request')
          .on('request_events')
          .column('request_id')
          .execute();

        // One-time codes sent to contact details already on file; only their hash is kept.
        await db.schema
          .createTable('verification_challenges')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
          .addColumn('step', 'integer', (c) => c.notNull())
          .addColumn('identifier_id', 'text')
          .addColumn('code_hash', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('max_attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('passed_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('verification_challenges_request')
          .on('verification_challenges')
          .column('request_id')
          .execute();

        // Fulfilment as tasks: one per system holding data, per recipient to notify (Art. 19),
        // per Provider a processor-role request is routed to, or a manual step.
        await db.schema
          .createTable('request_tasks')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('result', 'text')
          .addColumn('note', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('done_at', 'text')
          .addColumn('done_by', 'text')
          .execute();
        await db.schema
          .createIndex('request_tasks_request')
          .on('request_tasks')
          .column('request_id')
          .execute();
        await db.schema
          .createIndex('request_tasks_open')
          .on('request_tasks')
          .columns(['status', 'kind'])
          .execute();

        // Expiring, single-use links to a result; only the token's hash is kept.
        await db.schema
          .createTable('result_links')
          .addColumn('token_hash', 'text', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('passphrase_hash', 'text')
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('used_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();

        // Legal holds (C4f.2): what they cover is exempt from erasure and retention deletion.
        await db.schema
          .createTable('legal_holds')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id'))
          .addColumn('categories', 'text')
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('reference', 'text')
          .addColumn('placed_by', 'text', (c) => c.notNull())
          .addColumn('placed_at', 'text', (c) => c.notNull())
          .addColumn('released_by', 'text')
          .addColumn('released_at', 'text')
          .execute();
        await db.schema.createIndex('legal_holds_subject').on('legal_holds').column('subject_id').execute();

        // Data Rights Protocol agents we accept, and the pairwise token each was given.
        await db.schema
          .createTable('drp_agents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('verify_key', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text')
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addColumn('paired_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
      },
    },
    '0004_records_by_kind': {
      async up(db: Kysely<unknown>) {
        // A person's records of one kind in collection order, as the access package and the
        // portability export read them a page at a time (keyset on collected_at, then id). With
        // only (subject_id, collected_at), each page skipped the person's other kinds row by row
        // and sorted ties on id. Kind comes first so that a query on subject_id alone (the
        // subject view, the grouped reads of the Art. 15 answer) keeps using records_subject,
        // which visits the table in the order the rows were written.
        await db.schema
          .createIndex('records_kind_subject')
          .on('records')
          .columns(['kind', 'subject_id', 'collected_at', 'id'])
          .execute();
      },
    },
    '0005_web': {
      async up(db: Kysely<unknown>) {
        // Website events, already minimised: no raw IP (only the /24 or /48 network), browser and
        // OS family only, a visitor id that is a keyed hash under a salt deleted after 48 hours.
        await db.schema
          .createTable('web_events')
          .addColumn('id', 'integer', autoId(dialect))
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('day', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('category', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('site', 'text', (c) => c.notNull())
          .addColumn('path', 'text')
          .addColumn('referrer_host', 'text')
          .addColumn('target', 'text')
          .addColumn('label', 'text')
          .addColumn('value', 'integer')
          .addColumn('visitor', 'text')
          .addColumn('network', 'text')
          .addColumn('country', 'text')
          .addColumn('browser', 'text')
          .addColumn('os', 'text')
          .addColumn('consent_ref', 'text')
          .execute();
        await db.schema.createIndex('web_events_day').on('web_events').columns(['day', 'type']).execute();
        await db.schema
          .createIndex('web_events_consent')
          .on('web_events')
          .columns(['consent_ref'])
          .where(sql.ref('consent_ref'), 'is not', null)
          .execute();
        // One random salt per day for cookieless visitor ids; a job deletes it after 48 hours.
        await db.schema
          .createTable('visitor_salts')
          .addColumn('day', 'text', (c) => c.primaryKey())
          .addColumn('salt', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // Batches already taken, by id, so a replayed batch is refused; kept for a day.
        await db.schema
          .createTable('web_batches')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .execute();
        // Links between a browser's consent id and a known person (C3d.4): recorded, erasable.
        await db.schema
          .createTable('web_links')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('consent_ref', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.notNull().references('subjects.id').onDelete('cascade'))
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('linked_at', 'text', (c) => c.notNull())
          .addColumn('consent_event_id', 'text')
          .execute();
        await db.schema
          .createIndex('web_links_consent')
          .on('web_links')
          .columns(['consent_ref', 'declaration_id'])
          .unique()
          .execute();
        await db.schema.createIndex('web_links_subject').on('web_links').columns(['subject_id']).execute();
      },
    },
    '0006_identity_trust': {
      async up(db: Kysely<unknown>) {
        // Where each identifier came from and whether its holder proved control of it. One that
        // arrived beside another person's identifier is a claim (claimed = 1): never a channel
        // for codes or results until verified (double opt-in, operator, verified import).
        await db.schema.alterTable('identifiers').addColumn('source', 'text').execute();
        await db.schema
          .alterTable('identifiers')
          .addColumn('claimed', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('identifiers').addColumn('verified_at', 'text').execute();
        await db.schema.alterTable('identifiers').addColumn('verified_by', 'text').execute();
        // Permissions granted to one operator beyond its role (the first administrator's
        // reading of the development outbox), as a JSON array.
        await db.schema
          .alterTable('operators')
          .addColumn('grants', 'text', (c) => c.notNull().defaultTo('[]'))
          .execute();
        // Stored bodies have their secrets removed; the full message is kept sealed only in the
        // development outbox (no SMTP), and a digest proves what SMTP accepted.
        await db.schema.alterTable('outbox').addColumn('sealed_message', 'text').execute();
        await db.schema.alterTable('outbox').addColumn('body_digest', 'text').execute();
        // Every identifier a request names, so the daily limit counts each of them.
        await db.schema
          .createTable('request_contacts')
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id').onDelete('cascade'))
          .addColumn('lookup', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('request_contacts_pk', ['request_id', 'lookup'])
          .execute();
        await db.schema
          .createIndex('request_contacts_lookup')
          .on('request_contacts')
          .columns(['lookup', 'received_at'])
          .execute();
      },
    },
    '0007_store_identity_and_drp_replay': {
      async up(db: Kysely<unknown>) {
        // Which secret the store belongs to: a check value derived from it, never the secret. A
        // process with another secret refuses to start instead of writing keyed hashes and sealed
        // data nobody else can read. Filled by the first process that opens the store.
        await db.schema
          .createTable('store_identity')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('secret_check', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        // Every signed Data Rights Protocol message that took effect, by agent and a hash of its
        // content (or the agent-request-id it carried): a replay answers with the first effect.
        await db.schema
          .createTable('drp_messages')
          .addColumn('agent_id', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('request_id', 'text')
          .addColumn('answer', 'text')
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('drp_messages_pk', ['agent_id', 'key'])
          .execute();
        // Cookie-consent changes, written in the transaction of the change: every web process reads
        // past the last one it applied before trusting its cache of what a consent token allows.
        await db.schema
          .createTable('consent_changes')
          .addColumn('seq', 'integer', autoId(dialect))
          .addColumn('subject_id', 'text')
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0008_result_link_limits': {
      async up(db: Kysely<unknown>) {
        // What a result link has given out, so that a leaked link stops after a few codes and
        // guesses whatever network address asks; why it was closed early; and until when a
        // delivery in progress holds it (a lease, so a crashed process does not keep it).
        const columns: [string, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder][] = [
          ['codes_sent', (c) => c.notNull().defaultTo(0)],
          ['wrong_codes', (c) => c.notNull().defaultTo(0)],
        ];
        for (const [name, build] of columns)
          await db.schema.alterTable('result_links').addColumn(name, 'integer', build).execute();
        for (const name of ['closed_at', 'closed_reason', 'delivering_until'])
          await db.schema.alterTable('result_links').addColumn(name, 'text').execute();
      },
    },
    '0009_systems_and_datasets': {
      async up(db: Kysely<unknown>) {
        // Published versions of each connected system's dataset (the reviewed map of its tables),
        // per declaration, like policy_versions: a new row only when the content hash changes.
        // A version without reviewed_by is a proposal that no connector acts on.
        await db.schema
          .createTable('dataset_versions')
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('system', 'text', (c) => c.notNull())
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('content_hash', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text', (c) => c.notNull())
          .addColumn('published_by', 'text', (c) => c.notNull())
          .addColumn('reviewed_by', 'text')
          .addColumn('reviewed_on', 'text')
          .addPrimaryKeyConstraint('dataset_versions_pk', ['declaration_id', 'system', 'number'])
          .execute();
        // The last connection check of each system, so every process shows the same answer.
        // Never the connection settings: only the outcome and an error already free of secrets.
        await db.schema
          .createTable('system_checks')
          .addColumn('system', 'text', (c) => c.primaryKey())
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .addColumn('checked_by', 'text', (c) => c.notNull())
          .addColumn('ok', 'integer', (c) => c.notNull())
          .addColumn('server', 'text')
          .addColumn('latency_ms', 'integer')
          .addColumn('error', 'text')
          .execute();
      },
    },
    '0010_execution_steps': {
      async up(db: Kysely<unknown>) {
        // A request's work across Steward's data and every connected system: one row per step
        // (a collection of a system, or a whole system), with the keys of the steps it waits for,
        // what it was planned to do, its progress per committed batch and its outcome.
        await db.schema
          .createTable('request_steps')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('request_id', 'text', (c) => c.notNull().references('requests.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('system', 'text', (c) => c.notNull())
          .addColumn('collection', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('depends_on', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('plan', 'text', (c) => c.notNull())
          .addColumn('progress', 'text')
          .addColumn('result', 'text')
          .addColumn('error', 'text')
          .addColumn('task_id', 'text')
          .addColumn('job_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('finished_at', 'text')
          .execute();
        await db.schema
          .createIndex('request_steps_key')
          .on('request_steps')
          .columns(['request_id', 'key'])
          .unique()
          .execute();
        await db.schema.createIndex('request_steps_status').on('request_steps').column('status').execute();
        // Per request: the identifiers its steps search with and the address to answer (both
        // sealed: erasure removes them from Steward before the last step runs), the systems in
        // the plan with the recipients to tell of a change, and the receipt of the read-back.
        await db.schema
          .createTable('request_plans')
          .addColumn('request_id', 'text', (c) => c.primaryKey().references('requests.id'))
          .addColumn('seeds', 'text')
          .addColumn('answer_to', 'text')
          .addColumn('systems', 'text', (c) => c.notNull())
          .addColumn('receipt', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0011_connected_gaps': {
      async up(db: Kysely<unknown>) {
        // A first code sent to the address a request gives, for a person Steward holds no record
        // of but a connected system does: the address, sealed (no identifier row exists for it).
        await db.schema.alterTable('verification_challenges').addColumn('address', 'text').execute();
      },
    },
    '0013_retention_runs': {
      async up(db: Kysely<unknown>) {
        // One retention sweep of a rule over one system: what it was asked to do (the rule as it
        // stood when the run started, and the instant whose thresholds it uses), where it is (the
        // cursor of the last committed batch), and what it did (counts per collection, rows held
        // by each hold). A run is a leased job; a killed worker's successor resumes at the cursor.
        await db.schema
          .createTable('retention_runs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('declaration_version', 'integer')
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('system', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('trigger', 'text', (c) => c.notNull())
          .addColumn('requested_by', 'text', (c) => c.notNull())
          .addColumn('rule', 'text')
          .addColumn('at', 'text')
          .addColumn('cursor', 'text')
          .addColumn('counts', 'text', (c) => c.notNull())
          .addColumn('held', 'text', (c) => c.notNull())
          .addColumn('batches', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('job_id', 'text')
          .addColumn('error', 'text')
          .addColumn('receipt_seq', 'integer')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text')
          .addColumn('ended_at', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // At most one run of a rule over a system is waiting or running: a second request for
        // it joins the first.
        await db.schema
          .createIndex('retention_runs_active')
          .on('retention_runs')
          .columns(['declaration_id', 'rule_id', 'system'])
          .unique()
          .where(sql.raw<boolean>("status in ('pending', 'running')"))
          .execute();
        await db.schema
          .createIndex('retention_runs_rule')
          .on('retention_runs')
          .columns(['declaration_id', 'rule_id', 'system', 'created_at'])
          .execute();
        // The sweeps' clocks, so each batch reads an index range in clock order (a rule's purposes
        // are filtered on the way) instead of sorting what expired. Website events are personal
        // data only while they keep a visitor id, a link or a network: anonymised rows leave this
        // index and are never read again.
        await db.schema
          .createIndex('web_events_retention')
          .on('web_events')
          .columns(['declaration_id', 'at', 'id'])
          .where(sql.raw<boolean>('visitor is not null or consent_ref is not null or network is not null'))
          .execute();
        await db.schema
          .createIndex('web_links_retention')
          .on('web_links')
          .columns(['declaration_id', 'linked_at', 'id'])
          .execute();
        await db.schema
          .createIndex('subscriptions_retention')
          .on('subscriptions')
          .columns(['declaration_id', 'state', 'updated_at', 'id'])
          .execute();
        await db.schema
          .createIndex('consent_events_ended')
          .on('consent_events')
          .columns(['declaration_id', 'at', 'seq'])
          .where(sql.raw<boolean>("event in ('withdrawn', 'expired')"))
          .execute();
        await db.schema.createIndex('result_links_expiry').on('result_links').column('expires_at').execute();
      },
    },
    '0014_job_claimed_by': {
      async up(db: Kysely<unknown>) {
        // The worker that took a job's latest attempt, kept after it finishes (the lease owner is
        // cleared): which process ran a request's step, for operators and for tests of many workers.
        await db.schema.alterTable('jobs').addColumn('claimed_by', 'text').execute();
      },
    },
    '0012_lifecycle_events': {
      async up(db: Kysely<unknown>) {
        // Things that happened in the company's systems and start retention clocks (a contract
        // ended, an order was delivered): about a person, one of Steward's records, or a row of a
        // connected system. The natural key (its hash) makes an exact duplicate a no-op.
        await db.schema
          .createTable('lifecycle_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('tenant', 'text', (c) => c.notNull())
          .addColumn('declaration_id', 'text', (c) => c.notNull())
          .addColumn('subject_id', 'text', (c) => c.references('subjects.id').onDelete('cascade'))
          .addColumn('record_id', 'text', (c) => c.references('records.id').onDelete('cascade'))
          .addColumn('system', 'text')
          .addColumn('collection', 'text')
          .addColumn('record_key', 'text')
          .addColumn('event', 'text', (c) => c.notNull())
          .addColumn('occurred_at', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('natural_key', 'text', (c) => c.notNull().unique())
          .execute();
        await db.schema
          .createIndex('lifecycle_events_subject')
          .on('lifecycle_events')
          .columns(['subject_id', 'event', 'occurred_at'])
          .execute();
        await db.schema
          .createIndex('lifecycle_events_record')
          .on('lifecycle_events')
          .column('record_id')
          .execute();
        // The rule whose period ends last decides what happens at records.expires_at (delete or
        // anonymise); null while any of the record's clocks has not started.
        await db.schema.alterTable('records').addColumn('expiry_rule', 'text').execute();
      },
    },
    '0015_retention_requests_redemptions': {
      async up(db: Kysely<unknown>) {
        // The retention sweeps of closed rights requests and of promotion redemptions read them
        // in the order of their clocks.
        await db.schema
          .createIndex('requests_retention')
          .on('requests')
          .columns(['declaration_id', 'received_at'])
          .execute();
        await db.schema
          .createIndex('redemptions_retention')
          .on('redemptions')
          .column('redeemed_at')
          .execute();
      },
    },
    '0016_retention_housekeeping': {
      async up(db: Kysely<unknown>) {
        // Housekeeping removes what Steward keeps only to work once it is older than its period:
        // finished jobs, processed website batches, old rows of the two change logs.
        await db.schema
          .createIndex('jobs_finished')
          .on('jobs')
          .columns(['updated_at'])
          .where(sql.raw<boolean>("status in ('done', 'dead')"))
          .execute();
        await db.schema.createIndex('web_batches_received').on('web_batches').column('received_at').execute();
        await db.schema
          .createIndex('suppression_changes_at')
          .on('suppression_changes')
          .column('at')
          .execute();
        await db.schema.createIndex('consent_changes_at').on('consent_changes').column('at').execute();
      },
    },
    '0019_account_session': {
      async up(db: Kysely<unknown>) {
        // An API key for a company's own site answers signed-in users of one declaration only.
        await db.schema.alterTable('api_keys').addColumn('declaration_id', 'text').execute();
      },
    },
  };
}
