/**
 * Settings of a MySQL or MariaDB system, all from its one secret URL:
 * `mysql://user:password@host:3306/shop?pool_size=5&statement_timeout=30000&ssl=true`
 * (`mariadb://` alike). The URL is read here rather than by mysql2, whose URL parsing turns any
 * query parameter into a connection option (`multipleStatements=true` among them): only the
 * parameters below are accepted. The URL and its password are secrets, never logged and never
 * part of an error message.
 */
import { z } from 'zod';
import { ConnectorError } from '../contract.js';
import type { SystemSettings } from '../contract.js';

export const mysqlSettingsSchema = z.strictObject({
  host: z.string().min(1),
  port: z.coerce.number().int().min(1).max(65_535).default(3306),
  user: z.string().min(1, 'must name a user'),
  /** Secret. */
  password: z.string().optional(),
  /** The default database: collections that name no `schema` live here. */
  database: z
    .string()
    .min(1, 'must name a database (mysql://user@host/DATABASE)')
    .max(64)
    .refine((s) => !s.includes('\0') && !s.includes('/'), 'is not a database name'),
  poolSize: z.coerce.number().int().min(1).max(100).default(5),
  /**
   * Statement timeout in milliseconds: MariaDB's `max_statement_time` (every statement), MySQL's
   * `max_execution_time` (read-only SELECTs only; MySQL has no limit for changes).
   */
  statementTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** TLS with the server's certificate verified against the system's CAs. */
  ssl: z.enum(['true', 'false']).default('false'),
});
export type MysqlSettings = z.infer<typeof mysqlSettingsSchema> & {
  /** Strings that must never appear in a message: the URL as given, the password. */
  readonly secrets: readonly string[];
};

const OWN_PARAMETERS: Record<string, keyof z.input<typeof mysqlSettingsSchema>> = {
  pool_size: 'poolSize',
  statement_timeout: 'statementTimeoutMs',
  ssl: 'ssl',
};

/**
 * Reads a system's settings; throws a `ConnectorError` (code `refused`) naming what is wrong,
 * never echoing the URL.
 */
export function parseMysqlSettings(settings: SystemSettings): MysqlSettings {
  const refuse = (why: string): never => {
    throw new ConnectorError(settings.system, 'refused', why);
  };
  let url: URL | undefined;
  try {
    url = new URL(settings.url);
  } catch {
    refuse('the connection URL is not a valid URL');
  }
  if (url === undefined) return refuse('the connection URL is not a valid URL');
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:')
    refuse('the connection URL must start with mysql:// or mariadb://');
  const own: Record<string, string> = {};
  for (const [parameter, value] of url.searchParams) {
    const key = OWN_PARAMETERS[parameter];
    if (key === undefined)
      refuse(
        `the connection URL has an unknown parameter "${parameter.slice(0, 40)}" (known: pool_size, statement_timeout, ssl)`,
      );
    else own[key] = value;
  }
  const password = url.password !== '' ? safeDecode(url.password) : undefined;
  const parsed = mysqlSettingsSchema.safeParse({
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(url.port !== '' ? { port: url.port } : {}),
    user: safeDecode(url.username),
    ...(password !== undefined ? { password } : {}),
    database: safeDecode(url.pathname.replace(/^\//, '')),
    ...own,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse(`setting ${String(issue?.path[0] ?? '')} ${issue?.message ?? 'is invalid'}`);
  }
  const secrets = [settings.url];
  if (url.password !== '') secrets.push(url.password);
  if (password !== undefined) secrets.push(password);
  return { ...parsed.data, secrets };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
