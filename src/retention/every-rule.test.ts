/**
 * C10.1, table-driven: every retention rule of both example declarations, read from the
 * declaration files (a rule added there is covered here without a line changed), has a clock that
 * starts and a sweep that removes its data from Steward's store, on SQLite and PostgreSQL.
 *
 * For each rule the test finds what the rule governs in Steward's store (each purpose whose
 * retention names it, and a data category of that purpose under it; the consent ledger for the
 * rule that keeps proof of consent), creates such data through the public API (capture, consent,
 * lifecycle events), starts the rule's clock the way its trigger says, and moves the test clock to
 * a minute before and a second after the deadline. The deadline is computed here, from the rule's
 * duration and anchor, with arithmetic of this file's own (not the clocks under test). A run of
 * the rule (`POST /api/v1/retention/:rule/run`, carried out by the worker's job) must keep the
 * data before and delete or anonymise it after, with its receipt in the audit ledger.
 *
 * A rule no purpose names keeps nothing in Steward's store: it is listed with where its data
 * lives (a connected system's dataset), and a rule with no home at all fails the test.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse } from 'yaml';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import { Worker } from '../jobs/queue.js';
import { eraseSubject } from '../rights/erase-subject.js';
import { jobDefinitions } from '../worker-jobs.js';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { settableClock } from '../../test/support/clock.js';
import { subscribeConfirmed } from '../../test/support/consent.js';
import { lastMessage } from '../../test/support/mail.js';
import type { RunBody } from '../../test/support/retention.js';
import { retentionApi } from '../../test/support/retention.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { ANONYMOUS_SUBJECT } from './steward/records.js';

const NOTICE = 'e'.repeat(64);
const DAY = 24 * 60 * 60 * 1000;

// --- The declarations as files say them (only the fields this test reads) ---

interface RuleYaml {
  id: string;
  duration: string;
  trigger: string;
  event?: string;
  anchor?: string;
  action: 'delete' | 'anonymise';
}
interface PurposeYaml {
  id: string;
  dpv?: string;
  legalBasis: string | Record<string, string>;
  categories: string[];
  sources?: string[];
  retention?: { default?: string; categories?: Record<string, string> };
  interactions?: string[];
}
interface DeclarationYaml {
  id: string;
  purposes: PurposeYaml[];
  retention: RuleYaml[];
  sources: { id: string }[];
  lifecycleEvents?: { id: string; about: 'subject' | 'record' }[];
  financialYear?: { startMonth: number };
  communications: { id: string; kind: string; purpose: string; doubleOptIn?: boolean }[];
  analytics?: {
    events: { type: string; purpose: string; category: string }[];
    linkToSubject?: { purpose: string; category: string };
  };
}

/** Data of one collection made for a rule: when it should go, and whether it is there or gone. */
interface Probe {
  readonly what: string;
  deadline: Date;
  /**
   * Its data is also the person's whose records the rule keeps, under the same purpose: under a
   * rule that does not count from collection, it goes no earlier than their records do.
   */
  readonly withRecords?: boolean;
  kept(): Promise<boolean>;
  removed(): Promise<boolean>;
}

const BROWSING = 'user.behavior.browsing_history';
const COOKIE_ID = 'user.device.cookie_id';
const EMAIL = 'user.contact.email';
const REDEMPTION = 'user.financial.promotion_redemption';
/** The DPV purpose of handling rights requests: its rule keeps what requests leave behind. */
const RIGHTS_DPV = 'dpv:RightsFulfilment';

const readDeclaration = (file: string) => parse(readFileSync(file, 'utf8')) as DeclarationYaml;

/** Rules a connected system's reviewed dataset keeps (`retention: { rule }`), by rule id. */
function datasetHomes(file: string): Map<string, string[]> {
  const homes = new Map<string, string[]>();
  const dir = join(dirname(file), 'datasets');
  if (!existsSync(dir)) return homes;
  const names = readdirSync(dir).filter((n) => n.endsWith('.yaml'));
  for (const name of names) {
    const dataset = parse(readFileSync(join(dir, name), 'utf8')) as {
      system?: string;
      collections?: { name: string; retention?: { rule?: string } }[];
    };
    for (const c of dataset.collections ?? [])
      if (c.retention?.rule !== undefined)
        homes.set(c.retention.rule, [
          ...(homes.get(c.retention.rule) ?? []),
          `${dataset.system ?? name}.${c.name}`,
        ]);
  }
  return homes;
}

const covers = (key: string, category: string) => category === key || category.startsWith(`${key}.`);

/** The rule a purpose keeps a category under: the most specific listed key, else its default. */
function ruleOf(purpose: PurposeYaml, category: string): string | undefined {
  const listed = Object.entries(purpose.retention?.categories ?? {})
    .filter(([key]) => covers(key, category))
    .sort(([a], [b]) => b.length - a.length)[0];
  return listed?.[1] ?? purpose.retention?.default;
}

