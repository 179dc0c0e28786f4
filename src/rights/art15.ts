/**
 * The information an access answer must give (GDPR Art. 15(1), C9.9), for this person: built from
 * the records, consents and subscriptions actually held about them and the declarations they fall
 * under, not copied from the notice. For each purpose their data is used for: the legal basis in
 * their jurisdiction, the categories actually held, the recipients and transfers of that purpose,
 * the retention rule with the concrete expiry dates of their records, and where the data came
 * from, naming indirect sources (C3b.1). Then their rights, the supervisory authority and the
 * right to complain (C9.7), and automated decisions. Worded by the catalogs (`access.*`).
 */
import { basesValidFor, transferBases } from '../policy/transfers.js';
import type { AppContext } from '../context.js';
import type { SystemHeld } from '../execution/connected-data.js';
import {
  categoryName,
  countryName,
  describeBasis,
  describeDuration,
  describeJurisdiction,
  describeMechanism,
  describeRetention,
  joinWords,
  recipientsOf,
  transfersTo,
} from '../policy/describe.js';
import { isMessageKey, messages, type Messages } from '../i18n/messages.js';
import type { PolicyModel } from '../policy/model.js';
import type { LegalBasis, Purpose } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { indirectSourceTypes } from '../capture/capture-record.js';
import type { SubjectDataOptions } from './subject-data.js';
import { resolveSubjectRow } from './subject-data.js';
import { CONTROLLER_TENANT } from '../subjects/subjects.js';

export interface CategoryHeld {
  readonly key: string;
  readonly name: string;
  /** Art. 9 special category. */
  readonly special: boolean;
}

export interface SourceHeld {
  readonly declarationId: string;
  readonly id: string;
  readonly name: string;
  /** `direct`, `observed`, `third_party`, `public`, `group_company`, `social_network`. */
  readonly type: string;
  /** True when you did not give us the data yourself (Art. 14). */
  readonly indirect: boolean;
  /** Who supplied it, for indirect sources. */
  readonly organisation: string | null;
  readonly description: string | null;
  readonly records: number;
  readonly firstCollectedAt: string;
  readonly lastCollectedAt: string;
}

export interface PurposeHeld {
  readonly declarationId: string;
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Why it appears: records kept for it, a consent on record, a subscription. */
  readonly heldBecause: readonly ('records' | 'consent' | 'subscription')[];
  readonly legalBasis: {
    readonly code: LegalBasis | null;
    /** The jurisdiction the basis was chosen for (yours, or `default`). */
    readonly jurisdiction: string;
    readonly text: string;
  };
  readonly legitimateInterest: string | null;
  readonly statutoryObligation: string | null;
  readonly consent: { readonly given: boolean; readonly since: string } | null;
  readonly records: number;
  readonly categories: readonly CategoryHeld[];
  readonly recipients: readonly {
    readonly id: string;
    readonly name: string;
    readonly type: string;
    readonly countries: readonly { code: string; name: string }[];
  }[];
  readonly transfers: readonly {
    readonly recipient: string;
    readonly country: string;
    readonly countryName: string;
    /** Mechanism code (`scc`, `adequacy`...); null when none is declared. */
    readonly mechanism: string | null;
    readonly safeguard: string;
    readonly reference: string | null;
    readonly safeguardsUrl: string | null;
    /** Mechanisms that carry the transfer if the first ceases to (valid for the country), in order. */
    readonly fallbacks: readonly { mechanism: string; safeguard: string; reference: string | null }[];
  }[];
  readonly retention: {
    readonly rules: readonly { category: string; categoryName: string; rule: string | null; text: string }[];
    /** Earliest and latest expiry date of your records for this purpose. */
    readonly earliestExpiry: string | null;
    readonly latestExpiry: string | null;
    /** Records whose period starts at a later event (end of contract...), so no date yet. */
    readonly recordsWithoutDate: number;
    readonly text: string;
  };
  readonly sources: readonly SourceHeld[];
  readonly automatedDecision: { logic: string; significance: string; consequences: string } | null;
}

