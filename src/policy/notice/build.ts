/**
 * Builds the notice's document tree from a declaration: what GDPR Articles 13 and 14 ask a
 * controller to tell people (controller and contacts, each purpose with its legal basis per
 * jurisdiction, data, people, sources, recipients, transfers, retention, rights, the supervisory
 * authority, whether data must be provided, automated decisions), plus cookies, messages sent,
 * services run as processor and a glossary. Every fixed word comes from the catalogs by key
 * (`notice.*`, through the declaration's overrides); declaration texts are picked with `localise`.
 */
import {
  basesInUse,
  basisArticle,
  basisName,
  categoryName,
  controllerSystems,
  countryName,
  describeBases,
  describeBasis,
  describeDuration,
  describeJurisdiction,
  describeMechanism,
  describeOperator,
  describeRetention,
  describeRetentionPeriod,
  joinWords,
  purposesOfRecipient,
  recipientsOf,
  retentionEntries,
  systemsOf,
  transfersTo,
} from '../describe.js';
import { messagesFor } from '../../i18n/declaration.js';
import type { MessageKey, MessageParams, Messages } from '../../i18n/messages.js';
import type { PolicyModel } from '../model.js';
import type { Communication, Declaration, LegalBasis, Purpose } from '../schema.js';
import { describeMinimisation } from '../minimisation.js';
import { localise } from '../text.js';
import { basesValidFor, cookieProviderCountry, transferBases } from '../transfers.js';
import {
  anchorTo,
  facts,
  joinRich,
  link,
  list,
  p,
  section,
  table,
  type Block,
  type Inline,
  type NoticeDocument,
  type Rich,
  type Section,
} from './tree.js';

/** Which published version the notice shows; defaults to the declaration's own version and date. */
export interface NoticeVersionInfo {
  readonly version: string;
  readonly effectiveDate: string;
  /** SHA-256 of the declaration's canonical content. */
  readonly contentHash?: string;
  /** Where earlier versions can be read. */
  readonly archiveUrl?: string;
}

type SectionKey =
  | 'controller'
  | 'purposes'
  | 'data'
  | 'subjects'
  | 'sources'
  | 'recipients'
  | 'transfers'
  | 'systems'
  | 'retention'
  | 'requirement'
  | 'automated'
  | 'rights'
  | 'complaints'
  | 'communications'
  | 'cookies'
  | 'children'
  | 'services'
  | 'related'
  | 'glossary'
  | 'version';

const sectionIds: Record<SectionKey, string> = {
  controller: 'controller',
  purposes: 'purposes',
  data: 'personal-data',
  subjects: 'data-subjects',
  sources: 'sources',
  recipients: 'recipients',
  transfers: 'transfers',
  systems: 'systems',
  retention: 'retention',
  requirement: 'requirement',
  automated: 'automated-decisions',
  rights: 'rights',
  complaints: 'complaints',
  communications: 'communications',
  cookies: 'cookies',
  children: 'children',
  services: 'processor-services',
  related: 'related-notices',
  glossary: 'glossary',
  version: 'version',
};

type ContactChannel = Declaration['controller']['contacts'][number]['channel'];

/** Ends a sentence after a value, without doubling a full stop the value already has ("B.V."). */
const stop = (text: string): string => (/[.!?]$/.test(text) ? text : `${text}.`);

type Address = NonNullable<Declaration['controller']['establishment']['address']>;

function formatAddress(address: Address, language: string): string {
  const locality = [address.postalCode, address.locality].join(' ');
  return [address.street, locality, address.region, countryName(address.country, language)]
    .filter((part): part is string => part !== undefined && part !== '')
    .join(', ');
}

/** A contact value as a link where it is one (web address, email), else as text. */
function contactValue(channel: ContactChannel, value: string): Inline {
  if (channel === 'web') return link(value, value);
  if (channel === 'email') return link(value, `mailto:${value}`);
  return value;
}

class NoticeBuilder {
  private readonly d: Declaration;
  private readonly messages: Messages;

  constructor(
    private readonly model: PolicyModel,
    private readonly lang: string,
    private readonly privacyCentreUrl?: string,
  ) {
    this.d = model.declaration;
    this.messages = messagesFor(this.d, lang);
  }

  /** A message of the notice in its language, with the declaration's overrides. */
  private say(key: MessageKey, params?: MessageParams): string {
    return this.messages.format(key, params);
  }

  private t(text: Parameters<typeof localise>[0]): string {
    return localise(text, this.lang);
  }

  private purposeLink(purpose: Purpose): Inline {
    return anchorTo(this.t(purpose.name), `purpose-${purpose.id}`);
  }

  private purposeLinks(purposes: readonly Purpose[]): Rich {
    return purposes.length === 0
      ? this.say('notice.none')
      : joinRich(
          purposes.map((x) => [this.purposeLink(x)]),
          ', ',
        );
  }

  private categoryLabel(key: string): string {
    const name = categoryName(this.model, key, this.lang);
    return this.model.categories.get(key)?.special === true
      ? `${name} (${this.say('notice.special')})`
      : name;
  }

