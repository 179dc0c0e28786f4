/**
 * Nordkust Kaffe's three company databases, built on real servers for end-to-end tests: the web
 * shop on PostgreSQL (a schema with a random name), the customer register on MariaDB (a database
 * with a random name) and the support desk in a SQLite file. The DDL matches
 * examples/nordkust-kaffe/datasets/*.yaml column for column, so the reviewed datasets apply as
 * they are. Each database holds Anna (a customer with orders kept for bookkeeping, two CRM
 * contacts — one found by her email, one only through her shop customer number — and a support
 * ticket) and a decoy with the same name and look-alike addresses and numbers; further customers
 * (`customers`) get rows of the same shape.
 */
import { randomBytes } from 'node:crypto';
import SQLite from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { mysqlUrl, postgresUrl } from './services.js';

/** A customer as the three systems know them. */
export interface Customer {
  readonly email: string;
  /** The address of a second CRM contact, found only through the shop customer number. */
  readonly otherEmail?: string;
  readonly customerNo: string;
  readonly name: string;
  readonly phone: string;
  readonly pspReference: string;
  /** The street of the shop address, also on the invoices. */
  readonly street: string;
  /** Support tickets beyond the first, each with one message (a longer erasure step). */
  readonly extraTickets?: number;
}

/** The person every request is about, as each system knows her. */
export const anna = {
  email: 'anna.lund@example.com',
  otherEmail: 'a.lund@work.example',
  customerNo: 'NK-1001',
  name: 'Anna Lund',
  phone: '+46701112233',
  pspReference: 'psp_7Hq2anna',
  street: 'Hamngatan 5',
} as const satisfies Customer;

/** Someone else with the same name and look-alike identifiers, whose rows must never change. */
export const decoy = {
  email: 'anna.lund@example.org',
  customerNo: 'NK-1002',
  name: 'Anna Lund',
  phone: '+46701112234',
  pspReference: 'psp_7Hq2decoy',
  street: 'Hamngatan 7',
} as const satisfies Customer;

const NAMES = ['Björn Ek', 'Cecilia Holm', 'David Sand', 'Eva Strand', 'Frida Nyström', 'Gustav Ahl'];

/**
 * Up to six further customers (shop ids 3, 4, …), each with Anna's kind of rows: two orders, an
 * address, two CRM contacts (one only through the customer number) and a support ticket. No
 * identifier of one is part of another's.
 */
export function customers(count: number): Customer[] {
  return NAMES.slice(0, count).map((name, i) => {
    const [first = '', last = ''] = name.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').split(' ');
    return {
      email: `${first}.${last}@example.net`,
      otherEmail: `${first[0]}.${last}@office.example`,
      customerNo: `NK-2${i}0${i}`,
      name,
      phone: `+4670333${String(i).repeat(4)}`,
      pspReference: `psp_9Zt${i}${first}`,
      street: `${['Storgatan', 'Kyrkogatan', 'Torget', 'Strandvägen', 'Parkvägen', 'Bergsgatan'][i]} ${i + 1}`,
    };
  });
}

/** Strings only the decoy's rows hold: none may appear in Anna's access package. */
export const decoyOnly = [decoy.email, decoy.customerNo, decoy.phone, decoy.pspReference, 'Hamngatan 7'];