export interface AccessInformation {
  readonly format: 'steward-access-information';
  readonly version: 1;
  readonly generatedAt: string;
  readonly language: string;
  readonly subject: {
    /** Null for a person Steward holds no record of (the answer is about connected systems only). */
    readonly id: string | null;
    readonly jurisdiction: string | null;
    readonly jurisdictionName: string;
  };
  readonly controllers: readonly {
    readonly declarationId: string;
    readonly declarationVersion: string;
    readonly name: string;
    readonly contacts: readonly { channel: string; value: string }[];
    readonly dpo: string | null;
  }[];
  readonly summary: {
    readonly records: number;
    readonly categories: readonly CategoryHeld[];
    readonly text: string;
  };
  readonly purposes: readonly PurposeHeld[];
  readonly sources: readonly SourceHeld[];
  readonly automatedDecisions: {
    readonly none: boolean;
    readonly text: string;
  };
  readonly rights: readonly {
    readonly right: string;
    readonly text: string;
    readonly appliesTo: readonly string[];
  }[];
  readonly howToExercise: { readonly text: string; readonly channels: readonly string[] };
  readonly complaint: {
    readonly text: string;
    readonly authorities: readonly {
      readonly name: string;
      readonly country: string;
      readonly website: string;
      readonly email: string | null;
      readonly phone: string | null;
      readonly address: string | null;
    }[];
  };
  readonly notes: readonly string[];
  /**
   * The company's other systems that hold the person's data (when the answer is for a request):
   * what each holds and why. Their rows are in the package's `systems/` files.
   */
  readonly systems?: readonly SystemHeld[];
}

/** "We hold 3 records about you, used for 2 purposes. The kinds of data: …". */
function summaryText(w: Messages, records: number, purposes: number, categories: string): string {
  return w.format('access.summary', {
    records,
    purposes,
    categories: categories === '' ? w.format('access.summary.noCategories') : categories,
  });
}

/** When a purpose's records are due to go, and how many wait for a later event. */
function expiryText(w: Messages, earliest: string | null, latest: string | null, without: number): string {
  return [
    earliest === null
      ? ''
      : earliest === latest
        ? w.format('access.expiry.on', { date: earliest.slice(0, 10) })
        : w.format('access.expiry.between', {
            earliest: earliest.slice(0, 10),
            latest: latest?.slice(0, 10) ?? '',
          }),
    without === 0 ? '' : w.format('access.expiry.undated', { count: without }),
  ]
    .filter((x) => x !== '')
    .join(' ');
}

/** A rights or contact channel in words, or its code where the catalog has none (`web`). */
function channelName(w: Messages, channel: string): string {
  const key = `access.channels.${channel}`;
  return isMessageKey(key) ? w.format(key) : channel;
}

interface PurposeAcc {
  records: number;
  categories: Set<string>;
  sources: Map<string, SourceAcc>;
  earliest: string | null;
  latest: string | null;
  without: number;
  because: Set<'records' | 'consent' | 'subscription'>;
  consent: { given: boolean; since: string } | null;
}

interface SourceAcc {
  id: string;
  type: string;
  records: number;
  first: string;
  last: string;
}

const min = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a < b ? a : b);
const max = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a > b ? a : b);

function addSource(map: Map<string, SourceAcc>, g: SourceAcc): void {
  const s = map.get(g.id);
  if (s === undefined) map.set(g.id, { ...g });
  else {
    s.records += g.records;
    s.first = g.first < s.first ? g.first : s.first;
    s.last = g.last > s.last ? g.last : s.last;
  }
}

function sourceHeld(
  model: PolicyModel | undefined,
  declarationId: string,
  s: SourceAcc,
  lang: string,
): SourceHeld {
  const declared = model?.declaration.sources.find((x) => x.id === s.id);
  return {
    declarationId,
    id: s.id,
    name: declared === undefined ? s.id : localise(declared.name, lang),
    type: s.type,
    indirect: indirectSourceTypes.has(s.type),
    organisation: declared?.organisation === undefined ? null : localise(declared.organisation, lang),
    description: declared?.description === undefined ? null : localise(declared.description, lang),
    records: s.records,
    firstCollectedAt: s.first,
    lastCollectedAt: s.last,
  };
}

function categoryHeld(model: PolicyModel | undefined, key: string, lang: string): CategoryHeld {
  return {
    key,
    name: model === undefined ? key : categoryName(model, key, lang),
    special: model?.categories.get(key)?.special ?? false,
  };
}

