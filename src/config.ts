/**
 * Settings, read from the environment once at start and validated. A bad setting stops start-up
 * with one line per problem saying how to fix it. Nothing else reads `process.env`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import type { SystemSettings } from './connectors/contract.js';

/** The package root: where `examples/` and the built console live. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const list = z.string().transform((s) =>
  s
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
);

const envSchema = z.object({
  STEWARD_DATABASE_URL: z.string().optional(),
  DATABASE_URL: z.string().optional(),
  STEWARD_DATA_DIR: z.string().default('./data'),
  STEWARD_HOST: z.string().default('127.0.0.1'),
  STEWARD_PORT: z.coerce
    .number({ message: 'STEWARD_PORT must be a port number such as 8080' })
    .int()
    .min(0)
    .max(65535)
    .default(8080),
  STEWARD_PUBLIC_URL: z
    .string()
    .url('STEWARD_PUBLIC_URL must be an absolute URL such as https://privacy.example.com')
    .optional(),
  STEWARD_SECRET: z
    .string()
    .regex(
      /^[A-Za-z0-9+/=_-]{43,}$/,
      'STEWARD_SECRET must be at least 32 random bytes, base64 encoded (openssl rand -base64 32)',
    )
    .optional(),
  STEWARD_DECLARATIONS: list.optional(),
  STEWARD_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STEWARD_TLS_CERT: z.string().optional(),
  STEWARD_TLS_KEY: z.string().optional(),
  STEWARD_TRUSTED_PROXIES: list.default([]),
  STEWARD_GEOIP_DB: z.string().optional(),
  STEWARD_TRANSMIT_ALLOWED_HOSTS: list.default([]),
  STEWARD_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  STEWARD_EXECUTION_BATCH_SIZE: z.coerce
    .number({ message: 'STEWARD_EXECUTION_BATCH_SIZE must be a number of rows such as 1000' })
    .int()
    .min(1)
    .max(10_000)
    .default(1_000),
  // Unset: Steward's own tables in batches of 1,000, a connected system's sized by time.
  STEWARD_RETENTION_BATCH_SIZE: z.coerce
    .number({ message: 'STEWARD_RETENTION_BATCH_SIZE must be a number of rows such as 1000' })
    .int()
    .min(1)
    .max(10_000)
    .optional(),
  STEWARD_RETENTION_PAUSE_MS: z.coerce
    .number({ message: 'STEWARD_RETENTION_PAUSE_MS must be a number of milliseconds such as 10' })
    .int()
    .min(0)
    .max(60_000)
    .default(0),
  STEWARD_STEP_LEASE_SECONDS: z.coerce
    .number({ message: 'STEWARD_STEP_LEASE_SECONDS must be a number of seconds such as 60' })
    .int()
    .min(2)
    .max(3600)
    .default(60),
  STEWARD_HOUSEKEEPING_DAYS: z.coerce
    .number({ message: 'STEWARD_HOUSEKEEPING_DAYS must be a number of days such as 30' })
    .int()
    .min(2, 'STEWARD_HOUSEKEEPING_DAYS must be at least 2: a website batch is refused as a replay for a day')
    .max(3650)
    .default(30),
  STEWARD_ADMIN_EMAIL: z.string().email().default('admin@steward.local'),
  STEWARD_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'STEWARD_SMTP_URL must look like smtp://user:password@host:587 or smtps://...')
    .optional(),
  STEWARD_MAIL_FROM: z.string().min(3).default('Steward <no-reply@steward.local>'),
  STEWARD_UNSUBSCRIBE_MAILTO: z
    .string()
    .email('STEWARD_UNSUBSCRIBE_MAILTO must be an email address')
    .optional(),
  STEWARD_SYSTEMS_FILE: z.string().min(1).optional(),
});

export interface Config {
  readonly databaseUrl: string;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  /** Root secret; purpose-specific keys are derived from it (see `src/crypto.ts`). */
  readonly secret: Buffer;
  /**
   * Where the secret came from when STEWARD_SECRET was not set: the file beside the embedded
   * database, and whether this process just generated it (so a refused start can remove it).
   */
  readonly secretFile?: { readonly path: string; readonly created: boolean };
  readonly declarationFiles: readonly string[];
  readonly logLevel: string;
  readonly tls?: { readonly cert: string; readonly key: string };
  readonly trustedProxies: readonly string[];
  /** A MaxMind-format country database: website events then keep the visitor's country. */
  readonly geoipDb?: string;
  /**
   * Hosts on private networks that portability transmissions and DRP status callbacks may reach
   * (a receiver inside the company's network); every other destination must be a public address.
   */
  readonly transmitAllowedHosts: readonly string[];
  readonly workerConcurrency: number;
  /**
   * Rows a request step changes per transaction in a connected system: smaller batches hold
   * locks for less time in the company's database (connectors also cap it by bound values).
   */
  readonly executionBatchSize?: number;
  /** Rows a retention sweep reads per batch, each batch one short transaction (default 1000). */
  readonly retentionBatchSize?: number;
  /**
   * A pause between two batches of a sweep, so other writers get the store (SQLite has one
   * writer at a time) while a long sweep runs (default 0).
   */
  readonly retentionPauseMs?: number;
  /**
   * How long a worker's claim on a request step lasts (renewed while the step runs): a worker
   * that dies leaves its steps to the others after this long.
   */
  readonly stepLeaseMs?: number;
  /**
   * How long Steward keeps what it holds only to work (finished jobs, processed website batches,
   * old rows of its change logs) before housekeeping removes it (default 30 days).
   */
  readonly housekeepingMs?: number;
  readonly adminEmail: string;
  /** SMTP server for outgoing mail; without it, mail goes to the outbox table (console: Outbox). */
  readonly smtpUrl?: string;
  readonly mailFrom: string;
  /** Address for mailto: unsubscribe requests (RFC 2369). */
  readonly unsubscribeMailto: string;
  /**
   * Connection settings of connected systems, keyed by `systemKey(id)`; look one up with
   * `systemSettingsFor`. From STEWARD_SYSTEM_<ID>_URL and the STEWARD_SYSTEMS_FILE secrets file
   * (the variable wins). Never logged or shown: the settings print as `[secret]`.
   */
  readonly systems: ReadonlyMap<string, SystemSettings>;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Steward cannot start because of its settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the settings. Throws `ConfigError` listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  const dataDir = resolve(e.STEWARD_DATA_DIR);
  const databaseUrl = e.STEWARD_DATABASE_URL ?? e.DATABASE_URL ?? `sqlite:${join(dataDir, 'steward.db')}`;
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(databaseUrl)) {
    problems.push('STEWARD_DATABASE_URL: use sqlite:PATH or postgres://user@host:5432/database');
  }
  if ((e.STEWARD_TLS_CERT === undefined) !== (e.STEWARD_TLS_KEY === undefined)) {
    problems.push('STEWARD_TLS_CERT and STEWARD_TLS_KEY: set both (PEM file paths) or neither');
  }
  for (const file of [e.STEWARD_TLS_CERT, e.STEWARD_TLS_KEY]) {
    if (file !== undefined && !existsSync(file)) problems.push(`TLS file ${file} does not exist`);
  }
  const declarationFiles = (
    e.STEWARD_DECLARATIONS ?? [join(packageRoot, 'examples/reference/declaration.yaml')]
  ).map((f) => resolve(f));
  for (const file of declarationFiles) {
    if (!existsSync(file)) problems.push(`STEWARD_DECLARATIONS: ${file} does not exist`);
  }
  let secret: Buffer | undefined;
  let secretFile: Config['secretFile'];
  if (e.STEWARD_SECRET !== undefined) {
    secret = Buffer.from(e.STEWARD_SECRET, 'base64');
  } else if (databaseUrl.startsWith('sqlite:')) {
    ({ secret, file: secretFile } = localSecret(dataDir));
  } else {
    problems.push(
      'STEWARD_SECRET: required with PostgreSQL, and the same for every process (openssl rand -base64 32)',
    );
  }
  const systems = systemSettings(env, e.STEWARD_SYSTEMS_FILE, problems);
  if (problems.length > 0 || secret === undefined) throw new ConfigError(problems);
  const scheme = e.STEWARD_TLS_CERT ? 'https' : 'http';
  const shownHost = e.STEWARD_HOST === '0.0.0.0' || e.STEWARD_HOST === '::' ? 'localhost' : e.STEWARD_HOST;
  const publicUrl = (e.STEWARD_PUBLIC_URL ?? `${scheme}://${shownHost}:${e.STEWARD_PORT}`).replace(/\/$/, '');
  return {
    databaseUrl,
    dataDir,
    host: e.STEWARD_HOST,
    port: e.STEWARD_PORT,
    publicUrl,
    secret,
    ...(secretFile ? { secretFile } : {}),
    declarationFiles,
    logLevel: e.STEWARD_LOG_LEVEL,
    ...(e.STEWARD_TLS_CERT && e.STEWARD_TLS_KEY
      ? { tls: { cert: e.STEWARD_TLS_CERT, key: e.STEWARD_TLS_KEY } }
      : {}),
    trustedProxies: e.STEWARD_TRUSTED_PROXIES,
    ...(e.STEWARD_GEOIP_DB ? { geoipDb: e.STEWARD_GEOIP_DB } : {}),
    transmitAllowedHosts: e.STEWARD_TRANSMIT_ALLOWED_HOSTS,
    workerConcurrency: e.STEWARD_WORKER_CONCURRENCY,
    executionBatchSize: e.STEWARD_EXECUTION_BATCH_SIZE,
    ...(e.STEWARD_RETENTION_BATCH_SIZE === undefined
      ? {}
      : { retentionBatchSize: e.STEWARD_RETENTION_BATCH_SIZE }),
    retentionPauseMs: e.STEWARD_RETENTION_PAUSE_MS,
    stepLeaseMs: e.STEWARD_STEP_LEASE_SECONDS * 1000,
    housekeepingMs: e.STEWARD_HOUSEKEEPING_DAYS * 24 * 60 * 60 * 1000,
    adminEmail: e.STEWARD_ADMIN_EMAIL,
    ...(e.STEWARD_SMTP_URL ? { smtpUrl: e.STEWARD_SMTP_URL } : {}),
    mailFrom: e.STEWARD_MAIL_FROM,
    unsubscribeMailto: e.STEWARD_UNSUBSCRIBE_MAILTO ?? `unsubscribe@${new URL(publicUrl).hostname}`,
    systems,
  };
}

