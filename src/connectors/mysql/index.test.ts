import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import mysql from 'mysql2/promise';
import { mysqlUrl, serviceAvailable } from '../../../test/support/services.js';
import { ConnectorError } from '../contract.js';
import type { IntrospectedTable, Row } from '../contract.js';
import { runContractSuite } from '../contract-suite.js';
import type { ContractTarget } from '../contract-suite.js';
import { runSweepSuite } from '../sweep-suite.js';
import { connectorFactories } from '../registry.js';
import type { SqlDriver } from '../sql/driver.js';
import { parseMysqlSettings } from './config.js';
import { mysqlDriver } from './driver.js';
import { createMariadbConnector, createMysqlConnector } from './index.js';

const available = await serviceAvailable('MariaDB', mysqlUrl);
const database = `conn_${randomBytes(6).toString('hex')}`;

/** The server's URL for a database, with Steward's parameters added. */
function urlFor(name: string, params: Record<string, string> = {}, base = mysqlUrl): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

const driverFor = (url: string, system = 'shop'): SqlDriver =>
  mysqlDriver(parseMysqlSettings({ system, url }), {
    system,
    kind: url.startsWith('mariadb:') ? 'mariadb' : 'mysql',
  });

/** A database of its own per contract case, reached as mariadb:// and named in the dataset. */
async function contractTarget(): Promise<ContractTarget> {
  const own = `contract_${randomBytes(6).toString('hex')}`;
  await admin([`CREATE DATABASE \`${own}\``]);
  const url = new URL(mysqlUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: own,
  });
  const password = `Wr0ng-${randomBytes(4).toString('hex')}`;
  const settingsUrl = urlFor(own, {}, mysqlUrl.replace(/^mysql:/, 'mariadb:'));
  const unreachable = new URL(settingsUrl);
  unreachable.password = password;
  return {
    dialect: 'mysql',
    factory: createMariadbConnector,
    settings: { system: 'shop', url: settingsUrl },
    unreachable: { system: 'shop', url: unreachable.toString() },
    secrets: [password],
    schema: own,
    async exec(sql) {
      await connection.query(sql);
    },
    async query(sql) {
      const [rows] = await connection.query(sql);
      return rows as Row[];
    },
    async drop() {
      await connection.query(`DROP DATABASE \`${own}\``);
      await connection.end();
    },
  };
}

/** Runs fixture statements one by one (the driver never allows several per call; nor does this). */
async function admin(statements: readonly string[]): Promise<void> {
  const url = new URL(mysqlUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    for (const statement of statements) await connection.query(statement);
  } finally {
    await connection.end();
  }
}

const FIXTURE = [
  `CREATE TABLE customers (
     id BIGINT AUTO_INCREMENT PRIMARY KEY,
     email VARCHAR(255) NOT NULL UNIQUE,
     name VARCHAR(100),
     active BOOLEAN NOT NULL DEFAULT TRUE,
     updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)
   ) ENGINE = InnoDB`,
  `CREATE TRIGGER customers_touch BEFORE UPDATE ON customers FOR EACH ROW SET NEW.updated_at = CURRENT_TIMESTAMP(6)`,
  `CREATE TABLE orders (
     id INT PRIMARY KEY,
     customer_id BIGINT NOT NULL,
     total DECIMAL(10, 2) NOT NULL DEFAULT 0,
     CONSTRAINT orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
   ) ENGINE = InnoDB`,
  `CREATE TABLE order_lines (
     order_id INT NOT NULL,
     line SMALLINT NOT NULL,
     sku VARCHAR(40) NOT NULL,
     PRIMARY KEY (order_id, line),
     UNIQUE KEY order_lines_sku (order_id, sku),
     CONSTRAINT order_lines_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE
   ) ENGINE = InnoDB`,
  `CREATE TABLE tickets (
     id INT PRIMARY KEY,
     assignee_id BIGINT NULL,
     order_id INT NULL,
     CONSTRAINT tickets_assignee FOREIGN KEY (assignee_id) REFERENCES customers (id) ON DELETE SET NULL,
     CONSTRAINT tickets_order FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE RESTRICT
   ) ENGINE = InnoDB`,
  // InnoDB partitioned tables take no foreign keys.
  `CREATE TABLE events (
     id INT NOT NULL,
     happened_on DATE NOT NULL,
     kind VARCHAR(20),
     PRIMARY KEY (id, happened_on)
   ) ENGINE = InnoDB
   PARTITION BY RANGE COLUMNS (happened_on) (
     PARTITION p2024_01 VALUES LESS THAN ('2024-02-01'),
     PARTITION p2024_02 VALUES LESS THAN ('2024-03-01'),
     PARTITION p2024_03 VALUES LESS THAN ('2024-04-01')
   )`,
  `CREATE VIEW customer_emails AS SELECT id, email FROM customers`,
  `INSERT INTO customers (email, name)
   WITH RECURSIVE g (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 40)
   SELECT CONCAT('c', n, '@example.test'), CONCAT('Customer ', n) FROM g`,
  `INSERT INTO orders (id, customer_id, total) SELECT id, id, id * 1.5 FROM customers`,
  `ANALYZE TABLE customers, orders, events`,
];