function purposeHeld(
  model: PolicyModel | undefined,
  declarationId: string,
  purposeId: string,
  acc: PurposeAcc,
  jurisdiction: string,
  lang: string,
): PurposeHeld {
  const w = messages(lang);
  const purpose: Purpose | undefined = model?.purposes.get(purposeId);
  const basis =
    purpose === undefined || model === undefined ? undefined : model.basisFor(purpose, jurisdiction);
  const recipients = purpose === undefined || model === undefined ? [] : recipientsOf(model, purpose);
  const categories = [...acc.categories].sort();
  const rules = categories.map((key) => {
    const rule = purpose === undefined || model === undefined ? undefined : model.retentionFor(purpose, key);
    return {
      category: key,
      categoryName: model === undefined ? key : categoryName(model, key, lang),
      rule: rule?.id ?? null,
      text:
        rule === undefined || model === undefined
          ? w.format('access.notStated')
          : describeRetention(rule, lang, model.declaration),
    };
  });
  const automated = purpose?.automatedDecisions;
  const basisJurisdiction =
    typeof purpose?.legalBasis === 'object' && basis !== undefined ? jurisdiction : 'default';
  return {
    declarationId,
    id: purposeId,
    name: purpose === undefined ? purposeId : localise(purpose.name, lang),
    description: purpose === undefined ? '' : localise(purpose.description, lang),
    heldBecause: [...acc.because],
    legalBasis: {
      code: basis ?? null,
      jurisdiction: basisJurisdiction,
      text: basis === undefined ? w.format('access.notStated') : describeBasis(basis, lang),
    },
    legitimateInterest:
      basis === 'legitimate_interests' && purpose?.legitimateInterest !== undefined
        ? localise(purpose.legitimateInterest.interest, lang)
        : null,
    statutoryObligation: basis === 'legal_obligation' ? (purpose?.statutoryObligation ?? null) : null,
    consent: acc.consent,
    records: acc.records,
    categories: categories.map((key) => categoryHeld(model, key, lang)),
    recipients: recipients.map((r) => ({
      id: r.id,
      name: localise(r.name, lang),
      type: r.type,
      countries: r.countries.map((code) => ({ code, name: countryName(code, lang) })),
    })),
    transfers: transfersTo(recipients).map((t) => {
      const fallbacks =
        t.mechanism === 'adequacy'
          ? []
          : basesValidFor(transferBases(t.recipient.transfer), t.country)
              .filter((b) => b.role === 'fallback')
              .map((b) => ({
                mechanism: b.mechanism,
                safeguard: describeMechanism(b.mechanism, lang),
                reference: b.reference ?? null,
              }));
      const first =
        t.mechanism === undefined ? w.format('access.notStated') : describeMechanism(t.mechanism, lang);
      return {
        recipient: localise(t.recipient.name, lang),
        country: t.country,
        countryName: countryName(t.country, lang),
        mechanism: t.mechanism ?? null,
        safeguard: [
          first,
          ...fallbacks.map((f) => w.format('notice.transferFallback', { mechanism: f.safeguard })),
        ].join('; '),
        reference: t.reference ?? null,
        safeguardsUrl: t.safeguardsUrl ?? null,
        fallbacks,
      };
    }),
    retention: {
      rules,
      earliestExpiry: acc.earliest,
      latestExpiry: acc.latest,
      recordsWithoutDate: acc.without,
      text: expiryText(w, acc.earliest, acc.latest, acc.without),
    },
    sources: [...acc.sources.values()].map((s) => sourceHeld(model, declarationId, s, lang)),
    automatedDecision:
      automated === undefined
        ? null
        : {
            logic: localise(automated.logic, lang),
            significance: localise(automated.significance, lang),
            consequences: localise(automated.consequences, lang),
          },
  };
}

function addressLine(
  a: { street: string; postalCode: string; locality: string; country: string } | undefined,
) {
  return a === undefined ? null : `${a.street}, ${a.postalCode} ${a.locality}, ${a.country}`;
}

/**
 * The Art. 15(1) information for one person in `lang`, worded by the catalogs (`access.*`); a
 * language Steward has no catalog for throws (MessageError `i18n.no_catalog`).
 *
 * With `subjectId` null (a person only connected systems hold) Steward's part is empty and
 * `jurisdiction` says whose rules apply.
 *
 * @throws AppError `not_found` when the subject is not in the partition asked for.
 */