  private sourceName(id: string): string {
    const source = this.d.sources.find((s) => s.id === id);
    if (source === undefined) return id;
    const isPublic = source.type === 'public' || source.type === 'social_network';
    return isPublic
      ? `${this.t(source.name)} (${this.say('notice.publiclyAccessible')})`
      : this.t(source.name);
  }

  build(versionInfo: NoticeVersionInfo | undefined): NoticeDocument {
    const version = versionInfo ?? { version: this.d.version, effectiveDate: this.d.effectiveDate };
    const sections = [
      this.controller(),
      this.purposes(),
      this.data(),
      this.subjects(),
      this.sources(),
      this.recipients(),
      this.transfers(),
      this.systems(),
      this.retention(),
      this.requirement(),
      this.automated(),
      this.rights(),
      this.complaints(),
      this.communications(),
      this.cookies(),
      this.children(),
      this.services(),
      this.related(),
      this.glossary(),
      this.version(version),
    ].filter((s): s is Section => s !== undefined);
    return {
      lang: this.lang,
      title: this.t(this.d.title),
      meta: this.say('notice.meta', { version: version.version, date: version.effectiveDate }),
      intro: this.say('notice.intro', { controller: this.d.controller.name }),
      contents: this.say('notice.contents'),
      sections,
    };
  }

  private heading(key: SectionKey): [string, string] {
    return [sectionIds[key], this.say(`notice.headings.${key}`)];
  }

  private controller(): Section {
    const c = this.d.controller;
    const parent = c.parent;
    const parentText =
      parent === undefined
        ? ''
        : [
            parent.legalForm === undefined ? parent.name : `${parent.name} (${parent.legalForm})`,
            countryName(parent.country, this.lang),
            ...(parent.registrationNumber === undefined
              ? []
              : [this.say('notice.registrationNumber', { number: parent.registrationNumber })]),
            ...(parent.address === undefined ? [] : [formatAddress(parent.address, this.lang)]),
          ].join(', ');
    const rep = c.representative;
    const dpo = c.dpo;
    const dpoValue: Inline[] =
      dpo === undefined
        ? []
        : joinRich(
            [
              ...(dpo.name === undefined ? [] : [dpo.name]),
              ...(dpo.email === undefined ? [] : [[link(dpo.email, `mailto:${dpo.email}`)]]),
              ...(dpo.address === undefined ? [] : [formatAddress(dpo.address, this.lang)]),
            ],
            ', ',
          );
    const contacts = c.contacts.map((contact): Rich => {
      const uses = (contact.purposes ?? []).map((x) => this.say(`notice.contactPurposes.${x}`));
      return [
        `${this.say(`notice.channels.${contact.channel}`)}: `,
        contactValue(contact.channel, contact.value),
        ...(uses.length === 0 ? [] : [` (${joinWords(uses, this.lang)})`]),
      ];
    });
    return section(...this.heading('controller'), [
      p(this.say('notice.controllerIntro', { name: c.name })),
      ...(this.d.audience === undefined
        ? []
        : [p(this.say('notice.audience', { audience: this.d.audience }))]),
      facts([
        {
          label: this.say('notice.controllerLabels.name'),
          value: c.shortName === undefined ? c.name : `${c.name} (${c.shortName})`,
        },
        c.legalForm === undefined
          ? undefined
          : { label: this.say('notice.controllerLabels.legalForm'), value: c.legalForm },
        c.registrationNumber === undefined
          ? undefined
          : { label: this.say('notice.controllerLabels.registration'), value: c.registrationNumber },
        { label: this.say('notice.controllerLabels.parent'), value: parentText },
        {
          label: this.say('notice.controllerLabels.establishment'),
          value: formatAddress(c.establishment.address, this.lang),
        },
        rep === undefined
          ? undefined
          : {
              label: this.say('notice.controllerLabels.representative'),
              value: [
                rep.name,
                ...(rep.address === undefined ? [] : [formatAddress(rep.address, this.lang)]),
              ].join(', '),
            },
        {
          label: this.say('notice.controllerLabels.dpo'),
          value: dpoValue.length === 0 ? this.say('notice.noDpo') : dpoValue,
        },
      ]),
      p(this.say('notice.contactUs')),
      list(contacts),
    ]);
  }

  private purposes(): Section {
    const purposes = this.d.purposes;
    const children = purposes.map((purpose) => this.purpose(purpose));
    return section(
      ...this.heading('purposes'),
      [
        p(this.say('notice.purposesIntro')),
        table(
          this.say('notice.purposeTable.caption'),
          [this.say('notice.purposeTable.purpose'), this.say('notice.purposeTable.basis')],
          purposes.map((x) => [[this.purposeLink(x)], describeBases(x, this.lang)]),
        ),
      ],
      children,
    );
  }

