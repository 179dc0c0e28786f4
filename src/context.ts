/**
 * What every use case receives besides its input: the store, a clock, a logger, settings and the
 * active declarations. Use cases never see an HTTP request, so the server, the workers and the
 * CLI call the same code.
 */
import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { PolicyRegistry } from './policy/registry.js';
import type { Store } from './store/database.js';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface AppContext {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly config: Config;
  readonly policies: PolicyRegistry;
}
