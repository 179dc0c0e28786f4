/**
 * Erasure of a person's data held by Steward itself (Art. 17, C9.2), with the exemptions the
 * requester is told about (`kept`):
 *
 * - Data under an active legal hold stays until the hold is released (C4f.2, Art. 17(3)(e)).
 * - Records serving a purpose exempt from erasure stay while that purpose's retention runs,
 *   serving only that purpose: the purpose states its Art. 17(3) ground and why
 *   (`erasure.exempt`), or rests on a legal obligation and states nothing (bookkeeping,
 *   Art. 17(3)(b), as `PolicyModel.exemptionOf` infers). They are reduced to what it needs: the record's categories outside the purpose's are dropped, and so are the
 *   fields of its data that hold them, as far as their names tell (`field-categories.ts`: an
 *   `email` or `phone` field goes unless the purpose lists that category; a field whose name
 *   says nothing stays).
 * - Consent events are proof that a consent we relied on was given, and of when it was withdrawn
 *   (Art. 7(1)). They are kept only when the declaration says so: a purpose on a legal-obligation
 *   basis that declares the category `user.consent` (the reference declaration's
 *   `consent_records`), for its retention counted from the withdrawal, after which they go. Each
 *   consent still given is first closed with a `withdrawn` event, so the kept proof shows that the
 *   consent ended. Without such a purpose, the events are erased with everything else.
 *
 * - Records serving a purpose whose erasure an open condition defers or refuses (`withhold`:
 *   an order not yet delivered, a payment pending; see erasure-conditions.ts) stay the same way,
 *   reduced to that purpose's categories, and so do the identifiers of a category it lists; the
 *   subject is then not restricted, since the purpose still runs. A later erasure, once the
 *   condition has ended, takes them.
 *
 * Everything else goes: records, identifiers (email addresses in clear and keyed hashes),
 * subscriptions, notice tasks, messages in the outbox to the person's addresses. Suppression
 * entries stay, with the subject reference removed: they are keyed hashes, so an objection
 * (C4a.7, C9.3) or an unsubscribe still holds if the address comes back. When anything is kept,
 * the subject row stays as a tombstone with no identifiers, restricted, so what is kept is only
 * stored (no message, no new record). The audit ledger is not erased: it records what was done,
 * by pseudonymous ids, and must stay whole to be verifiable.
 *
 * Call `recipientsToNotify` before erasing: afterwards the records that name the recipients are gone.
 */
import { messagesFor } from '../i18n/declaration.js';
import { catalogLanguage, type Messages } from '../i18n/messages.js';
import { requesterLanguage } from './emails.js';
import { z } from 'zod';
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import { reduceRecordData } from '../capture/field-categories.js';
import { seal, unseal } from '../capture/sealed.js';
import { markConsentChange, markSuppressionChange, suppressAddress } from '../consent/changes.js';
import { consentHistory, deriveState, recordConsentEvents } from '../consent/ledger.js';
import { ALL } from '../consent/suppression.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { categoryName, describeBasis, describeRetentionPeriod, joinWords } from '../policy/describe.js';
import { expiresAt } from '../retention/clocks.js';
import { restartClocks } from '../retention/record-clocks.js';
import type { PolicyModel } from '../policy/model.js';
import type { ErasureGround, LegalBasis, Purpose, RetentionRule } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { localise } from '../policy/text.js';
import type { LegalHold } from '../retention/holds.js';
import { activeHolds, holdCovering } from '../retention/holds.js';
import { transaction } from '../store/transaction.js';
import type { Tx } from '../store/transaction.js';
import { eraseWebLinks } from '../web/link-visitor.js';
import type { IdentifierKind } from '../subjects/normalize.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';
import { subjectForRequest } from './restrict-subject.js';

export const eraseInput = z.strictObject({
  subjectId: z.uuid('must be a subject id'),
  requestId: z.string().min(1).max(100).optional(),
  /** Purposes whose erasure an open condition defers or refuses: their data stays for now. */
  withhold: z
    .array(
      z.strictObject({
        declarationId: z.string().min(1),
        purpose: z.string().min(1),
        condition: z.string().min(1),
        effect: z.enum(['defer', 'refuse']),
        /** For the requester, in our words: the condition and when it ends. */
        explanation: z.string().min(1),
        until: z.string().optional(),
      }),
    )
    .default([]),
});
export type WithheldPurpose = z.infer<typeof eraseInput>['withhold'][number];

