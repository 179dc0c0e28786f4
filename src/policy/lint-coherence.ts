/**
 * Rules that catch a declaration which is valid in form but says incompatible things: consent as
 * the basis of something the person must provide, marketing on a contract, custom categories or
 * retention rules nothing uses, and a declared language that some text is missing. Each has its
 * own code; a hint that suggests a fix names the valid choices.
 */
import { basisEntries } from './describe.js';
import { eeaCountries } from './geography.js';
import type { LintCode } from './lint.js';
import { ruleIdsOf } from './lifecycle.js';
import type { Declaration, LegalBasis } from './schema.js';
import { categoryCovers } from './taxonomy.js';

type PathPart = string | number;
type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

/** The bases a purpose could rest on instead of consent, given why the person must provide the data. */
const requiredBases: Readonly<Record<string, readonly LegalBasis[]>> = {
  statutory: ['legal_obligation'],
  contractual: ['contract'],
  contract_prerequisite: ['contract'],
};

export function checkCoherence(d: Declaration, error: Report, warn: Report): void {
  d.purposes.forEach((p, i) => {
    const bases = basisEntries(p);
    // Consent must be free to refuse (Art. 7(4)): not the basis of data the law or a contract
    // makes the person provide.
    const required = p.statutoryObligation !== undefined ? 'statutory' : p.requirement;
    const instead = required === undefined ? undefined : requiredBases[required];
    for (const entry of bases)
      if (entry.basis === 'consent' && instead !== undefined)
        error(
          'coherence.consent_for_required',
          ['purposes', i, 'legalBasis'],
          `purpose "${p.id}" rests on consent${entry.jurisdiction === 'default' ? '' : ` in ${entry.jurisdiction}`}, but the person must provide its data (${p.statutoryObligation === undefined ? `requirement: ${required}` : `statutory obligation: ${p.statutoryObligation}`}); consent that cannot be refused is not consent`,
          `Base it on ${instead.join(' or ')}, or set requirement: none if the person may refuse.`,
        );
  });

  d.communications.forEach((c, i) => {
    if (c.kind !== 'marketing') return;
    const purpose = d.purposes.find((p) => p.id === c.purpose);
    if (purpose === undefined) return;
    for (const entry of basisEntries(purpose))
      if (entry.basis === 'contract')
        error(
          'coherence.marketing_on_contract',
          ['communications', i, 'purpose'],
          `marketing communication "${c.id}" serves purpose "${purpose.id}", which rests on contract${entry.jurisdiction === 'default' ? '' : ` in ${entry.jurisdiction}`}: marketing is not needed to perform a contract`,
          `Serve it from a purpose on consent or legitimate_interests (${marketingPurposes(d).join(', ') || 'none declared yet'}), or make the communication transactional.`,
        );
  });

  // ePrivacy Directive Art. 13: email and SMS marketing to natural persons needs prior consent
  // everywhere in the EEA, except to customers under a soft opt-in. `default` counts as the EEA
  // too: it covers every EEA country the permission does not name.
  d.communications.forEach((c, i) => {
    const audience = c.audience ?? d.audience;
    if (c.kind !== 'marketing' || (c.channel !== 'email' && c.channel !== 'sms')) return;
    if (audience === 'businesses' || c.softOptIn !== undefined) return;
    const entries = typeof c.permission === 'string' ? { default: c.permission } : c.permission;
    const optOut = Object.entries(entries)
      .filter(
        ([j, p]) => p === 'opt_out' && (j === 'default' || j === 'EEA' || eeaCountries.has(j.slice(0, 2))),
      )
      .map(([j]) => j);
    if (optOut.length > 0)
      error(
        'coherence.opt_out_without_soft_opt_in',
        ['communications', i, 'permission'],
        `${c.channel} marketing "${c.id}" reaches consumers (audience: ${audience}) on opt_out in ${optOut.join(', ')}, where the ePrivacy rules require opt-in except under a soft opt-in`,
        `Add softOptIn: { relationship: [capture:<purpose> or an event: ${[...d.purposes.map((p) => `capture:${p.id}`), ...d.lifecycleEvents.map((e) => e.id)].join(', ')}], within: P24M, objectionOfferedAt: [${d.collectionPoints.map((p) => p.id).join(', ') || '<collection point>'}] }, use opt_in there, or set audience: businesses if it goes to business contacts only.`,
      );
  });

  // Custom categories no purpose, source or recipient uses.
  const used = [
    ...d.purposes.flatMap((p) => [...p.categories, ...Object.keys(p.retention?.categories ?? {})]),
    ...d.sources.flatMap((s) => s.categories ?? []),
    ...d.recipients.flatMap((r) => r.categories ?? []),
  ];
  d.dataCategories.forEach((c, i) => {
    if (!used.some((u) => categoryCovers(u, c.key) || categoryCovers(c.key, u)))
      warn(
        'category.unused',
        ['dataCategories', i, 'key'],
        `data category "${c.key}" is declared but no purpose, source or recipient uses it`,
        `Name it in the categories of the purpose that processes it (${d.purposes.map((p) => p.id).join(', ')}), or remove it.`,
      );
  });

  // Retention rules nothing applies. Datasets of connected systems name rules too, so this is a
  // warning: lint of the datasets (`steward systems lint`) sees those.
  const referenced = new Set(d.purposes.flatMap((p) => [...ruleIdsOf(p)]));
  d.retention.forEach((r, i) => {
    if (!referenced.has(r.id))
      warn(
        'retention.rule_unused',
        ['retention', i, 'id'],
        `retention rule "${r.id}" is not the rule of any purpose or category`,
        `Name it in a purpose's retention (default or categories), or remove it; purposes: ${d.purposes.map((p) => p.id).join(', ')}.`,
      );
  });

  // Every text given per language has every declared language.
  const languages = d.languages;
  const walk = (value: unknown, path: PathPart[]): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries = Object.entries(value);
    const localised =
      entries.length > 0 &&
      entries.every(([k, v]) => /^[a-z]{2}(-[A-Z]{2})?$/.test(k) && typeof v === 'string');
    // An erasure condition's explanation has its own rule (erasure.condition_explanation_missing).
    if (localised && path.at(-1) === 'explanation' && path.includes('conditions')) return;
    if (localised) {
      const missing = languages.filter((l) => !(l in value));
      if (missing.length > 0)
        error(
          'language.text_missing',
          path,
          `this text has no ${missing.join(', ')} version, though the declaration offers ${languages.join(', ')}`,
          `Add ${missing.map((l) => `${l}: …`).join(', ')} beside ${Object.keys(value).join(', ')}.`,
        );
      return;
    }
    for (const [k, v] of entries) walk(v, [...path, k]);
  };
  walk(d, []);
}

function marketingPurposes(d: Declaration): string[] {
  return d.purposes
    .filter((p) => basisEntries(p).some((e) => e.basis === 'consent' || e.basis === 'legitimate_interests'))
    .filter((p) => p.directMarketing === true)
    .map((p) => p.id);
}
