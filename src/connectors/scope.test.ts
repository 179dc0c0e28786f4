/** Unit tests of scopeFor: seeds, references followed down and up, cycles, reference data. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Scope, Seeds } from './contract.js';
import { datasetSchema } from './dataset.js';
import type { DatasetInput } from './dataset.js';
import { CYCLE_TURNS, MAX_SCOPE_NODES, scopeFor } from './scope.js';

type CollectionInput = DatasetInput['collections'][number];

const dataset = (...collections: CollectionInput[]) =>
  datasetSchema.parse({ steward: 1, kind: 'dataset', system: 'shop', collections });

const ref = (collection: string, field = 'id') => ({ references: { collection, field } });

/** A scope as compact text: `email~[a@x]` (case-insensitive), `orders.customer_id<-(...)`, `a|b`. */
function show(scope: Scope | undefined): string {
  if (scope === undefined) return '-';
  switch (scope.kind) {
    case 'match':
      return `${scope.field}${scope.caseInsensitive === true ? '~' : '='}[${scope.values.map(String).join(',')}]`;
    case 'child':
      return `${scope.field}->${scope.parent}.${scope.parentField}(${show(scope.parentScope)})`;
    case 'parent':
      return `${scope.field}<-${scope.child}.${scope.childField}(${show(scope.childScope)}) unless ${scope.others
        .map((o) => `${o.collection}.${o.field}${o.scope === undefined ? '' : '*'}`)
        .join(',')}`;
    case 'any':
      return scope.of.map(show).join(' | ');
  }
}

const email = (value: string): Seeds => ({ identities: [{ kind: 'email', value }] });

const shop = dataset(
  {
    name: 'customers',
    primaryKey: ['id'],
    fields: [
      { name: 'id' },
      { name: 'email', identity: 'email' },
      { name: 'phone', identity: 'phone' },
      { name: 'customer_no', identity: 'customer' },
      { name: 'address_id', ...ref('addresses') },
    ],
  },
  {
    name: 'orders',
    primaryKey: ['id'],
    fields: [{ name: 'id' }, { name: 'customer_id', ...ref('customers') }],
  },
  {
    name: 'order_lines',
    primaryKey: ['id'],
    fields: [{ name: 'id' }, { name: 'order_id', ...ref('orders') }],
  },
  {
    name: 'tickets',
    primaryKey: ['id'],
    fields: [
      { name: 'id' },
      { name: 'email', identity: 'email', normalised: true },
      { name: 'customer_id', ...ref('customers') },
    ],
  },
  {
    name: 'addresses',
    primaryKey: ['id'],
    fields: [{ name: 'id' }, { name: 'city_id', ...ref('cities') }],
  },
  {
    name: 'cities',
    reference: true,
    primaryKey: ['id'],
    fields: [{ name: 'id' }, { name: 'mayor_email', identity: 'email' }],
  },
  { name: 'warehouses', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'city_id', ...ref('cities') }] },
);

test('seeds: emails match case-insensitively unless the field is normalised; other kinds exactly', () => {
  const scopes = scopeFor(shop, {
    identities: [
      { kind: 'email', value: 'Alice@Example.com' },
      { kind: 'phone', value: '+46701234567' },
    ],
  });
  const customers = scopes.get('customers');
  assert.equal(customers?.kind, 'any');
  assert.equal(show(customers), 'email~[alice@example.com] | phone=[+46701234567]');
  assert.match(show(scopes.get('tickets')), /^email=\[Alice@Example\.com\] \| customer_id->customers/);
});

test('seeds: duplicate and null values are dropped; a kind with no values seeds nothing', () => {
  const scopes = scopeFor(shop, {
    identities: [
      { kind: 'customer', value: 'C-1' },
      { kind: 'customer', value: 'C-1' },
    ],
  });
  assert.equal(show(scopes.get('customers')), 'customer_no=[C-1]');
  assert.equal(scopeFor(shop, { identities: [] }).size, 0);
  assert.equal(scopeFor(shop, { identities: [{ kind: 'account', value: 'u1' }] }).size, 0);
});

