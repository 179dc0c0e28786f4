/**
 * Data minimisation of the request context kept with a consent event: the same rules as for
 * website events (src/web/minimise.ts), in the shape the consent ledger stores.
 */
import { reduceUserAgent, truncateIp as truncate } from '../web/minimise.js';

/** The /24 or /48 network of an address, or null when it is not an IP address. */
export function truncateIp(ip: string): string | null {
  return truncate(ip) ?? null;
}

/** "Firefox on Windows", "Other" when nothing is recognised. Versions are dropped. */
export function userAgentFamily(userAgent: string): string {
  const { browser, os } = reduceUserAgent(userAgent);
  if (browser !== 'Other' && os !== 'Other') return `${browser} on ${os}`;
  return browser !== 'Other' ? browser : os;
}