/** How many rows of each kind were erased. */
export interface ErasedCounts {
  readonly records: number;
  /** Records kept for a legal obligation that lost every other purpose. */
  readonly recordsReduced: number;
  /** Fields removed from the data of kept records because the keeping purpose does not need them. */
  readonly recordFields: number;
  readonly identifiers: number;
  readonly subscriptions: number;
  readonly consentEvents: number;
  readonly noticeTasks: number;
  readonly messages: number;
  /** Website events tied to the person through a linked browser (C3d.4), and the links. */
  readonly webEvents: number;
  readonly webLinks: number;
  /** The subject row and records merged into it: 0, or 1 and more when nothing was kept. */
  readonly subjects: number;
}

/** Something kept despite the erasure, and why, in words for the requester. */
export interface KeptData {
  readonly what: 'records' | 'identifiers' | 'consent_events';
  readonly count: number;
  readonly categories: readonly string[];
  /**
   * `legal_obligation` and `exemption`: an Art. 17(3) exemption of the purpose (`ground` says which);
   * `erasure_condition`: an open condition of the purpose defers or refuses its erasure.
   */
  readonly reason: 'legal_hold' | 'legal_obligation' | 'exemption' | 'erasure_condition';
  readonly ground?: ErasureGround;
  /** Requester-facing, in our words: the hold and its reason, or the purpose, the law and until when. */
  readonly explanation: string;
  readonly holdId?: string;
  readonly purpose?: string;
  /** The date the kept data is due to go, when the retention rule gives one. */
  readonly until?: string;
}

export interface EraseResult {
  readonly subjectId: string;
  /** False when no such subject exists (never did, or was erased with nothing kept). */
  readonly found: boolean;
  readonly erased: ErasedCounts;
  readonly kept: readonly KeptData[];
  /** True when the subject row stays, reduced to a restricted tombstone, because something is kept. */
  readonly tombstone: boolean;
}

const identifierCategory: Record<IdentifierKind, string> = {
  email: 'user.contact.email',
  phone: 'user.contact.phone_number',
  account: 'user.unique_id',
  customer: 'user.unique_id',
  cookie: 'user.device.cookie_id',
  device: 'user.device.device_id',
};

const CONSENT_CATEGORY = 'user.consent';

const nothingErased: ErasedCounts = {
  records: 0,
  recordsReduced: 0,
  recordFields: 0,
  identifiers: 0,
  subscriptions: 0,
  consentEvents: 0,
  noticeTasks: 0,
  messages: 0,
  webEvents: 0,
  webLinks: 0,
  subjects: 0,
};

interface StoredPurpose {
  readonly id: string;
  readonly basis: LegalBasis | null;
}

/** Until when a legal-obligation purpose keeps data: a date, open (period counted from an event we do not know), or over. */
type Retention =
  | { readonly kind: 'until'; readonly date: Date; readonly rule: RetentionRule }
  | { readonly kind: 'open'; readonly rule: RetentionRule | undefined; readonly counted?: boolean }
  | { readonly kind: 'over' };

function retentionOf(
  model: PolicyModel,
  purpose: Purpose,
  categories: readonly string[],
  start: Date,
  now: Date,
): Retention {
  let latest: { date: Date; rule: RetentionRule } | undefined;
  let open: Retention | undefined;
  for (const category of categories) {
    const rule = model.retentionFor(purpose, category);
    if (rule === undefined) {
      open = { kind: 'open', rule: undefined };
      continue;
    }
    if (rule.trigger !== 'collected' && rule.trigger !== 'last_interaction') {
      open ??= { kind: 'open', rule, counted: true };
      continue;
    }
    const date = expiresAt(rule, start, model.declaration.financialYear);
    if (latest === undefined || date > latest.date) latest = { date, rule };
  }
  if (open !== undefined) return open;
  if (latest === undefined || latest.date <= now) return { kind: 'over' };
  return { kind: 'until', ...latest };
}

/** How long proof of consent is kept: its rule, counted from the withdrawal (the consent has ended). */
function consentProofRetention(
  model: PolicyModel,
  purpose: Purpose,
  withdrawnAt: Date,
  now: Date,
): Retention {
  const rule = model.retentionFor(purpose, CONSENT_CATEGORY);
  if (rule === undefined) return { kind: 'open', rule };
  if (!['consent_withdrawn', 'collected', 'last_interaction'].includes(rule.trigger))
    return { kind: 'open', rule, counted: true };
  const date = expiresAt(rule, withdrawnAt, model.declaration.financialYear);
  return date <= now ? { kind: 'over' } : { kind: 'until', date, rule };
}