/** For each purpose naming the rule, one of its categories the rule governs. */
function recordHomes(d: DeclarationYaml, rule: RuleYaml): { purpose: PurposeYaml; category: string }[] {
  return d.purposes.flatMap((purpose) => {
    const category = purpose.categories.find((c) => ruleOf(purpose, c) === rule.id);
    return category === undefined ? [] : [{ purpose, category }];
  });
}

const defaultBasis = (p: PurposeYaml) =>
  typeof p.legalBasis === 'string' ? p.legalBasis : (p.legalBasis['default'] ?? '');

// --- Deadlines, computed here ---

/** `at` plus an ISO 8601 duration; a month from 31 January is the last day of February. */
function plus(at: Date, duration: string): Date {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(duration);
  assert.ok(m, `this test reads durations of years, months, weeks and days, not ${duration}`);
  const [years, months, weeks, days] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
  ];
  const total = at.getUTCFullYear() * 12 + at.getUTCMonth() + years * 12 + months;
  const year = Math.floor(total / 12);
  const month = total % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const moved = new Date(at);
  moved.setUTCFullYear(year, month, Math.min(at.getUTCDate(), lastDay));
  return new Date(moved.getTime() + (weeks * 7 + days) * DAY);
}

/** The end of the calendar period containing `at` that a rule's anchor names. */
function anchored(at: Date, anchor: string | undefined, fyStart: number): Date {
  const y = at.getUTCFullYear();
  const mo = at.getUTCMonth();
  const fyEnd = () => new Date(Date.UTC(mo >= fyStart - 1 ? y + 1 : y, fyStart - 1, 1));
  switch (anchor) {
    case undefined:
      return at;
    case 'month':
      return new Date(Date.UTC(y, mo + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(y, Math.floor(mo / 3) * 3 + 3, 1));
    case 'year':
      return new Date(Date.UTC(y + 1, 0, 1));
    case 'financial_year':
      return fyEnd();
    case 'calendar_year_of_financial_year_end':
      // The financial year's last day lies in some calendar year; the period counts from its end.
      return new Date(Date.UTC(new Date(fyEnd().getTime() - DAY).getUTCFullYear() + 1, 0, 1));
    default:
      assert.fail(`unknown anchor ${anchor}`);
  }
}

// --- The two declarations, and the time every rule's data is created at ---

const sets = [
  { file: referenceDeclaration, yaml: readDeclaration(referenceDeclaration) },
  { file: smallShopDeclaration, yaml: readDeclaration(smallShopDeclaration) },
];
/** A 31 January, so month-end clamping is exercised; every deadline is still in the past. */
const T0 = new Date('2016-01-31T10:00:00.000Z');

for (const dialect of await dialects()) {
  describe(`C10.1 every rule of both example declarations on ${dialect}`, () => {
    const clock = settableClock();
    let app: TestApp;
    let officer: Record<string, string>;
    let n = 0;

    before(async () => {
      app = await startTestApp(dialect, {
        clock,
        declarations: sets.map((s) => s.file),
      });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
    });
    after(() => app.close());

    const { post, runRule } = retentionApi(
      () => app,
      () => officer,
    );

    async function receiptOf(run: RunBody): Promise<Record<string, unknown>> {
      const res = await app.request({
        method: 'GET',
        url: '/api/v1/audit/entries?action=retention.swept&limit=500',
        headers: officer,
      });
      const entry = res
        .json<{ entries: { seq: number; details: Record<string, unknown> }[] }>()
        .entries.find((e) => e.details['run'] === run.id);
      assert.ok(entry, `the run ${run.id} has a receipt`);
      assert.equal(entry.seq, run.receiptSeq);
      return entry.details;
    }

    const recordIds = async (ids: readonly string[]) =>
      new Set(
        (
          await app.ctx.store.db
            .selectFrom('records')
            .select('id')
            .where('tenant', '=', CONTROLLER_TENANT)
            .where('id', 'in', [...ids])
            .execute()
        ).map((r) => r.id),
      );
    const anonymousOfKind = async (kind: string) =>
      (
        await app.ctx.store.db
          .selectFrom('records')
          .select('id')
          .where('tenant', '=', CONTROLLER_TENANT)
          .where('subject_id', '=', ANONYMOUS_SUBJECT)
          .where('kind', '=', kind)
          .execute()
      ).length;
    /** What is left of a person: their row, identifiers and the consent events that keep them. */
    const personLeft = async (subjectId: string) => {
      const db = app.ctx.store.db;
      const subject = await db
        .selectFrom('subjects')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('id', '=', subjectId)
        .execute();
      const identifiers = await db
        .selectFrom('identifiers')
        .select('id')
        .where('tenant', '=', CONTROLLER_TENANT)
        .where('subject_id', '=', subjectId)
        .execute();
      return {
        subject: subject.length,
        identifiers: identifiers.length,
        consents: await consentEvents(subjectId),
      };
    };
    const consentEvents = async (subjectId: string) =>
      (
        await app.ctx.store.db
          .selectFrom('consent_events')
          .select('seq')
          .where('subject_id', '=', subjectId)
          .execute()
      ).length;

    /** A clock that counts from the data's own time: its rule's period, anchored as the rule says. */
    const deadlineFrom = (d: DeclarationYaml, rule: RuleYaml, at: string | Date) =>
      plus(anchored(new Date(at), rule.anchor, d.financialYear?.startMonth ?? 1), rule.duration);

    /**
     * The collections besides records that keep data under a rule, read from the declaration: website
     * events of the analytics events' purposes, subscriptions and messages of marketing
     * communications, rights requests, promotion redemptions. Each maker creates the data through
     * the public API at the clock's time and returns its probe.
     */
    function otherHomes(
      d: DeclarationYaml,
      rule: RuleYaml,
    ): ((kind: string, at: Date) => Promise<Probe | Probe[]>)[] {
      const purpose = (id: string) => d.purposes.find((p) => p.id === id);
      const under = (id: string, category: string) => {
        const p = purpose(id);
        return p !== undefined && ruleOf(p, category) === rule.id;
      };
      const makers: ((kind: string, at: Date) => Promise<Probe | Probe[]>)[] = [];

      const events = (d.analytics?.events ?? []).filter(
        (e) => ['page_view', 'click'].includes(e.type) && under(e.purpose, BROWSING),
      );
      if (events.length > 0)
        makers.push(async (kind, at) => {
          const page = `https://www.example.com/${kind.replace(/_/g, '-')}`;
          const config = (await app.request({ method: 'GET', url: `/web/v1/config/${d.id}` })).json<{
            version: string;
          }>();
          const send = (url: string, body: object) =>
            app.request({
              method: 'POST',
              url,
              remoteAddress: '203.0.113.77',
              headers: {
                'content-type': 'text/plain;charset=UTF-8',
                'user-agent': 'Mozilla/5.0 Chrome/131.0',
              },
              payload: JSON.stringify(body),
            });
          const choice = await send('/web/v1/consent', {
            declarationId: d.id,
            version: config.version,
            categories: Object.fromEntries(events.map((e) => [e.category, true])),
            gpc: false,
            language: 'en',
            via: 'save',
          });
          assert.equal(choice.statusCode, 200, choice.body);
          const sent = await send('/web/v1/events', {
            id: `batch-${kind}`,
            declarationId: d.id,
            token: choice.json<{ token: string }>().token,
            page,
            events: events.map((e) => ({
              type: e.type,
              at: at.getTime(),
              ...(e.type === 'click' ? { target: 'A' } : {}),
            })),
          });
          assert.equal(sent.statusCode, 202, sent.body);
          const stored = async () =>
            (
              await app.ctx.store.db
                .selectFrom('web_events')
                .select(['visitor', 'consent_ref', 'network', 'at'])
                .where('declaration_id', '=', d.id)
                .where('path', 'like', `%${kind.replace(/_/g, '-')}%`)
                .execute()
            ).map((e) => ({
              ...e,
              identifying: e.visitor !== null || e.consent_ref !== null || e.network !== null,
            }));
          const first = await stored();
          const identifying = first.filter((e) => e.identifying).length;
          assert.ok(identifying > 0, `the website events of ${rule.id} carry what identifies a browser`);
          return {
            what: 'website events',
            deadline: deadlineFrom(d, rule, first[0]!.at),
            kept: async () => (await stored()).filter((e) => e.identifying).length === identifying,
            removed: async () => {
              const now = await stored();
              const left = rule.action === 'anonymise' ? first.length : first.length - identifying;
              return now.length === left && now.every((e) => !e.identifying);
            },
          };
        });

      const communications = d.communications.filter(
        (c) => c.kind === 'marketing' && under(c.purpose, EMAIL),
      );
      for (const communication of communications)
        makers.push(async (kind) => {
          const email = `${kind}-${communication.id.replace(/_/g, '-')}@example.org`;
          if (communication.doubleOptIn === true)
            await subscribeConfirmed(app, officer, email, communication.id, d.id);
          else
            await post(
              '/api/v1/subscriptions',
              {
                declarationId: d.id,
                communication: communication.id,
                email,
                channel: 'web_form',
                noticeHash: NOTICE,
              },
              201,
            );
          await post(
            '/api/v1/unsubscriptions',
            { declarationId: d.id, email, communication: communication.id },
            200,
          );
          const rows = async () => {
            const db = app.ctx.store.db;
            const subscriptions = await db
              .selectFrom('subscriptions as s')
              .innerJoin('identifiers as i', 'i.subject_id', 's.subject_id')
              .select(['s.state', 's.updated_at'])
              .where('i.tenant', '=', CONTROLLER_TENANT)
              .where('i.value', '=', email)
              .where('s.communication_id', '=', communication.id)
              .execute();
            const messages = await db
              .selectFrom('outbox')
              .select(['created_at'])
              .where('to_address', '=', email)
              .where('communication_id', '=', communication.id)
              .execute();
            return { subscriptions, messages };
          };
          const made = await rows();
          assert.deepEqual(
            made.subscriptions.map((r) => r.state),
            ['unsubscribed'],
          );
          const ended = made.subscriptions[0]!.updated_at;
          const latestMessage =
            made.messages
              .map((m) => m.created_at)
              .sort()
              .at(-1) ?? ended;
          // The subscription counts from its end; each message from when it was written under a
          // rule that counts from collection, else from its person's clock for its purpose.
          const withRecords = recordHomes(d, rule).some(
            (h) =>
              h.purpose.id === communication.purpose &&
              `${kind}-${h.purpose.id}@example.org` === email &&
              rule.trigger !== 'collected',
          );
          return [
            {
              what: `the ended subscription to ${communication.id}`,
              deadline: deadlineFrom(d, rule, ended),
              kept: async () => (await rows()).subscriptions.length === 1,
              removed: async () => (await rows()).subscriptions.length === 0,
            },
            {
              what: `the messages of ${communication.id}`,
              deadline: deadlineFrom(d, rule, latestMessage),
              withRecords,
              kept: async () => (await rows()).messages.length === made.messages.length,
              removed: async () => (await rows()).messages.length === 0,
            },
          ];
        });

      // A browser linked to a person: they confirm a subscription from a browser whose banner
      // allowed the linking purpose's cookie category (C3d.4).
      const link = d.analytics?.linkToSubject;
      const confirming = d.communications.find((c) => c.kind === 'marketing' && c.doubleOptIn === true);
      if (link !== undefined && under(link.purpose, COOKIE_ID)) {
        assert.ok(confirming, `${d.id} links browsers only when a subscription is confirmed`);
        makers.push(async (kind) => {
          const config = (await app.request({ method: 'GET', url: `/web/v1/config/${d.id}` })).json<{
            version: string;
          }>();
          const choice = await app.request({
            method: 'POST',
            url: '/web/v1/consent',
            headers: { 'content-type': 'text/plain;charset=UTF-8' },
            payload: JSON.stringify({
              declarationId: d.id,
              version: config.version,
              categories: { [link.category]: true },
              gpc: false,
              language: 'en',
              via: 'save',
            }),
          });
          assert.equal(choice.statusCode, 200, choice.body);
          const browser = choice.json<{ token: string }>().token;
          const email = `${kind}-linked@example.org`;
          await post(
            '/api/v1/subscriptions',
            {
              declarationId: d.id,
              communication: confirming!.id,
              email,
              channel: 'web_form',
              noticeHash: NOTICE,
            },
            201,
          );
          const message = await lastMessage(app.ctx, { to: email, kind: 'confirmation' });
          const token = /\/confirm\/([A-Za-z0-9_.-]+)/.exec(message?.text ?? '')?.[1];
          assert.ok(token, 'the confirmation message carries a link');
          const confirmed = await app.request({
            method: 'POST',
            url: `/confirm/${token}`,
            headers: {
              cookie: `steward_consent=${browser}`,
              'content-type': 'application/x-www-form-urlencoded',
            },
            payload: '',
          });
          assert.equal(confirmed.statusCode, 200, confirmed.body);
          const links = () =>
            app.ctx.store.db
              .selectFrom('web_links')
              .select(['linked_at'])
              .where('declaration_id', '=', d.id)
              .where('purpose', '=', link.purpose)
              .where('subject_id', 'in', (eb) =>
                eb
                  .selectFrom('identifiers')
                  .select('subject_id')
                  .where('tenant', '=', CONTROLLER_TENANT)
                  .where('value', '=', email),
              )
              .execute();
          const [linked] = await links();
          assert.ok(linked, 'confirming from the browser linked it to the person');
          return {
            what: 'a browser linked to a person',
            deadline: deadlineFrom(d, rule, linked.linked_at),
            kept: async () => (await links()).length === 1,
            removed: async () => (await links()).length === 0,
          };
        });
      }

      const rights = d.purposes.find((p) => p.dpv === RIGHTS_DPV);
      if (rights !== undefined && ruleOf(rights, EMAIL) === rule.id)
        makers.push(async (kind) => {
          const submitted = await post(
            '/api/v1/requests',
            {
              declarationId: d.id,
              type: 'access',
              channel: 'email',
              language: 'en',
              requester: { identifiers: [{ kind: 'email', value: `${kind}-request@example.org` }] },
            },
            201,
          );
          const id = String(submitted['id']);
          await new Worker(app.ctx, jobDefinitions).drain();
          await post(`/api/v1/requests/${id}/withdraw`, { reason: 'The person no longer needs it' }, 200);
          const row = async () => {
            const db = app.ctx.store.db;
            const request = await db
              .selectFrom('requests')
              .select(['received_at'])
              .where('id', '=', id)
              .execute();
            const events = await db
              .selectFrom('request_events')
              .select('seq')
              .where('request_id', '=', id)
              .execute();
            return { request, events };
          };
          const made = await row();
          assert.ok(made.request.length === 1 && made.events.length > 0);
          return {
            what: 'a closed rights request and its timeline',
            deadline: deadlineFrom(d, rule, made.request[0]!.received_at),
            kept: async () => (await row()).request.length === 1,
            removed: async () => {
              const now = await row();
              return now.request.length === 0 && now.events.length === 0;
            },
          };
        });

      if (d.purposes.some((p) => p.categories.includes(REDEMPTION) && ruleOf(p, REDEMPTION) === rule.id))
        makers.push(async (kind, at) => {
          const promotion = `promo.${kind}`;
          await post('/api/v1/promotions/redemptions', { promotion, deviceId: `device-${kind}` }, 200);
          const count = async () =>
            (
              await app.ctx.store.db
                .selectFrom('redemptions')
                .select('redeemed_at')
                .where('promotion_id', '=', promotion)
                .execute()
            ).length;
          const [redeemed] = await app.ctx.store.db
            .selectFrom('redemptions')
            .select('redeemed_at')
            .where('promotion_id', '=', promotion)
            .execute();
          assert.ok(redeemed && Math.abs(new Date(redeemed.redeemed_at).getTime() - at.getTime()) < 60_000);
          return {
            what: 'a promotion redemption',
            deadline: deadlineFrom(d, rule, redeemed.redeemed_at),
            kept: async () => (await count()) === 1,
            removed: async () => (await count()) === 0,
          };
        });
      return makers;
    }

    for (const { file, yaml: d } of sets) {
      const fyStart = d.financialYear?.startMonth ?? 1;
      const connected = datasetHomes(file);

      test(`C10.1 ${d.id}: every rule has a home in Steward's store or a connected system`, (t) => {
        const elsewhere: string[] = [];
        for (const rule of d.retention) {
          if (recordHomes(d, rule).length > 0) continue;
          const systems = connected.get(rule.id);
          assert.ok(
            systems !== undefined,
            `rule ${rule.id} has no declared home: no purpose names it and no dataset keeps data under it`,
          );
          elsewhere.push(`${rule.id}: no purpose names it; its data is in ${systems.join(', ')} only`);
        }
        t.diagnostic(
          elsewhere.length === 0 ? 'every rule governs data in Steward’s store' : elsewhere.join('; '),
        );
      });

      for (const rule of d.retention) {
        const homes = recordHomes(d, rule);
        if (homes.length === 0) continue;
        test(`C10.1 ${d.id} ${rule.id} (${rule.trigger}${rule.event ? `: ${rule.event}` : ''}, ${rule.duration}${rule.anchor ? ` from the end of the ${rule.anchor}` : ''}, ${rule.action}): kept until its deadline, then ${rule.action === 'delete' ? 'deleted' : 'anonymised'} with a receipt`, async (t) => {
          const kind = `every_rule_${(n += 1)}`;
          clock.set(T0);
          const made: { id: string; subjectId: string }[] = [];
          const subjects = new Map<string, { identifiers: { kind: string; value: string }[] }>();
          const capture = async (purpose: PurposeYaml, category: string, subject: object) => {
            const consent = defaultBasis(purpose) === 'consent' ? { consent: { noticeHash: NOTICE } } : {};
            const record = (await post(
              '/api/v1/records',
              {
                declarationId: d.id,
                subject,
                kind,
                purposes: [purpose.id],
                categories: [category],
                source: purpose.sources?.[0] ?? d.sources[0]?.id,
                data: { name: 'Kim Berg', note: `about ${rule.id}` },
                ...consent,
              },
              201,
            )) as { id: string; subjectId: string };
            made.push(record);
            return record;
          };
          // Consent the person gives (and, for consent_withdrawn, later withdraws): the first
          // consent-based purpose of the declaration.
          const consentPurpose = d.purposes.find((p) => defaultBasis(p) === 'consent');
          const consentTo = (subject: object, event: 'given' | 'withdrawn') =>
            post(
              '/api/v1/consents',
              {
                declarationId: d.id,
                subject,
                event,
                targets: [{ kind: 'purpose', id: consentPurpose!.id }],
                noticeHash: NOTICE,
              },
              201,
            );

          for (const home of homes) {
            const subject = {
              identifiers: [{ kind: 'email', value: `${kind}-${home.purpose.id}@example.org` }],
            };
            subjects.set(home.purpose.id, subject);
            if (rule.trigger === 'consent_withdrawn') {
              assert.ok(
                consentPurpose,
                `${d.id} has a consent-based purpose whose withdrawal starts ${rule.id}`,
              );
              await consentTo(subject, 'given');
            }
            await capture(home.purpose, home.category, subject);
          }

          // Every other collection of Steward's store the rule keeps, each counted from its own time.
          const probes: Probe[] = [];
          for (const home of otherHomes(d, rule)) probes.push(...[await home(kind, T0)].flat());
          assert.ok(homes.length + probes.length > 0);

          // The clock's start: collection, or what the trigger waits for.
          const period = plus(T0, rule.duration).getTime() - T0.getTime();
          const waits = ['contract_end', 'account_closed', 'event', 'consent_withdrawn'].includes(
            rule.trigger,
          );
          let start = T0;
          if (rule.trigger === 'last_interaction') {
            const interacted = new Date(T0.getTime() + Math.min(100 * DAY, period / 2));
            clock.set(interacted);
            for (const home of homes) {
              const interactions = home.purpose.interactions ?? [];
              if (!interactions.includes('capture')) continue;
              // A second record for the purpose: the person's latest interaction with it.
              await capture(home.purpose, home.category, subjects.get(home.purpose.id)!);
              start = interacted;
            }
            assert.ok(
              start !== T0 || homes.every((h) => (h.purpose.interactions ?? []).length === 0),
              `${rule.id}: a purpose counts interactions this test cannot make (${homes.map((h) => h.purpose.interactions).join('; ')})`,
            );
          }
          if (waits) start = new Date(T0.getTime() + period + 2 * DAY);
          const deadline = plus(anchored(start, rule.anchor, fyStart), rule.duration);
          const ids = () => made.map((r) => r.id);
          probes.push({
            what: 'records',
            deadline,
            kept: async () => (await recordIds(ids())).size === made.length,
            removed: async () =>
              (await recordIds(ids())).size === 0 &&
              (await anonymousOfKind(kind)) === (rule.action === 'anonymise' ? made.length : 0),
          });
          for (const probe of probes)
            if (probe.withRecords === true && probe.deadline < deadline) probe.deadline = deadline;
          if (rule.trigger === 'consent_withdrawn') {
            const proofs = made.map((r) => r.subjectId);
            probes.push({
              what: 'proof of the ended consents',
              deadline,
              kept: async () => (await Promise.all(proofs.map(consentEvents))).every((c) => c > 0),
              removed: async () => (await Promise.all(proofs.map(consentEvents))).every((c) => c === 0),
            });
          }

          // What happens, in time order: checks a minute before and a second after each
          // deadline, and (when the clock starts later than collection) one after the period
          // counted from collection, before and after the clock's start is reported.
          const steps: { at: Date; check: boolean; act: () => Promise<void> }[] = [];
          const check = (at: Date) =>
            steps.push({
              at,
              check: true,
              act: async () => {
                clock.set(at);
                const run = await runRule(d.id, rule.id);
                for (const probe of probes) {
                  const due = probe.deadline.getTime() <= at.getTime();
                  assert.ok(
                    await (due ? probe.removed() : probe.kept()),
                    `${rule.id} at ${at.toISOString()}: ${probe.what} (deadline ${probe.deadline.toISOString()}) should be ${due ? (rule.action === 'delete' ? 'deleted' : 'anonymised') : 'kept'}; the run did ${JSON.stringify(run.collections)}`,
                  );
                }
                const receipt = await receiptOf(run);
                assert.equal(receipt['rule'], rule.id);
                assert.equal(receipt['system'], 'steward');
                assert.deepEqual(
                  receipt['collections'],
                  run.collections,
                  'the receipt counts what the run did',
                );
                if (at.getTime() === deadline.getTime() + 1000) {
                  const records = run.collections['records'];
                  const done = rule.action === 'anonymise' ? records?.anonymised : records?.deleted;
                  assert.equal(done, made.length, `the receipt counts the ${made.length} records`);
                }
              },
            });
          for (const probe of probes) {
            check(new Date(probe.deadline.getTime() - 60_000));
            check(new Date(probe.deadline.getTime() + 1000));
          }
          if (start !== T0) check(new Date(T0.getTime() + period + DAY));
          if (waits)
            steps.push({
              at: start,
              check: false,
              act: async () => {
                clock.set(start);
                for (const home of homes) {
                  const subject = subjects.get(home.purpose.id)!;
                  if (rule.trigger === 'consent_withdrawn') {
                    await consentTo(subject, 'withdrawn');
                    continue;
                  }
                  const event = rule.trigger === 'event' ? rule.event! : rule.trigger;
                  const about = d.lifecycleEvents?.find((e) => e.id === event)?.about ?? 'subject';
                  const record = made[homes.indexOf(home)]!;
                  await post(
                    '/api/v1/lifecycle-events',
                    {
                      declarationId: d.id,
                      event,
                      ...(about === 'record'
                        ? { record: { id: record.id } }
                        : { subject: { id: record.subjectId } }),
                      occurredAt: start.toISOString(),
                    },
                    201,
                  );
                }
              },
            });
          t.diagnostic(
            `${rule.id}: ${probes.map((p) => `${p.what} until ${p.deadline.toISOString()}`).join('; ')}`,
          );
          const seen = new Set<number>();
          for (const step of steps.sort((a, b) => a.at.getTime() - b.at.getTime())) {
            if (step.check && seen.has(step.at.getTime())) continue;
            if (step.check) seen.add(step.at.getTime());
            await step.act();
          }
          // A person the sweep left with nothing (no consent still on record) keeps no identifier.
          let released = 0;
          for (const subjectId of new Set(made.map((r) => r.subjectId))) {
            const left = await personLeft(subjectId);
            if (left.consents > 0) continue;
            assert.deepEqual([left.subject, left.identifiers], [0, 0], 'nothing of the person is left');
            released += 1;
          }
          t.diagnostic(`${rule.id}: ${released} people left with nothing went with their identifiers`);
        });
      }
    }

    const reference = sets[0]!.yaml;
    const ruleNamed = (d: DeclarationYaml, id: string | undefined) => {
      const rule = d.retention.find((r) => r.id === id);
      assert.ok(rule, `rule ${id} is declared`);
      return rule;
    };

    test('C4b.1 a B2B representative’s data under contract is kept while the contract runs and goes one period after the reported contract end, not before', async () => {
      // The purpose of C4b.1 as the declaration says it: contract, for customers' representatives.
      const purpose = reference.purposes.find(
        (p) => defaultBasis(p) === 'contract' && p.retention?.default !== undefined && p.id.startsWith('b2b'),
      );
      assert.ok(purpose, 'the reference declaration serves B2B customers under contract');
      const rule = ruleNamed(reference, purpose.retention?.default);
      assert.equal(rule.trigger, 'contract_end', 'its retention follows the contract’s end');
      // The company's CRM reports the end with an API key that may do nothing else.
      const { key } = await createApiKey(app.ctx, hostActor(), {
        name: 'crm',
        scopes: ['subjects:write', 'lifecycle:write'],
      });
      const crm = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const email = `representative-${(n += 1)}@customer.example`;
      const categories = purpose.categories.filter((c) => ruleOf(purpose, c) === rule.id);
      clock.set(T0);
      const res = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: crm,
        payload: {
          declarationId: reference.id,
          subject: { identifiers: [{ kind: 'email', value: email }] },
          kind: 'customer_contact',
          purposes: [purpose.id],
          categories,
          source: purpose.sources?.[0],
          data: { name: 'Sam Holm', email, jobTitle: 'Buyer' },
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const contact = res.json<{ id: string; subjectId: string }>();

      // Five years on, with the contract still running, nothing has expired.
      clock.set(plus(T0, 'P5Y'));
      const running = await runRule(reference.id, rule.id);
      assert.equal(running.collections['records']?.deleted ?? 0, 0);
      assert.equal((await recordIds([contact.id])).size, 1, 'kept while the contract runs');

      const ended = new Date(plus(T0, 'P5Y').getTime() + 3 * DAY);
      clock.set(new Date(ended.getTime() + 60 * 60_000));
      const reported = await app.request({
        method: 'POST',
        url: '/api/v1/lifecycle-events',
        headers: crm,
        payload: {
          declarationId: reference.id,
          event: 'contract_end',
          subject: { kind: 'email', value: email },
          occurredAt: ended.toISOString(),
        },
      });
      assert.equal(reported.statusCode, 201, reported.body);

      const deadline = plus(ended, rule.duration);
      clock.set(new Date(deadline.getTime() - 60_000));
      await runRule(reference.id, rule.id);
      assert.equal((await recordIds([contact.id])).size, 1, `kept until ${deadline.toISOString()}`);
      clock.set(new Date(deadline.getTime() + 1000));
      const swept = await runRule(reference.id, rule.id);
      assert.equal((await recordIds([contact.id])).size, 0, 'gone once the period after the contract ended');
      assert.deepEqual(
        await personLeft(contact.subjectId),
        { subject: 0, identifiers: 0, consents: 0 },
        'the representative’s address goes with the last of their data',
      );
      assert.equal(swept.collections['records']?.deleted, 1);
      assert.equal((await receiptOf(swept))['rule'], rule.id);
    });

    test('C10.1 a record an erasure keeps for bookkeeping expires when its own statutory period ends, not with the contract it also served', async () => {
      // Bookkeeping as the declaration says it: a legal obligation over purchases, for a period
      // counted from a calendar boundary.
      const bookkeeping = reference.purposes.find(
        (p) =>
          defaultBasis(p) === 'legal_obligation' &&
          p.categories.includes('user.financial.purchase_history') &&
          reference.retention.find((r) => r.id === p.retention?.default)?.anchor !== undefined,
      );
      const service = reference.purposes.find(
        (p) => defaultBasis(p) === 'contract' && p.categories.includes('user.financial.purchase_history'),
      );
      assert.ok(bookkeeping && service);
      const statutory = ruleNamed(reference, bookkeeping.retention?.default);
      const contract = ruleNamed(reference, service.retention?.default);
      assert.notEqual(contract.trigger, 'collected', 'the contract’s clock waits for an event');
      const email = `erased-${(n += 1)}@customer.example`;
      const subject = { identifiers: [{ kind: 'email', value: email }] };
      clock.set(T0);
      const source = bookkeeping.sources?.find((s) => service.sources?.includes(s));
      assert.ok(source, 'one source serves both purposes');
      const invoice = (await post(
        '/api/v1/records',
        {
          declarationId: reference.id,
          subject,
          kind: 'invoice',
          purposes: [service.id, bookkeeping.id],
          categories: ['user.financial.purchase_history'],
          source,
          data: { invoice: 'F-2016-0001', amount: 1200, name: 'Sam Holm' },
        },
        201,
      )) as { id: string; subjectId: string; expiresAt: string | null };
      assert.equal(invoice.expiresAt, null, 'while the contract runs the invoice does not expire');

      // The person asks for erasure; the invoice stays for bookkeeping only.
      clock.set(new Date(T0.getTime() + 120 * DAY));
      const erased = await eraseSubject(app.ctx, hostActor(), { subjectId: invoice.subjectId });
      const kept = erased.kept.find((k) => k.what === 'records');
      assert.deepEqual([kept?.reason, kept?.purpose, kept?.count], ['legal_obligation', bookkeeping.id, 1]);

      const deadline = plus(
        anchored(T0, statutory.anchor, reference.financialYear?.startMonth ?? 1),
        statutory.duration,
      );
      assert.equal(kept?.until, deadline.toISOString(), 'the answer to the person names the same deadline');
      clock.set(new Date(deadline.getTime() - 60_000));
      await runRule(reference.id, statutory.id);
      assert.equal((await recordIds([invoice.id])).size, 1, 'kept through the statutory period');
      clock.set(new Date(deadline.getTime() + 1000));
      const swept = await runRule(reference.id, statutory.id);
      assert.equal((await recordIds([invoice.id])).size, 0, 'gone when the statutory period ends');
      assert.equal((await personLeft(invoice.subjectId)).subject, 0, 'the erased person’s last trace goes');
      assert.equal(swept.collections['records']?.deleted, 1);
      assert.equal((await receiptOf(swept))['rule'], statutory.id);
    });

    test('C10.1 a legal hold keeps a person’s expired data and address past the deadline, named in the receipt; once released, the next run removes both', async () => {
      // A rule counting from collection, over a purpose that needs no consent (no proof keeps the person).
      const [rule, home] = reference.retention
        .filter((r) => r.trigger === 'collected' && r.action === 'delete' && r.anchor === undefined)
        .flatMap((r) => recordHomes(reference, r).map((h) => [r, h] as const))
        .find(([, h]) => defaultBasis(h.purpose) !== 'consent') ?? [undefined, undefined];
      assert.ok(rule && home);
      clock.set(T0);
      const email = `held-${(n += 1)}@example.org`;
      const record = (await post(
        '/api/v1/records',
        {
          declarationId: reference.id,
          subject: { identifiers: [{ kind: 'email', value: email }] },
          kind: 'held_record',
          purposes: [home.purpose.id],
          categories: [home.category],
          source: home.purpose.sources?.[0] ?? reference.sources[0]?.id,
          data: { note: 'under dispute' },
        },
        201,
      )) as { id: string; subjectId: string };
      const held = (await post(
        `/api/v1/subjects/${record.subjectId}/holds`,
        { reason: 'Dispute about a delivery' },
        201,
      )) as { hold: { id: string } };
      const deadline = plus(T0, rule.duration);
      clock.set(new Date(deadline.getTime() + DAY));
      const kept = await runRule(reference.id, rule.id);
      assert.deepEqual(kept.collections['records'], { deleted: 0, anonymised: 0, held: 1 });
      assert.deepEqual((await receiptOf(kept))['holds'], [{ hold: held.hold.id, rows: 1 }]);
      assert.equal((await recordIds([record.id])).size, 1);
      assert.equal(
        (await personLeft(record.subjectId)).identifiers,
        1,
        'the held person keeps their address',
      );

      clock.set(new Date(deadline.getTime() + 2 * DAY));
      await post(`/api/v1/holds/${held.hold.id}/release`, { reason: 'Settled' }, 200);
      const swept = await runRule(reference.id, rule.id);
      assert.equal(swept.collections['records']?.deleted, 1);
      assert.equal((await recordIds([record.id])).size, 0);
      assert.deepEqual(
        await personLeft(record.subjectId),
        { subject: 0, identifiers: 0, consents: 0 },
        'the person goes too, with the released hold',
      );
    });

    test('C10.1 the audit ledger, which no sweep may cut (it is hash-chained), holds no address or content of the people swept above', async () => {
      const entries = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['seq', 'actor', 'target', 'details'])
        .execute();
      assert.ok(
        entries.some((e) => e.target?.startsWith('retention:')),
        'this test reads what the sweeps above wrote: run it with them',
      );
      const personal = entries.filter((e) =>
        [e.actor, e.target ?? '', e.details].some(
          (text) =>
            /@example\.org|@customer\.example/.test(text) ||
            text.includes('Kim Berg') ||
            text.includes('Sam Holm'),
        ),
      );
      assert.deepEqual(personal, [], 'receipts and other entries name people by id only');
    });
  });
}
