/**
 * Builds the application context from settings: opens the store (running migrations), publishes
 * the configured declaration files when their content changed, and loads the declarations in
 * force. The server, the workers and the CLI all start here.
 */
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import pino from 'pino';
import type { Logger } from 'pino';
import { systemActor } from './access/actor.js';
import { countOperators, createOperator } from './access/operators.js';
import type { Config } from './config.js';
import { ConfigError } from './config.js';
import type { AppContext, Clock, Keys } from './context.js';
import { systemClock } from './context.js';
import { deriveKey } from './crypto.js';
import { AppError } from './errors.js';
import { Events } from './events.js';
import { lintSource } from './policy/lint.js';
import { PolicyRegistry } from './policy/registry.js';
import { publishDeclaration } from './policy/versions.js';
import type { Declaration } from './policy/schema.js';
import { publishDatasets } from './connectors/dataset-versions.js';
import { datasetFilesBeside, lintDatasetFiles } from './connectors/lint-dataset.js';
import { Systems } from './connectors/systems.js';
import { subscribeDrpCallbacks } from './rights/drp/callback.js';
import { subscribeRecordClocks } from './retention/record-clocks.js';
import type { Store } from './store/database.js';
import { openStore } from './store/database.js';
import { checkStoreSecret } from './store/identity.js';
import { firstAccountGrants } from './access/roles.js';

export interface CreateOptions {
  readonly clock?: Clock;
  readonly log?: Logger;
  /** PostgreSQL schema to use (tests). */
  readonly schema?: string;
  /** Publish the configured declaration files if changed (the default for `start`). */
  readonly publishFiles?: boolean;
}

/** Paths in secrets that must never reach a log line. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'token',
  '*.token',
  'key',
  '*.key',
];

/** JSON logs with secrets redacted; `destination` defaults to standard output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactPaths, censor: '[redacted]' } }, destination);
}

export function deriveKeys(secret: Buffer): Keys {
  return {
    identifiers: deriveKey(secret, 'identifiers'),
    tokens: deriveKey(secret, 'tokens'),
    records: deriveKey(secret, 'records:1'),
  };
}

export class DeclarationRefused extends Error {
  constructor(
    readonly file: string,
    readonly report: string,
  ) {
    super(`The declaration ${file} has errors; Steward will not start with it:\n${report}`);
  }
}

export async function createContext(config: Config, options: CreateOptions = {}): Promise<AppContext> {
  const log = options.log ?? createLogger(config.logLevel);
  const clock = options.clock ?? systemClock;
  const store: Store = await openStore(config.databaseUrl, {
    ...(options.schema ? { schema: options.schema } : {}),
  });
  try {
    // Before anything is written: data made under another secret would be unreadable to the rest.
    if (!(await checkStoreSecret(store, config.secret, clock))) throw secretMismatch(config);
    const policies = new PolicyRegistry(store);
    const events = new Events();
    subscribeDrpCallbacks(events);
    subscribeRecordClocks(events);
    const systems = new Systems({ store, config, policies, log });
    const ctx: AppContext = {
      store,
      clock,
      log,
      config,
      policies,
      events,
      systems,
      keys: deriveKeys(config.secret),
    };
    if (options.publishFiles ?? true) await publishFiles(ctx, config.declarationFiles);
    await policies.refresh();
    await systems.refresh();
    return ctx;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Closes what the context opened: the connected systems' connectors, then the store. */
export async function closeContext(ctx: Pick<AppContext, 'store' | 'systems'>): Promise<void> {
  try {
    await ctx.systems.close();
  } finally {
    await ctx.store.close();
  }
}

/**
 * The refusal of a process whose secret is not the store's, naming the setting to fix. A secret
 * file this process generated a moment ago is removed, so that a corrected start does not find it.
 */
function secretMismatch(config: Config): ConfigError {
  const file = config.secretFile;
  if (file === undefined)
    return new ConfigError([
      'STEWARD_SECRET: the store was created with another secret than this one. Every process that opens ' +
        'the store (server, worker, CLI) must have the same STEWARD_SECRET: set it to the installation’s. ' +
        'Nothing was written.',
    ]);
  if (file.created) rmSync(file.path, { force: true });
  return new ConfigError([
    `STEWARD_DATA_DIR: the store was created with another secret than ${file.path}` +
      `${file.created ? ' (generated just now, and removed again)' : ''}. Every process that opens the store ` +
      `(server, worker, CLI) needs the same secret: point STEWARD_DATA_DIR (now ${config.dataDir}) at the ` +
      'installation’s data directory, the one holding its secret.key, or set STEWARD_SECRET to that secret. ' +
      'Nothing was written.',
  ]);
}

/**
 * Lints every file first (each declaration and the datasets beside it, in `datasets/`), so one
 * bad file means nothing is published; then publishes what changed.
 */
export async function publishFiles(ctx: AppContext, files: readonly string[]): Promise<void> {
  const sources = await Promise.all(
    files.map(async (file) => ({
      file,
      source: await readFile(file, 'utf8'),
      datasets: await Promise.all(
        datasetFilesBeside(file).map(async (f) => ({ file: f, source: await readFile(f, 'utf8') })),
      ),
    })),
  );
  const report = (
    file: string,
    issues: readonly { line?: number; code: string; message: string; hint: string }[],
  ) => issues.map((i) => `  ${file}:${i.line ?? 0} ${i.code} ${i.message}. ${i.hint}`).join('\n');
  const declarations = new Map<string, Declaration>();
  for (const { file, source, datasets } of sources) {
    const lint = lintSource(source);
    const errors = lint.issues.filter((i) => i.severity === 'error');
    if (errors.length > 0 || lint.declaration === undefined)
      throw new DeclarationRefused(file, report(file, errors));
    declarations.set(file, lint.declaration);
    for (const r of lintDatasetFiles(lint.declaration, datasets)) {
      const bad = r.issues.filter((i) => i.severity === 'error');
      if (bad.length > 0) throw new DeclarationRefused(r.file, report(r.file, bad));
    }
  }
  for (const { file, source, datasets } of sources) {
    try {
      const result = await publishDeclaration(ctx, 'system', source);
      if (result.created) {
        ctx.log.info(
          { declaration: result.version.declarationId, number: result.version.number, file },
          'published declaration version',
        );
      }
      const declaration = declarations.get(file);
      if (datasets.length === 0 || declaration === undefined) continue;
      for (const published of await publishDatasets(ctx, 'system', declaration, datasets)) {
        if (published.created)
          ctx.log.info(
            { system: published.version.system, number: published.version.number, file: published.file },
            published.version.reviewed === undefined
              ? 'published dataset proposal (not reviewed: its connector stays off)'
              : 'published dataset version',
          );
      }
    } catch (error) {
      if (error instanceof AppError)
        throw new DeclarationRefused(file, error.details.map((d) => `  ${d.path}: ${d.message}`).join('\n'));
      throw error;
    }
  }
}

/** On a fresh installation, creates the first administrator and returns its one-time password. */
export async function bootstrapAdministrator(
  ctx: AppContext,
): Promise<{ email: string; password: string } | undefined> {
  if ((await countOperators(ctx)) > 0) return undefined;
  const { operator, password } = await createOperator(
    ctx,
    systemActor(),
    { email: ctx.config.adminEmail, name: 'Administrator', role: 'administrator' },
    { bootstrap: true, grants: firstAccountGrants },
  );
  return { email: operator.email, password };
}
