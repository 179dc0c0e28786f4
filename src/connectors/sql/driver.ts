/**
 * What the SQL core (`sql/`) needs from a database driver. The PostgreSQL, MySQL/MariaDB and
 * SQLite folders each implement it; the core builds every statement from the reviewed dataset
 * and never imports a driver. Values are always bound (`placeholder(n)`), identifiers always go
 * through `quote`.
 */
import type { FieldValue, Introspection, Row } from '../contract.js';

/** Runs one statement with bound values and returns its rows (none for a change). */
export type RunStatement = (text: string, values: readonly FieldValue[]) => Promise<Row[]>;

export interface SqlDriver {
  readonly dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Quotes one identifier (table, column, schema), doubling the quote character inside it. */
  quote(name: string): string;
  /** The text of the n-th bound value (1-based): `$1` on PostgreSQL, `?` elsewhere. */
  placeholder(n: number): string;
  /** Suffix that locks the selected rows until the transaction ends (`FOR UPDATE`, or '' on SQLite). */
  readonly lockRows: string;
  /**
   * Pages find their keys first and join the rows to them (`PageQuery.keysFirst`): for a server
   * that sorts wide rows through a temporary table for each page.
   */
  readonly pageKeysFirst?: boolean;
  /** UPDATE takes a RETURNING clause (PostgreSQL; SQLite from 3.35; not MySQL, nor MariaDB 10.11). */
  readonly updateReturning: boolean;
  /**
   * A WITH query may hold a DELETE or UPDATE whose RETURNING rows the rest of the statement reads
   * (PostgreSQL): a batch is then picked, changed and returned in one statement.
   */
  readonly changeInWith: boolean;
  /** Runs a statement outside any explicit transaction. */
  query: RunStatement;
  /** Runs `work` in one transaction on one connection; rolls back if it throws. */
  transaction<T>(work: (run: RunStatement) => Promise<T>): Promise<T>;
  /** Tables, keys, foreign keys, partitions, views and triggers of the connected database. */
  introspect(system: string): Promise<Introspection>;
  /** Server product and version, such as "PostgreSQL 15.20". */
  server(): Promise<string>;
  /** Strings that must never appear in an error shown to anyone (URL, password). */
  readonly secrets: readonly string[];
  close(): Promise<void>;
}