  private purpose(purpose: Purpose): Section {
    const recipients = recipientsOf(this.model, purpose);
    const transfers = transfersTo(recipients);
    const retention = retentionEntries(this.model, purpose);
    const rules = new Set(retention.map((r) => r.rule));
    const [onlyRule] = rules;
    const retentionText =
      rules.size === 1 && onlyRule !== undefined
        ? describeRetention(onlyRule, this.lang, this.d)
        : retention
            .map(
              (r) =>
                `${this.categoryLabel(r.category)}: ${r.rule === undefined ? this.say('notice.noRule') : describeRetention(r.rule, this.lang, this.d)}`,
            )
            .join('; ');
    const subjects = purpose.subjectCategories.map((id) => {
      const subject = this.d.subjectCategories.find((s) => s.id === id);
      return subject === undefined ? id : this.t(subject.name);
    });
    const services = (purpose.services ?? []).map(
      (id) => this.d.services.find((s) => s.id === id)?.name ?? id,
    );
    const points = (purpose.collectionPoints ?? []).map((id) => {
      const point = this.d.collectionPoints.find((x) => x.id === id);
      return point === undefined ? id : this.t(point.name);
    });
    const bases = this.model.basesOf(purpose);
    return section(`purpose-${purpose.id}`, this.t(purpose.name), [
      p(this.t(purpose.description)),
      ...(purpose.publicContent === true ? [p(this.say('notice.publicContent'))] : []),
      facts([
        { label: this.say('notice.purposeLabels.basis'), value: describeBases(purpose, this.lang) },
        purpose.legitimateInterest === undefined || !bases.includes('legitimate_interests')
          ? undefined
          : {
              label: this.say('notice.purposeLabels.interest'),
              value: this.t(purpose.legitimateInterest.interest),
            },
        purpose.statutoryObligation === undefined
          ? undefined
          : { label: this.say('notice.purposeLabels.obligation'), value: purpose.statutoryObligation },
        {
          label: this.say('notice.purposeLabels.data'),
          value: purpose.categories.map((k) => this.categoryLabel(k)).join(', '),
        },
        { label: this.say('notice.purposeLabels.subjects'), value: subjects.join(', ') },
        {
          label: this.say('notice.purposeLabels.sources'),
          value: (purpose.sources ?? []).map((id) => this.sourceName(id)).join(', '),
        },
        {
          label: this.say('notice.purposeLabels.recipients'),
          value: recipients
            .map((r) => `${this.t(r.name)} (${this.say(`notice.recipientTypes.${r.type}`)})`)
            .join(', '),
        },
        {
          label: this.say('notice.purposeLabels.transfers'),
          value: transfers
            .map(
              (x) =>
                `${this.t(x.recipient.name)}, ${countryName(x.country, this.lang)}: ${
                  x.mechanism === undefined
                    ? this.say('notice.noMechanism')
                    : describeMechanism(x.mechanism, this.lang)
                }`,
            )
            .join('; '),
        },
        { label: this.say('notice.purposeLabels.retention'), value: retentionText },
        {
          label: this.say('notice.purposeLabels.requirement'),
          value: this.say(`notice.requirement.${purpose.requirement ?? 'none'}`),
        },
        { label: this.say('notice.purposeLabels.services'), value: services.join(', ') },
        {
          label: this.say('notice.purposeLabels.systems'),
          value: systemsOf(this.model, purpose)
            .map((x) => `${this.t(x.name)} (${countryName(x.hosting.country, this.lang)})`)
            .join(', '),
        },
        bases.includes('consent')
          ? { label: this.say('notice.purposeLabels.consentAt'), value: points.join(', ') }
          : undefined,
        purpose.automatedDecisions === undefined
          ? undefined
          : {
              label: this.say('notice.purposeLabels.automated'),
              value: [anchorTo(this.t(purpose.automatedDecisions.logic), sectionIds.automated)],
            },
        purpose.directMarketing === true
          ? { label: this.say('notice.purposeLabels.objection'), value: this.say('notice.directMarketing') }
          : undefined,
      ]),
    ]);
  }

  private usedCategories(): string[] {
    return [...new Set(this.d.purposes.flatMap((x) => x.categories))];
  }

  private data(): Section {
    const rows = this.usedCategories().map((key): Rich[] => [
      this.categoryLabel(key),
      this.purposeLinks(this.d.purposes.filter((x) => x.categories.includes(key))),
    ]);
    const reduced = (this.d.minimisation ?? []).map((m) =>
      describeMinimisation(m.rule, this.categoryLabel(m.category), this.messages),
    );
    return section(...this.heading('data'), [
      p(this.say('notice.dataIntro')),
      table(
        this.say('notice.dataTable.caption'),
        [this.say('notice.dataTable.category'), this.say('notice.dataTable.purposes')],
        rows,
      ),
      ...(reduced.length === 0 ? [] : [p(this.say('notice.minimisationIntro')), list(reduced)]),
    ]);
  }

  private subjects(): Section {
    const rows = this.d.subjectCategories.map((s): Rich[] => [
      this.t(s.name),
      s.description === undefined ? this.say('notice.none') : this.t(s.description),
      this.purposeLinks(this.d.purposes.filter((x) => x.subjectCategories.includes(s.id))),
    ]);
    return section(...this.heading('subjects'), [
      p(this.say('notice.subjectsIntro')),
      table(
        this.say('notice.subjectTable.caption'),
        [
          this.say('notice.subjectTable.group'),
          this.say('notice.subjectTable.description'),
          this.say('notice.subjectTable.purposes'),
        ],
        rows,
      ),
    ]);
  }

