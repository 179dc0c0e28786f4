/**
 * Connector kinds: the kind a system declares (`postgres`, `mysql`, `mariadb`, `sqlite`, ...) →
 * the factory that builds its connector. Pools and clients are created by the factory when the
 * app context asks for a system's connector, and closed with the context, never in module globals.
 */
import type { ConnectorFactory } from './contract.js';
import { createMariadbConnector, createMysqlConnector } from './mysql/index.js';
import { createPostgresConnector } from './postgres/index.js';
import { createSqliteConnector } from './sqlite/index.js';

export const connectorFactories: Readonly<Record<string, ConnectorFactory>> = {
  sqlite: createSqliteConnector,
  postgres: createPostgresConnector,
  mysql: createMysqlConnector,
  mariadb: createMariadbConnector,
};