/**
 * The key a system's settings are kept under: the variable name's part, lower-cased. System
 * `web-shop` reads STEWARD_SYSTEM_WEB_SHOP_URL, so `web-shop` and `web_shop` share one key.
 */
export function systemKey(id: string): string {
  return id.toLowerCase().replace(/-/g, '_');
}

/** The environment variable that holds a system's connection URL. */
export function systemUrlVariable(id: string): string {
  return `STEWARD_SYSTEM_${systemKey(id).toUpperCase()}_URL`;
}

/** The connection settings of a declared system, if any are configured. */
export function systemSettingsFor(config: Pick<Config, 'systems'>, id: string): SystemSettings | undefined {
  const found = config.systems.get(systemKey(id));
  return found === undefined ? undefined : secretSettings(id, found.url);
}

/**
 * Settings that never print their URL: JSON, `util.inspect` and template strings show
 * `[secret]`, so a settings object that reaches a log line or an error leaks nothing.
 */
export function secretSettings(system: string, url: string): SystemSettings {
  const shown = { system, url: '[secret]' };
  const settings = {
    system,
    toJSON: () => shown,
    toString: () => `settings of ${system}`,
    [inspect.custom]: () => shown,
  };
  Object.defineProperty(settings, 'url', { value: url, enumerable: false });
  return settings as unknown as SystemSettings;
}