const SHOP_DDL = [
  `create table cities (id integer not null primary key, name text not null, country_code character(2) not null)`,
  `create table customers (id bigint not null primary key, customer_no character varying(20) not null unique,
     email character varying(254) not null, full_name text not null, phone text,
     created_at timestamp with time zone not null, processing_restricted boolean not null default false)`,
  `create table addresses (id bigint not null primary key,
     customer_id bigint not null references customers(id) on delete cascade,
     street text not null, postal_code text not null,
     city_id integer not null references cities(id) on delete restrict)`,
  `create table orders (id bigint not null primary key, order_no character varying(20) not null,
     customer_id bigint not null references customers(id) on delete restrict,
     delivery_address_id bigint references addresses(id) on delete set null, delivery_phone text,
     placed_at timestamp with time zone not null, total_sek numeric(10,2) not null)`,
  `create table order_lines (order_id bigint not null references orders(id) on delete cascade,
     line_no integer not null, product_sku text not null, quantity integer not null,
     unit_price_sek numeric(10,2) not null, primary key (order_id, line_no))`,
  `create table payments (id bigint not null primary key,
     order_id bigint not null references orders(id) on delete restrict, psp_reference text not null,
     amount_sek numeric(10,2) not null, status text not null, paid_at timestamp with time zone)`,
  `create table invoices (id bigint not null primary key, invoice_no character varying(20) not null,
     order_id bigint not null references orders(id) on delete restrict, billing_name text not null,
     billing_address text not null, email text, amount_sek numeric(10,2) not null, issued_on date not null)`,
];

const CRM_DDL = [
  `create table contacts (id int(10) unsigned not null primary key, email varchar(254) not null,
     first_name varchar(100), last_name varchar(100), shop_customer_no varchar(20), last_order_on date,
     suppressed tinyint(1) not null default 0, created_at datetime not null, last_seen_at datetime not null)
     engine=InnoDB`,
  `create table topics (id smallint(5) unsigned not null primary key, title varchar(100) not null) engine=InnoDB`,
  `create table interests (contact_id int(10) unsigned not null, topic_id smallint(5) unsigned not null,
     added_at datetime not null, primary key (contact_id, topic_id),
     foreign key (contact_id) references contacts(id) on delete cascade,
     foreign key (topic_id) references topics(id) on delete restrict) engine=InnoDB`,
];

const SUPPORT_DDL = `
  create table queues (id INTEGER not null primary key, name TEXT not null);
  create table tickets (id INTEGER not null primary key, requester_email TEXT not null, requester_name TEXT,
    subject TEXT not null, queue_id INTEGER not null references queues(id) on delete restrict,
    status TEXT not null, opened_at TEXT not null, updated_at TEXT not null);
  create table messages (id INTEGER not null primary key,
    ticket_id INTEGER not null references tickets(id) on delete cascade,
    direction TEXT not null, body TEXT not null, sent_at TEXT not null);
`;

type Rows = Record<string, unknown>[];

/** The web shop: a PostgreSQL schema of its own. */
export interface ShopDb {
  readonly url: string;
  all(sql: string, params?: unknown[]): Promise<Rows>;
  drop(): Promise<void>;
}

