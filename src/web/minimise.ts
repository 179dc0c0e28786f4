/**
 * What is kept of a website visitor's request, for live events and imported server logs alike:
 * the IP address is truncated (/24 for IPv4, /48 for IPv6) before anything is stored, after the
 * country is looked up if a database is configured; the user agent is reduced to browser and
 * operating-system family; bots are dropped; a cookieless visitor id is a keyed hash under a
 * random daily salt (src/web/salts.ts), computed in memory from the full address.
 */
import { createHmac } from 'node:crypto';
import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';
import { isbot } from 'isbot';

/** The network an address belongs to, as stored: `203.0.113.0/24` or `2001:db8:1::/48`. */
export function truncateIp(address: string): string | undefined {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.trim());
  } catch {
    return undefined;
  }
  if (parsed.kind() === 'ipv4') {
    const [a, b, c] = (parsed as ipaddr.IPv4).octets;
    return `${a}.${b}.${c}.0/24`;
  }
  const parts = (parsed as ipaddr.IPv6).parts;
  const prefix = new ipaddr.IPv6([parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, 0, 0, 0, 0, 0]);
  return `${prefix.toString()}/48`;
}

export interface Software {
  /** Browser family, e.g. `Chrome`, `Firefox`, `Safari`; `Other` when unknown. */
  readonly browser: string;
  /** Operating-system family, e.g. `Windows`, `macOS`, `Android`, `iOS`, `Linux`; `Other` when unknown. */
  readonly os: string;
}

const FAMILY_LENGTH = 40;

/**
 * Remembers the last answers for user-agent strings: a site's visitors use a few hundred
 * distinct ones, and parsing them is most of the work of an event batch.
 */
function remembered<T>(size: number, compute: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      if (cache.size >= size) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}

const parseSoftware = remembered(2000, (userAgent): Software => {
  const parsed = Bowser.parse(userAgent.slice(0, 1000));
  return {
    browser: (parsed.browser.name || 'Other').slice(0, FAMILY_LENGTH),
    os: (parsed.os.name || 'Other').slice(0, FAMILY_LENGTH),
  };
});
const detectBot = remembered(2000, (userAgent) => isbot(userAgent));

/** The families only: no versions, devices or build strings, which can single a person out. */
export function reduceUserAgent(userAgent: string | undefined): Software {
  if (userAgent === undefined || userAgent.trim() === '') return { browser: 'Other', os: 'Other' };
  return parseSoftware(userAgent);
}

/** Crawlers, monitors and headless tools that say so in their user agent. */
export function isBot(userAgent: string | undefined): boolean {
  return userAgent === undefined || userAgent.trim() === '' || detectBot(userAgent);
}

/**
 * The cookieless visitor id: the same for one address, browser and site on one day, and
 * impossible to recompute once that day's salt is deleted.
 */
export function visitorId(salt: Buffer, input: { ip: string; userAgent: string; site: string }): string {
  return createHmac('sha256', salt)
    .update(`${input.site}\n${input.ip}\n${input.userAgent}`)
    .digest('base64url')
    .slice(0, 22);
}

/** The host of a URL, lower-cased, or undefined when it is not an http(s) URL. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:'
      ? parsed.hostname.toLowerCase()
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A page path as stored: the path only, without query or fragment (they often hold e-mail
 * addresses, tokens or search terms), at most 300 characters.
 */
export function pathOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    return new URL(url, 'https://site.invalid').pathname.slice(0, 300);
  } catch {
    return undefined;
  }
}
