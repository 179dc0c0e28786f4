/**
 * Writing minimised website events. Rows go in as multi-row inserts inside the caller's
 * transaction. The statement text depends only on the number of rows, so it is built once per
 * size and sent as a compiled query: the driver reuses its prepared statement, and no query
 * builder work is repeated for every event of a busy site.
 */
import type { Insertable } from 'kysely';
import { CompiledQuery } from 'kysely';
import type { DialectName } from '../store/database.js';
import type { WebEventTable } from '../store/schema.js';
import type { Tx } from '../store/transaction.js';

export type WebEventRow = Insertable<WebEventTable>;

const columns = [
  'declaration_id',
  'at',
  'day',
  'type',
  'purpose',
  'category',
  'source',
  'site',
  'path',
  'referrer_host',
  'target',
  'label',
  'value',
  'visitor',
  'network',
  'country',
  'browser',
  'os',
  'consent_ref',
] as const satisfies readonly (keyof WebEventRow)[];

/** Rows per statement: 19 values each stays well under SQLite's 32,766 and PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 500;

const statements = new Map<string, string>();

function insertText(dialect: DialectName, rows: number): string {
  const key = `${dialect}:${rows}`;
  let text = statements.get(key);
  if (text === undefined) {
    let n = 0;
    const placeholder = () => (dialect === 'postgres' ? `$${++n}` : '?');
    const tuples = Array.from({ length: rows }, () => `(${columns.map(placeholder).join(',')})`);
    text = `insert into web_events (${columns.join(',')}) values ${tuples.join(',')}`;
    statements.set(key, text);
  }
  return text;
}

export async function insertWebEvents(
  tx: Tx,
  rows: readonly WebEventRow[],
  dialect: DialectName,
): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const slice = rows.slice(i, i + ROWS_PER_STATEMENT);
    const values = slice.flatMap((row) => columns.map((c) => row[c] ?? null));
    await tx.executeQuery(CompiledQuery.raw(insertText(dialect, slice.length), values));
  }
}
