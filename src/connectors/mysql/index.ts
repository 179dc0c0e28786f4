/**
 * The MySQL and MariaDB connectors (kinds `mysql` and `mariadb`, URLs `mysql://` or
 * `mariadb://`): settings from the system's URL, the mysql2 driver, and the shared SQL core
 * (`sql/connector.ts`) for every operation of the contract. Collections without a `schema` live
 * in the URL's database.
 */
import type { ConnectorFactory } from '../contract.js';
import type { Dataset } from '../dataset.js';
import { sqlConnector } from '../sql/connector.js';
import { parseMysqlSettings } from './config.js';
import { mysqlDriver } from './driver.js';

const schemasOf = (dataset: Dataset): string[] => [
  ...new Set(dataset.collections.flatMap((c) => (c.schema === undefined ? [] : [c.schema]))),
];

function factory(kind: 'mysql' | 'mariadb'): ConnectorFactory {
  return (settings, dataset, keys) => {
    const parsed = parseMysqlSettings(settings);
    const driver = mysqlDriver(parsed, { system: settings.system, kind, schemas: schemasOf(dataset) });
    return sqlConnector(driver, dataset, keys, settings.system, { kind });
  };
}

export const createMysqlConnector: ConnectorFactory = factory('mysql');
export const createMariadbConnector: ConnectorFactory = factory('mariadb');