  private sources(): Section {
    const rows = this.d.sources.map((s): Rich[] => {
      const isPublic = s.type === 'public' || s.type === 'social_network';
      const description = s.description === undefined ? '' : ` — ${this.t(s.description)}`;
      const categories = s.categories ?? [
        ...new Set(
          this.d.purposes.filter((x) => (x.sources ?? []).includes(s.id)).flatMap((x) => x.categories),
        ),
      ];
      return [
        `${this.t(s.name)}${description}`,
        this.say(`notice.sourceTypes.${s.type}`),
        isPublic ? this.say('notice.yes') : this.say('notice.no'),
        s.organisation === undefined ? this.say('notice.none') : this.t(s.organisation),
        categories.length === 0
          ? this.say('notice.none')
          : categories.map((k) => this.categoryLabel(k)).join(', '),
      ];
    });
    const indirect = this.d.sources.some((s) => s.type !== 'direct');
    return section(...this.heading('sources'), [
      p(this.say('notice.sourcesIntro')),
      table(
        this.say('notice.sourceTable.caption'),
        [
          this.say('notice.sourceTable.source'),
          this.say('notice.sourceTable.type'),
          this.say('notice.sourceTable.public'),
          this.say('notice.sourceTable.supplier'),
          this.say('notice.sourceTable.data'),
        ],
        rows,
      ),
      ...(indirect ? [p(this.say('notice.sourcesNotice'))] : []),
    ]);
  }

  private recipients(): Section {
    if (this.d.recipients.length === 0)
      return section(...this.heading('recipients'), [p(this.say('notice.noRecipients'))]);
    const rows = this.d.recipients.map((r): Rich[] => [
      r.description === undefined ? this.t(r.name) : `${this.t(r.name)} — ${this.t(r.description)}`,
      this.say(`notice.recipientTypes.${r.type}`),
      r.countries.map((c) => countryName(c, this.lang)).join(', '),
      this.purposeLinks(purposesOfRecipient(this.model, r)),
    ]);
    return section(...this.heading('recipients'), [
      p(this.say('notice.recipientsIntro')),
      table(
        this.say('notice.recipientTable.caption'),
        [
          this.say('notice.recipientTable.recipient'),
          this.say('notice.recipientTable.type'),
          this.say('notice.recipientTable.countries'),
          this.say('notice.recipientTable.purposes'),
        ],
        rows,
      ),
    ]);
  }

  private transfers(): Section {
    const transfers = transfersTo(this.d.recipients);
    if (transfers.length === 0)
      return section(...this.heading('transfers'), [p(this.say('notice.noTransfers'))]);
    const rows = transfers.map((x): Rich[] => {
      const mechanism =
        x.mechanism === undefined
          ? this.say('notice.noMechanism')
          : describeMechanism(x.mechanism, this.lang);
      const copy: Rich =
        x.mechanism === 'adequacy'
          ? this.say('notice.notNeeded')
          : x.safeguardsUrl === undefined
            ? [anchorTo(this.say('notice.copyOnRequest'), sectionIds.controller)]
            : [link(x.safeguardsUrl, x.safeguardsUrl)];
      const fallbacks =
        x.mechanism === 'adequacy'
          ? []
          : basesValidFor(transferBases(x.recipient.transfer), x.country)
              .filter((b) => b.role === 'fallback')
              .map((b) =>
                this.say('notice.transferFallback', {
                  mechanism:
                    b.reference === undefined
                      ? describeMechanism(b.mechanism, this.lang)
                      : `${describeMechanism(b.mechanism, this.lang)}; ${b.reference}`,
                }),
              );
      return [
        this.t(x.recipient.name),
        `${countryName(x.country, this.lang)} (${x.country})`,
        [x.reference === undefined ? mechanism : `${mechanism}; ${x.reference}`, ...fallbacks].join('; '),
        copy,
      ];
    });
    return section(...this.heading('transfers'), [
      p(this.say('notice.transfersIntro')),
      table(
        this.say('notice.transferTable.caption'),
        [
          this.say('notice.transferTable.recipient'),
          this.say('notice.transferTable.country'),
          this.say('notice.transferTable.safeguard'),
          this.say('notice.transferTable.copy'),
        ],
        rows,
      ),
    ]);
  }

  /** Where the data is kept: the controller-role systems, omitted when none is declared. */
  private systems(): Section | undefined {
    const systems = controllerSystems(this.model);
    if (systems.length === 0) return undefined;
    const rows = systems.map((x): Rich[] => [
      x.description === undefined ? this.t(x.name) : `${this.t(x.name)} — ${this.t(x.description)}`,
      countryName(x.hosting.country, this.lang),
      describeOperator(this.model, x, this.lang),
      this.purposeLinks(this.d.purposes.filter((purpose) => x.purposes.includes(purpose.id))),
    ]);
    return section(...this.heading('systems'), [
      p(this.say('notice.systemsIntro')),
      table(
        this.say('notice.systemTable.caption'),
        [
          this.say('notice.systemTable.system'),
          this.say('notice.systemTable.country'),
          this.say('notice.systemTable.operator'),
          this.say('notice.systemTable.purposes'),
        ],
        rows,
      ),
    ]);
  }