/** What a connection URL must look like; the problem never repeats the URL. */
function urlProblem(url: string): string | undefined {
  if (url.startsWith('sqlite:')) return url.length > 'sqlite:'.length ? undefined : 'names no file';
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(url))
    return 'is not a connection URL (postgres://…, mysql://…, mariadb://… or sqlite:PATH)';
  try {
    new URL(url);
    return undefined;
  } catch {
    return 'is not a valid URL (special characters in the password must be percent-encoded)';
  }
}

const systemsFileSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9_-]*$/, 'must be a system id (lower-case letters, digits, "-" or "_")'),
  z.strictObject({ url: z.string({ message: 'url must be text' }).min(1, 'url is empty') }),
);

/** Connection settings from STEWARD_SYSTEM_<ID>_URL variables and the secrets file. */
function systemSettings(
  env: Record<string, string | undefined>,
  file: string | undefined,
  problems: string[],
): Map<string, SystemSettings> {
  const systems = new Map<string, SystemSettings>();
  if (file !== undefined) {
    const path = resolve(file);
    for (const [id, url] of readSystemsFile(path, problems)) {
      const key = systemKey(id);
      const problem = urlProblem(url);
      if (problem !== undefined)
        problems.push(`STEWARD_SYSTEMS_FILE: the url of "${id}" in ${path} ${problem}`);
      else if (systems.has(key))
        problems.push(
          `STEWARD_SYSTEMS_FILE: ${path} names "${id}" and another spelling of it; keep one entry per system`,
        );
      else systems.set(key, secretSettings(id, url));
    }
  }
  for (const [name, url] of Object.entries(env)) {
    const match = /^STEWARD_SYSTEM_([A-Z][A-Z0-9_]*)_URL$/.exec(name);
    if (match?.[1] === undefined || url === undefined) continue;
    const key = match[1].toLowerCase();
    const problem = urlProblem(url);
    if (problem !== undefined) problems.push(`${name} ${problem}`);
    else systems.set(key, secretSettings(key, url));
  }
  return systems;
}

