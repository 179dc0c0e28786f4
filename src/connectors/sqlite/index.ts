/**
 * The SQLite connector: `sqlite:PATH` settings, the better-sqlite3 driver, and the shared SQL
 * core (`sql/connector.ts`) for every operation of the contract.
 */
import type { ConnectorFactory } from '../contract.js';
import { sqlConnector } from '../sql/connector.js';
import { parseSqliteSettings } from './config.js';
import { sqliteDriver } from './driver.js';

export const createSqliteConnector: ConnectorFactory = (settings, dataset, keys) => {
  const parsed = parseSqliteSettings(settings);
  return sqlConnector(sqliteDriver(parsed), dataset, keys, parsed.system);
};
