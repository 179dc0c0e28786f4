/**
 * Value detectors for discovery: each answers whether one sampled value has the shape of a kind
 * of personal data. They are pure and never keep, log or return the value; the classifier only
 * counts how many of a column's sampled values each detector accepts.
 */
import { isIP } from 'node:net';
import { givenNames } from './given-names.js';

/** An email address as people write them: one `@`, a dotted domain, a letter top-level domain. */
export function isEmail(value: string): boolean {
  const v = value.trim();
  if (v.length < 6 || v.length > 254) return false;
  return /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}$/.test(
    v,
  );
}

/** How a phone number was written: `strong` shapes (a `+`, `00`, grouped digits) tell it from an id. */
export type PhoneShape = 'strong' | 'digits' | false;

const looksLikeDate = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;
const looksLikeDecimal = /^-?\d+[.,]\d{1,2}$/;

/**
 * A phone number in E.164 (`+46701234567`), with an international prefix (`0046 …`), in a
 * national format with a trunk 0 (`070-123 45 67`, `030 1234567`), or the North American
 * `(555) 123-4567`. Other digits alone, without a leading 0 or +, are not taken as a phone (an id).
 * Returns `digits` for a bare digit string with a trunk 0, or an E.164 number without its `+`
 * (`isMsisdn`), which need a column name to back them.
 */
export function phoneShape(value: string): PhoneShape {
  const v = value.trim();
  if (v.length < 7 || v.length > 24) return false;
  if (!/^\+?[\d\s().-]+$/.test(v) || v.indexOf('+') > 0) return false;
  if (looksLikeDate.test(v) || looksLikeDecimal.test(v)) return false;
  const digits = v.replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return false;
  const grouped = /[\s().-]/.test(v);
  if (v.startsWith('+')) return digits[0] !== '0' && digits.length >= 8 ? 'strong' : false;
  if (/^\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}$/.test(v)) return 'strong';
  if (/^00[1-9]/.test(digits) && digits.length >= 10) return grouped ? 'strong' : 'digits';
  if (/^0[1-9]/.test(digits) && digits.length >= 8 && digits.length <= 12)
    return grouped ? 'strong' : 'digits';
  // An MSISDN stored without its `+` (`46701234567`): a country's code and number length.
  if (!grouped && isMsisdn(digits)) return 'digits';
  return false;
}

/** Lengths of IBANs by country (the SWIFT registry; EEA, UK, Switzerland and common others). */
// prettier-ignore
const ibanLengths: Readonly<Record<string, number>> = {
  AD: 24, AT: 20, BE: 16, BG: 22, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18,
  FO: 18, FR: 27, GB: 22, GI: 23, GL: 18, GR: 27, HR: 21, HU: 28, IE: 22, IS: 26, IT: 27, LI: 21,
  LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PL: 28, PT: 25, RO: 24, SE: 24, SI: 19,
  SK: 24, SM: 27, TR: 26, VA: 22, AE: 23, SA: 24, IL: 23, UA: 29,
};

/** The ISO 7064 mod-97 remainder of an IBAN (1 when its check digits are right). */
export function ibanRemainder(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const n = code >= 65 ? code - 55 : code - 48;
    remainder = n >= 10 ? (remainder * 100 + n) % 97 : (remainder * 10 + n) % 97;
  }
  return remainder;
}

/** An IBAN with its country's length and valid mod-97 check digits (spaces allowed). */
export function isIban(value: string): boolean {
  const v = value.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return false;
  const length = ibanLengths[v.slice(0, 2)];
  if (length !== undefined && v.length !== length) return false;
  return ibanRemainder(v) === 1;
}

/** The Luhn (mod 10) check over a string of digits. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Card networks by number prefix, with the lengths each issues. */
const cardNetworks: readonly { readonly prefix: RegExp; readonly lengths: readonly number[] }[] = [
  { prefix: /^4/, lengths: [16, 19] }, // Visa (13-digit Visa cards are gone; EAN-13 codes starting with 4 are not)
  { prefix: /^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/, lengths: [16] }, // Mastercard
  { prefix: /^3[47]/, lengths: [15] }, // American Express
  { prefix: /^(6011|65|64[4-9])/, lengths: [16, 19] }, // Discover
  { prefix: /^35(2[89]|[3-8]\d)/, lengths: [16, 19] }, // JCB
  { prefix: /^3(0[0-5]|[689])/, lengths: [14, 16] }, // Diners Club
  { prefix: /^62/, lengths: [16, 19] }, // UnionPay
  { prefix: /^(50|5[6-9]|6[0-9])/, lengths: [16, 19] }, // Maestro
];