export async function createShopDb(others: readonly Customer[] = []): Promise<ShopDb> {
  const schema = `nk_shop_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  const drop = async () => {
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  try {
    await client.query(`create schema ${schema}`);
    await client.query(`set search_path to ${schema}`);
    for (const statement of SHOP_DDL) await client.query(statement);
    await client.query(`insert into cities values (1, 'Strömstad', 'SE'), (2, 'Göteborg', 'SE')`);
    const people = [anna, decoy, ...others].map((p, i) => ({
      id: i + 1,
      p,
      street: p.street,
      city: i === 1 ? 2 : 1,
    }));
    for (const { id, p, street, city } of people) {
      await client.query(
        `insert into customers (id, customer_no, email, full_name, phone, created_at) values ($1, $2, $3, $4, $5, '2024-03-01T09:00:00Z')`,
        [id, p.customerNo, p.email, p.name, p.phone],
      );
      await client.query(`insert into addresses values ($1, $2, $3, '452 30', $4)`, [
        id * 10,
        id,
        street,
        city,
      ]);
      for (const order of [id * 100, id * 100 + 1]) {
        await client.query(
          `insert into orders values ($1, $2, $3, $4, $5, '2025-04-${String(id).padStart(2, '0')}T10:00:00Z', 249.00)`,
          [order, `O-${order}`, id, id * 10, p.phone],
        );
        await client.query(
          `insert into order_lines values ($1, 1, 'BRAZIL-500', 1, 149.00), ($1, 2, 'KENYA-250', 1, 100.00)`,
          [order],
        );
        await client.query(
          `insert into payments values ($1, $1, $2, 249.00, 'paid', '2025-04-01T10:01:00Z')`,
          [order, `${p.pspReference}_${order}`],
        );
        await client.query(`insert into invoices values ($1, $2, $1, $3, $4, $5, 249.00, '2025-04-02')`, [
          order,
          `F-${order}`,
          p.name,
          `${street}, 452 30 Strömstad`,
          p.email,
        ]);
      }
    }
  } catch (error) {
    await drop();
    throw error;
  }
  const url = new URL(postgresUrl);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    all: async (sql, params = []) => (await client.query(sql, params)).rows as Rows,
    drop,
  };
}

/** The customer register: a MariaDB database of its own, reached by a user of its own. */
export interface CrmDb {
  readonly database: string;
  /** The system's setting: the register's own user and password. */
  readonly url: string;
  /** The password in `url`, which no error may show. */
  readonly password: string;
  all(sql: string, params?: unknown[]): Promise<Rows>;
  /** Drops the database (as an outage would) and `restore()` builds it again with the same rows. */
  remove(): Promise<void>;
  restore(): Promise<void>;
  drop(): Promise<void>;
}

export async function createCrmDb(others: readonly Customer[] = []): Promise<CrmDb> {
  const database = `nk_crm_${randomBytes(6).toString('hex')}`;
  const user = `nk_${randomBytes(5).toString('hex')}`;
  const password = `Pw-${randomBytes(9).toString('hex')}`;
  const server = new URL(mysqlUrl);
  const admin = await mysql.createConnection({
    host: server.hostname,
    port: Number(server.port || 3306),
    user: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    timezone: 'Z',
  });
  const build = async () => {
    await admin.query(`create database \`${database}\``);
    await admin.query(`use \`${database}\``);
    for (const statement of CRM_DDL) await admin.query(statement);
    await admin.query(`insert into topics values (1, 'Light roasts'), (2, 'Brewing')`);
    await admin.query(
      `insert into contacts (id, email, first_name, last_name, shop_customer_no, last_order_on, created_at, last_seen_at) values
        (1, ?, 'Anna', 'Lund', null, null, '2024-01-10 08:00:00', '2024-01-10 08:00:00'),
        (2, ?, 'Anna', 'Lund', ?, '2025-04-01', '2024-03-01 09:00:00', '2025-04-01 10:00:00'),
        (3, ?, 'Anna', 'Lund', ?, '2025-04-02', '2024-03-02 09:00:00', '2025-04-02 10:00:00'),
        (4, 'anna.lundberg@example.com', 'Anna', 'Lundberg', null, null, '2024-05-01 12:00:00', '2024-05-01 12:00:00')`,
      [anna.email, anna.otherEmail, anna.customerNo, decoy.email, decoy.customerNo],
    );
    await admin.query(
      `insert into interests values (1, 1, '2024-01-10 08:00:00'), (2, 2, '2024-03-01 09:00:00'),
        (3, 1, '2024-03-02 09:00:00'), (4, 2, '2024-05-01 12:00:00')`,
    );
    for (const [i, p] of others.entries()) {
      const [first, last] = p.name.split(' ');
      const id = 10 + 2 * i;
      await admin.query(
        `insert into contacts (id, email, first_name, last_name, shop_customer_no, last_order_on, created_at, last_seen_at) values
          (?, ?, ?, ?, null, null, '2024-06-01 08:00:00', '2024-06-01 08:00:00'),
          (?, ?, ?, ?, ?, '2025-04-03', '2024-06-02 08:00:00', '2025-04-03 10:00:00')`,
        [id, p.email, first, last, id + 1, p.otherEmail ?? `${id + 1}@${p.email}`, first, last, p.customerNo],
      );
      await admin.query(
        `insert into interests values (?, 1, '2024-06-01 08:00:00'), (?, 2, '2024-06-02 08:00:00')`,
        [id, id + 1],
      );
    }
  };
  const drop = async () => {
    await admin.query(`drop database if exists \`${database}\``);
    await admin.query(`drop user if exists '${user}'@'%'`);
    await admin.end();
  };
  try {
    await admin.query(`create user '${user}'@'%' identified by '${password}'`);
    await admin.query(`grant all privileges on \`${database}\`.* to '${user}'@'%'`);
    await build();
  } catch (error) {
    await drop();
    throw error;
  }
  const url = new URL(mysqlUrl.replace(/^mysql:/, 'mariadb:'));
  url.username = user;
  url.password = password;
  url.pathname = `/${database}`;
  return {
    database,
    url: url.toString(),
    password,
    async all(sql, params = []) {
      const [rows] = await admin.query(sql, params);
      return rows as Rows;
    },
    remove: async () => void (await admin.query(`drop database \`${database}\``)),
    restore: build,
    drop,
  };
}

