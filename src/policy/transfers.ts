/**
 * Transfers outside the EEA in one shape: a recipient's (or a cookie provider's) mechanisms in
 * order, the first and then its fallbacks, and which of them is valid for a country. Lint, the
 * record of processing and a system's hosting all read this, never `transfer` directly.
 */
import { eeaCountries, needsTransferMechanism } from './geography.js';
import type { Cookie, Declaration, Transfer, transferMechanisms } from './schema.js';

export type TransferMechanismCode = (typeof transferMechanisms)[number];

/** One mechanism of a transfer: `primary` for the first, `fallback` for those behind it. */
export interface TransferBasis {
  readonly mechanism: TransferMechanismCode;
  readonly role: 'primary' | 'fallback';
  readonly reference?: string;
  readonly safeguardsUrl?: string;
}

/** A declared transfer as its mechanisms in order (none when nothing is declared). */
export function transferBases(transfer: Transfer | undefined): TransferBasis[] {
  if (transfer === undefined) return [];
  const { fallbacks = [], ...primary } = transfer;
  return [
    { ...primary, role: 'primary' as const },
    ...fallbacks.map((f) => ({ ...f, role: 'fallback' as const })),
  ];
}

/**
 * Whether a mechanism can carry a transfer to a country that needs one: the Data Privacy
 * Framework covers only the United States, and `adequacy` only a country with a decision.
 */
export function mechanismValidFor(mechanism: TransferMechanismCode, country: string): boolean {
  if (!needsTransferMechanism(country)) return true;
  if (mechanism === 'dpf') return country === 'US';
  return mechanism !== 'adequacy';
}

/** Of `bases`, the ones that can carry a transfer to `country`. */
export function basesValidFor(bases: readonly TransferBasis[], country: string): TransferBasis[] {
  return bases.filter((b) => mechanismValidFor(b.mechanism, country));
}

/** Where a cookie's provider receives its data, if the declaration says or it is first-party. */
export function cookieProviderCountry(d: Declaration, cookie: Cookie): string | undefined {
  return cookie.providerCountry ?? (cookie.firstParty ? d.controller.establishment.country : undefined);
}

/** Whether a cookie's provider receives its data outside the EEA (declared, or from its country). */
export function cookieThirdCountry(d: Declaration, cookie: Cookie): boolean {
  const country = cookieProviderCountry(d, cookie);
  return country === undefined ? (cookie.thirdCountry ?? false) : !eeaCountries.has(country);
}

/** A cookie's transfer mechanisms: its own, else those of the recipient it names. */
export function cookieTransferBases(d: Declaration, cookie: Cookie): TransferBasis[] {
  if (cookie.transfer !== undefined) return transferBases(cookie.transfer);
  return transferBases(d.recipients.find((r) => r.id === cookie.recipient)?.transfer);
}
