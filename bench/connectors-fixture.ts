/**
 * The company database the `connectors` benchmark works on: a web shop with customers, their
 * addresses, reference cities, orders, order lines, payments in monthly partitions, support
 * tickets and events, generated inside PostgreSQL with `generate_series` (so ten million rows take
 * a minute, not an hour), and the reviewed dataset that describes it. The same shape exists for
 * MariaDB and SQLite at a smaller scale.
 *
 * Customer `n` has the address `n`, the email `customer<n>@example.com`, orders `n*4 .. n*4+3`,
 * two lines per order and one payment per order; one customer (`HEAVY_CUSTOMER`) also has
 * `heavyEvents` events, the person with a million rows. Every statement the benchmark compares
 * with ("hand-written SQL") is in `rawAccess` and `rawErase` below.
 */
import type pg from 'pg';
import type { DatasetInput } from '../src/connectors/dataset.js';

export interface FixtureScale {
  readonly customers: number;
  /** Extra events of the heavy customer. */
  readonly heavyEvents: number;
}

/** About ten million rows: 0.5 M customers and addresses, 2 M orders and payments, 4 M lines, 1 M events. */
export const TEN_MILLION: FixtureScale = { customers: 500_000, heavyEvents: 1_000_000 };

export const HEAVY_CUSTOMER = 7;

const ORDERS_PER_CUSTOMER = 4;

export const emailOf = (n: number): string => `customer${n}@example.com`;

/** Creates the shop in `schema` (dropped first) and fills it. */
export async function createPostgresShop(
  client: pg.ClientBase,
  schema: string,
  scale: FixtureScale,
): Promise<void> {
  const c = scale.customers;
  const orders = c * ORDERS_PER_CUSTOMER;
  const q = (text: string) => client.query(text);
  await q(`drop schema if exists ${schema} cascade`);
  await q(`create schema ${schema}`);
  await q(`set search_path to ${schema}`);
  await q(`create table cities (id int primary key, name text not null)`);
  await q(`insert into cities select g, 'City ' || g from generate_series(1, 1000) g`);
  await q(`create table addresses (id bigint primary key, street text not null, postcode text not null,
    city_id int not null references cities(id))`);
  await q(`insert into addresses select g, g || ' Harbour Street', lpad((g % 90000 + 10000)::text, 5, '0'),
    g % 1000 + 1 from generate_series(1, ${c}) g`);
  await q(`create table customers (id bigint primary key, email text not null unique, phone text,
    full_name text not null, address_id bigint references addresses(id) on delete set null,
    restricted boolean not null default false, created_at timestamptz not null)`);
  await q(`insert into customers select g, 'customer' || g || '@example.com', '+4670' || lpad(g::text, 7, '0'),
    'Customer ' || g, g, false, timestamptz '2024-01-01' + (g % 700) * interval '1 day'
    from generate_series(1, ${c}) g`);
  await q(`create table orders (id bigint primary key, customer_id bigint not null references customers(id),
    placed_at timestamptz not null, total numeric(10,2) not null, delivery_note text)`);
  await q(`create index customers_address_id on customers (address_id)`);
  await q(`insert into orders select g, g / ${ORDERS_PER_CUSTOMER}, timestamptz '2024-01-01' + (g % 700) * interval '1 day',
    (g % 500) + 0.95, null from generate_series(${ORDERS_PER_CUSTOMER}, ${orders + ORDERS_PER_CUSTOMER - 1}) g`);
  await q(`create index on orders (customer_id)`);
  await q(`create table order_lines (id bigint primary key, order_id bigint not null references orders(id) on delete cascade,
    sku text not null, quantity int not null, price numeric(10,2) not null)`);
  await q(`insert into order_lines select g, g / 2, 'SKU-' || (g % 5000), 1 + g % 3, (g % 200) + 0.5
    from generate_series(${ORDERS_PER_CUSTOMER * 2}, ${(orders + ORDERS_PER_CUSTOMER) * 2 - 1}) g`);
  await q(`create index on order_lines (order_id)`);
  await q(`create table payments (id bigint not null, paid_on date not null, order_id bigint not null references orders(id),
    amount numeric(10,2) not null, card_last4 text, primary key (id, paid_on)) partition by range (paid_on)`);
  for (let m = 0; m < 24; m += 1) {
    const from = new Date(Date.UTC(2024, m, 1)).toISOString().slice(0, 10);
    const to = new Date(Date.UTC(2024, m + 1, 1)).toISOString().slice(0, 10);
    await q(`create table payments_${from.slice(0, 7).replace('-', '_')} partition of payments
      for values from ('${from}') to ('${to}')`);
  }
  await q(`insert into payments select g, date '2024-01-01' + (g % 700), g, (g % 500) + 0.95, lpad((g % 10000)::text, 4, '0')
    from generate_series(${ORDERS_PER_CUSTOMER}, ${orders + ORDERS_PER_CUSTOMER - 1}) g`);
  await q(`create index on payments (order_id)`);
  await q(`create table support_tickets (id bigint primary key, email text not null, subject text not null,
    body text not null, created_at timestamptz not null)`);
  await q(`insert into support_tickets select g, 'customer' || g || '@example.com', 'Question ' || g,
    'About my order number ' || (g * 4), timestamptz '2024-01-01' + (g % 700) * interval '1 day'
    from generate_series(1, ${c}) g`);
  await q(`create index on support_tickets (email)`);
  await q(`create table events (id bigint primary key, customer_id bigint not null references customers(id),
    kind text not null, at timestamptz not null)`);
  await q(`insert into events select g, g % ${c} + 1, 'page_view', timestamptz '2024-01-01' + (g % 700) * interval '1 day'
    from generate_series(1, ${c}) g`);
  await q(`insert into events select ${c} + g, ${HEAVY_CUSTOMER}, 'page_view', timestamptz '2024-01-01' + (g % 700) * interval '1 minute'
    from generate_series(1, ${scale.heavyEvents}) g`);
  await q(`create index on events (customer_id)`);
  await q(`create table bench_meta (customers int not null, heavy_events int not null, shape int not null)`);
  await q(`insert into bench_meta values (${c}, ${scale.heavyEvents}, ${SHAPE})`);
  await q(`analyze`);
}