/** A payment card number: 13 to 19 digits (spaces or dashes allowed), a network's prefix and length, Luhn-valid. */
export function isCardNumber(value: string): boolean {
  const v = value.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(v)) return false;
  const digits = v.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  const network = cardNetworks.find((n) => n.prefix.test(digits));
  if (network === undefined || !network.lengths.includes(digits.length)) return false;
  return luhnValid(digits);
}

/** Digits of a value written with spaces, dashes, dots or slashes between groups, or undefined. */
function groupedDigits(value: string, min: number, max: number): string | undefined {
  const v = value.trim();
  if (!/^\d[\d ./-]*\d$/.test(v)) return undefined;
  const digits = v.replace(/[ ./-]/g, '');
  return digits.length >= min && digits.length <= max ? digits : undefined;
}

/**
 * A handset's IMEI: 15 digits whose last is the Luhn check digit (`35-209900-176148-1` and
 * `352099001761481` alike). Numbers starting 34 or 37 are American Express cards of the same
 * length, left to the card detector.
 */
export function isImei(value: string): boolean {
  const digits = groupedDigits(value, 15, 15);
  return digits !== undefined && !/^3[47]/.test(digits) && luhnValid(digits);
}

/** A SIM card's ICCID: 19 or 20 digits starting with the telecom industry's 89, Luhn-valid (a trailing `F` allowed). */
export function isIccid(value: string): boolean {
  const digits = groupedDigits(value.trim().replace(/[Ff]$/, ''), 19, 20);
  return digits !== undefined && digits.startsWith('89') && luhnValid(digits);
}

/**
 * Country calling codes (ITU E.164) of the EEA, the UK, Switzerland and North America, each with
 * the lengths of its national significant numbers.
 */
// prettier-ignore
const callingCodes: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['1', [10, 10]], ['30', [10, 10]], ['31', [9, 9]], ['32', [8, 9]], ['33', [9, 9]], ['34', [9, 9]],
  ['36', [8, 9]], ['39', [9, 11]], ['40', [9, 9]], ['41', [9, 9]], ['43', [10, 13]], ['44', [10, 10]],
  ['45', [8, 8]], ['46', [7, 9]], ['47', [8, 8]], ['48', [9, 9]], ['49', [10, 11]], ['351', [9, 9]],
  ['352', [8, 11]], ['353', [7, 9]], ['354', [7, 7]], ['356', [8, 8]], ['357', [8, 8]], ['358', [9, 10]],
  ['359', [8, 9]], ['370', [8, 8]], ['371', [8, 8]], ['372', [7, 8]], ['385', [8, 9]], ['386', [8, 8]],
  ['420', [9, 9]], ['421', [9, 9]], ['423', [7, 7]],
]);

/**
 * An MSISDN: a subscriber's number in E.164 form, the country calling code and the national
 * number without a trunk 0, with or without the `+` (`+46701234567`, `351912345678`). The
 * country's code and number length are both checked, so most ids of 10–15 digits are not taken.
 */
export function isMsisdn(value: string): boolean {
  const v = value.trim();
  const bare = v.startsWith('+') ? v.slice(1) : v;
  if (!/^\d{8,15}$/.test(bare)) return false;
  for (const size of [1, 2, 3]) {
    const lengths = callingCodes.get(bare.slice(0, size));
    if (lengths === undefined) continue;
    const national = bare.slice(size);
    return national[0] !== '0' && national.length >= lengths[0] && national.length <= lengths[1];
  }
  return false;
}

/** A network interface's MAC address: six hex pairs by `:` or `-`, or three groups of four by `.`; not all zeros or all ones. */
export function isMacAddress(value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v.length !== 14 && v.length !== 17) return false;
  if (
    !/^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$/.test(v) &&
    !/^[0-9a-f]{4}(?:\.[0-9a-f]{4}){2}$/.test(v)
  )
    return false;
  const hex = v.replace(/[^0-9a-f]/g, '');
  return hex !== '000000000000' && hex !== 'ffffffffffff';
}

