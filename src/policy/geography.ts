/**
 * Where personal data may flow without extra safeguards under the GDPR: the EEA, and countries
 * with an adequacy decision of the European Commission. The United States is deliberately
 * absent: its decision covers only organisations certified under the Data Privacy Framework,
 * which a declaration states with the `dpf` transfer mechanism.
 */
export const eeaCountries: ReadonlySet<string> = new Set([
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
  'IS',
  'LI',
  'NO',
]);

export const adequateCountries: ReadonlySet<string> = new Set([
  'AD',
  'AR',
  'CA',
  'FO',
  'GG',
  'IL',
  'IM',
  'JP',
  'JE',
  'NZ',
  'KR',
  'CH',
  'GB',
  'UY',
]);

/** True when a transfer to `country` needs a mechanism such as SCCs. */
export function needsTransferMechanism(country: string): boolean {
  return !eeaCountries.has(country) && !adequateCountries.has(country);
}