test('seeds: linked values match their collection and field', () => {
  const scopes = scopeFor(shop, {
    identities: [],
    linked: [{ collection: 'orders', field: 'id', values: [7, 8, null] }],
  });
  assert.equal(show(scopes.get('orders')), 'id=[7,8]');
  assert.equal(show(scopes.get('order_lines')), 'order_id->orders.id(id=[7,8])');
  // The orders' customer row is reached upward, unless a ticket of someone else refers to it.
  assert.equal(
    show(scopes.get('customers')),
    'id<-orders.customer_id(id=[7,8]) unless orders.customer_id*,tickets.customer_id',
  );
  // A link to a reference collection or an unknown field is ignored.
  const none = scopeFor(shop, {
    identities: [],
    linked: [
      { collection: 'cities', field: 'id', values: [1] },
      { collection: 'orders', field: 'nope', values: [1] },
    ],
  });
  assert.equal(none.size, 0);
});

test('downward: children and grandchildren of the seeded rows, several paths as any', () => {
  const scopes = scopeFor(shop, email('a@x'));
  assert.equal(show(scopes.get('orders')), 'customer_id->customers.id(email~[a@x])');
  assert.equal(
    show(scopes.get('order_lines')),
    'order_id->orders.id(customer_id->customers.id(email~[a@x]))',
  );
  assert.equal(show(scopes.get('tickets')), 'email=[a@x] | customer_id->customers.id(email~[a@x])');
});

test('reference collections are never seeded, entered or left; unreachable collections get no entry', () => {
  const scopes = scopeFor(shop, email('mayor@city'));
  assert.equal(scopes.has('cities'), false);
  assert.equal(scopes.has('warehouses'), false);
  assert.deepEqual(
    [...scopes.keys()].sort(),
    ['addresses', 'customers', 'order_lines', 'orders', 'tickets'].sort(),
  );
});

test('upward one hop: a referenced row is the person’s unless any other collection references it out of scope', () => {
  const scopes = scopeFor(shop, email('a@x'));
  const addresses = scopes.get('addresses');
  assert.equal(addresses?.kind, 'parent');
  assert.equal(show(addresses), 'id<-customers.address_id(email~[a@x]) unless customers.address_id*');
  // Nothing is followed down from a collection reached upward, nor up again.
  assert.equal(scopes.has('cities'), false);
});

test('upward: others lists every referencing collection, in scope or not, reference data included', () => {
  const ds = dataset(
    { name: 'people', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'email', identity: 'email' }] },
    {
      name: 'orders',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'person_id', ...ref('people') },
        { name: 'ship_to', ...ref('addresses') },
      ],
    },
    { name: 'addresses', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'note' }] },
    {
      name: 'shops',
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'address_id', ...ref('addresses') }],
    },
    {
      name: 'depots',
      reference: true,
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'address_id', ...ref('addresses') }],
    },
    {
      name: 'shop_staff',
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'shop_id', ...ref('shops') }, { name: 'email', identity: 'email' }],
    },
  );
  const scopes = scopeFor(ds, email('a@x'));
  assert.equal(
    show(scopes.get('addresses')),
    'id<-orders.ship_to(person_id->people.id(email~[a@x])) unless orders.ship_to*,shops.address_id,depots.address_id',
  );
  // shops is referenced only by shop_staff, which is seeded: shops is reached upward, and its
  // children are not followed from there.
  assert.match(show(scopes.get('shops')), /^id<-shop_staff\.shop_id/);
});

test('upward: a parent reached from several collections takes any of the paths', () => {
  const ds = dataset(
    {
      name: 'customers',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'email', identity: 'email' },
        { name: 'address_id', ...ref('addresses') },
      ],
    },
    {
      name: 'orders',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'customer_id', ...ref('customers') },
        { name: 'ship_to', ...ref('addresses') },
      ],
    },
    { name: 'addresses', primaryKey: ['id'], fields: [{ name: 'id' }] },
  );
  const addresses = scopeFor(ds, email('a@x')).get('addresses');
  assert.equal(addresses?.kind, 'any');
  if (addresses?.kind !== 'any') return;
  assert.deepEqual(
    addresses.of.map((s) => (s.kind === 'parent' ? `${s.child}.${s.childField}` : s.kind)),
    ['customers.address_id', 'orders.ship_to'],
  );
  for (const s of addresses.of)
    if (s.kind === 'parent')
      assert.deepEqual(
        s.others.map((o) => `${o.collection}.${o.field}:${o.scope === undefined ? 'none' : 'scoped'}`),
        ['customers.address_id:scoped', 'orders.ship_to:scoped'],
      );
});