  private retention(): Section {
    const rows = this.d.purposes.flatMap((purpose) =>
      retentionEntries(this.model, purpose).map((entry): Rich[] => [
        [this.purposeLink(purpose)],
        this.categoryLabel(entry.category),
        entry.rule === undefined
          ? this.say('notice.noRule')
          : describeRetentionPeriod(entry.rule, this.lang, this.d),
        entry.rule === undefined
          ? this.say('notice.none')
          : (entry.rule.statutory ?? this.say('notice.none')),
        entry.rule === undefined ? this.say('notice.none') : this.t(entry.rule.rationale),
      ]),
    );
    return section(...this.heading('retention'), [
      p(this.say('notice.retentionIntro')),
      table(
        this.say('notice.retentionTable.caption'),
        [
          this.say('notice.retentionTable.purpose'),
          this.say('notice.retentionTable.data'),
          this.say('notice.retentionTable.period'),
          this.say('notice.retentionTable.law'),
          this.say('notice.retentionTable.reason'),
        ],
        rows,
      ),
      p(this.say('notice.legalHold')),
    ]);
  }

  private requirement(): Section {
    return section(...this.heading('requirement'), [
      p(this.say('notice.requirementIntro')),
      list(
        this.d.purposes.map((x) => [
          this.purposeLink(x),
          `: ${this.say(`notice.requirement.${x.requirement ?? 'none'}`)}`,
        ]),
      ),
    ]);
  }

  private automated(): Section {
    const deciding = this.d.purposes.filter((x) => x.automatedDecisions !== undefined);
    if (deciding.length === 0)
      return section(...this.heading('automated'), [p(this.say('notice.automatedNone'))]);
    return section(...this.heading('automated'), [
      p(this.say('notice.automatedIntro')),
      ...deciding.flatMap((x) => {
        const a = x.automatedDecisions;
        if (a === undefined) return [];
        return [
          p([this.purposeLink(x)]),
          facts([
            { label: this.say('notice.automatedLabels.logic'), value: this.t(a.logic) },
            { label: this.say('notice.automatedLabels.significance'), value: this.t(a.significance) },
            { label: this.say('notice.automatedLabels.consequences'), value: this.t(a.consequences) },
          ]),
        ];
      }),
      p(this.say('notice.automatedRights')),
    ]);
  }

  private rights(): Section {
    const r = this.d.rights;
    const withBasis = (...bases: LegalBasis[]) =>
      this.d.purposes.filter((x) => this.model.basesOf(x).some((b) => bases.includes(b)));
    const applies = (text: string, purposes: readonly Purpose[]): Rich =>
      purposes.length === 0
        ? text
        : [
            `${text} ${this.say('notice.appliesTo')}: `,
            ...joinRich(
              purposes.map((x) => [this.purposeLink(x)]),
              ', ',
            ),
          ];
    const contactFor = (channel: ContactChannel) => {
      const matching = this.d.controller.contacts.filter((c) => c.channel === channel);
      return matching.find((c) => (c.purposes ?? []).includes('rights')) ?? matching[0];
    };
    const channels = r.channels.map((channel): Rich => {
      const contact =
        channel === 'email' || channel === 'post' || channel === 'phone' ? contactFor(channel) : undefined;
      if (channel === 'privacy_centre' && this.privacyCentreUrl !== undefined)
        return [link(this.say(`notice.rightsChannels.${channel}`), this.privacyCentreUrl)];
      return contact === undefined
        ? this.say(`notice.rightsChannels.${channel}`)
        : [`${this.say(`notice.rightsChannels.${channel}`)}: `, contactValue(contact.channel, contact.value)];
    });
    const webForms = this.d.controller.contacts
      .filter((c) => c.channel === 'web' && (c.purposes ?? []).includes('rights'))
      .map((c): Rich => [`${this.say('notice.channels.web')}: `, contactValue('web', c.value)]);
    const fees = r.fees;
    const furtherCopy =
      fees.furtherCopy === undefined
        ? []
        : [
            this.say('notice.furtherCopy', {
              amount: new Intl.NumberFormat(this.lang, {
                style: 'currency',
                currency: fees.furtherCopy.currency,
              }).format(fees.furtherCopy.amount),
            }),
          ];
    return section(...this.heading('rights'), [
      p(this.say('notice.rightsIntro')),
      list([
        this.say('notice.rights.access'),
        this.say('notice.rights.rectification'),
        this.say('notice.rights.erasure'),
        this.say('notice.rights.restriction'),
        applies(this.say('notice.rights.objection'), withBasis('legitimate_interests', 'public_task')),
        applies(
          this.say('notice.rights.marketingObjection'),
          this.d.purposes.filter((x) => x.directMarketing === true),
        ),
        applies(this.say('notice.rights.portability'), withBasis('consent', 'contract')),
        applies(this.say('notice.rights.withdrawal'), withBasis('consent')),
        this.say('notice.rights.automated'),
      ]),
      ...this.erasureLimits(),
      p(this.say('notice.rightsHow')),
      list([...webForms, ...channels]),
      p(
        this.say('notice.deadline', {
          deadline: describeDuration(r.deadline, this.lang),
          extension: describeDuration(r.maxExtension, this.lang),
        }),
      ),
      p(this.say('notice.identity')),
      p(
        [
          fees.firstCopyFree ? this.say('notice.firstCopyFree') : this.say('notice.copyFee'),
          ...furtherCopy,
          this.say(`notice.excessive.${fees.excessive}`),
        ].join(' '),
      ),
    ]);
  }

