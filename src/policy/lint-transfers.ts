/**
 * Lint rules of transfers outside the EEA (C6.1), over the normalised mechanisms of transfers.ts:
 * every recipient and every cookie provider in a country without adequacy has a mechanism valid
 * there; each declared mechanism, the first and every fallback, is valid for the countries it
 * covers; and none is listed twice.
 */
import { eeaCountries, needsTransferMechanism } from './geography.js';
import type { LintCode } from './lint.js';
import type { Declaration, Transfer } from './schema.js';
import type { TransferBasis } from './transfers.js';
import {
  basesValidFor,
  cookieProviderCountry,
  cookieThirdCountry,
  cookieTransferBases,
  mechanismValidFor,
  transferBases,
} from './transfers.js';

type PathPart = string | number;
type Report = (code: LintCode, pathParts: PathPart[], message: string, hint: string) => void;

/** The checks of one declared transfer (a recipient's or a cookie's) for the countries it covers. */
function checkTransfer(
  what: string,
  transfer: Transfer | undefined,
  countries: readonly string[],
  at: PathPart[],
  error: Report,
): void {
  const bases = transferBases(transfer);
  const seen = new Set<string>();
  bases.forEach((b, j) => {
    const path = j === 0 ? [...at, 'transfer', 'mechanism'] : [...at, 'transfer', 'fallbacks', j - 1];
    if (seen.has(b.mechanism))
      error(
        'transfer.mechanism_duplicate',
        path,
        `${what} lists mechanism ${b.mechanism} twice`,
        'Remove the repeated entry; a fallback is a different mechanism (scc behind dpf, for example).',
      );
    seen.add(b.mechanism);
    const invalid = countries.filter((c) => !mechanismValidFor(b.mechanism, c));
    if (invalid.length === 0) return;
    if (b.role === 'fallback')
      error(
        'transfer.fallback_invalid',
        path,
        `${what} falls back on ${b.mechanism}, which cannot carry a transfer to ${invalid.join(', ')}`,
        fixFor(b.mechanism),
      );
    else if (b.mechanism === 'dpf')
      error(
        'transfer.dpf_outside_us',
        path,
        `${what} uses the Data Privacy Framework for ${invalid.join(', ')}, not only the US`,
        'Use SCCs or BCRs for the other countries.',
      );
    else
      error(
        'transfer.adequacy_without_decision',
        path,
        `${what} relies on an adequacy decision, but ${invalid.join(', ')} has none`,
        fixFor(b.mechanism),
      );
  });
}

function fixFor(mechanism: TransferBasis['mechanism']): string {
  return mechanism === 'dpf'
    ? 'The Data Privacy Framework covers only certified organisations in the US: use scc or bcr there.'
    : 'Only the EEA and countries with an adequacy decision need none: use scc, bcr, or dpf for a certified US organisation.';
}

export function checkTransfers(d: Declaration, error: Report): void {
  d.recipients.forEach((r, i) => {
    const outside = r.countries.filter(needsTransferMechanism);
    if (outside.length > 0 && r.transfer === undefined)
      error(
        'transfer.no_mechanism',
        ['recipients', i, 'countries'],
        `recipient "${r.id}" receives data in ${outside.join(', ')} without an adequacy decision or a transfer mechanism`,
        'Add transfer: { mechanism: scc | bcr | dpf | derogation_..., fallbacks: [...] }.',
      );
    checkTransfer(`recipient "${r.id}"`, r.transfer, r.countries, ['recipients', i], error);
  });

  const recipients = d.recipients.map((r) => r.id);
  d.cookies.items.forEach((c, i) => {
    const at = ['cookies', 'items', i];
    const country = cookieProviderCountry(d, c);
    if (c.recipient !== undefined && !recipients.includes(c.recipient))
      error(
        'ref.undeclared',
        [...at, 'recipient'],
        `cookie "${c.name}" names recipient "${c.recipient}", which is not declared`,
        `Use one of: ${recipients.join(', ') || 'none declared'}.`,
      );
    if (country !== undefined && c.thirdCountry !== undefined && c.thirdCountry === eeaCountries.has(country))
      error(
        'cookie.third_country_mismatch',
        [...at, 'thirdCountry'],
        `cookie "${c.name}" says thirdCountry: ${c.thirdCountry}, but its provider is in ${country}${c.providerCountry === undefined ? ' (the controller’s country, as a first-party cookie)' : ''}`,
        'Remove thirdCountry (it follows from providerCountry) or correct providerCountry.',
      );
    checkTransfer(`cookie "${c.name}"`, c.transfer, country === undefined ? [] : [country], at, error);
    const needs = country === undefined ? cookieThirdCountry(d, c) : needsTransferMechanism(country);
    const bases = cookieTransferBases(d, c);
    const valid = country === undefined ? bases : basesValidFor(bases, country);
    if (needs && valid.length === 0)
      error(
        'coherence.cookie_third_country_no_mechanism',
        [...at, country === undefined ? 'thirdCountry' : 'providerCountry'],
        `cookie "${c.name}" sends data to ${c.provider} in ${country ?? 'a third country'}, without an adequacy decision${bases.length > 0 ? ' or a mechanism valid there' : ' or a transfer mechanism'}`,
        `Add transfer: { mechanism: scc | bcr | dpf } to the cookie, or recipient: <id> naming the declared recipient whose transfer covers it (${recipients.join(', ') || 'none declared'}).`,
      );
  });
}

/** Whether a recipient has a mechanism that can carry data to `country` (no mechanism needed counts). */
export function carriesTransferTo(bases: readonly TransferBasis[], country: string): boolean {
  return !needsTransferMechanism(country) || basesValidFor(bases, country).length > 0;
}