/** How long what is kept stays: until a date, for a period counted from an event, or as the law requires. */
function untilSentence(retention: Retention, count: number, w: Words): string {
  if (retention.kind === 'until')
    return w.m.format('kept.until', {
      count,
      action: retention.rule.action,
      date: retention.date.toISOString().slice(0, 10),
    });
  if (retention.kind === 'open' && retention.counted === true && retention.rule !== undefined)
    return w.m.format('kept.for', {
      count,
      period: describeRetentionPeriod(retention.rule, w.lang, w.model.declaration),
    });
  return w.m.format('kept.byLaw', { count });
}

/** The requester's words: their language, and the declaration whose wording it follows. */
interface Words {
  readonly lang: string;
  readonly m: Messages;
  readonly model: PolicyModel;
  readonly ctx: AppContext;
}

function wordsFor(ctx: AppContext, model: PolicyModel, lang: string): Words {
  return { lang, m: messagesFor(model.declaration, lang), model, ctx };
}

/**
 * The words of an erasure: the requester's language and their request's declaration; without a
 * request (an operator's erasure), the first declaration in force in its first language.
 */
async function requesterWords(tx: Tx, ctx: AppContext, requestId: string | undefined): Promise<Words> {
  const request =
    requestId === undefined
      ? undefined
      : await tx
          .selectFrom('requests')
          .select(['declaration_id', 'claims'])
          .where('id', '=', requestId)
          .executeTakeFirst();
  const active =
    (request === undefined ? undefined : ctx.policies.get(request.declaration_id)) ?? ctx.policies.list()[0];
  if (active === undefined)
    throw new AppError('not_declared', 'No declaration is in force to word the erasure.');
  const lang =
    request === undefined
      ? (catalogLanguage(active.model.declaration.languages[0] ?? 'en') ?? 'en')
      : requesterLanguage(ctx, request);
  return wordsFor(ctx, active.model, lang);
}

/**
 * Why a purpose keeps data despite erasure, to follow what is kept: its stated reason (or that
 * the law requires it), the law, and the basis or Art. 17(3) ground, as sentences.
 */
function exemptionSentences(purpose: Purpose, jurisdiction: string, w: Words): string {
  const exemption = w.model.exemptionOf(purpose, jurisdiction);
  const reason = localise(exemption?.reason, w.lang).replace(/\.$/, '');
  const statute = purpose.statutoryObligation ?? '';
  const basis = w.model.basisFor(purpose, jurisdiction);
  const ground = exemption?.ground ?? 'legal_obligation';
  return [
    reason === ''
      ? w.m.format('kept.lawRequires', { statute, hasStatute: statute !== '' })
      : w.m.format('kept.reason', { reason, statute, hasStatute: statute !== '' }),
    ground === 'legal_obligation' && basis !== undefined
      ? w.m.format('kept.basis', { basis: describeBasis(basis, w.lang) })
      : w.m.format('kept.ground', { ground: w.m.format(`kept.grounds.${ground}`) }),
  ].join(' ');
}

/** "3 records (name and email address) for “Bookkeeping”". */
function recordsFor(
  count: number,
  categories: readonly string[],
  purpose: Purpose | undefined,
  w: Words,
): string {
  const names = namesOf(w, categories);
  return purpose === undefined
    ? w.m.format('kept.records', { count, categories: names })
    : w.m.format('kept.recordsFor', { count, categories: names, purpose: localise(purpose.name, w.lang) });
}

/** Category names for the requester, from the first declaration in force that knows the key. */
function namesOf(w: Words, categories: readonly string[]): string {
  const models = [w.model, ...w.ctx.policies.list().map((a) => a.model)];
  return joinWords(
    categories.map((key) => {
      const model = models.find((m) => m.hasCategory(key));
      return model === undefined ? key : categoryName(model, key, w.lang).toLowerCase();
    }),
    w.lang,
  );
}

function holdExplanation(hold: LegalHold, what: string, w: Words): string {
  return w.m.format('kept.hold', {
    what,
    date: hold.placedAt.slice(0, 10),
    reason: hold.reason.replace(/\.$/, ''),
    reference: hold.reference ?? '',
    hasReference: hold.reference !== null,
  });
}

