/**
 * Settings of a PostgreSQL system, all from its one secret URL:
 * `postgres://user:password@host:5432/db?schema=app&pool_size=5&statement_timeout=30000`.
 * `schema`, `pool_size` and `statement_timeout` (milliseconds) are Steward's; every other query
 * parameter (`sslmode`, `options`, ...) goes to the driver as libpq would read it. The URL and
 * its password are secrets: they are never logged and never part of an error message.
 */
import { z } from 'zod';
import { ConnectorError } from '../contract.js';
import type { SystemSettings } from '../contract.js';

export const postgresSettingsSchema = z.strictObject({
  /** The connection URL without Steward's own parameters. Secret. */
  connectionString: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://'),
  /** libpq startup options from the URL's `options` parameter, merged with Steward's own. */
  options: z.string().max(2000).optional(),
  /** Default schema for collections that name none (search_path); default: the URL's, else `public`. */
  schema: z
    .string()
    .min(1)
    .max(63)
    .refine((s) => !s.includes('\0'), 'must not contain a NUL character')
    .optional(),
  poolSize: z.coerce.number().int().min(1).max(100).default(5),
  /** Statement timeout of every connection, in milliseconds (PostgreSQL's `statement_timeout`). */
  statementTimeoutMs: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
});
export type PostgresSettings = z.infer<typeof postgresSettingsSchema> & {
  /** Strings that must never appear in a message: the URL as given and as passed on, the password. */
  readonly secrets: readonly string[];
};

const OWN_PARAMETERS = { schema: 'schema', pool_size: 'poolSize', statement_timeout: 'statementTimeoutMs' };

/**
 * Reads a system's settings; throws a `ConnectorError` (code `refused`) naming the parameter that
 * is wrong, never echoing the URL.
 */
export function parsePostgresSettings(settings: SystemSettings): PostgresSettings {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new ConnectorError(settings.system, 'refused', 'the connection URL is not a valid URL');
  }
  const own: Record<string, string> = {};
  for (const [parameter, key] of Object.entries(OWN_PARAMETERS)) {
    const value = url.searchParams.get(parameter);
    if (value !== null) own[key] = value;
    url.searchParams.delete(parameter);
  }
  const options = url.searchParams.get('options');
  url.searchParams.delete('options');
  const parsed = postgresSettingsSchema.safeParse({
    connectionString: url.toString(),
    ...(options !== null ? { options } : {}),
    ...own,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where =
      issue?.path[0] === 'connectionString' ? 'the connection URL' : `setting ${String(issue?.path[0])}`;
    throw new ConnectorError(settings.system, 'refused', `${where} ${issue?.message ?? 'is invalid'}`);
  }
  const secrets = [settings.url, parsed.data.connectionString];
  if (url.password !== '') secrets.push(url.password, safeDecode(url.password));
  return { ...parsed.data, secrets };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
