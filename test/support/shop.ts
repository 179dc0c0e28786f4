/**
 * A company database for tests of connected systems: a web shop as a real SQLite file
 * (customers, addresses, orders with lines, invoices kept for bookkeeping), its reviewed
 * dataset, a ledger's dataset, and the reference declaration with such systems declared.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { referenceDeclaration } from './paths.js';

/** The web shop: customers, their addresses, orders and lines, invoices kept for bookkeeping. */
export const SHOP_SCHEMA = `
  create table customers (id integer primary key, email text not null unique, full_name text not null,
    phone text, restricted integer not null default 0);
  create table addresses (id integer primary key,
    customer_id integer not null references customers(id) on delete cascade, address text not null);
  create table orders (id integer primary key,
    customer_id integer not null references customers(id) on delete restrict,
    placed_at text not null, total real not null, delivery_phone text);
  create table order_lines (id integer primary key,
    order_id integer not null references orders(id) on delete cascade,
    sku text not null, quantity integer not null, price real not null);
  create table invoices (id integer primary key,
    order_id integer not null references orders(id) on delete restrict, invoice_no text not null,
    billing_name text not null, billing_address text not null, email text, amount real not null,
    issued_on text not null);
`;

export const SHOP_DATASET = `steward: 1
kind: dataset
system: shop
reviewed: { by: Test Reviewer, on: '2026-11-30' }
collections:
  - name: customers
    description: One row per customer account.
    primaryKey: [id]
    erasure: { action: mask }
    restriction: { field: restricted, value: 1 }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: email, type: TEXT, nullable: false, category: user.contact.email, identity: email, normalised: true, mask: format }
      - { name: full_name, type: TEXT, nullable: false, category: user.name, mask: fixed }
      - { name: phone, type: TEXT, nullable: true, category: user.contact.phone_number, identity: phone, mask: 'null' }
      - { name: restricted, type: INTEGER, nullable: false }
  - name: addresses
    primaryKey: [id]
    erasure: { action: delete }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: customer_id, type: INTEGER, nullable: false, references: { collection: customers, field: id, onDelete: cascade } }
      - { name: address, type: TEXT, nullable: false, category: user.contact.address }
  - name: orders
    primaryKey: [id]
    erasure: { action: keep, purpose: bookkeeping }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: customer_id, type: INTEGER, nullable: false, references: { collection: customers, field: id, onDelete: restrict } }
      - { name: placed_at, type: TEXT, nullable: false, category: user.financial.purchase_history }
      - { name: total, type: REAL, nullable: false, category: user.financial.purchase_history }
      - { name: delivery_phone, type: TEXT, nullable: true, category: user.contact.phone_number, mask: 'null' }
  - name: order_lines
    primaryKey: [id]
    erasure: { action: delete }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: order_id, type: INTEGER, nullable: false, references: { collection: orders, field: id, onDelete: cascade } }
      - { name: sku, type: TEXT, nullable: false, category: user.financial.purchase_history }
      - { name: quantity, type: INTEGER, nullable: false }
      - { name: price, type: REAL, nullable: false }
  - name: invoices
    description: The accounting vouchers.
    primaryKey: [id]
    purposes: [b2b_service_provision, bookkeeping]
    erasure: { action: keep, purpose: bookkeeping }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: order_id, type: INTEGER, nullable: false, references: { collection: orders, field: id, onDelete: restrict } }
      - { name: invoice_no, type: TEXT, nullable: false }
      - { name: billing_name, type: TEXT, nullable: false, category: user.name }
      - { name: billing_address, type: TEXT, nullable: false, category: user.contact.address }
      - { name: email, type: TEXT, nullable: true, category: user.contact.email, mask: 'null' }
      - { name: amount, type: REAL, nullable: false, category: user.financial.purchase_history }
      - { name: issued_on, type: TEXT, nullable: false }
`;

export const LEDGER_DATASET = `steward: 1
kind: dataset
system: ledger
reviewed: { by: Test Reviewer, on: '2026-11-30' }
collections:
  - name: entries
    primaryKey: [id]
    erasure: { action: delete }
    fields:
      - { name: id, type: INTEGER, nullable: false }
      - { name: email, type: TEXT, nullable: false, category: user.contact.email, identity: email, normalised: true }
`;

const system = (id: string, name: string) => `
  - id: ${id}
    name: { en: ${name}, sv: ${name} }
    kind: sqlite
    operator: self
    purposes: [b2b_service_provision, bookkeeping]
    hosting: { country: SE }
    owner: ${id}-team@example.com
`;

/** The reference declaration with connected systems, and their datasets beside it. */
export function declarationWith(
  dir: string,
  systems: readonly { id: string; name: string; dataset: string }[],
): string {
  mkdirSync(join(dir, 'datasets'), { recursive: true });
  const file = join(dir, 'declaration.yaml');
  writeFileSync(
    file,
    `${readFileSync(referenceDeclaration, 'utf8').trimEnd()}\n\nsystems:${systems.map((s) => system(s.id, s.name)).join('')}`,
  );
  for (const s of systems) writeFileSync(join(dir, 'datasets', `${s.id}.yaml`), s.dataset);
  return file;
}

export interface Shop {
  readonly path: string;
  add(n: number, email: string, name: string): void;
  all<T>(sql: string, ...params: unknown[]): T[];
  close(): void;
}

/** Customer `n`: one address, two orders of two lines each, an invoice per order. */
export function createShop(path: string): Shop {
  const db = new SQLite(path);
  db.pragma('foreign_keys = ON');
  db.exec(SHOP_SCHEMA);
  return {
    path,
    add(n, email, name) {
      db.prepare('insert into customers values (?, ?, ?, ?, 0)').run(n, email, name, `+4670${1000000 + n}`);
      db.prepare('insert into addresses values (?, ?, ?)').run(n, n, `${n} Harbour Street, Luleå`);
      for (const o of [n * 10, n * 10 + 1]) {
        db.prepare('insert into orders values (?, ?, ?, ?, ?)').run(
          o,
          n,
          '2026-05-01',
          120.5,
          'Leave at the door',
        );
        for (const l of [o * 10, o * 10 + 1])
          db.prepare('insert into order_lines values (?, ?, ?, 1, 60.25)').run(l, o, `SKU-${l}`);
        db.prepare('insert into invoices values (?, ?, ?, ?, ?, ?, 120.5, ?)').run(
          o,
          o,
          `F-${o}`,
          name,
          `${n} Harbour Street, Luleå`,
          email,
          '2026-05-01',
        );
      }
    },
    all: <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    close: () => db.close(),
  };
}