/** Bumped whenever the generated shape changes, so a cached shop of an older shape is rebuilt. */
const SHAPE = 1;

/**
 * The shop in `schema` at `scale`: reused when a previous run left one of the same scale and
 * shape there (its `bench_meta` row says so), otherwise generated afresh. Returns whether it was
 * generated. Re-runs of the benchmark erase persons, so each run picks persons not erased before.
 */
export async function ensurePostgresShop(
  client: pg.ClientBase,
  schema: string,
  scale: FixtureScale,
): Promise<boolean> {
  const meta = await client
    .query<{ customers: number; heavy_events: number; shape: number }>(`select * from ${schema}.bench_meta`)
    .catch(() => ({ rows: [] }));
  const row = meta.rows[0];
  if (row?.customers === scale.customers && row.heavy_events === scale.heavyEvents && row.shape === SHAPE) {
    await client.query(`create index if not exists customers_address_id on ${schema}.customers (address_id)`);
    return false;
  }
  await createPostgresShop(client, schema, scale);
  return true;
}

/**
 * The reviewed dataset of the generated shop (one purpose keeps payments for bookkeeping). Field
 * types are PostgreSQL's, as discovery proposes them: masking picks a strategy the column accepts
 * from them (a NOT NULL date or number gets `format`, never the text `[erased]`).
 */
