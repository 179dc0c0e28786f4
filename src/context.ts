/**
 * What every use case receives besides its input: the store, a clock, a logger, settings, the
 * active declarations and the connected systems. Use cases never see an HTTP request, so the server, the workers and the
 * CLI call the same code.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { SystemRegistry } from './connectors/contract.js';
import type { Events } from './events.js';
import type { PolicyRegistry } from './policy/registry.js';
import type { Store } from './store/database.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Keys derived from the root secret, one per use (see `deriveKeys`). */
export interface Keys {
  /** Keyed hashes of identifiers (lookups, suppression entries that outlive erasure). */
  readonly identifiers: Buffer;
  /** Signatures of links in messages (unsubscribe, confirmation, preferences). */
  readonly tokens: Buffer;
  /** Encryption of captured record data at rest. */
  readonly records: Buffer;
}

export interface AppContext {
  readonly store: Store;
  readonly keys: Keys;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: Config;
  readonly policies: PolicyRegistry;
  /** In-transaction events and their subscribers, wired in src/app.ts. */
  readonly events: Events;
  /** The connected systems: their connectors, created once and closed with the context. */
  readonly systems: SystemRegistry;
}
