import { eeaCountries } from './geography.js';
import type { Declaration, ErasureGround, LegalBasis, LocalText, Purpose, RetentionRule } from './schema.js';
import { categoryCovers, defaultTaxonomy } from './taxonomy.js';

export interface CategoryInfo {
  readonly key: string;
  readonly name: string | Record<string, string>;
  readonly dpv: string;
  readonly special: boolean;
}

/**
 * A validated declaration with the look-ups every feature needs. Build it once per loaded
 * version; it is immutable.
 */
export class PolicyModel {
  readonly purposes: ReadonlyMap<string, Purpose>;
  readonly categories: ReadonlyMap<string, CategoryInfo>;
  readonly retentionRules: ReadonlyMap<string, RetentionRule>;

  constructor(readonly declaration: Declaration) {
    this.purposes = new Map(declaration.purposes.map((p) => [p.id, p]));
    this.retentionRules = new Map(declaration.retention.map((r) => [r.id, r]));
    const categories = new Map<string, CategoryInfo>();
    for (const entry of defaultTaxonomy)
      categories.set(entry.key, { ...entry, special: entry.special ?? false });
    for (const entry of declaration.dataCategories) {
      categories.set(entry.key, { ...entry, special: entry.special ?? false });
    }
    this.categories = categories;
  }

  get id(): string {
    return this.declaration.id;
  }

  /** The legal basis of a purpose in a jurisdiction (`SE`, `US-CA`), or undefined if none applies. */
  basisFor(purpose: Purpose, jurisdiction = 'default'): LegalBasis | undefined {
    return resolveByJurisdiction(purpose.legalBasis, jurisdiction);
  }

  /** Every legal basis a purpose uses in any jurisdiction. */
  basesOf(purpose: Purpose): LegalBasis[] {
    const basis = purpose.legalBasis;
    if (basis === undefined) return [];
    return typeof basis === 'string' ? [basis] : [...new Set(Object.values(basis))];
  }

  /** The retention rule for one category of a purpose: the most specific listed key wins. */
  retentionFor(purpose: Purpose, categoryKey: string): RetentionRule | undefined {
    const listed = Object.entries(purpose.retention?.categories ?? {})
      .filter(([key]) => categoryCovers(key, categoryKey))
      .sort(([a], [b]) => b.length - a.length)[0];
    const ruleId = listed?.[1] ?? purpose.retention?.default;
    return ruleId === undefined ? undefined : this.retentionRules.get(ruleId);
  }

  /**
   * Whether a purpose's data stays despite an erasure request (Art. 17(3)), and on which ground:
   * the exemption the purpose states, or, for one on a legal obligation (in the jurisdiction) that
   * states none, that obligation (lint warns: `erasure.obligation_not_exempt`). Undefined: erased.
   */
  exemptionOf(purpose: Purpose, jurisdiction = 'default'): Exemption | undefined {
    const stated = purpose.erasure?.exempt;
    const obligation = this.basisFor(purpose, jurisdiction) === 'legal_obligation';
    if (stated !== undefined)
      return {
        stated: true,
        ...(stated.ground !== undefined
          ? { ground: stated.ground }
          : obligation
            ? { ground: 'legal_obligation' as const }
            : {}),
        ...(stated.reason === undefined ? {} : { reason: stated.reason }),
      };
    return obligation ? { stated: false, ground: 'legal_obligation' } : undefined;
  }

  /** True when the key is in the taxonomy (default or declared). */
  hasCategory(key: string): boolean {
    return this.categories.has(key);
  }
}

/** A purpose's Art. 17(3) exemption from erasure (`PolicyModel.exemptionOf`). */
export interface Exemption {
  /** False when inferred from a legal-obligation basis the declaration states no exemption for. */
  readonly stated: boolean;
  readonly ground?: ErasureGround;
  readonly reason?: LocalText;
}

/** Resolves a per-jurisdiction value: exact code, then country, then EEA, then `default`. */
export function resolveByJurisdiction<T extends string>(
  value: T | Record<string, T> | undefined,
  jurisdiction: string,
): T | undefined {
  if (value === undefined || typeof value === 'string') return value;
  const country = jurisdiction.slice(0, 2);
  return (
    value[jurisdiction] ??
    value[country] ??
    (eeaCountries.has(country) ? value['EEA'] : undefined) ??
    value['default']
  );
}

/** The DPV purpose of handling rights requests: its rule keeps what requests leave behind. */
export const RIGHTS_FULFILMENT_DPV = 'dpv:RightsFulfilment';

/** The purpose that handles rights requests, if the declaration has one. */
export function rightsHandlingPurpose(d: Pick<Declaration, 'purposes'>): Purpose | undefined {
  return d.purposes.find((p) => p.dpv === RIGHTS_FULFILMENT_DPV);
}
