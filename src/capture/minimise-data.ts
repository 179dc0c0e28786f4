/**
 * Applies the declaration's minimisation rules (src/policy/minimisation.ts) to a record's data
 * before it is sealed, so the full value is only ever in memory: the stored record holds the
 * reduced one. A value a rule cannot reduce (an IP rule on something that is not an address) is
 * refused rather than stored whole. Fields are matched by name at any depth; a field's value that
 * is an object or list is reduced in each of its texts.
 */
import type { ErrorDetail } from '../errors.js';
import { AppError } from '../errors.js';
import { ruleAppliesTo, ruleLabel } from '../policy/minimisation.js';
import type { MinimisationRule } from '../policy/schema.js';
import { truncateIp } from '../web/minimise.js';

export interface MinimisedField {
  /** Path of the field in the record data, such as `ip` or `customer.postcode`. */
  readonly field: string;
  /** The rule as the declaration names it: `truncate_ip`, `prefix:3`... */
  readonly rule: string;
}

const DATE = /^(\d{4})-(\d{2})(-\d{2}([T ].*)?)?$/;

/** The value reduced by one rule; undefined when the rule cannot reduce it. */
function reduce(rule: MinimisationRule['rule'], value: unknown): unknown {
  if (value === null || typeof value === 'boolean') return value;
  if (rule === 'truncate_ip') {
    if (typeof value !== 'string') return undefined;
    const [address, bits] = value.trim().split('/');
    const network = truncateIp(address ?? '');
    if (network === undefined) return undefined;
    const wider = bits !== undefined && /^\d+$/.test(bits) && Number(bits) < Number(network.split('/')[1]);
    return wider ? value.trim() : network;
  }
  if (rule === 'year_only' || rule === 'year_month') {
    // A whole number (an age, a year) is already no finer than a year.
    if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
    if (typeof value !== 'string') return undefined;
    if (/^\d{1,4}$/.test(value.trim())) return value.trim();
    const match = DATE.exec(value.trim());
    if (match === null) return undefined;
    return rule === 'year_only' ? match[1] : `${match[1]}-${match[2]}`;
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  if ('prefix' in rule) return Array.from(text.replace(/\s+/g, '')).slice(0, rule.prefix).join('');
  const chars = Array.from(text);
  return chars.length > rule.max_length ? chars.slice(0, rule.max_length).join('') : text;
}

/** Every text inside a value reduced; undefined when some part cannot be. */
function reduceDeep(rule: MinimisationRule['rule'], value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map((v) => reduceDeep(rule, v));
    return items.includes(undefined) ? undefined : items;
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const reduced = reduceDeep(rule, v);
      if (reduced === undefined) return undefined;
      out[k] = reduced;
    }
    return out;
  }
  return reduce(rule, value);
}

/**
 * The data with every rule applied, and the fields whose value changed. Throws
 * `validation_failed` naming each field a rule cannot reduce.
 */
export function minimiseData(
  rules: readonly MinimisationRule[],
  data: Readonly<Record<string, unknown>>,
): { data: Record<string, unknown>; minimised: MinimisedField[] } {
  const minimised: MinimisedField[] = [];
  const problems: ErrorDetail[] = [];
  const walk = (object: Readonly<Record<string, unknown>>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, original] of Object.entries(object)) {
      const path = prefix === '' ? name : `${prefix}.${name}`;
      const applying = rules.filter((r) => ruleAppliesTo(r, name));
      let value = original;
      for (const r of applying) {
        const reduced = reduceDeep(r.rule, value);
        if (reduced === undefined) {
          problems.push({
            path: `data.${path}`,
            message: `cannot be reduced by the declaration's ${ruleLabel(r.rule)} rule for ${r.category}, so it is not stored`,
          });
          break;
        }
        if (JSON.stringify(reduced) !== JSON.stringify(value))
          minimised.push({ field: path, rule: ruleLabel(r.rule) });
        value = reduced;
      }
      out[name] =
        applying.length === 0 && typeof value === 'object' && value !== null && !Array.isArray(value)
          ? walk(value as Record<string, unknown>, path)
          : value;
    }
    return out;
  };
  const reduced = rules.length === 0 ? { ...data } : walk(data, '');
  if (problems.length > 0)
    throw new AppError(
      'validation_failed',
      `The declaration reduces ${problems.map((p) => p.path).join(', ')} before storing, and ${problems.length > 1 ? 'these values' : 'this value'} cannot be reduced: nothing was stored.`,
      problems,
    );
  return { data: reduced, minimised };
}
