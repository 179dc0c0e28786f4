/**
 * Sending personal data to an address someone else chose: a receiving controller's endpoint named
 * by the person (C5m.1). Only over HTTPS, and only to addresses on the public internet, unless the
 * operator allowed the host (`STEWARD_TRANSMIT_ALLOWED_HOSTS`, a receiver inside the company's own
 * network). Otherwise a person could have Steward post into its own network: an admin port on
 * loopback, a cloud metadata service at 169.254.169.254, a database on 10.0.0.0/8. The address is
 * checked in the DNS look-up of the connection itself, so a name that resolves to a private address,
 * or that resolves to one on the second look-up after a public one on the first, is refused too.
 * No redirect is followed: data goes only where the person said.
 */
import { lookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { pipeline } from 'node:stream/promises';
import ipaddr from 'ipaddr.js';
import type { SizedBody } from './sized-body.js';

/** An address a connection was refused to: not on the public internet. */
export class PrivateAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} is at ${address}, which is not a public internet address`);
    this.name = 'PrivateAddressError';
  }
}

/** True for a global unicast address; false for loopback, private, link-local, reserved, ... */
export function isPublicAddress(address: string): boolean {
  try {
    return ipaddr.process(address).range() === 'unicast';
  } catch {
    return false;
  }
}

const bare = (host: string) => host.replace(/^\[|\]$/g, '').toLowerCase();
/** Whether the operator allowed `url`'s host (STEWARD_TRANSMIT_ALLOWED_HOSTS). */
const isAllowed = (url: URL, allowedHosts: readonly string[]) =>
  allowedHosts.some((h) => bare(h) === bare(url.hostname));
const isLoopbackHost = (host: string) =>
  host === 'localhost' || (ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback');

/** How names are resolved: `dns.lookup` with `all: true`, or a stand-in of the same shape. */
export type Resolve = (
  hostname: string,
  options: LookupOptions & { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A connection's look-up that resolves as `resolve` does and refuses a name with any address
 * that is not public (all of them are checked: the connection may try each).
 */
export function publicOnly(resolve: Resolve = lookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const refused = addresses.find((a) => !isPublicAddress(a.address));
      if (refused !== undefined) return callback(new PrivateAddressError(hostname, refused.address), '');
      const [first] = addresses;
      if (first === undefined)
        return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

const publicOnlyLookup = publicOnly();

/** Why a URL may not receive personal data. */
export type DestinationProblem =
  | { readonly code: 'credentials' }
  | { readonly code: 'not_https' }
  | { readonly code: 'not_public'; readonly host: string };

/**
 * What is wrong with `url` as a destination for personal data, or undefined when nothing is
 * (its name's addresses are checked again when connecting).
 */
export function destinationProblem(
  url: URL,
  allowedHosts: readonly string[],
): DestinationProblem | undefined {
  if (url.username !== '' || url.password !== '') return { code: 'credentials' };
  const host = bare(url.hostname);
  const allowed = isAllowed(url, allowedHosts);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowed && isLoopbackHost(host)))
    return { code: 'not_https' };
  if (!allowed && (host === 'localhost' || (ipaddr.isValid(host) && !isPublicAddress(host))))
    return { code: 'not_public', host };
  return undefined;
}

/** The problem in English, for API errors and logs. */
export function problemText(problem: DestinationProblem): string {
  switch (problem.code) {
    case 'credentials':
      return 'must not contain a user name or password; pass authorization instead';
    case 'not_https':
      return 'must use https: personal data is only sent encrypted (plain http only to an allowed host on this machine, for testing)';
    case 'not_public':
      return `must be on the public internet, and ${problem.host} is not`;
  }
}

export type OutboundFailure = 'private_address' | 'timeout' | 'unreachable';

/** A failed `postTo`: why nothing (or not everything) reached the receiver. */
export class OutboundError extends Error {
  constructor(
    readonly reason: OutboundFailure,
    cause: unknown,
  ) {
    super(`The transmission failed (${reason})`, { cause });
    this.name = 'OutboundError';
  }
}

function failureOf(error: unknown): OutboundFailure {
  if (error instanceof PrivateAddressError) return 'private_address';
  const name = (error as { name?: string }).name;
  return name === 'AbortError' || name === 'TimeoutError' ? 'timeout' : 'unreachable';
}

/**
 * POSTs `body` to `url` with its exact Content-Length (never chunked: see `sized-body.ts`) and
 * answers the response status. Addresses that are not public are
 * refused at connection unless the host is in `allowedHosts`; call `destinationProblem` first.
 *
 * @throws OutboundError when no answer came: a refused address, the time ran out, or the
 * receiver could not be reached.
 */
export function postTo(
  url: URL,
  options: {
    readonly headers: Record<string, string>;
    readonly body: SizedBody;
    readonly timeoutMs: number;
    readonly allowedHosts: readonly string[];
  },
): Promise<number> {
  const allowed = isAllowed(url, options.allowedHosts);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const fail = (error: unknown) =>
      reject(error instanceof OutboundError ? error : new OutboundError(failureOf(error), error));
    const req = send(
      url,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(options.body.length) },
        signal: AbortSignal.timeout(options.timeoutMs),
        ...(allowed ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', fail);
    pipeline(options.body.stream(), req).catch(fail);
  });
}
