/**
 * The PostgreSQL connector: settings from the system's URL, the `pg` driver, and the shared SQL
 * core (`sql/connector.ts`) for every operation of the contract, so it can read, delete, mask,
 * update, restrict and introspect. Collections without a `schema` live in the connection's
 * default schema (the URL's `schema`, else its search_path, else `public`).
 */
import type { ConnectorFactory } from '../contract.js';
import { sqlConnector } from '../sql/connector.js';
import { parsePostgresSettings } from './config.js';
import { postgresDriver } from './driver.js';

export const createPostgresConnector: ConnectorFactory = (settings, dataset, keys) => {
  const parsed = parsePostgresSettings(settings);
  const schemas = [
    ...new Set(dataset.collections.flatMap((c) => (c.schema === undefined ? [] : [c.schema]))),
  ];
  const driver = postgresDriver(parsed, { system: settings.system, schemas });
  return sqlConnector(driver, dataset, keys, settings.system, { kind: 'postgres' });
};