/**
 * Reads the secrets file: a YAML or JSON mapping of system id to `{ url }`. It holds passwords,
 * so a file other users may read or change is refused. Errors name the file and the line, never
 * its content.
 */
function readSystemsFile(path: string, problems: string[]): [string, string][] {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    problems.push(`STEWARD_SYSTEMS_FILE: ${path} does not exist or cannot be read`);
    return [];
  }
  if ((mode & 0o006) !== 0) {
    problems.push(
      `STEWARD_SYSTEMS_FILE: ${path} holds database passwords but other users on this machine can ${
        (mode & 0o002) !== 0 ? 'change' : 'read'
      } it: run chmod 600 ${path} (as the account Steward runs as), then start again`,
    );
    return [];
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const [syntax] = doc.errors;
  if (syntax !== undefined) {
    problems.push(
      `STEWARD_SYSTEMS_FILE: ${path} is not valid YAML or JSON at line ${lineCounter.linePos(syntax.pos[0]).line}`,
    );
    return [];
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch {
    problems.push(`STEWARD_SYSTEMS_FILE: ${path} uses a YAML alias that cannot be resolved`);
    return [];
  }
  const parsed = systemsFileSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const where = issue.path.map(String).join('.');
      problems.push(
        `STEWARD_SYSTEMS_FILE: ${path}${where === '' ? '' : ` at ${where}`}: ${
          issue.code === 'unrecognized_keys'
            ? `unknown key ${issue.keys.join(', ')} (each system has only url)`
            : issue.code === 'invalid_type' && where === ''
              ? 'must map each system id to { url: ... }'
              : issue.message
        }`,
      );
    }
    return [];
  }
  return Object.entries(parsed.data).map(([id, { url }]) => [id, url]);
}

/** The embedded default keeps a generated secret beside its database, readable by its owner only. */
function localSecret(dataDir: string): { secret: Buffer; file: NonNullable<Config['secretFile']> } {
  const path = join(dataDir, 'secret.key');
  if (existsSync(path))
    return {
      secret: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'),
      file: { path, created: false },
    };
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(path, `${secret.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return { secret, file: { path, created: true } };
}