const coordinate = String.raw`-?\d{1,3}\.\d{3,}`;
const latLonPair = new RegExp(String.raw`^\(?\s*(${coordinate})\s*[,; ]\s*(${coordinate})\s*\)?$`);
const wktPoint = new RegExp(
  String.raw`^(?:SRID=\d+;)?POINT\s*\(\s*(${coordinate})\s+(${coordinate})\s*\)$`,
  'i',
);

/**
 * A place as a pair of coordinates with three or more decimals (about 100 m): `59.3293, 18.0686`,
 * `(48.8566;2.3522)`, WKT `POINT(18.0686 59.3293)` (longitude first), or a GeoJSON point.
 */
export function isCoordinatePair(value: string): boolean {
  const v = value.trim();
  if (v.length < 9 || !v.includes('.')) return false;
  const inRange = (lat: string, lon: string) => Math.abs(Number(lat)) <= 90 && Math.abs(Number(lon)) <= 180;
  const pair = latLonPair.exec(v);
  if (pair !== null) return inRange(pair[1]!, pair[2]!);
  const wkt = wktPoint.exec(v);
  if (wkt !== null) return inRange(wkt[2]!, wkt[1]!);
  if (v.startsWith('{') && /"point"/i.test(v)) {
    const coords = /"coordinates"\s*:\s*\[\s*(-?[\d.]+)\s*,\s*(-?[\d.]+)/.exec(v);
    return coords !== null && /\.\d{3,}/.test(coords[1]!) && inRange(coords[2]!, coords[1]!);
  }
  return false;
}

/** One latitude or longitude with three or more decimals (`18.0686`, `-9.1393`), not a whole number. */
export function isCoordinate(value: string): boolean {
  const v = value.trim();
  return oneCoordinate.test(v) && Math.abs(Number(v)) <= 180;
}
const oneCoordinate = new RegExp(`^${coordinate}$`);

/**
 * Local parts of mailboxes that belong to a function, not a person (RFC 2142's and the common
 * ones, in the EEA's languages): `info@`, `support@`, `noreply@`, `kundservice@`, `reservas@`.
 */
const roleMailboxWords = new Set(
  `info information contact contacts kontakt contacto contato contatto support help helpdesk service
  services servicedesk customerservice sales office admin administrator billing invoice invoices
  accounts accounting finance orders order booking bookings reservations reception hello hi team
  jobs careers recruiting hr press media marketing news newsletter noreply donotreply no reply
  postmaster hostmaster webmaster abuse security noc ops operations it privacy dpo gdpr legal
  kundservice kundtjanst kundeservice asiakaspalvelu klantenservice kundendienst verkauf vertrieb
  buchhaltung rechnung ventas vendas vendite ventes reservas reserva prenotazioni atendimento
  recepcao recepcion accueil commercial comercial bureau kancelar biuro obchod sprzedaz faktura
  fakturor faktura laskutus myynti toimisto customer customers client clients kunden`.split(/\s+/),
);

/** An email address of a function (`support@`, `no-reply@`, `kundservice2@`) rather than a person. */
export function isRoleMailbox(value: string): boolean {
  const v = value.trim().toLowerCase();
  const at = v.lastIndexOf('@');
  if (at <= 0) return false;
  const words = v
    .slice(0, at)
    .split(/[._+-]+|\d+/)
    .filter((w) => w.length > 0);
  return words.length > 0 && words.every((w) => roleMailboxWords.has(w)) && isEmail(v);
}

/**
 * A masked card number as payment providers store it: the first four to six digits and the last
 * four around a mask (`411111******1111`, `5555 XXXX XXXX 4444`, `•••• •••• •••• 4242`).
 */
export function isMaskedCardNumber(value: string): boolean {
  const v = value.trim();
  if (v.length < 12 || v.length > 23 || !/[*xX•#]{4}/.test(v)) return false;
  return /^(?:\d{4,6}|[*xX•#]{4})[\s-]?(?:[*xX•#]{2,4}[\s-]?){1,4}[*xX•#]{0,4}[\s-]?\d{4}$/.test(v);
}

/** An IPv4 or IPv6 address (node:net), optionally with a port or a prefix length after it. */
export function isIpAddress(value: string): boolean {
  const v = value.trim();
  if (isIP(v) !== 0) return true;
  const withoutPrefix = v.replace(/\/\d{1,3}$/, '');
  if (withoutPrefix !== v && isIP(withoutPrefix) !== 0) return true;
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(v);
  return v4WithPort !== null && isIP(v4WithPort[1]!) === 4;
}

/**
 * Postal codes of common EEA, UK and US formats. Five digits alone also fit many other things,
 * so the classifier uses this only beside a column name that says "postal code".
 */
export function isPostalCode(value: string): boolean {
  const v = value.trim().toUpperCase();
  return (
    /^\d{5}(-\d{4})?$/.test(v) || // US ZIP, DE, FR, IT, ES, FI, EE, HR
    /^\d{3} ?\d{2}$/.test(v) || // SE, CZ, SK, GR
    /^\d{4}$/.test(v) || // DK, NO, AT, BE, CH, HU, LU, SI, BG
    /^\d{4} ?[A-Z]{2}$/.test(v) || // NL
    /^\d{2}-\d{3}$/.test(v) || // PL
    /^\d{4}-\d{3}$/.test(v) || // PT
    /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/.test(v) || // UK
    /^[A-Z]\d{2} ?[A-Z\d]{4}$/.test(v) || // IE Eircode
    /^(SE|DK|FI|NO|DE|AT|CH|NL|BE|FR|PL)-\s?\d{3} ?\d{1,2}$/.test(v) // with a country prefix
  );
}

/** Hosts of social networks and code forges where a path names a person's profile. */
const socialHosts = new Set([
  'linkedin.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'facebook.com',
  'fb.com',
  'github.com',
  'gitlab.com',
  'tiktok.com',
  'youtube.com',
  'xing.com',
  'mastodon.social',
  'bsky.app',
  'threads.net',
  'medium.com',
  'reddit.com',
  'pinterest.com',
  'snapchat.com',
  'vk.com',
  't.me',
  'stackoverflow.com',
  'dribbble.com',
  'behance.net',
]);

/** First path segments that name an organisation's page, an event or a post rather than a person. */
const notAProfile =
  /^\/(?:company|companies|school|showcase|events?|groups?|pages?|hashtag|explore|jobs|watch|p|reel|status|posts?|orgs?|topics?|search|share|sharer)(?:\/|$)/i;

/**
 * A URL of a person's profile on a social network (`https://www.linkedin.com/in/…`,
 * `https://x.com/…`, `https://mastodon.social/@…`), not of a company page, an event or a post.
 */
export function isSocialProfileUrl(value: string): boolean {
  const v = value.trim();
  if (!/^https?:\/\//i.test(v) && !/^(?:www\.)?[a-z.]+\.[a-z]+\//i.test(v)) return false;
  let url: URL;
  try {
    url = new URL(/^https?:/i.test(v) ? v : `https://${v}`);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase().replace(/^(?:www|m|mobile|[a-z]{2})\./, '');
  if (!socialHosts.has(host)) return false;
  const path = url.pathname.replace(/\/+$/, '');
  if (path === '' || notAProfile.test(path)) return false;
  // A profile is one or two path segments (`/in/name`, `/@name`, `/name`), not a deep link.
  return path.split('/').filter((p) => p.length > 0).length <= 2;
}

/** Free text a person wrote: three words or more, or a phrase of some length (not a code or a single word). */
export function isProse(value: string): boolean {
  const v = value.trim();
  if (!/\p{L}/u.test(v)) return false;
  const words = v.split(/\s+/).filter((w) => /\p{L}/u.test(w));
  return words.length >= 3 || (words.length >= 2 && v.length >= 16);
}

/**
 * A sentence someone wrote: four words or more with lower-case words among them (a claim's
 * account, a teacher's remark), not a code list or a label in capitals.
 */
export function isSentence(value: string): boolean {
  const words = value
    .trim()
    .split(/\s+/)
    .filter((w) => /\p{L}/u.test(w));
  return words.length >= 4 && words.filter((w) => /^\p{Ll}/u.test(w)).length >= 2;
}

/**
 * Legal forms of companies in the EEA, the UK and the US, as they end or begin a company's name
 * (`Autohaus Weber GmbH & Co. KG`, `Rossi S.p.A.`, `Nordlys AB`), folded and without dots.
 */
// prettier-ignore
const legalForms = new Set([
  'gmbh', 'ag', 'kg', 'ohg', 'ug', 'ev', 'mbh', 'kgaa', 'ltd', 'llc', 'llp', 'inc', 'plc', 'corp', 'co',
  'sa', 'sas', 'sarl', 'sasu', 'eurl', 'sca', 'spa', 'srl', 'sapa', 'snc', 'sl', 'slu', 'sau',
  'lda', 'bv', 'nv', 'vof', 'cv', 'oy', 'oyj', 'ab', 'hb', 'kb', 'as', 'asa', 'aps', 'sro', 'spol',
  'zoo', 'sp', 'kft', 'zrt', 'nyrt', 'doo', 'ooo', 'ehf', 'se', 'scarl', 'coop',
]);
/** Legal forms that are also short words or surnames (`Sá`, `Co`, `As`): they count only beside no given name. */
const ambiguousForms = new Set(['sa', 'as', 'se', 'co', 'ab', 'sp', 'cv', 'sl', 'hb', 'kb']);

/**
 * Words that name an institution, a business or a place of work rather than a person, in the
 * languages the name rules cover: what an organisation's name column holds (`Lycée Victor Hugo`,
 * `Praxis am Dom`, `Ospedale San Giovanni`, `Downtown Branch`).
 */
// prettier-ignore
const institutionWords = new Set([
  // English
  'school', 'college', 'university', 'academy', 'hospital', 'clinic', 'practice', 'pharmacy', 'centre',
  'center', 'branch', 'office', 'agency', 'bank', 'garage', 'workshop', 'store', 'shop', 'hotel',
  'restaurant', 'company', 'group', 'holding', 'holdings', 'services', 'solutions', 'partners',
  'associates', 'foundation', 'association', 'council', 'ministry', 'department', 'authority', 'trust',
  'surgery', 'laboratory', 'insurance', 'consulting', 'industries', 'international', 'limited',
  // German, Dutch, Scandinavian, Finnish
  'schule', 'gymnasium', 'grundschule', 'gesamtschule', 'universitat', 'hochschule', 'klinik',
  'klinikum', 'krankenhaus', 'praxis', 'gemeinschaftspraxis', 'mvz', 'apotheke', 'autohaus',
  'werkstatt', 'filiale', 'buro', 'versicherung', 'sparkasse', 'volksbank', 'stadtwerke', 'verein',
  'stiftung', 'verband', 'amt', 'behorde', 'gemeinde', 'ziekenhuis', 'huisartsenpraktijk', 'apotheek', 'gemeente', 'stichting', 'vereniging',
  'kantoor', 'skola', 'skole', 'sjukhus', 'sykehus', 'sygehus', 'vardcentral', 'apotek', 'kommun',
  'kommune', 'forening', 'forbund', 'koulu', 'sairaala', 'apteekki', 'kunta',
  // French, Italian, Spanish, Portuguese
  'lycee', 'college', 'ecole', 'universite', 'hopital', 'clinique', 'cabinet', 'pharmacie', 'mairie',
  'agence', 'societe', 'entreprise', 'groupe', 'etablissement', 'scuola', 'liceo', 'istituto',
  'universita', 'ospedale', 'ambulatorio', 'farmacia', 'comune',
  'azienda', 'studio', 'officina', 'agenzia', 'societa', 'colegio', 'instituto', 'universidad',
  'clinica', 'centro', 'ayuntamiento', 'empresa', 'oficina', 'sucursal', 'escola', 'universidade',
  'camara', 'loja',
  // Polish, Czech
  'szkola', 'liceum', 'szpital', 'przychodnia', 'apteka', 'urzad', 'gmina', 'fundacja',
  'stowarzyszenie', 'skola', 'nemocnice', 'lekarna', 'urad', 'obec', 'nadace',
]);

/**
 * A value that names an organisation: a company with its legal form, or an institution, business
 * or place of work named by its kind. People's names rarely carry these words.
 */
export function isOrganisationName(value: string): boolean {
  const v = value.trim();
  if (v.length < 3 || v.length > 120 || v.includes('@')) return false;
  const words = fold(v)
    .replace(/\./g, '')
    .split(/[^a-z0-9&]+/)
    .filter((w) => w.length > 0);
  if (words.length === 0) return false;
  if (words.some((w) => institutionWords.has(w))) return true;
  // A legal form stands at either end (`GmbH & Co KG`, `SA Rossi`), and not alone.
  if (words.length < 2) return false;
  const ends = [words[words.length - 1]!, words[words.length - 2]!, words[0]!].filter((w) =>
    legalForms.has(w),
  );
  if (ends.some((w) => !ambiguousForms.has(w))) return true;
  return ends.length > 0 && !words.some((w) => givenNames.has(w));
}

const capitalisedWord = /^\p{Lu}[\p{Ll}'’-]+$/u;

/** How a value looks as a person's name: `given` when a word is a common given name, `shape` for "Two Capitalised" words. */
export function personNameShape(value: string): 'given' | 'shape' | false {
  const v = value.trim();
  if (v.length < 2 || v.length > 80 || /\d|@/.test(v)) return false;
  const words = v.split(/[\s,]+/).filter((w) => w.length > 0);
  if (words.length === 0 || words.length > 5) return false;
  if (words.some((w) => givenNames.has(fold(w)))) return 'given';
  if (words.length >= 2 && words.length <= 4 && words.every((w) => capitalisedWord.test(w))) return 'shape';
  return false;
}

/** Lower case without diacritics: "Åsa" → "asa", "Jürgen" → "jurgen", "Søren" → "soren". */
export function fold(text: string): string {
  return text
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[øœ]/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/[łđ]/g, (c) => (c === 'ł' ? 'l' : 'd'))
    .normalize('NFKD')
    .replace(/\p{M}/gu, '');
}

/** A date as databases and people write them: ISO (with or without a time), DD.MM.YYYY, DD/MM/YYYY, YYYYMMDD. */
export function parseDate(value: string): Date | undefined {
  const v = value.trim();
  let y: number;
  let m: number;
  let d: number;
  let match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(v);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{1,2})[./](\d{1,2})[./](\d{4})$/.exec(v)))
    [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^(\d{4})(\d{2})(\d{2})$/.exec(v)))
    [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return undefined;
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCDate() === d ? date : undefined;
}

/** Age in whole years at `now` of someone born on `date`. */
export function ageAt(date: Date, now: Date): number {
  return (now.getTime() - date.getTime()) / (365.25 * 24 * 3600 * 1000);
}

/**
 * Whether a set of sampled dates looks like dates of birth: every one between 0 and 115 years
 * ago, and most people older than 12 (record timestamps are recent, so they fail this).
 */
export function plausibleBirthDates(dates: readonly Date[], now: Date): boolean {
  if (dates.length === 0) return false;
  const ages = dates.map((d) => ageAt(d, now)).sort((a, b) => a - b);
  const median = ages[Math.floor(ages.length / 2)]!;
  return ages[0]! >= 0 && ages[ages.length - 1]! <= 115 && median >= 12;
}

/** The keys of a JSON object (nested objects' keys too, two levels down), or undefined when the value is no JSON object. */
export function jsonKeys(value: string): { keys: string[]; strings: string[] } | undefined {
  const v = value.trim();
  if (!v.startsWith('{') && !v.startsWith('[')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return undefined;
  }
  const keys: string[] = [];
  const strings: string[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 3 || keys.length > 200) return;
    if (Array.isArray(node)) for (const item of node.slice(0, 20)) walk(item, depth + 1);
    else if (node !== null && typeof node === 'object')
      for (const [k, child] of Object.entries(node as Record<string, unknown>).slice(0, 50)) {
        keys.push(k);
        if (typeof child === 'string') strings.push(child);
        else walk(child, depth + 1);
      }
    else if (typeof node === 'string') strings.push(node);
  };
  walk(parsed, 0);
  return typeof parsed === 'object' && parsed !== null ? { keys, strings } : undefined;
}
