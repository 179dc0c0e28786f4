/**
 * Minimisation rules of a declaration (`minimisation:`): what capture keeps of a field of record
 * data. A small closed set, each fitting some categories only:
 * - `truncate_ip`: the network only (/24 for IPv4, /48 for IPv6), for IP addresses;
 * - `year_only`, `year_month`: a date reduced to its year or year and month, for ages and dates
 *   of birth;
 * - `prefix: n`: the first n characters, spaces not counted (a postcode's first digits);
 * - `max_length: n`: a text cut to n characters.
 * A rule that does not fit its category (year_only on an email) is a lint error of its own code.
 */
import { finestCategoryOfDataField, normaliseFieldName } from '../capture/field-categories.js';
import type { LintCode } from './lint.js';
import type { PolicyModel } from './model.js';
import type { Messages } from '../i18n/messages.js';
import type { Declaration, MinimisationRule, Purpose } from './schema.js';
import { categoryCovers } from './taxonomy.js';

type PathPart = string | number;
type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

/** `truncate_ip`, `year_only`, `year_month`, `prefix:3`, `max_length:2000`: as receipts name it. */
export function ruleLabel(rule: MinimisationRule['rule']): string {
  if (typeof rule === 'string') return rule;
  return 'prefix' in rule ? `prefix:${rule.prefix}` : `max_length:${rule.max_length}`;
}

/** A rule in words, for the notice and the record: "IP address: shortened before it is stored…". */
export function describeMinimisation(rule: MinimisationRule['rule'], category: string, m: Messages): string {
  if (typeof rule === 'string') return m.format(`notice.minimisation.${rule}`, { category });
  return 'prefix' in rule
    ? m.format('notice.minimisation.prefix', { category, count: rule.prefix })
    : m.format('notice.minimisation.max_length', { category, count: rule.max_length });
}

/** The rules that reduce a purpose's data: scoped to it (or to none), on a category it uses. */
export function rulesForPurpose(d: Declaration, purpose: Purpose): MinimisationRule[] {
  return (d.minimisation ?? []).filter(
    (m) =>
      (m.purposes === undefined || m.purposes.includes(purpose.id)) &&
      purpose.categories.some((c) => categoryCovers(c, m.category) || categoryCovers(m.category, c)),
  );
}

type Kind = 'ip' | 'date' | 'email' | 'other';

/** What a category holds, by its key or (for a declared category) its DPV term. */
function kindOf(model: PolicyModel, key: string): Kind {
  const dpv = model.categories.get(key)?.dpv;
  if (categoryCovers('user.device.ip_address', key) || dpv === 'pd:IPAddress') return 'ip';
  if (categoryCovers('user.demographic.age', key) || dpv === 'pd:Age' || dpv === 'pd:DateOfBirth')
    return 'date';
  if (categoryCovers('user.contact.email', key) || dpv === 'pd:EmailAddress') return 'email';
  return 'other';
}

/** The kinds of category each rule fits: a cut e-mail address or IP address is wrong, not less, data. */
const fits: Readonly<Record<string, readonly Kind[]>> = {
  truncate_ip: ['ip'],
  year_only: ['date'],
  year_month: ['date'],
  prefix: ['other'],
  max_length: ['other'],
};
const ruleName = (rule: MinimisationRule['rule']) =>
  typeof rule === 'string' ? rule : Object.keys(rule)[0]!;

/** The rules that apply to a record for these purposes: a rule scoped to purposes, only if it covers them all. */
export function rulesForRecord(d: Declaration, purposes: readonly string[]): MinimisationRule[] {
  return (d.minimisation ?? []).filter(
    (m) =>
      m.purposes === undefined || (purposes.length > 0 && purposes.every((p) => m.purposes?.includes(p))),
  );
}

/** Whether a rule applies to a field of record data (by its name, or the rule's `fields`). */
export function ruleAppliesTo(rule: MinimisationRule, field: string): boolean {
  if (rule.fields !== undefined)
    return rule.fields.some((f) => normaliseFieldName(f) === normaliseFieldName(field));
  const category = finestCategoryOfDataField(field);
  return category !== undefined && categoryCovers(rule.category, category);
}

export function checkMinimisation(d: Declaration, model: PolicyModel, error: Report): void {
  (d.minimisation ?? []).forEach((m, i) => {
    if (!model.hasCategory(m.category)) {
      error(
        'ref.undeclared',
        ['minimisation', i, 'category'],
        `minimisation rule ${i + 1} names data category "${m.category}", which is not in the taxonomy`,
        'Name a category of the taxonomy or of dataCategories.',
      );
      return;
    }
    (m.purposes ?? []).forEach((id, j) => {
      if (!model.purposes.has(id))
        error(
          'ref.undeclared',
          ['minimisation', i, 'purposes', j],
          `minimisation rule ${i + 1} names purpose "${id}", which is not declared`,
          `Name one of the declared purposes: ${[...model.purposes.keys()].join(', ')}.`,
        );
    });
    const name = ruleName(m.rule);
    const kind = kindOf(model, m.category);
    if (!(fits[name] ?? []).includes(kind)) {
      const fitting = Object.entries(fits)
        .filter(([, kinds]) => kinds.includes(kind))
        .map(([rule]) => rule);
      error(
        'minimisation.rule_unfit',
        ['minimisation', i, 'rule'],
        `${name} does not fit data category "${m.category}"`,
        fitting.length > 0
          ? `For this category use ${fitting.join(' or ')}.`
          : 'No rule fits this category: an e-mail address cannot be reduced and stay useful; leave it out or do not collect it.',
      );
    }
    (m.fields ?? []).forEach((field, j) => {
      const held = finestCategoryOfDataField(field);
      if (held !== undefined && !categoryCovers(m.category, held) && !categoryCovers(held, m.category))
        error(
          'minimisation.field_mismatch',
          ['minimisation', i, 'fields', j],
          `field "${field}" holds ${held}, not ${m.category}`,
          `Name the rule's category ${held}, or list only fields of ${m.category}.`,
        );
    });
  });
}