async function shellsOf(tx: Tx, subjectId: string): Promise<string[]> {
  const found: string[] = [];
  let frontier = [subjectId];
  while (frontier.length > 0) {
    const rows = await tx
      .selectFrom('subjects')
      .select('id')
      .where('merged_into', 'in', frontier)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    frontier = rows.map((r) => r.id).filter((id) => !found.includes(id) && id !== subjectId);
    found.push(...frontier);
  }
  return found;
}

/**
 * Erases a subject's data held by Steward, except what a legal hold or a legal obligation keeps,
 * which is listed with the reason. Idempotent: running it again erases nothing more and lists
 * the same exemptions. Needs `requests:manage`.
 */
export async function eraseSubject(
  ctx: AppContext,
  actor: Actor,
  raw: z.input<typeof eraseInput>,
): Promise<EraseResult> {
  requirePermission(actor, 'requests:manage');
  const input = eraseInput.parse(raw);
  return transaction(ctx.store, async (tx): Promise<EraseResult> => {
    let subject;
    try {
      subject = await subjectForRequest(tx, input.subjectId);
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found')
        return {
          subjectId: input.subjectId,
          found: false,
          erased: nothingErased,
          kept: [],
          tombstone: false,
        };
      throw error;
    }
    const now = ctx.clock.now();
    const nowIso = now.toISOString();
    const jurisdiction = subject.jurisdiction ?? 'default';
    const shells = await shellsOf(tx, subject.id);
    const ids = [subject.id, ...shells];
    const holds = await activeHolds(tx, ids);
    const erased = { ...nothingErased };
    const kept: KeptData[] = [];
    const words = await requesterWords(tx, ctx, input.requestId);

    // Records.
    const byHold = new Map<string, { hold: LegalHold; ids: string[]; categories: Set<string> }>();
    const byObligation = new Map<
      string,
      {
        purpose: Purpose;
        model: PolicyModel;
        withheld: WithheldPurpose | undefined;
        ids: string[];
        categories: Set<string>;
        retention: Retention;
      }
    >();
    const rows = await tx
      .selectFrom('records')
      .selectAll()
      .where('subject_id', 'in', ids)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    for (const record of rows) {
      const categories = JSON.parse(record.categories) as string[];
      const hold = holdCovering(holds, categories);
      if (hold !== undefined) {
        const entry = byHold.get(hold.id) ?? { hold, ids: [], categories: new Set<string>() };
        entry.ids.push(record.id);
        for (const c of categories) entry.categories.add(c);
        byHold.set(hold.id, entry);
        continue;
      }
      const model = ctx.policies.get(record.declaration_id)?.model;
      const purposes = JSON.parse(record.purposes) as StoredPurpose[];
      interface Keeper {
        stored: StoredPurpose;
        purpose: Purpose;
        retention: Retention;
        withheld: WithheldPurpose | undefined;
      }
      const obligations = purposes.flatMap((p): Keeper[] => {
        const purpose = model?.purposes.get(p.id);
        if (model === undefined || purpose === undefined) return [];
        const withheld = input.withhold.find(
          (w) => w.purpose === p.id && w.declarationId === record.declaration_id,
        );
        // A stated exemption counts; an inferred one only where the record's basis was the obligation.
        const exempt = purpose.erasure?.exempt !== undefined || p.basis === 'legal_obligation';
        if (withheld === undefined && !exempt) return [];
        const covered = categories.filter((c) => purpose.categories.some((pc) => categoryCovers(pc, c)));
        if (covered.length === 0) return [];
        if (withheld !== undefined)
          return [{ stored: p, purpose, retention: { kind: 'open', rule: undefined }, withheld }];
        const retention = retentionOf(model, purpose, covered, new Date(record.collected_at), now);
        return retention.kind === 'over' ? [] : [{ stored: p, purpose, retention, withheld }];
      });
      if (obligations.length === 0) {
        erased.noticeTasks += Number(
          (await tx.deleteFrom('notice_tasks').where('record_id', '=', record.id).executeTakeFirst())
            .numDeletedRows,
        );
        await tx
          .deleteFrom('records')
          .where('id', '=', record.id)
          .where('tenant', '=', CONTROLLER_TENANT)
          .execute();
        erased.records += 1;
        continue;
      }
      if (obligations.length < purposes.length) {
        await tx
          .updateTable('records')
          .set({ purposes: JSON.stringify(obligations.map((o) => o.stored)) })
          .where('id', '=', record.id)
          .where('tenant', '=', CONTROLLER_TENANT)
          .execute();
        erased.recordsReduced += 1;
      }
      // Only what the keeping purposes need stays: their categories, and the fields holding them.
      const needed = (category: string) =>
        obligations.some((o) => o.purpose.categories.some((pc) => categoryCovers(pc, category)));
      const keptCategories = categories.filter(needed);
      const reduced = reduceRecordData(
        unseal(ctx.keys.records, record.data) as Record<string, unknown>,
        needed,
      );
      if (reduced.removed.length > 0 || keptCategories.length < categories.length) {
        await tx
          .updateTable('records')
          .set({
            categories: JSON.stringify(keptCategories),
            ...(reduced.removed.length > 0 ? { data: seal(ctx.keys.records, reduced.data) } : {}),
          })
          .where('id', '=', record.id)
          .where('tenant', '=', CONTROLLER_TENANT)
          .execute();
        erased.recordFields += reduced.removed.length;
      }
      for (const o of obligations) {
        const key = `${record.declaration_id}|${o.purpose.id}`;
        const entry = byObligation.get(key) ?? {
          purpose: o.purpose,
          model: ctx.policies.get(record.declaration_id)!.model,
          withheld: o.withheld,
          ids: [],
          categories: new Set<string>(),
          retention: o.retention,
        };
        entry.ids.push(record.id);
        for (const c of keptCategories) entry.categories.add(c);
        if (
          o.retention.kind === 'open' ||
          (entry.retention.kind === 'until' &&
            o.retention.kind === 'until' &&
            o.retention.date > entry.retention.date)
        )
          entry.retention = o.retention;
        byObligation.set(key, entry);
      }
    }
    const keptRecordIds = [
      ...[...byHold.values()].flatMap((e) => e.ids),
      ...[...byObligation.values()].flatMap((e) => e.ids),
    ];
    for (const { hold, ids: recordIds, categories } of byHold.values()) {
      const what = recordsFor(recordIds.length, [...categories].sort(), undefined, words);
      kept.push({
        what: 'records',
        count: recordIds.length,
        categories: [...categories].sort(),
        reason: 'legal_hold',
        explanation: holdExplanation(hold, what, words),
        holdId: hold.id,
      });
    }
    for (const { purpose, model, withheld, ids: recordIds, categories, retention } of byObligation.values()) {
      const sorted = [...categories].sort();
      const w = model === words.model ? words : wordsFor(ctx, model, words.lang);
      const what = recordsFor(recordIds.length, sorted, purpose, w);
      if (withheld !== undefined) {
        kept.push({
          what: 'records',
          count: recordIds.length,
          categories: sorted,
          reason: 'erasure_condition',
          explanation: w.m.format(withheld.effect === 'defer' ? 'kept.deferred' : 'kept.refused', {
            what,
            explanation: withheld.explanation,
          }),
          purpose: purpose.id,
          ...(withheld.until === undefined ? {} : { until: withheld.until }),
        });
        continue;
      }
      const ground = model.exemptionOf(purpose, jurisdiction)?.ground ?? 'legal_obligation';
      kept.push({
        what: 'records',
        count: recordIds.length,
        categories: sorted,
        reason: ground === 'legal_obligation' ? 'legal_obligation' : 'exemption',
        ground,
        explanation: [
          w.m.format('kept.keep', { what }),
          exemptionSentences(purpose, jurisdiction, w),
          w.m.format('kept.nothingElse', { count: recordIds.length }),
          untilSentence(retention, recordIds.length, w),
        ].join(' '),
        purpose: purpose.id,
        ...(retention.kind === 'until' ? { until: retention.date.toISOString() } : {}),
      });
    }
    // What is kept serves only the purposes that keep it, so its clocks are theirs alone.
    const keptBy = new Map<string, { declarationId: string; subjectId: string; recordIds: string[] }>();
    const keptForObligation = new Set([...byObligation.values()].flatMap((e) => e.ids));
    for (const record of rows.filter((r) => keptForObligation.has(r.id))) {
      const key = `${record.declaration_id}|${record.subject_id}`;
      const group = keptBy.get(key) ?? {
        declarationId: record.declaration_id,
        subjectId: record.subject_id,
        recordIds: [],
      };
      group.recordIds.push(record.id);
      keptBy.set(key, group);
    }
    for (const scope of keptBy.values()) await restartClocks(tx, ctx, scope);
    if (keptRecordIds.length > 0) {
      await tx
        .updateTable('notice_tasks')
        .set({
          status: 'exempt',
          closed_at: nowIso,
          note: 'The person asked for erasure; the answer tells them what is kept and why.',
        })
        .where('record_id', 'in', keptRecordIds)
        .where('status', '=', 'open')
        .execute();
    }

    // Identifiers: suppression entries first, so objections and unsubscribes outlive the addresses.
    const identifiers = await tx
      .selectFrom('identifiers')
      .selectAll()
      .where('subject_id', 'in', ids)
      .where('tenant', '=', CONTROLLER_TENANT)
      .execute();
    if (subject.objected_at !== null) {
      for (const i of identifiers.filter((i) => i.kind === 'email'))
        await suppressAddress(tx, ctx.clock, {
          lookup: i.lookup,
          declarationId: ALL,
          scope: ALL,
          reason: 'objected',
          subjectId: null,
        });
    }
    await tx.updateTable('suppressions').set({ subject_id: null }).where('subject_id', 'in', ids).execute();
    erased.subscriptions = Number(
      (await tx.deleteFrom('subscriptions').where('subject_id', 'in', ids).executeTakeFirst()).numDeletedRows,
    );
    const heldIdentifiers = new Map<string, { hold: LegalHold; categories: Set<string>; count: number }>();
    const erasedAddresses: string[] = [];
    // A purpose whose erasure waits keeps the identifiers of a category it lists: it still runs.
    const withheldCategories = [...byObligation.values()]
      .filter((e) => e.withheld !== undefined)
      .flatMap((e) => e.purpose.categories);
    let identifiersWithheld = 0;
    for (const identifier of identifiers) {
      const category = identifierCategory[identifier.kind as IdentifierKind] ?? 'user.unique_id';
      if (withheldCategories.some((c) => categoryCovers(c, category))) {
        identifiersWithheld += 1;
        continue;
      }
      const hold = holdCovering(holds, [category]);
      if (hold !== undefined) {
        const entry = heldIdentifiers.get(hold.id) ?? { hold, categories: new Set<string>(), count: 0 };
        entry.categories.add(category);
        entry.count += 1;
        heldIdentifiers.set(hold.id, entry);
        continue;
      }
      if (identifier.kind === 'email' && identifier.value !== null) erasedAddresses.push(identifier.value);
      await tx
        .deleteFrom('identifiers')
        .where('id', '=', identifier.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
      erased.identifiers += 1;
    }
    for (const { hold, categories, count } of heldIdentifiers.values()) {
      const sorted = [...categories].sort();
      kept.push({
        what: 'identifiers',
        count,
        categories: sorted,
        reason: 'legal_hold',
        explanation: holdExplanation(
          hold,
          words.m.format('kept.identifiers', { count, categories: namesOf(words, sorted) }),
          words,
        ),
        holdId: hold.id,
      });
    }
    if (identifiersWithheld > 0) {
      const withheld = [...byObligation.values()].filter((e) => e.withheld !== undefined);
      kept.push({
        what: 'identifiers',
        count: identifiersWithheld,
        categories: [
          ...new Set(
            identifiers
              .map((i) => identifierCategory[i.kind as IdentifierKind] ?? 'user.unique_id')
              .filter((c) => withheldCategories.some((w) => categoryCovers(w, c))),
          ),
        ].sort(),
        reason: 'erasure_condition',
        explanation: words.m.format('kept.contactsWithheld', {
          purposes: joinWords(
            withheld.map((e) =>
              words.m.format('notice.quoted', { text: localise(e.purpose.name, words.lang) }),
            ),
            words.lang,
          ),
        }),
        purpose: withheld[0]!.purpose.id,
      });
    }
    if (erasedAddresses.length > 0) {
      erased.messages = Number(
        (
          await tx
            .deleteFrom('outbox')
            .where('to_address', 'in', erasedAddresses)
            // What we tell the requester about this very request still goes (a part that waits).
            .where('kind', 'not like', 'rights%')
            .executeTakeFirst()
        ).numDeletedRows,
      );
    }

    const web = await eraseWebLinks(tx, subject.id);
    erased.webEvents = web.events;
    erased.webLinks = web.links;

    // Consent events: kept as proof where a hold or a declared legal obligation keeps them.
    const history = await consentHistory(tx, subject.id);
    const consentHold = holdCovering(holds, [CONSENT_CATEGORY]);
    for (const declarationId of [...new Set(history.map((e) => e.declarationId))].sort()) {
      const events = history.filter((e) => e.declarationId === declarationId);
      const active = ctx.policies.get(declarationId);
      const consentWords = active === undefined ? words : wordsFor(ctx, active.model, words.lang);
      const proof = active?.model.declaration.purposes.find(
        (p) =>
          active.model.exemptionOf(p, jurisdiction) !== undefined &&
          p.categories.some((c) => categoryCovers(c, CONSENT_CATEGORY)),
      );
      const given = deriveState(events).filter((s) => s.given);
      // The period counts from the withdrawal: now for consents still given, else the last event.
      const withdrawnAt = given.length > 0 ? now : new Date(events[events.length - 1]?.at ?? nowIso);
      const proofRetention =
        active === undefined || proof === undefined
          ? ({ kind: 'over' } as const)
          : consentProofRetention(active.model, proof, withdrawnAt, now);
      const keep = consentHold !== undefined || proofRetention.kind !== 'over';
      if (!keep || active === undefined) {
        erased.consentEvents += Number(
          (
            await tx
              .deleteFrom('consent_events')
              .where('subject_id', 'in', ids)
              .where('declaration_id', '=', declarationId)
              .executeTakeFirst()
          ).numDeletedRows,
        );
        continue;
      }
      for (const state of given) {
        await recordConsentEvents(tx, ctx, {
          subjectId: subject.id,
          declaration: active,
          targets: [{ kind: state.target.kind, id: state.target.id, identifierId: state.identifierId }],
          event: 'withdrawn',
          noticeHash: active.version.contentHash,
          channel: 'rights_request',
          element: 'erasure',
          at: now,
        });
      }
      const count = events.length + given.length;
      if (consentHold !== undefined) {
        kept.push({
          what: 'consent_events',
          count,
          categories: [CONSENT_CATEGORY],
          reason: 'legal_hold',
          explanation: holdExplanation(consentHold, consentWords.m.format('kept.consents'), consentWords),
          holdId: consentHold.id,
        });
      } else if (proof !== undefined) {
        kept.push({
          what: 'consent_events',
          count,
          categories: [CONSENT_CATEGORY],
          reason: 'legal_obligation',
          explanation: [
            consentWords.m.format('kept.consentProof', { purpose: localise(proof.name, consentWords.lang) }),
            exemptionSentences(proof, jurisdiction, consentWords),
            consentWords.m.format('kept.consentLawful'),
            untilSentence(proofRetention, 1, consentWords),
          ].join(' '),
          purpose: proof.id,
          ...(proofRetention.kind === 'until' ? { until: proofRetention.date.toISOString() } : {}),
        });
      }
    }

    // The subject: a restricted tombstone when anything is kept or a hold is in force, else gone;
    // not restricted while a purpose whose erasure waits still runs.
    const tombstone = kept.length > 0 || holds.length > 0;
    const restrict = tombstone && !kept.some((k) => k.reason === 'erasure_condition');
    for (const id of [...shells, ...(tombstone ? [] : [subject.id])]) {
      if (holds.some((h) => h.subjectId === id)) continue;
      await tx.deleteFrom('consent_events').where('subject_id', '=', id).execute();
      await tx.deleteFrom('legal_holds').where('subject_id', '=', id).execute();
      await tx.deleteFrom('subjects').where('id', '=', id).where('tenant', '=', CONTROLLER_TENANT).execute();
      erased.subjects += 1;
    }
    if (restrict) {
      await tx
        .updateTable('subjects')
        .set({ restricted: 1, updated_at: nowIso })
        .where('id', '=', subject.id)
        .where('tenant', '=', CONTROLLER_TENANT)
        .execute();
    }
    await markSuppressionChange(tx, ctx, null);
    await markConsentChange(tx, ctx, null);
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef(actor),
      action: 'subject.erased',
      target: `subject:${subject.id}`,
      details: {
        request: input.requestId ?? null,
        erased,
        kept: kept.map((k) => ({
          what: k.what,
          count: k.count,
          reason: k.reason,
          hold: k.holdId ?? null,
          purpose: k.purpose ?? null,
          ...(k.ground === undefined ? {} : { ground: k.ground }),
        })),
        tombstone,
      },
    });
    return { subjectId: subject.id, found: true, erased, kept, tombstone };
  });
}
