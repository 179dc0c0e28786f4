/**
 * Settings of a SQLite system: `sqlite:PATH` to an existing database file, opened read-write.
 * The path counts as a secret: errors never show it.
 */
import { z } from 'zod';
import type { SystemSettings } from '../contract.js';
import { ConnectorError } from '../contract.js';

export const sqliteSettingsSchema = z.strictObject({
  system: z.string().min(1),
  url: z
    .string()
    .startsWith('sqlite:', 'must be written sqlite:PATH')
    .refine((url) => url.length > 'sqlite:'.length, 'must name the database file after sqlite:')
    .refine((url) => !url.includes('\0'), 'must not contain a NUL character')
    .refine(
      (url) => !url.includes(':memory:') && !url.startsWith('sqlite:file:'),
      'must name a database file (an in-memory database or a URI is not a company database)',
    ),
});

export interface SqliteSettings {
  readonly system: string;
  /** The database file. */
  readonly path: string;
  /** What no error may show: the URL and the path. */
  readonly secrets: readonly string[];
}

/** Parses a system's settings; a bad URL is refused with the reason, never the URL itself. */
export function parseSqliteSettings(settings: SystemSettings): SqliteSettings {
  const parsed = sqliteSettingsSchema.safeParse({ system: settings.system, url: settings.url });
  if (!parsed.success)
    throw new ConnectorError(
      settings.system,
      'refused',
      `the SQLite URL ${parsed.error.issues.map((i) => i.message).join('; ')}`,
    );
  const path = parsed.data.url.slice('sqlite:'.length);
  return { system: parsed.data.system, path, secrets: [parsed.data.url, path] };
}