  /** Where erasure has limits: purposes exempt from it, and conditions that defer or refuse it. */
  private erasureLimits(): Block[] {
    const items = this.d.purposes.flatMap((purpose): Rich[] => {
      const exemption = this.model.exemptionOf(purpose);
      if (exemption !== undefined) {
        const reason = exemption.reason === undefined ? '' : ` ${this.t(exemption.reason)}`;
        return [[this.purposeLink(purpose), `: ${this.say('notice.erasureExempt')}${reason}`]];
      }
      return (purpose.erasure?.conditions ?? []).map((condition): Rich => {
        const ends = condition.ends === undefined ? '' : this.t(condition.ends);
        const explanation = this.t(condition.explanation);
        return [
          this.purposeLink(purpose),
          `: ${this.say(condition.effect === 'defer' ? 'notice.erasureDefer' : 'notice.erasureRefuse', {
            explanation,
            ends,
            hasEnds: ends !== '',
          })}`,
        ];
      });
    });
    return items.length === 0 ? [] : [p(this.say('notice.erasureLimits')), list(items)];
  }

  private complaints(): Section {
    const a = this.d.controller.supervisoryAuthority;
    return section(...this.heading('complaints'), [
      p(this.say('notice.complaintsIntro')),
      facts([
        {
          label: this.say('notice.authorityLabels.name'),
          value: `${a.name}, ${countryName(a.country, this.lang)}`,
        },
        { label: this.say('notice.authorityLabels.website'), value: [link(a.website, a.website)] },
        a.email === undefined
          ? undefined
          : { label: this.say('notice.authorityLabels.email'), value: [link(a.email, `mailto:${a.email}`)] },
        a.phone === undefined
          ? undefined
          : { label: this.say('notice.authorityLabels.phone'), value: a.phone },
        a.address === undefined
          ? undefined
          : { label: this.say('notice.authorityLabels.address'), value: formatAddress(a.address, this.lang) },
      ]),
      p(this.say('notice.complaintsInAnswers')),
      p(this.say('notice.complaintsNoNeed')),
    ]);
  }

  private permissionText(c: Communication): string {
    const permission = c.permission;
    const text =
      typeof permission === 'string'
        ? this.say(`notice.permissions.${permission}`)
        : Object.entries(permission)
            .sort(([a], [b]) => Number(a === 'default') - Number(b === 'default'))
            .map(([j, v]) => `${describeJurisdiction(j, this.lang)}: ${this.say(`notice.permissions.${v}`)}`)
            .join('; ');
    const said =
      c.doubleOptIn && c.kind === 'marketing' ? `${text} (${this.say('notice.doubleOptIn')})` : text;
    return c.softOptIn === undefined ? said : `${said}. ${this.softOptInText(c.softOptIn)}`;
  }

  /** Who an opt-out communication may reach without consent (soft opt-in), in words. */
  private softOptInText(soft: NonNullable<Communication['softOptIn']>): string {
    const facts = soft.relationship.map((fact) => {
      if (fact.startsWith('capture:')) {
        const purpose = this.model.purposes.get(fact.slice('capture:'.length));
        return this.say('notice.quoted', { text: purpose === undefined ? fact : this.t(purpose.name) });
      }
      const event = this.d.lifecycleEvents.find((e) => e.id === fact);
      return event === undefined ? fact : this.t(event.name);
    });
    const relationships = new Intl.ListFormat(this.lang, { type: 'disjunction' }).format(facts);
    return [
      this.say('notice.softOptIn', { relationships, within: describeDuration(soft.within, this.lang) }),
      ...(soft.similarProducts === undefined
        ? []
        : [this.say('notice.softOptInOffers', { products: this.t(soft.similarProducts) })]),
    ].join(' ');
  }

  private communications(): Section {
    const comms = this.d.communications;
    if (comms.length === 0)
      return section(...this.heading('communications'), [p(this.say('notice.noCommunications'))]);
    const rows = comms.map((c): Rich[] => {
      const purpose = this.model.purposes.get(c.purpose);
      const name =
        c.description === undefined ? this.t(c.name) : `${this.t(c.name)} — ${this.t(c.description)}`;
      return [
        purpose === undefined ? name : [name, ' (', this.purposeLink(purpose), ')'],
        this.say(`notice.communicationKinds.${c.kind}`),
        this.say(`notice.communicationChannels.${c.channel}`),
        c.sender,
        this.permissionText(c),
        c.frequency === undefined ? this.say('notice.none') : this.t(c.frequency),
      ];
    });
    const marketing = comms.some((c) => c.kind === 'marketing');
    const transactional = comms.some((c) => c.kind === 'transactional');
    return section(...this.heading('communications'), [
      p(this.say('notice.communicationsIntro')),
      table(
        this.say('notice.communicationTable.caption'),
        [
          this.say('notice.communicationTable.message'),
          this.say('notice.communicationTable.kind'),
          this.say('notice.communicationTable.channel'),
          this.say('notice.communicationTable.sender'),
          this.say('notice.communicationTable.permission'),
          this.say('notice.communicationTable.frequency'),
        ],
        rows,
      ),
      ...(marketing ? [p(this.say('notice.unsubscribe')), p(this.say('notice.objectAll'))] : []),
      ...(transactional ? [p(this.say('notice.transactional'))] : []),
    ]);
  }

