import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CollectionScope } from '../connectors/contract.js';
import type { DatasetInput } from '../connectors/dataset.js';
import { datasetSchema } from '../connectors/dataset.js';
import { erasureOrder, ErasureOrderError } from './order.js';

const dataset = (collections: DatasetInput['collections']) =>
  datasetSchema.parse({ steward: 1, kind: 'dataset', system: 'shop', collections });

/** A shop: customers found by email, their addresses, orders with lines, invoices kept for bookkeeping. */
const shop = () =>
  dataset([
    { name: 'cities', reference: true, primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'name' }] },
    {
      name: 'addresses',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      fields: [
        { name: 'id' },
        { name: 'street', category: 'user.contact.address' },
        { name: 'city_id', references: { collection: 'cities', field: 'id', onDelete: 'restrict' } },
      ],
    },
    {
      name: 'customers',
      primaryKey: ['id'],
      erasure: { action: 'mask' },
      fields: [
        { name: 'id', identity: 'customer' },
        { name: 'email', category: 'user.contact.email', identity: 'email' },
        { name: 'name', category: 'user.name' },
        {
          name: 'address_id',
          references: { collection: 'addresses', field: 'id', onDelete: 'set_null' },
        },
      ],
    },
    {
      name: 'orders',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      fields: [
        { name: 'id' },
        { name: 'customer_id', references: { collection: 'customers', field: 'id', onDelete: 'no_action' } },
        { name: 'note', category: 'user.content' },
      ],
    },
    {
      name: 'order_lines',
      primaryKey: ['id'],
      erasure: { action: 'delete' },
      fields: [
        { name: 'id' },
        { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'cascade' } },
        { name: 'sku', category: 'user.financial.purchase_history' },
      ],
    },
    {
      name: 'invoices',
      primaryKey: ['id'],
      erasure: { action: 'keep', purpose: 'bookkeeping' },
      fields: [
        { name: 'id' },
        { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'restrict' } },
        { name: 'billed_name', category: 'user.name' },
        { name: 'billed_email', category: 'user.contact.email' },
      ],
    },
    {
      name: 'events',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'customer_id', references: { collection: 'customers', field: 'id', onDelete: 'no_action' } },
      ],
    },
    { name: 'warehouse_log', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'text' }] },
  ]);

const indexOf = (names: readonly string[], name: string) => {
  const i = names.indexOf(name);
  assert.ok(i >= 0, `${name} has a step`);
  return i;
};