export async function explainForSubject(
  ctx: AppContext,
  subjectId: string | null,
  lang: string,
  options: Pick<SubjectDataOptions, 'tenant'> & { readonly jurisdiction?: string | null } = {},
): Promise<AccessInformation> {
  const db = ctx.store.db;
  const subject =
    subjectId === null
      ? { id: null, tenant: options.tenant ?? CONTROLLER_TENANT, jurisdiction: options.jurisdiction ?? null }
      : await resolveSubjectRow(db, subjectId, options.tenant);
  const w = messages(lang);
  const jurisdiction = subject.jurisdiction ?? 'default';
  const ofSubject = async <T>(read: (id: string) => Promise<T[]>): Promise<T[]> =>
    subject.id === null ? [] : read(subject.id);

  // One grouped read over the records' metadata: the combinations are few however many records.
  const groups = await ofSubject((id) =>
    db
      .selectFrom('records')
      .select((eb) => [
        'declaration_id',
        'purposes',
        'categories',
        'source_id',
        'source_type',
        eb.fn.countAll().as('n'),
        eb.fn.min('expires_at').as('earliest'),
        eb.fn.max('expires_at').as('latest'),
        eb.fn.count('expires_at').as('dated'),
        eb.fn.min('collected_at').as('first'),
        eb.fn.max('collected_at').as('last'),
      ])
      .where('subject_id', '=', id)
      .where('tenant', '=', subject.tenant)
      .groupBy(['declaration_id', 'purposes', 'categories', 'source_id', 'source_type'])
      .execute(),
  );

  const purposes = new Map<string, PurposeAcc>();
  const sources = new Map<string, Map<string, SourceAcc>>();
  const allCategories = new Map<string, string>();
  let records = 0;
  const accFor = (declarationId: string, purposeId: string) => {
    const key = `${declarationId}\n${purposeId}`;
    let acc = purposes.get(key);
    if (acc === undefined) {
      acc = {
        records: 0,
        categories: new Set(),
        sources: new Map(),
        earliest: null,
        latest: null,
        without: 0,
        because: new Set(),
        consent: null,
      };
      purposes.set(key, acc);
    }
    return acc;
  };
  for (const g of groups) {
    const n = Number(g.n);
    records += n;
    const source: SourceAcc = {
      id: g.source_id,
      type: g.source_type,
      records: n,
      first: String(g.first),
      last: String(g.last),
    };
    const perDeclaration = sources.get(g.declaration_id) ?? new Map<string, SourceAcc>();
    sources.set(g.declaration_id, perDeclaration);
    addSource(perDeclaration, source);
    const categories = JSON.parse(g.categories) as string[];
    for (const c of categories) allCategories.set(c, g.declaration_id);
    for (const p of JSON.parse(g.purposes) as { id: string }[]) {
      const acc = accFor(g.declaration_id, p.id);
      acc.because.add('records');
      acc.records += n;
      for (const c of categories) acc.categories.add(c);
      addSource(acc.sources, source);
      acc.earliest = min(acc.earliest, g.earliest === null ? null : String(g.earliest));
      acc.latest = max(acc.latest, g.latest === null ? null : String(g.latest));
      acc.without += n - Number(g.dated);
    }
  }

  // Consents on record name purposes too, directly or through a communication or cookie category.
  const lastEvents = await ofSubject((id) =>
    db
      .selectFrom('consent_events')
      .select((eb) => ['declaration_id', 'target_kind', 'target_id', eb.fn.max('seq').as('seq')])
      .where('subject_id', '=', id)
      .groupBy(['declaration_id', 'target_kind', 'target_id'])
      .execute(),
  );
  const latest =
    lastEvents.length === 0
      ? []
      : await db
          .selectFrom('consent_events')
          .select(['declaration_id', 'target_kind', 'target_id', 'event', 'at'])
          .where(
            'seq',
            'in',
            lastEvents.map((e) => Number(e.seq)),
          )
          .execute();
  const purposesOfTarget = (model: PolicyModel | undefined, kind: string, id: string): string[] => {
    if (kind === 'purpose') return [id];
    const d = model?.declaration;
    if (kind === 'communication') {
      const purpose = d?.communications.find((c) => c.id === id)?.purpose;
      return purpose === undefined ? [] : [purpose];
    }
    return d?.cookies.categories.find((c) => c.id === id)?.purposes ?? [];
  };
  for (const e of latest) {
    const model = ctx.policies.get(e.declaration_id)?.model;
    const given = e.event === 'given' || e.event === 'renewed';
    for (const purposeId of purposesOfTarget(model, e.target_kind, e.target_id)) {
      const acc = accFor(e.declaration_id, purposeId);
      acc.because.add('consent');
      acc.categories.add('user.consent');
      allCategories.set('user.consent', e.declaration_id);
      if (e.target_kind === 'purpose' || acc.consent === null) acc.consent = { given, since: e.at };
    }
  }
  const subscriptions = await ofSubject((id) =>
    db
      .selectFrom('subscriptions')
      .select(['declaration_id', 'communication_id', 'state'])
      .where('subject_id', '=', id)
      .where('state', '!=', 'unsubscribed')
      .execute(),
  );
  for (const s of subscriptions) {
    const model = ctx.policies.get(s.declaration_id)?.model;
    for (const purposeId of purposesOfTarget(model, 'communication', s.communication_id)) {
      const acc = accFor(s.declaration_id, purposeId);
      acc.because.add('subscription');
      acc.categories.add('user.contact.email');
      allCategories.set('user.contact.email', s.declaration_id);
    }
  }

  const held = [...purposes].map(([key, acc]) => {
    const [declarationId = '', purposeId = ''] = key.split('\n');
    return purposeHeld(
      ctx.policies.get(declarationId)?.model,
      declarationId,
      purposeId,
      acc,
      jurisdiction,
      lang,
    );
  });
  // Declaration order, so the answer reads like the notice the person may already know.
  const order = (p: PurposeHeld) =>
    ctx.policies.get(p.declarationId)?.model.declaration.purposes.findIndex((x) => x.id === p.id) ?? -1;
  held.sort((a, b) => a.declarationId.localeCompare(b.declarationId) || order(a) - order(b));

  const declarationIds = [...new Set([...held.map((p) => p.declarationId), ...sources.keys()])].filter(
    (id) => ctx.policies.get(id) !== undefined,
  );
  // Nothing held beyond the subject row: every declaration in force still names its authority.
  const active =
    declarationIds.length > 0 ? declarationIds.map((id) => ctx.policies.get(id)!) : ctx.policies.list();

  const withBasis = (...bases: LegalBasis[]) =>
    held.filter((p) => p.legalBasis.code !== null && bases.includes(p.legalBasis.code)).map((p) => p.name);
  const directMarketing = held
    .filter((p) => ctx.policies.get(p.declarationId)?.model.purposes.get(p.id)?.directMarketing === true)
    .map((p) => p.name);
  const rights: AccessInformation['rights'] = [
    { right: 'access', text: w.format('access.rights.access'), appliesTo: [] },
    { right: 'rectification', text: w.format('access.rights.rectification'), appliesTo: [] },
    { right: 'erasure', text: w.format('access.rights.erasure'), appliesTo: [] },
    { right: 'restriction', text: w.format('access.rights.restriction'), appliesTo: [] },
    {
      right: 'objection',
      text: w.format('access.rights.objection'),
      appliesTo: withBasis('legitimate_interests', 'public_task'),
    },
    {
      right: 'marketingObjection',
      text: w.format('access.rights.marketingObjection'),
      appliesTo: directMarketing,
    },
    {
      right: 'portability',
      text: w.format('access.rights.portability'),
      appliesTo: withBasis('consent', 'contract'),
    },
    { right: 'withdrawal', text: w.format('access.rights.withdrawal'), appliesTo: withBasis('consent') },
    { right: 'automated', text: w.format('access.rights.automated'), appliesTo: [] },
  ];
  // Rights that hinge on a basis or kind of purpose are listed only when one of the person's applies.
  const conditional = new Set(['objection', 'marketingObjection', 'portability', 'withdrawal']);

  const channels = new Set<string>();
  for (const { model } of active) {
    const d = model.declaration;
    for (const c of d.controller.contacts)
      if ((c.purposes ?? []).includes('rights')) channels.add(`${channelName(w, c.channel)}: ${c.value}`);
    for (const c of d.rights.channels)
      if (c !== 'email' && c !== 'post' && c !== 'phone') channels.add(channelName(w, c));
  }
  const authorities = new Map<string, AccessInformation['complaint']['authorities'][number]>();
  for (const { model } of active) {
    const a = model.declaration.controller.supervisoryAuthority;
    authorities.set(a.name, {
      name: a.name,
      country: a.country,
      website: a.website,
      email: a.email ?? null,
      phone: a.phone ?? null,
      address: addressLine(a.address),
    });
  }
  const automated = held.filter((p) => p.automatedDecision !== null).map((p) => p.name);
  const first = active[0]?.model.declaration;
  const categories = [...allCategories].map(([key, declarationId]) =>
    categoryHeld(ctx.policies.get(declarationId)?.model, key, lang),
  );
  categories.sort((a, b) => a.key.localeCompare(b.key));

  return {
    format: 'steward-access-information',
    version: 1,
    generatedAt: ctx.clock.now().toISOString(),
    language: lang,
    subject: {
      id: subject.id,
      jurisdiction: subject.jurisdiction,
      jurisdictionName: describeJurisdiction(jurisdiction, lang),
    },
    controllers: active.map(({ model, version }) => ({
      declarationId: model.id,
      declarationVersion: version.version,
      name: model.declaration.controller.name,
      contacts: model.declaration.controller.contacts.map((c) => ({ channel: c.channel, value: c.value })),
      dpo:
        model.declaration.controller.dpo === undefined
          ? null
          : [model.declaration.controller.dpo.name, model.declaration.controller.dpo.email]
              .filter((x) => x !== undefined)
              .join(', '),
    })),
    summary: {
      records,
      categories,
      text: summaryText(
        w,
        records,
        held.length,
        joinWords(
          categories.map((c) => c.name),
          lang,
        ),
      ),
    },
    purposes: held,
    sources: [...sources].flatMap(([declarationId, map]) =>
      [...map.values()].map((s) =>
        sourceHeld(ctx.policies.get(declarationId)?.model, declarationId, s, lang),
      ),
    ),
    automatedDecisions: {
      none: automated.length === 0,
      text:
        automated.length === 0
          ? w.format('access.noAutomated')
          : w.format('access.automated', { purposes: joinWords(automated, lang) }),
    },
    rights: rights.filter((r) => !conditional.has(r.right) || r.appliesTo.length > 0),
    howToExercise: {
      text: w.format('access.howTo', {
        deadline: describeDuration(first === undefined ? 'P1M' : first.rights.deadline, lang),
      }),
      channels: [...channels],
    },
    complaint: { text: w.format('access.complaint'), authorities: [...authorities.values()] },
    notes: [w.format('access.notes.keyedHashes'), w.format('access.notes.auditLog')],
  };
}