export function shopDataset(system: string, schema: string | undefined, keepPurpose: string): DatasetInput {
  const s = schema === undefined ? {} : { schema };
  return {
    steward: 1,
    kind: 'dataset',
    system,
    reviewed: { by: 'benchmark', on: '2026-12-01' },
    collections: [
      {
        name: 'cities',
        ...s,
        reference: true,
        primaryKey: ['id'],
        fields: [
          { name: 'id', type: 'int' },
          { name: 'name', type: 'text' },
        ],
      },
      {
        name: 'addresses',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'street', category: 'user.contact.address' },
          { name: 'postcode', category: 'user.contact.address' },
          { name: 'city_id', references: { collection: 'cities', field: 'id', onDelete: 'restrict' } },
        ],
      },
      {
        name: 'customers',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'mask' },
        restriction: { field: 'restricted', value: true },
        fields: [
          { name: 'id', category: 'user.unique_id', identity: 'customer', mask: 'keep' },
          {
            name: 'email',
            category: 'user.contact.email',
            identity: 'email',
            normalised: true,
            mask: 'hash',
          },
          {
            name: 'phone',
            category: 'user.contact.phone_number',
            identity: 'phone',
            nullable: true,
            mask: 'null',
          },
          { name: 'full_name', category: 'user.name', mask: 'fixed' },
          {
            name: 'address_id',
            nullable: true,
            references: { collection: 'addresses', field: 'id', onDelete: 'set_null' },
          },
          { name: 'restricted', type: 'boolean' },
          { name: 'created_at', type: 'timestamptz' },
        ],
      },
      {
        name: 'orders',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id', type: 'bigint' },
          {
            name: 'customer_id',
            category: 'user.financial.purchase_history',
            references: { collection: 'customers', field: 'id', onDelete: 'no_action' },
          },
          { name: 'placed_at', type: 'timestamptz', category: 'user.financial.purchase_history' },
          { name: 'total', type: 'numeric(10,2)', category: 'user.financial.purchase_history' },
          { name: 'delivery_note', category: 'user.content', nullable: true },
        ],
      },
      {
        name: 'order_lines',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'cascade' } },
          { name: 'sku', category: 'user.financial.purchase_history' },
          { name: 'quantity', type: 'int', category: 'user.financial.purchase_history' },
          { name: 'price', type: 'numeric(10,2)', category: 'user.financial.purchase_history' },
        ],
      },
      {
        name: 'payments',
        ...s,
        primaryKey: ['id', 'paid_on'],
        erasure: { action: 'keep', purpose: keepPurpose },
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'paid_on', type: 'date', category: 'user.financial.purchase_history' },
          { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'no_action' } },
          { name: 'amount', type: 'numeric(10,2)', category: 'user.financial.purchase_history' },
          { name: 'card_last4', category: 'user.financial.payment', nullable: true, mask: 'null' },
        ],
      },
      {
        name: 'support_tickets',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id', type: 'bigint' },
          { name: 'email', category: 'user.contact.email', identity: 'email', normalised: true },
          { name: 'subject', category: 'user.content.communication' },
          { name: 'body', category: 'user.content.communication' },
          { name: 'created_at', type: 'timestamptz' },
        ],
      },
      {
        name: 'events',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id', type: 'bigint' },
          {
            name: 'customer_id',
            category: 'user.behavior',
            references: { collection: 'customers', field: 'id', onDelete: 'no_action' },
          },
          { name: 'kind', category: 'user.behavior' },
          { name: 'at', type: 'timestamptz', category: 'user.behavior' },
        ],
      },
    ],
  };
}

/**
 * Hand-written SQL reading the same rows the connector reads for one person, whose email is
 * bound to every `$1`. `p` prefixes table names (`steward_bench_shop.`, or `''` for SQLite).
 * The address is read only when no other customer shares it, as the connector's scope does.
 */
export const rawAccess = (p: string): readonly string[] => [
  `select * from ${p}customers where email = $1`,
  `select a.* from ${p}addresses a join ${p}customers c on c.address_id = a.id where c.email = $1
    and not exists (select 1 from ${p}customers o where o.address_id = a.id and o.email <> $1)`,
  `select o.* from ${p}orders o join ${p}customers c on c.id = o.customer_id where c.email = $1`,
  `select l.* from ${p}order_lines l join ${p}orders o on o.id = l.order_id join ${p}customers c on c.id = o.customer_id where c.email = $1`,
  `select y.* from ${p}payments y join ${p}orders o on o.id = y.order_id join ${p}customers c on c.id = o.customer_id where c.email = $1`,
  `select * from ${p}support_tickets where email = $1`,
  `select e.* from ${p}events e join ${p}customers c on c.id = e.customer_id where c.email = $1`,
];

/**
 * Hand-written PostgreSQL erasing one person as the engine's plan for `shopDataset` does (the
 * steps of `erasureOrder`, checked by the benchmark against `planRequest`), for one transaction:
 * 1. the address, when no other customer shares it (the database empties `customers.address_id`);
 * 2. the order lines; 3. the kept payments lose `card_last4` (bookkeeping keeps the rest);
 * 4. the orders are masked, not deleted (kept payments reference them with NO ACTION): their
 *    date and total get per-row values of the same shape, the delivery note NULL;
 * 5. the support tickets and 6. the events are deleted; 7. the customer row is masked.
 */
