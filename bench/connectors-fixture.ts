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
  await q(`analyze`);
}

/** The reviewed dataset of the generated shop (one purpose keeps payments for bookkeeping). */
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
        fields: [{ name: 'id' }, { name: 'name' }],
      },
      {
        name: 'addresses',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id' },
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
          { name: 'restricted' },
          { name: 'created_at' },
        ],
      },
      {
        name: 'orders',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id' },
          {
            name: 'customer_id',
            category: 'user.financial.purchase_history',
            references: { collection: 'customers', field: 'id', onDelete: 'no_action' },
          },
          { name: 'placed_at', category: 'user.financial.purchase_history' },
          { name: 'total', category: 'user.financial.purchase_history' },
          { name: 'delivery_note', category: 'user.content', nullable: true },
        ],
      },
      {
        name: 'order_lines',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id' },
          { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'cascade' } },
          { name: 'sku', category: 'user.financial.purchase_history' },
          { name: 'quantity', category: 'user.financial.purchase_history' },
          { name: 'price', category: 'user.financial.purchase_history' },
        ],
      },
      {
        name: 'payments',
        ...s,
        primaryKey: ['id', 'paid_on'],
        erasure: { action: 'keep', purpose: keepPurpose },
        fields: [
          { name: 'id' },
          { name: 'paid_on', category: 'user.financial.purchase_history' },
          { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'no_action' } },
          { name: 'amount', category: 'user.financial.purchase_history' },
          { name: 'card_last4', category: 'user.financial.payment', nullable: true, mask: 'null' },
        ],
      },
      {
        name: 'support_tickets',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id' },
          { name: 'email', category: 'user.contact.email', identity: 'email', normalised: true },
          { name: 'subject', category: 'user.content.communication' },
          { name: 'body', category: 'user.content.communication' },
          { name: 'created_at' },
        ],
      },
      {
        name: 'events',
        ...s,
        primaryKey: ['id'],
        erasure: { action: 'delete' },
        fields: [
          { name: 'id' },
          {
            name: 'customer_id',
            category: 'user.behavior',
            references: { collection: 'customers', field: 'id', onDelete: 'no_action' },
          },
          { name: 'kind', category: 'user.behavior' },
          { name: 'at', category: 'user.behavior' },
        ],
      },
    ],
  };
}

/** Hand-written SQL reading the same rows the connector reads for customer `n`. */
export const rawAccess = (schema: string): readonly string[] => [
  `select * from ${schema}.customers where email = $1`,
  `select a.* from ${schema}.addresses a join ${schema}.customers c on c.address_id = a.id where c.email = $1`,
  `select o.* from ${schema}.orders o join ${schema}.customers c on c.id = o.customer_id where c.email = $1`,
  `select l.* from ${schema}.order_lines l join ${schema}.orders o on o.id = l.order_id join ${schema}.customers c on c.id = o.customer_id where c.email = $1`,
  `select p.* from ${schema}.payments p join ${schema}.orders o on o.id = p.order_id join ${schema}.customers c on c.id = o.customer_id where c.email = $1`,
  `select * from ${schema}.support_tickets where email = $1`,
  `select e.* from ${schema}.events e join ${schema}.customers c on c.id = e.customer_id where c.email = $1`,
];

/** Hand-written SQL erasing customer `n` as the dataset says, children first, in one transaction. */
export const rawErase = (schema: string): readonly string[] => [
  `delete from ${schema}.events where customer_id in (select id from ${schema}.customers where email = $1)`,
  `delete from ${schema}.support_tickets where email = $1`,
  `update ${schema}.payments set card_last4 = null where order_id in (select o.id from ${schema}.orders o join ${schema}.customers c on c.id = o.customer_id where c.email = $1)`,
  `delete from ${schema}.order_lines where order_id in (select o.id from ${schema}.orders o join ${schema}.customers c on c.id = o.customer_id where c.email = $1)`,
  `update ${schema}.customers set address_id = null where email = $1 returning 1`,
  `update ${schema}.customers set email = md5(email), phone = null, full_name = '[erased]' where email = $1`,
];
