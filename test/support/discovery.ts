/**
 * The SQLite connector for discovery's tests and bench: introspection and sampling do not use a
 * dataset, and none is reviewed before the first scan, so the connector gets a placeholder one.
 */
import type { Connector } from '../../src/connectors/contract.js';
import type { Dataset } from '../../src/connectors/dataset.js';
import { createSqliteConnector } from '../../src/connectors/sqlite/index.js';

/** A dataset naming nothing of the database, for a connector that only introspects and samples. */
export function placeholderDataset(system: string): Dataset {
  return {
    steward: 1,
    kind: 'dataset',
    system,
    collections: [{ name: 'placeholder', primaryKey: ['id'], reference: true, fields: [{ name: 'id' }] }],
  };
}

/** The SQLite connector of a database file, for scanning (and, given one, the reviewed dataset). */
export function sqliteConnector(
  file: string,
  system = 'shop',
  dataset = placeholderDataset(system),
): Connector {
  return createSqliteConnector({ system, url: `sqlite:${file}` }, dataset, { hash: Buffer.alloc(32, 7) });
}