export const rawErase = (s: string): readonly string[] => {
  const person = `select id from ${s}.customers where email = $1`;
  const orders = `select id from ${s}.orders where customer_id in (${person})`;
  return [
    `delete from ${s}.addresses a where a.id in (select address_id from ${s}.customers where email = $1)
      and not exists (select 1 from ${s}.customers c where c.address_id = a.id and c.email <> $1)`,
    `delete from ${s}.order_lines where order_id in (${orders})`,
    `update ${s}.payments set card_last4 = null where order_id in (${orders}) and card_last4 is not null`,
    `update ${s}.orders set placed_at = date_trunc('year', placed_at) + (abs(hashtext(id::text)) % 365) * interval '1 day',
      total = (abs(hashtext(total::text)) % 1000) + 0.5, delivery_note = null where customer_id in (${person})`,
    `delete from ${s}.support_tickets where email = $1`,
    `delete from ${s}.events where customer_id in (${person})`,
    `update ${s}.customers set email = md5(email), phone = null, full_name = '[erased]' where email = $1`,
  ];
};

/** MariaDB's scale of the same shop: `seq_1_to_N` tables generate the rows. */
export async function createMariadbShop(
  query: (sql: string) => Promise<unknown>,
  database: string,
  scale: FixtureScale,
): Promise<void> {
  const c = scale.customers;
  const orders = c * ORDERS_PER_CUSTOMER;
  const q = query;
  await q(`drop database if exists ${database}`);
  await q(`create database ${database}`);
  await q(`use ${database}`);
  await q(`create table cities (id int primary key, name text not null)`);
  await q(`insert into cities select seq, concat('City ', seq) from seq_1_to_1000`);
  await q(`create table addresses (id bigint primary key, street text not null, postcode text not null,
    city_id int not null, foreign key (city_id) references cities(id))`);
  await q(`insert into addresses select seq, concat(seq, ' Harbour Street'), lpad(seq % 90000 + 10000, 5, '0'),
    seq % 1000 + 1 from seq_1_to_${c}`);
  await q(`create table customers (id bigint primary key, email varchar(255) not null unique, phone text,
    full_name text not null, address_id bigint, restricted boolean not null default false, created_at datetime not null,
    foreign key (address_id) references addresses(id) on delete set null)`);
  await q(`insert into customers select seq, concat('customer', seq, '@example.com'), concat('+4670', lpad(seq, 7, '0')),
    concat('Customer ', seq), seq, false, timestamp '2024-01-01 00:00:00' + interval (seq % 700) day from seq_1_to_${c}`);
  await q(`create table orders (id bigint primary key, customer_id bigint not null, placed_at datetime not null,
    total decimal(10,2) not null, delivery_note text, foreign key (customer_id) references customers(id))`);
  await q(`insert into orders select seq, seq div ${ORDERS_PER_CUSTOMER}, timestamp '2024-01-01 00:00:00' + interval (seq % 700) day,
    seq % 500 + 0.95, null from seq_${ORDERS_PER_CUSTOMER}_to_${orders + ORDERS_PER_CUSTOMER - 1}`);
  await q(`create table order_lines (id bigint primary key, order_id bigint not null, sku text not null,
    quantity int not null, price decimal(10,2) not null, foreign key (order_id) references orders(id) on delete cascade)`);
  await q(`insert into order_lines select seq, seq div 2, concat('SKU-', seq % 5000), 1 + seq % 3, seq % 200 + 0.5
    from seq_${ORDERS_PER_CUSTOMER * 2}_to_${(orders + ORDERS_PER_CUSTOMER) * 2 - 1}`);
  await q(`create table payments (id bigint not null, paid_on date not null, order_id bigint not null,
    amount decimal(10,2) not null, card_last4 text, primary key (id, paid_on), foreign key (order_id) references orders(id))`);
  await q(`insert into payments select seq, date '2024-01-01' + interval (seq % 700) day, seq, seq % 500 + 0.95,
    lpad(seq % 10000, 4, '0') from seq_${ORDERS_PER_CUSTOMER}_to_${orders + ORDERS_PER_CUSTOMER - 1}`);
  await q(`create table support_tickets (id bigint primary key, email varchar(255) not null, subject text not null,
    body text not null, created_at datetime not null, index (email))`);
  await q(`insert into support_tickets select seq, concat('customer', seq, '@example.com'), concat('Question ', seq),
    concat('About my order number ', seq * 4), timestamp '2024-01-01 00:00:00' + interval (seq % 700) day from seq_1_to_${c}`);
  await q(`create table events (id bigint primary key, customer_id bigint not null, kind text not null, at datetime not null,
    foreign key (customer_id) references customers(id))`);
  await q(`insert into events select seq, seq % ${c} + 1, 'page_view', timestamp '2024-01-01 00:00:00' + interval (seq % 700) day
    from seq_1_to_${c}`);
  await q(`insert into events select ${c} + seq, ${HEAVY_CUSTOMER}, 'page_view', timestamp '2024-01-01 00:00:00' + interval (seq % 700) minute
    from seq_1_to_${scale.heavyEvents}`);
  await q(
    `analyze table cities, addresses, customers, orders, order_lines, payments, support_tickets, events`,
  );
}