  private cookies(): Section {
    const { categories, items } = this.d.cookies;
    if (items.length === 0) return section(...this.heading('cookies'), [p(this.say('notice.noCookies'))]);
    const gpc = this.d.gpc.honoured;
    const known = new Set(categories.map((c) => c.id));
    const groups = [
      ...categories.map((c) => ({
        id: c.id,
        category: c as (typeof categories)[number] | undefined,
        name: this.t(c.name),
      })),
      ...[...new Set(items.map((i) => i.category).filter((id) => !known.has(id)))].map((id) => ({
        id,
        category: undefined,
        name: `${this.say('notice.otherCookies')} (${id})`,
      })),
    ];
    const children = groups.flatMap((group) => {
      const cookies = items.filter((i) => i.category === group.id);
      if (cookies.length === 0 && group.category === undefined) return [];
      const c = group.category;
      const status = [
        ...(c === undefined
          ? []
          : [c.required ? this.say('notice.cookieAlwaysOn') : this.say('notice.cookieConsent')]),
        ...(c !== undefined && gpc && c.gpcOptOut && !c.required ? [this.say('notice.cookieGpc')] : []),
      ].join(' ');
      const rows = cookies.map((cookie): Rich[] => {
        const purpose = this.model.purposes.get(cookie.purpose);
        const description = cookie.description === undefined ? [] : [` — ${this.t(cookie.description)}`];
        const country = cookieProviderCountry(this.d, cookie);
        return [
          cookie.name,
          country === undefined ? cookie.provider : `${cookie.provider} (${countryName(country, this.lang)})`,
          cookie.firstParty ? this.say('notice.firstParty') : this.say('notice.thirdParty'),
          [purpose === undefined ? cookie.purpose : this.purposeLink(purpose), ...description],
          cookie.lifetime === 'session'
            ? this.say('notice.session')
            : describeDuration(cookie.lifetime, this.lang),
          this.say(`notice.cookieKinds.${cookie.kind}`),
        ];
      });
      return [
        section(`cookies-${group.id}`, group.name, [
          ...(c === undefined ? [] : [p(this.t(c.description))]),
          ...(status === '' ? [] : [p(status)]),
          ...(rows.length === 0
            ? []
            : [
                table(
                  this.say('notice.cookieTable.caption', { category: group.name }),
                  [
                    this.say('notice.cookieTable.name'),
                    this.say('notice.cookieTable.provider'),
                    this.say('notice.cookieTable.party'),
                    this.say('notice.cookieTable.purpose'),
                    this.say('notice.cookieTable.lifetime'),
                    this.say('notice.cookieTable.kind'),
                  ],
                  rows,
                ),
              ]),
        ]),
      ];
    });
    return section(
      ...this.heading('cookies'),
      [
        p(this.say('notice.cookiesIntro')),
        p(gpc ? this.say('notice.gpcHonoured') : this.say('notice.gpcNotHonoured')),
        ...(this.d.analytics.events.some((e) => e.exempt)
          ? [p(this.say('notice.cookielessMeasurement'))]
          : []),
      ],
      children,
    );
  }

  private children(): Section {
    const c = this.d.children;
    return section(...this.heading('children'), [
      p(this.say('notice.children', { age: c.ageThreshold, knowingly: c.knowinglyCollects })),
    ]);
  }

  private services(): Section | undefined {
    const services = this.d.services;
    if (services.length === 0) return undefined;
    const processor = services.filter((s) => s.role === 'processor');
    // A controller service with its own declaration is covered by that notice (C1.3), not this one.
    const controller = services.filter(
      (s) => s.role === 'controller' && (s.declaration === undefined || s.declaration === this.d.id),
    );
    if (processor.length === 0 && controller.length === 0) return undefined;
    const rows = processor.map((s): Rich[] => {
      const provider = s.provider;
      const name = s.description === undefined ? s.name : `${s.name} — ${this.t(s.description)}`;
      const who =
        provider === undefined || provider.kind === 'customer'
          ? this.say('notice.customerProvider')
          : [
              provider.name ?? this.say('notice.customerProvider'),
              ...(provider.description === undefined ? [] : [this.t(provider.description)]),
            ].join(' — ');
      const contact: Rich =
        provider?.contact !== undefined
          ? [contactValue(/^[^@\s/]+@[^@\s/]+$/.test(provider.contact) ? 'email' : 'web', provider.contact)]
          : s.noticeUrl !== undefined
            ? [link(s.noticeUrl, s.noticeUrl)]
            : this.say('notice.providerNotice');
      return [name, who, contact];
    });
    return section(...this.heading('services'), [
      ...(processor.length === 0
        ? []
        : [
            p(this.say('notice.servicesIntro')),
            table(
              this.say('notice.serviceTable.caption'),
              [
                this.say('notice.serviceTable.service'),
                this.say('notice.serviceTable.controller'),
                this.say('notice.serviceTable.contact'),
              ],
              rows,
            ),
          ]),
      ...(controller.length === 0
        ? []
        : [
            p(
              this.say('notice.controllerServices', {
                names: stop(controller.map((s) => s.name).join(', ')),
              }),
            ),
          ]),
    ]);
  }