test('a child takes every path of its parent, however late the parent’s other paths are found', () => {
  // W is reached from A directly and through X → Y → Z; V below W must see both.
  const chain = (name: string, parent?: string) => ({
    name,
    primaryKey: ['id'],
    fields: [{ name: 'id' }, ...(parent === undefined ? [] : [{ name: 'p', ...ref(parent) }])],
  });
  const ds = dataset(
    { name: 'a', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'email', identity: 'email' }] },
    { name: 'x', primaryKey: ['id'], fields: [{ name: 'id' }, { name: 'email', identity: 'email' }] },
    chain('y', 'x'),
    chain('z', 'y'),
    {
      name: 'w',
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'from_a', ...ref('a') }, { name: 'from_z', ...ref('z') }],
    },
    chain('v', 'w'),
    chain('u', 'v'),
  );
  const u = show(scopeFor(ds, email('a@x')).get('u'));
  assert.match(u, /from_a->a\.id/);
  assert.match(u, /from_z->z\.id\(p->y\.id\(p->x\.id/);
});

test('a self-reference is followed CYCLE_TURNS times and stops', () => {
  const ds = dataset({
    name: 'tickets',
    primaryKey: ['id'],
    fields: [{ name: 'id' }, { name: 'email', identity: 'email' }, { name: 'reply_to', ...ref('tickets') }],
  });
  const scope = scopeFor(ds, email('a@x')).get('tickets');
  // How many replies deep the tree reaches: each turn nests one more child-of-tickets.
  const depth = (s: Scope | undefined): number =>
    s === undefined
      ? 0
      : s.kind === 'any'
        ? Math.max(...s.of.map(depth))
        : s.kind === 'child'
          ? 1 + depth(s.parentScope)
          : 0;
  assert.equal(show(scope).split('reply_to->tickets.id(').length - 1 >= CYCLE_TURNS, true);
  assert.equal(depth(scope), CYCLE_TURNS);
});

test('a cycle across collections terminates, and each member is reached through it', () => {
  // customers.default_address → addresses, addresses.customer_id → customers; notes only under addresses.
  const ds = dataset(
    {
      name: 'customers',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'email', identity: 'email' },
        { name: 'default_address', ...ref('addresses') },
      ],
    },
    {
      name: 'addresses',
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'customer_id', ...ref('customers') }],
    },
    {
      name: 'notes',
      primaryKey: ['id'],
      fields: [{ name: 'id' }, { name: 'address_id', ...ref('addresses') }],
    },
  );
  const scopes = scopeFor(ds, email('a@x'));
  assert.deepEqual([...scopes.keys()].sort(), ['addresses', 'customers', 'notes']);
  const text = show(scopes.get('notes'));
  assert.match(text, /^address_id->addresses\.id\(/);
  assert.ok(text.length < 10_000, 'the unrolled cycle stays small');
});

test('scopes are rebuilt from the seeds alone: the same seeds give the same trees', () => {
  assert.deepEqual(scopeFor(shop, email('a@x')), scopeFor(shop, email('a@x')));
});

test('a knot of references (every collection referencing every other) stops turning at a bounded size', () => {
  const names = ['a', 'b', 'c', 'd', 'e'];
  const ds = dataset(
    ...names.map((name) => ({
      name,
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        ...(name === 'a' ? [{ name: 'email', identity: 'email' as const }] : []),
        ...names.filter((n) => n !== name).map((n) => ({ name: `${n}_id`, ...ref(n) })),
      ],
    })),
  );
  const scopes = scopeFor(ds, email('a@x'));
  assert.deepEqual([...scopes.keys()].sort(), names);
  const count = (s: Scope): number =>
    s.kind === 'match'
      ? 1
      : s.kind === 'child'
        ? 1 + count(s.parentScope)
        : s.kind === 'any'
          ? s.of.reduce((n, x) => n + count(x), 1)
          : 1 + count(s.childScope);
  for (const scope of scopes.values()) assert.ok(count(scope) <= MAX_SCOPE_NODES, String(count(scope)));
});
