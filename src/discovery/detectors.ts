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
 * `(555) 123-4567`. Digits only, without a leading 0 or +, are not taken as a phone (an id).
 * Returns `digits` for a bare digit string with a trunk 0, which needs a column name to back it.
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