/** SQLite's scale of the same shop, generated with recursive CTEs in one transaction. */
export function createSqliteShop(exec: (sql: string) => void, scale: FixtureScale): void {
  const c = scale.customers;
  const orders = c * ORDERS_PER_CUSTOMER;
  const series = (from: number, to: number) =>
    `with recursive g(n) as (select ${from} union all select n + 1 from g where n < ${to})`;
  const day = (n: string) => `strftime('%Y-%m-%dT%H:%M:%SZ', '2024-01-01', '+' || (${n} % 700) || ' days')`;
  exec('pragma foreign_keys = on');
  exec('begin');
  exec(`create table cities (id integer primary key, name text not null)`);
  exec(`${series(1, 1000)} insert into cities select n, 'City ' || n from g`);
  exec(`create table addresses (id integer primary key, street text not null, postcode text not null,
    city_id integer not null references cities(id))`);
  exec(
    `${series(1, c)} insert into addresses select n, n || ' Harbour Street', printf('%05d', n % 90000 + 10000), n % 1000 + 1 from g`,
  );
  exec(`create table customers (id integer primary key, email text not null unique, phone text, full_name text not null,
    address_id integer references addresses(id) on delete set null, restricted integer not null default 0, created_at text not null)`);
  exec(`${series(1, c)} insert into customers select n, 'customer' || n || '@example.com', '+4670' || printf('%07d', n),
    'Customer ' || n, n, 0, ${day('n')} from g`);
  exec(`create index customers_address_id on customers (address_id)`);
  exec(`create table orders (id integer primary key, customer_id integer not null references customers(id),
    placed_at text not null, total real not null, delivery_note text)`);
  exec(`${series(ORDERS_PER_CUSTOMER, orders + ORDERS_PER_CUSTOMER - 1)} insert into orders
    select n, n / ${ORDERS_PER_CUSTOMER}, ${day('n')}, (n % 500) + 0.95, null from g`);
  exec(`create index orders_customer on orders (customer_id)`);
  exec(`create table order_lines (id integer primary key, order_id integer not null references orders(id) on delete cascade,
    sku text not null, quantity integer not null, price real not null)`);
  exec(`${series(ORDERS_PER_CUSTOMER * 2, (orders + ORDERS_PER_CUSTOMER) * 2 - 1)} insert into order_lines
    select n, n / 2, 'SKU-' || (n % 5000), 1 + n % 3, (n % 200) + 0.5 from g`);
  exec(`create index order_lines_order on order_lines (order_id)`);
  exec(`create table payments (id integer not null, paid_on text not null, order_id integer not null references orders(id),
    amount real not null, card_last4 text, primary key (id, paid_on))`);
  exec(`${series(ORDERS_PER_CUSTOMER, orders + ORDERS_PER_CUSTOMER - 1)} insert into payments
    select n, date('2024-01-01', '+' || (n % 700) || ' days'), n, (n % 500) + 0.95, printf('%04d', n % 10000) from g`);
  exec(`create index payments_order on payments (order_id)`);
  exec(`create table support_tickets (id integer primary key, email text not null, subject text not null,
    body text not null, created_at text not null)`);
  exec(`${series(1, c)} insert into support_tickets select n, 'customer' || n || '@example.com', 'Question ' || n,
    'About my order number ' || (n * 4), ${day('n')} from g`);
  exec(`create index support_tickets_email on support_tickets (email)`);
  exec(`create table events (id integer primary key, customer_id integer not null references customers(id),
    kind text not null, at text not null)`);
  exec(`${series(1, c)} insert into events select n, n % ${c} + 1, 'page_view', ${day('n')} from g`);
  exec(
    `${series(1, scale.heavyEvents)} insert into events select ${c} + n, ${HEAVY_CUSTOMER}, 'page_view', ${day('n')} from g`,
  );
  exec(`create index events_customer on events (customer_id)`);
  exec('commit');
  exec('analyze');
}