/** The support desk: a SQLite file. */
export interface SupportDb {
  readonly url: string;
  all(sql: string, ...params: unknown[]): Rows;
  close(): void;
}

export function createSupportDb(path: string, others: readonly Customer[] = []): SupportDb {
  const db = new SQLite(path);
  db.pragma('foreign_keys = ON');
  db.exec(SUPPORT_DDL);
  db.exec(`insert into queues values (1, 'Orders'), (2, 'Wholesale')`);
  const ticket = db.prepare('insert into tickets values (?, ?, ?, ?, 1, ?, ?, ?)');
  const message = db.prepare('insert into messages values (?, ?, ?, ?, ?)');
  ticket.run(
    1,
    anna.email,
    anna.name,
    'My order O-100 has not arrived',
    'open',
    '2025-04-05T08:00:00Z',
    '2025-04-05T09:30:00Z',
  );
  message.run(1, 1, 'in', 'Hello, my parcel has not come. Anna', '2025-04-05T08:00:00Z');
  message.run(2, 1, 'out', 'Sorry Anna, a new parcel is on its way.', '2025-04-05T09:30:00Z');
  ticket.run(
    2,
    decoy.email,
    decoy.name,
    'Wrong grind in order O-200',
    'closed',
    '2025-04-06T08:00:00Z',
    '2025-04-06T08:00:00Z',
  );
  message.run(3, 2, 'in', 'I got whole beans at Hamngatan 7, I wanted ground.', '2025-04-06T08:00:00Z');
  db.transaction(() => {
    for (const [i, p] of others.entries()) {
      const order = (i + 3) * 100;
      ticket.run(
        i + 3,
        p.email,
        p.name,
        `Where is order O-${order}?`,
        'open',
        '2025-04-07T08:00:00Z',
        '2025-04-07T09:00:00Z',
      );
      message.run(
        10 + 2 * i,
        i + 3,
        'in',
        `Hello, order O-${order} is late. ${p.name}`,
        '2025-04-07T08:00:00Z',
      );
      message.run(11 + 2 * i, i + 3, 'out', 'It left the roastery today.', '2025-04-07T09:00:00Z');
      for (let n = 1; n <= (p.extraTickets ?? 0); n += 1) {
        const id = (i + 1) * 10_000 + n;
        ticket.run(
          id,
          p.email,
          p.name,
          `Question ${n}`,
          'closed',
          '2025-04-08T08:00:00Z',
          '2025-04-08T08:00:00Z',
        );
        message.run(id, id, 'in', `Question ${n} about brewing`, '2025-04-08T08:00:00Z');
      }
    }
  })();
  return {
    url: `sqlite:${path}`,
    all: (sql, ...params) => db.prepare(sql).all(...params) as Rows,
    close: () => db.close(),
  };
}