runContractSuite({
  name: 'mariadb',
  create: contractTarget,
  skip: available ? false : 'MariaDB is not reachable',
});
runSweepSuite({
  name: 'mariadb',
  create: contractTarget,
  skip: available ? false : 'MariaDB is not reachable',
});

test('mysql and mariadb are registered as connector kinds', () => {
  assert.equal(connectorFactories.mysql, createMysqlConnector);
  assert.equal(connectorFactories.mariadb, createMariadbConnector);
});

describe('MariaDB driver', { skip: !available }, () => {
  let driver: SqlDriver;
  before(async () => {
    await admin([`CREATE DATABASE \`${database}\``, `USE \`${database}\``, ...FIXTURE]);
    driver = driverFor(urlFor(database));
  });
  after(async () => {
    await driver?.close();
    await admin([`DROP DATABASE IF EXISTS \`${database}\``]);
  });

  const table = (tables: readonly IntrospectedTable[], name: string): IntrospectedTable => {
    const found = tables.find((t) => t.name === name);
    assert.ok(found, `introspection reports ${name}`);
    return found;
  };

  test('introspection reports tables, views and a partitioned table with its partitions', async () => {
    const { tables, server, kind } = await driver.introspect('shop');
    assert.match(server, /^(MariaDB|MySQL) \d+\.\d+\.\d+$/);
    assert.equal(kind, 'mysql');
    assert.deepEqual(
      tables.map((t) => [t.name, t.kind]),
      [
        ['customer_emails', 'view'],
        ['customers', 'table'],
        ['events', 'partitioned'],
        ['order_lines', 'table'],
        ['orders', 'table'],
        ['tickets', 'table'],
      ],
    );
    const events = table(tables, 'events');
    assert.deepEqual(events.partitions, {
      by: 'RANGE COLUMNS (`happened_on`)',
      names: ['p2024_01', 'p2024_02', 'p2024_03'],
    });
    assert.deepEqual(events.primaryKey, ['id', 'happened_on']);
    const view = table(tables, 'customer_emails');
    assert.deepEqual(view.primaryKey, []);
    assert.equal(view.rows, undefined);
    assert.deepEqual(
      view.columns.map((c) => c.name),
      ['id', 'email'],
    );
  });

  test('introspection reports columns, keys, delete rules, uniques, triggers and estimates', async () => {
    const { tables } = await driver.introspect('shop');
    const customers = table(tables, 'customers');
    assert.equal(customers.schema, database);
    assert.deepEqual(customers.columns, [
      { name: 'id', type: 'bigint(20)', nullable: false, default: 'AUTO_INCREMENT' },
      { name: 'email', type: 'varchar(255)', nullable: false },
      { name: 'name', type: 'varchar(100)', nullable: true },
      { name: 'active', type: 'tinyint(1)', nullable: false, default: '1' },
      { name: 'updated_at', type: 'timestamp(6)', nullable: false, default: 'current_timestamp(6)' },
    ]);
    assert.deepEqual(customers.primaryKey, ['id']);
    assert.deepEqual(customers.uniques, [['email']]);
    assert.deepEqual(customers.triggers, ['customers_touch']);
    assert.ok(
      customers.rows !== undefined && customers.rows >= 20 && customers.rows <= 80,
      `estimate ${customers.rows}`,
    );
    const lines = table(tables, 'order_lines');
    assert.deepEqual(lines.primaryKey, ['order_id', 'line'], 'composite key in its declared order');
    assert.deepEqual(lines.uniques, [['order_id', 'sku']]);
    assert.deepEqual(lines.foreignKeys, [
      {
        columns: ['order_id'],
        references: { table: 'orders', schema: database, columns: ['id'] },
        onDelete: 'cascade',
      },
    ]);
    assert.deepEqual(
      table(tables, 'tickets').foreignKeys.map((f) => [f.columns[0], f.onDelete]),
      [
        ['assignee_id', 'set_null'],
        ['order_id', 'restrict'],
      ],
    );
    assert.equal(table(tables, 'orders').foreignKeys[0]?.onDelete, 'cascade');
  });

  test('introspection covers the other databases the dataset names', async () => {
    const other = `${database}_b`;
    await admin([
      `CREATE DATABASE \`${other}\``,
      `CREATE TABLE \`${other}\`.notes (id INT PRIMARY KEY, customer_id BIGINT,
         FOREIGN KEY (customer_id) REFERENCES \`${database}\`.customers (id) ON DELETE CASCADE) ENGINE = InnoDB`,
    ]);
    const both = mysqlDriver(parseMysqlSettings({ system: 'shop', url: urlFor(database) }), {
      system: 'shop',
      kind: 'mysql',
      schemas: [other],
    });
    try {
      const { tables } = await both.introspect('shop');
      const notes = tables.find((t) => t.name === 'notes');
      assert.equal(notes?.schema, other);
      assert.deepEqual(notes?.foreignKeys[0]?.references, {
        table: 'customers',
        schema: database,
        columns: ['id'],
      });
      assert.ok(tables.some((t) => t.name === 'customers' && t.schema === database));
      assert.ok(
        !(await driver.introspect('shop')).tables.some((t) => t.name === 'notes'),
        'only the databases asked for',
      );
    } finally {
      await both.close();
      await admin([`DROP DATABASE \`${other}\``]);
    }
  });

  test('the mariadb:// URL reaches the same server', async () => {
    const maria = driverFor(urlFor(database, {}, mysqlUrl.replace(/^mysql:/, 'mariadb:')));
    try {
      assert.deepEqual(await maria.query('SELECT DATABASE() AS db', []), [{ db: database }]);
      assert.equal((await maria.introspect('shop')).kind, 'mariadb');
    } finally {
      await maria.close();
    }
  });

  test('connections speak UTC with a statement timeout, one statement per call', async () => {
    const [row] = await driver.query('SELECT @@session.time_zone AS tz, DATABASE() AS db', []);
    assert.deepEqual(row, { tz: '+00:00', db: database });
    await assert.rejects(
      driver.query('SELECT 1; SELECT 2', []),
      (e: unknown) => e instanceof ConnectorError,
      'two statements in one call are refused',
    );
  });

  test('hostile identifiers are quoted, and bound values with quotes and NUL bytes come back unchanged', async () => {
    const name = "we`ird'; DROP TABLE customers; --";
    const column = 'co`l ")';
    assert.equal(driver.quote('a`b'), '`a``b`');
    await driver.query(`CREATE TABLE ${driver.quote(name)} (${driver.quote(column)} TEXT)`, []);
    const tricky = `O'Brien "\\" \0 ; DROP TABLE customers; -- ? $1`;
    await driver.query(`INSERT INTO ${driver.quote(name)} VALUES (${driver.placeholder(1)})`, [tricky]);
    const rows = await driver.query(
      `SELECT ${driver.quote(column)} AS v FROM ${driver.quote(name)} WHERE ${driver.quote(column)} = ?`,
      [tricky],
    );
    assert.deepEqual(rows, [{ v: tricky }]);
    const { tables } = await driver.introspect('shop');
    assert.equal(table(tables, name).columns[0]?.name, column);
    assert.ok(table(tables, 'customers'), 'nothing else was dropped');
  });

  test('values come back in one stable shape, and a key read from a row binds back to it', async () => {
    await driver.query(
      `CREATE TABLE shapes (
         at DATETIME(6) PRIMARY KEY, ts TIMESTAMP(3) NULL, d DATE, big BIGINT, dec_ DECIMAL(10, 2),
         flag BOOLEAN, tiny TINYINT, doc JSON, raw VARBINARY(8), n INT
       )`,
      [],
    );
    await driver.query('INSERT INTO shapes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      '2024-01-15T10:00:00.123456',
      '2024-01-15 12:00:00.5',
      '2024-02-29',
      9007199254740993n,
      '12.30',
      true,
      7,
      '{"a": [1]}',
      Buffer.from([0, 1, 0]),
      42,
    ]);
    const [row] = await driver.query('SELECT * FROM shapes', []);
    assert.deepEqual(row, {
      at: '2024-01-15T10:00:00.123456',
      ts: '2024-01-15T12:00:00.500',
      d: '2024-02-29',
      big: '9007199254740993',
      dec_: '12.30',
      flag: true,
      tiny: 7,
      doc: { a: [1] },
      raw: Buffer.from([0, 1, 0]),
      n: 42,
    });
    const again = await driver.query('SELECT n FROM shapes WHERE at = ? AND ts = ? AND big = ?', [
      row?.at as string,
      row?.ts as string,
      row?.big as string,
    ]);
    assert.deepEqual(again, [{ n: 42 }], 'microseconds and big numbers survive the round trip');
    assert.deepEqual(await driver.query('SELECT n FROM shapes LIMIT ?', [1]), [{ n: 42 }]);
  });

  test('a transaction commits on one connection, and rolls back when its work throws', async () => {
    await driver.query('CREATE TABLE tx (id INT PRIMARY KEY, email VARCHAR(100) UNIQUE) ENGINE = InnoDB', []);
    await driver.transaction(async (run) => {
      await run('INSERT INTO tx VALUES (?, ?)', [1, 'kept@example.test']);
      const [a] = await run('SELECT CONNECTION_ID() AS id', []);
      assert.deepEqual(await run(`SELECT id FROM tx WHERE id = ? ${driver.lockRows}`, [1]), [{ id: 1 }]);
      const [b] = await run('SELECT CONNECTION_ID() AS id', []);
      assert.equal(a?.id, b?.id);
    });
    await assert.rejects(
      driver.transaction(async (run) => {
        await run('INSERT INTO tx VALUES (?, ?)', [2, 'gone@example.test']);
        throw new Error('the step failed');
      }),
      /the step failed/,
    );
    const duplicate = await driver
      .transaction(async (run) => {
        await run('INSERT INTO tx VALUES (?, ?)', [3, 'other@example.test']);
        await run('INSERT INTO tx VALUES (?, ?)', [4, 'kept@example.test']);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(duplicate instanceof ConnectorError);
    assert.equal(duplicate.code, 'constraint');
    assert.ok(!duplicate.message.includes('kept@example.test'), `no value in: ${duplicate.message}`);
    assert.deepEqual(await driver.query('SELECT id FROM tx ORDER BY id', []), [{ id: 1 }]);
  });

  test('a statement past the timeout is stopped with a timeout error', async () => {
    const slow = driverFor(urlFor(database, { statement_timeout: '200' }));
    try {
      await assert.rejects(
        slow.query(
          'SELECT COUNT(*) AS n FROM information_schema.COLUMNS a, information_schema.COLUMNS b, information_schema.COLUMNS c',
          [],
        ),
        (e: unknown) => e instanceof ConnectorError && e.code === 'timeout',
      );
    } finally {
      await slow.close();
    }
  });

  test('a missing table is a schema mismatch', async () => {
    await assert.rejects(
      driver.query('SELECT * FROM `no_such_table`', []),
      (e: unknown) => e instanceof ConnectorError && e.code === 'schema_mismatch',
    );
  });

  test('errors of a wrong password or database never contain the URL or the password', async () => {
    const password = 'Sup3r-s3cret!pw';
    const wrongPassword = new URL(urlFor(database));
    wrongPassword.password = password;
    const wrongDatabase = new URL(urlFor(`missing_${randomBytes(4).toString('hex')}`));
    const closedPort = new URL(urlFor(database));
    closedPort.password = password;
    closedPort.port = '1';
    for (const [url, code] of [
      [wrongPassword.toString(), 'unreachable'],
      [wrongDatabase.toString(), 'unreachable'],
      [closedPort.toString(), 'unreachable'],
    ] as const) {
      const bad = driverFor(url);
      try {
        const error = await bad.server().then(
          () => undefined,
          (e: unknown) => e,
        );
        assert.ok(error instanceof ConnectorError, 'a ConnectorError');
        assert.equal(error.code, code, error.message);
        assert.ok(!error.message.includes(password), error.message);
        assert.ok(!error.message.includes(url), error.message);
      } finally {
        await bad.close();
      }
    }
  });
});

describe('MySQL settings', () => {
  test('the URL is read by Steward, mariadb:// included', () => {
    const settings = parseMysqlSettings({
      system: 'shop',
      url: 'mariadb://app:p%40ss@db.internal:3307/shop?pool_size=3&statement_timeout=5000&ssl=true',
    });
    assert.equal(settings.host, 'db.internal');
    assert.equal(settings.port, 3307);
    assert.equal(settings.user, 'app');
    assert.equal(settings.password, 'p@ss');
    assert.equal(settings.database, 'shop');
    assert.equal(settings.poolSize, 3);
    assert.equal(settings.statementTimeoutMs, 5000);
    assert.equal(settings.ssl, 'true');
  });

  test('driver options cannot be smuggled in the URL, and bad settings are refused without the URL', () => {
    for (const url of [
      'mysql://app:hunter22@db/shop?multipleStatements=true',
      'mysql://app:hunter22@db/shop?pool_size=0',
      'mysql://app:hunter22@db/',
      'postgres://app:hunter22@db/shop',
      'not a url hunter22',
    ]) {
      assert.throws(
        () => parseMysqlSettings({ system: 'shop', url }),
        (e: unknown) =>
          e instanceof ConnectorError && e.code === 'refused' && !e.message.includes('hunter22'),
        url,
      );
    }
  });
});