describe('erasure order', () => {
  test('C9.2 erasure order: children before parents, kept rows keep their parents (masked, with the reason), paths kept until used', () => {
    const order = erasureOrder(shop());
    const names = order.steps.map((s) => s.collection);
    const step = (name: string) => order.steps.find((s) => s.collection === name)!;

    // Orders would be deleted, but kept invoices reference them under RESTRICT.
    assert.equal(step('orders').declared, 'delete');
    assert.equal(step('orders').action, 'mask');
    assert.match(step('orders').reason ?? '', /invoices.*kept.*ON DELETE RESTRICT/);
    // Lines cascade from orders, but orders are masked now: lines need their own delete.
    assert.equal(step('order_lines').action, 'delete');
    assert.ok(indexOf(names, 'order_lines') < indexOf(names, 'orders'));
    assert.ok(indexOf(names, 'invoices') < indexOf(names, 'orders'));
    // Found through the customer row: handled before it is masked.
    assert.ok(indexOf(names, 'orders') < indexOf(names, 'customers'));
    assert.ok(indexOf(names, 'events') < indexOf(names, 'customers'));
    // The address is found through the customer row that points at it: it goes first, and SET
    // NULL lets it go while the masked customer row still exists.
    assert.ok(indexOf(names, 'addresses') < indexOf(names, 'customers'));
    assert.equal(step('addresses').action, 'delete');
    assert.match(step('addresses').notes.join(' '), /customers\.address_id to NULL/);
    assert.deepEqual([...step('customers').after].sort(), ['addresses', 'events', 'orders']);
    assert.equal(step('events').action, 'delete', 'the default action is delete');

    assert.deepEqual(
      order.skipped.map((s) => s.collection),
      ['cities', 'warehouse_log'],
      'reference data and unreachable tables get no step',
    );
  });

  test('C9.2 erasure order: a CASCADE child found only through its parent goes with the parent', () => {
    const order = erasureOrder(
      dataset([
        {
          name: 'customers',
          primaryKey: ['id'],
          fields: [{ name: 'id' }, { name: 'email', identity: 'email', category: 'user.contact.email' }],
        },
        {
          name: 'orders',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            {
              name: 'customer_id',
              references: { collection: 'customers', field: 'id', onDelete: 'restrict' },
            },
          ],
        },
        {
          name: 'order_lines',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'cascade' } },
          ],
        },
        {
          name: 'line_notes',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            { name: 'line_id', references: { collection: 'order_lines', field: 'id', onDelete: 'restrict' } },
          ],
        },
      ]),
    );
    assert.deepEqual(
      order.steps.map((s) => [s.collection, s.action, s.cascades]),
      [
        ['line_notes', 'delete', []],
        ['orders', 'delete', ['order_lines']],
        ['customers', 'delete', []],
      ],
    );
    // What had to go before the lines goes before the order that takes them with it.
    assert.deepEqual(order.steps[1]?.after, ['line_notes']);
  });

  test('C9.2 erasure order: a parent found through a RESTRICT child, or referenced by masked rows, is masked', () => {
    const order = erasureOrder(
      dataset([
        {
          name: 'addresses',
          primaryKey: ['id'],
          fields: [{ name: 'id' }, { name: 'street', category: 'user.contact.address' }],
        },
        {
          name: 'customers',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            { name: 'email', identity: 'email' },
            {
              name: 'address_id',
              references: { collection: 'addresses', field: 'id', onDelete: 'restrict' },
            },
          ],
        },
        {
          name: 'accounts',
          primaryKey: ['id'],
          fields: [{ name: 'id' }, { name: 'login', identity: 'account' }],
        },
        {
          name: 'audit',
          primaryKey: ['id'],
          erasure: { action: 'mask' },
          fields: [
            { name: 'id' },
            {
              name: 'account_id',
              references: { collection: 'accounts', field: 'id', onDelete: 'no_action' },
            },
          ],
        },
      ]),
    );
    const step = (name: string) => order.steps.find((s) => s.collection === name)!;
    assert.equal(step('addresses').action, 'mask');
    assert.match(step('addresses').reason ?? '', /found through rows of customers/);
    assert.equal(step('customers').action, 'delete');
    assert.deepEqual(step('customers').after, ['addresses']);
    assert.equal(step('accounts').action, 'mask');
    assert.match(step('accounts').reason ?? '', /rows of audit that stay \(masked, not deleted\)/);
  });

  test('C9.2 erasure order: a masked parent stays, so its own RESTRICT parent is masked too', () => {
    const order = erasureOrder(
      dataset([
        { name: 'a', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'email', identity: 'email' }] },
        {
          name: 'b',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            { name: 'a_id', references: { collection: 'a', field: 'id', onDelete: 'restrict' } },
          ],
        },
        {
          name: 'c',
          primaryKey: ['id'],
          erasure: { action: 'keep', purpose: 'bookkeeping' },
          fields: [
            { name: 'id' },
            { name: 'b_id', references: { collection: 'b', field: 'id', onDelete: 'restrict' } },
          ],
        },
      ]),
    );
    assert.deepEqual(
      order.steps.map((s) => [s.collection, s.action]),
      [
        ['c', 'keep'],
        ['b', 'mask'],
        ['a', 'mask'],
      ],
    );
  });

  test('C9.2 erasure order: a cycle with no safe order is an error naming the collections', () => {
    const cyclic = dataset([
      {
        name: 'people',
        primaryKey: ['id'],
        fields: [
          { name: 'id' },
          { name: 'email', identity: 'email' },
          { name: 'team_id', references: { collection: 'teams', field: 'id', onDelete: 'restrict' } },
        ],
      },
      {
        name: 'teams',
        primaryKey: ['id'],
        fields: [
          { name: 'id' },
          { name: 'contact', identity: 'email' },
          { name: 'lead_id', references: { collection: 'people', field: 'id', onDelete: 'restrict' } },
        ],
      },
    ]);
    assert.throws(
      () => erasureOrder(cyclic),
      (error: unknown) =>
        error instanceof ErasureOrderError &&
        error.cycle.length === 2 &&
        /No safe erasure order in shop: (people|teams) must be handled before (teams|people) must be handled before/.test(
          error.message,
        ),
    );
  });

  test('the paths come from the scopes when they are given', () => {
    const data = shop();
    const scopes: CollectionScope[] = [
      { collection: 'customers', scope: { kind: 'match', field: 'email', values: ['a@example.com'] } },
      {
        collection: 'events',
        scope: {
          kind: 'child',
          field: 'customer_id',
          parent: 'customers',
          parentField: 'id',
          parentScope: { kind: 'match', field: 'email', values: ['a@example.com'] },
        },
      },
    ];
    const order = erasureOrder(data, scopes);
    assert.deepEqual(
      order.steps.map((s) => s.collection),
      ['events', 'customers'],
    );
    assert.ok(
      order.skipped.some((s) => s.collection === 'orders'),
      'no scope, no step',
    );
  });
});