  private related(): Section | undefined {
    const related = this.d.relatedDeclarations;
    if (related.length === 0) return undefined;
    const items = related.map((r): Rich => {
      const title = this.t(r.title);
      const covered = this.d.services.filter((s) => s.declaration === r.id).map((s) => s.name);
      return [
        r.url === undefined ? title : link(title, r.url),
        ...(covered.length === 0 ? [] : [` (${this.say('notice.covers')}: ${covered.join(', ')})`]),
      ];
    });
    return section(...this.heading('related'), [p(this.say('notice.relatedIntro')), list(items)]);
  }

  private glossary(): Section {
    const used = basesInUse(this.model);
    const basisTerm = (b: LegalBasis) => `${basisName(b, this.lang)} (${basisArticle(b, this.lang)})`;
    const groups = joinWords(
      this.d.subjectCategories.map((s) => this.t(s.name)),
      this.lang,
    );
    return section(...this.heading('glossary'), [
      p(this.say('notice.glossaryIntro')),
      facts([
        {
          label: this.say('notice.terms.personalData.term'),
          value: this.say('notice.terms.personalData.definition'),
        },
        {
          label: this.say('notice.terms.processing.term'),
          value: this.say('notice.terms.processing.definition'),
        },
        {
          label: this.say('notice.terms.dataSubject.term'),
          value: this.say('notice.terms.dataSubject.definition', { groups: stop(groups) }),
        },
        {
          label: this.say('notice.terms.controller.term'),
          value: this.say('notice.terms.controller.definition', { name: stop(this.d.controller.name) }),
        },
        {
          label: this.say('notice.terms.processor.term'),
          value: this.say('notice.terms.processor.definition'),
        },
        { label: this.say('notice.terms.purpose.term'), value: this.say('notice.terms.purpose.definition') },
        {
          label: this.say('notice.terms.legalBasis.term'),
          value: this.say('notice.terms.legalBasis.definition', {
            bases: stop(
              joinWords(
                used.map((b) => describeBasis(b, this.lang)),
                this.lang,
              ),
            ),
          }),
        },
        ...used.map((b) => ({ label: basisTerm(b), value: this.say(`notice.basisDefinitions.${b}`) })),
        {
          label: this.say('notice.terms.legitimateInterest.term'),
          value: this.say('notice.terms.legitimateInterest.definition'),
        },
        { label: this.say('notice.terms.consent.term'), value: this.say('notice.terms.consent.definition') },
        {
          label: this.say('notice.terms.recipient.term'),
          value: this.say('notice.terms.recipient.definition'),
        },
        {
          label: this.say('notice.terms.transfer.term'),
          value: this.say('notice.terms.transfer.definition'),
        },
        {
          label: this.say('notice.terms.authority.term'),
          value: this.say('notice.terms.authority.definition', {
            name: stop(this.d.controller.supervisoryAuthority.name),
          }),
        },
      ]),
    ]);
  }

  private version(info: NoticeVersionInfo): Section {
    return section(...this.heading('version'), [
      facts([
        { label: this.say('notice.versionLabels.version'), value: info.version },
        { label: this.say('notice.versionLabels.effective'), value: info.effectiveDate },
        info.contentHash === undefined
          ? undefined
          : { label: this.say('notice.versionLabels.hash'), value: info.contentHash },
        info.archiveUrl === undefined
          ? undefined
          : {
              label: this.say('notice.versionLabels.archive'),
              value: [link(this.say('notice.archiveLink'), info.archiveUrl)],
            },
      ]),
      p(this.say('notice.versionChanges')),
    ]);
  }
}

/**
 * The notice's document tree in `lang`. With `fallbackFrom`, the language the reader asked for
 * and did not get: the notice then says so at its top.
 *
 * @throws MessageError (`i18n.no_catalog`) when Steward ships no catalog for `lang`.
 */
export function buildNotice(
  model: PolicyModel,
  lang: string,
  options: { versionInfo?: NoticeVersionInfo; privacyCentreUrl?: string; fallbackFrom?: string } = {},
): NoticeDocument {
  const doc = new NoticeBuilder(model, lang, options.privacyCentreUrl).build(options.versionInfo);
  if (options.fallbackFrom === undefined) return doc;
  const names = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' });
  const fallback = messagesFor(model.declaration, lang).format('notice.fallback', {
    requested: names.of(options.fallbackFrom) ?? options.fallbackFrom,
    shown: names.of(lang) ?? lang,
  });
  return { ...doc, fallback };
}