/**
 * The answer for a request with what the company's other systems hold added: their rows count
 * as records in the summary, and their purposes and categories join Steward's, so a person only
 * those systems hold is not told "0 records".
 */
export function withSystems(
  ctx: AppContext,
  info: AccessInformation,
  systems: readonly SystemHeld[],
): AccessInformation {
  if (systems.length === 0) return info;
  const w = messages(info.language);
  const rows = systems.reduce((n, s) => n + s.collections.reduce((m, c) => m + c.rows, 0), 0);
  const records = info.summary.records + rows;
  const purposes = new Set([
    ...info.purposes.map((p) => p.id),
    ...systems.flatMap((s) => s.purposes.map((p) => p.id)),
  ]);
  const categories = new Map(info.summary.categories.map((c) => [c.key, c]));
  for (const c of systems.flatMap((s) => s.categories)) {
    if (categories.has(c.key)) continue;
    const model = ctx.policies.list().find((a) => a.model.categories.has(c.key))?.model;
    categories.set(c.key, { ...categoryHeld(model, c.key, info.language), name: c.name });
  }
  const all = [...categories.values()].sort((a, b) => a.key.localeCompare(b.key));
  return {
    ...info,
    summary: {
      records,
      categories: all,
      text: summaryText(
        w,
        records,
        purposes.size,
        joinWords(
          all.map((c) => c.name),
          info.language,
        ),
      ),
    },
    systems,
  };
}
