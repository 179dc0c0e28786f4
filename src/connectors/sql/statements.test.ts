/**
 * Unit tests of the statement builder: scopes compile to bound values and quoted identifiers,
 * placeholders in the order their values are bound, NULL-safe negation, schema qualification.
 * (The statements' behaviour on real databases is the contract suite's.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FieldValue, Scope } from '../contract.js';
import { datasetSchema } from '../dataset.js';
import type { DatasetInput } from '../dataset.js';
import { scopeFor } from '../scope.js';
import type { Statement } from './statements.js';
import {
  batchStatement,
  changeBatchStatement,
  countStatement,
  countsStatement,
  pageStatement,
  updateStatement,
} from './statements.js';

/** PostgreSQL's numbered placeholders: their order in the text must be the order of the values. */
const numbered = {
  quote: (n: string) => `"${n.replaceAll('"', '""')}"`,
  placeholder: (n: number) => `$${n}`,
};
const question = { quote: (n: string) => `\`${n.replaceAll('`', '``')}\``, placeholder: () => '?' };

const dataset = (schema?: string) =>
  datasetSchema.parse({
    steward: 1,
    kind: 'dataset',
    system: 'shop',
    collections: (
      [
        {
          name: 'customers',
          primaryKey: ['id'],
          fields: [
            { name: 'id', type: 'integer' },
            { name: 'email', identity: 'email' },
            { name: 'phone', identity: 'phone' },
            { name: 'address_id', references: { collection: 'addresses', field: 'id' } },
          ],
        },
        {
          name: 'orders',
          primaryKey: ['id'],
          fields: [
            { name: 'id', type: 'integer' },
            { name: 'customer_id', references: { collection: 'customers', field: 'id' } },
            { name: 'ship_to', references: { collection: 'addresses', field: 'id' } },
          ],
        },
        { name: 'addresses', primaryKey: ['id'], fields: [{ name: 'id' }] },
        {
          name: 'payments',
          primaryKey: ['id', 'paid_on'],
          fields: [
            { name: 'id' },
            { name: 'paid_on' },
            { name: 'order_id', references: { collection: 'orders', field: 'id' } },
          ],
        },
        {
          name: 'we"ird',
          primaryKey: ['id'],
          fields: [{ name: 'id' }, { name: 'e"mail', identity: 'email' }],
        },
      ] satisfies DatasetInput['collections']
    ).map((c) => (schema === undefined ? c : { ...c, schema })),
  });

const seeds = { identities: [{ kind: 'email' as const, value: "o'brien@example.com" }] };

function placeholdersInOrder(s: Statement): void {
  const found = [...s.text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
  assert.deepEqual(
    found,
    s.values.map((_, i) => i + 1),
    s.text,
  );
}

test('a match binds its values: no value is ever part of the text', () => {
  const ds = dataset();
  const scope = scopeFor(ds, seeds).get('customers')!;
  const s = countStatement(numbered, ds, 'customers', scope);
  assert.equal(s.text, 'SELECT COUNT(*) AS "n" FROM "customers" t0 WHERE LOWER(t0."email") = $1');
  assert.deepEqual(s.values, ["o'brien@example.com"]);
  const several: Scope = { kind: 'match', field: 'phone', values: ['+1', '+2'] };
  assert.match(countStatement(question, ds, 'customers', several).text, /t0\.`phone` IN \(\?, \?\)$/);
});

test('identifiers come quoted from the dataset, quotes inside them doubled, schema-qualified when named', () => {
  const ds = dataset('shop"s');
  const scope = scopeFor(ds, { identities: [{ kind: 'email', value: 'a@x' }] }).get('we"ird')!;
  const s = countStatement(numbered, ds, 'we"ird', scope);
  assert.equal(s.text, 'SELECT COUNT(*) AS "n" FROM "shop""s"."we""ird" t0 WHERE LOWER(t0."e""mail") = $1');
});

test('children and parents compile to nested subqueries, each with its own alias, NOT NULL-safe', () => {
  const ds = dataset();
  const scopes = scopeFor(ds, seeds);
  const payments = countStatement(numbered, ds, 'payments', scopes.get('payments')!);
  assert.equal(
    payments.text,
    'SELECT COUNT(*) AS "n" FROM "payments" t0 WHERE t0."order_id" IN (SELECT t1."id" FROM "orders" t1 WHERE ' +
      't1."customer_id" IN (SELECT t2."id" FROM "customers" t2 WHERE LOWER(t2."email") = $1))',
  );
  const addresses = countStatement(numbered, ds, 'addresses', scopes.get('addresses')!);
  placeholdersInOrder(addresses);
  // A row referencing the address from outside the person's scope, unknown (NULL) included, keeps it out.
  assert.match(
    addresses.text,
    /NOT EXISTS \(SELECT 1 FROM "customers" t\d+ WHERE t\d+\."address_id" = t0\."id" AND CASE WHEN \(LOWER\(t\d+\."email"\) = \$\d+\) THEN 1 ELSE 0 END = 0\)/,
  );
  const aliases = [...addresses.text.matchAll(/ (t\d+) (?:WHERE|$)/g)].map((m) => m[1]);
  assert.equal(new Set(aliases).size, aliases.length, 'aliases are not reused');
});

test("every collection's count in one statement, each subquery with its own aliases and values in order", () => {
  const ds = dataset();
  const scopes = scopeFor(ds, seeds);
  const all = [...scopes].map(([collection, scope]) => ({ collection, scope }));
  const s = countsStatement(numbered, ds, all);
  placeholdersInOrder(s);
  assert.match(
    s.text,
    /^SELECT \(SELECT COUNT\(\*\) FROM "we""ird" t0 WHERE LOWER\(t0\."e""mail"\) = \$1\) AS "n0", \(SELECT COUNT\(\*\) FROM "customers" t1 WHERE LOWER\(t1\."email"\) = \$2\) AS "n1", /,
  );
  const aliases = [...s.text.matchAll(/ (t\d+) WHERE/g)].map((m) => m[1]);
  assert.equal(new Set(aliases).size, aliases.length, 'aliases are not reused');
  assert.equal([...s.text.matchAll(/SELECT COUNT\(\*\)/g)].length, all.length);
  assert.deepEqual(
    [...s.text.matchAll(/\) AS "(n\d+)"/g)].map((m) => m[1]),
    all.map((_, i) => `n${i}`),
  );
  // The values are each single count's, in the order of the collections.
  assert.deepEqual(
    s.values,
    all.flatMap(({ collection, scope }) => countStatement(numbered, ds, collection, scope).values),
  );
});

test('a string that is not a number never reaches a numeric column; a number meets a text column as text', () => {
  const ds = dataset();
  const linked = (values: FieldValue[]) =>
    scopeFor(ds, { identities: [], linked: [{ collection: 'orders', field: 'id', values }] }).get('orders')!;
  const none = countStatement(question, ds, 'orders', linked(['10abc', '10 OR 1=1', ' 10']));
  assert.match(none.text, /WHERE 1 = 0$/);
  assert.deepEqual(none.values, []);
  assert.deepEqual(countStatement(question, ds, 'orders', linked(['10', 11])).values, ['10', 11]);
});

test('pages and batches: keyset on the whole key, placeholders in order; a page writes its limit, a batch binds it', () => {
  const ds = dataset();
  const scope = scopeFor(ds, seeds).get('payments')!;
  const payments = ds.collections.find((c) => c.name === 'payments')!;
  const query = {
    collection: payments,
    scope,
    fields: ['id', 'paid_on', 'order_id'],
    after: [7, '2024-01-01'],
    limit: 501,
  };
  const page = pageStatement(numbered, ds, query);
  placeholdersInOrder(page);
  assert.match(
    page.text,
    /^SELECT t0\."id" AS "id", t0\."paid_on" AS "paid_on", t0\."order_id" AS "order_id" FROM "payments" t0 WHERE .*\(t0\."id", t0\."paid_on"\) > \(\$2, \$3\)\) ORDER BY t0\."id", t0\."paid_on" LIMIT 501$/,
  );
  assert.deepEqual(page.values.slice(1), [7, '2024-01-01']);
  assert.throws(() => pageStatement(numbered, ds, { ...query, limit: 1.5 }), /whole number/);
  // Keys first (MariaDB): the page's keys sorted alone, then the rows joined to them.
  const keysFirst = pageStatement(numbered, ds, { ...query, keysFirst: true });
  placeholdersInOrder(keysFirst);
  assert.match(
    keysFirst.text,
    /^SELECT t\d+\."id" AS "id", t\d+\."paid_on" AS "paid_on", t\d+\."order_id" AS "order_id" FROM \(SELECT t0\."id" AS "id", t0\."paid_on" AS "paid_on" FROM .*\(t0\."id", t0\."paid_on"\) > \(\$2, \$3\)\) ORDER BY t0\."id", t0\."paid_on" LIMIT 501\) k JOIN "payments" t\d+ ON /,
  );
  assert.deepEqual(keysFirst.values, page.values);

  const batch = batchStatement(numbered, ds, {
    collection: payments,
    scope,
    fields: ['order_id'],
    before: [7, '2024-01-01'],
    limit: 100,
    already: [
      { field: 'order_id', value: null },
      { field: 'paid_on', value: 'x' },
    ],
    lockRows: 'FOR UPDATE',
  });
  placeholdersInOrder(batch);
  // Output names by position: no dataset name can collide with them.
  assert.match(
    batch.text,
    /^SELECT t0\."id" AS "k0", t0\."paid_on" AS "k1", t0\."order_id" AS "f0", CASE WHEN \(t0\."order_id" IS NULL AND t0\."paid_on" = \$1\) THEN 1 ELSE 0 END AS "d" FROM "payments" t0 WHERE/,
  );
  assert.match(
    batch.text,
    /\(t0\."id", t0\."paid_on"\) < \(\$3, \$4\)\) ORDER BY t0\."id" DESC, t0\."paid_on" DESC LIMIT \$5 FOR UPDATE$/,
  );
  assert.deepEqual(batch.values, ['x', "o'brien@example.com", 7, '2024-01-01', 100]);
});

test('one statement picks, changes and returns a batch: keys in order, the count only for a full batch', () => {
  const ds = dataset();
  const scope = scopeFor(ds, seeds).get('payments')!;
  const payments = ds.collections.find((c) => c.name === 'payments')!;
  const update = changeBatchStatement(numbered, ds, {
    collection: payments,
    scope,
    before: [7, '2024-01-01'],
    limit: 100,
    change: { set: [{ field: 'order_id', value: null }] },
    countWhenFull: true,
    lockRows: 'FOR UPDATE',
  });
  placeholdersInOrder(update);
  assert.match(
    update.text,
    /^WITH "k" AS \(SELECT t0\."id" AS "k0", t0\."paid_on" AS "k1", CASE WHEN \(t0\."order_id" IS NULL\) THEN 1 ELSE 0 END AS "d" FROM "payments" t0 WHERE /,
  );
  assert.match(
    update.text,
    /\), "c" AS \(UPDATE "payments" x SET "order_id" = \$5 FROM "k" WHERE x\."id" = "k"\."k0" AND x\."paid_on" = "k"\."k1" AND "k"\."d" = 0 RETURNING x\."id" AS "k0", x\."paid_on" AS "k1", 1 AS "c", x\."order_id" AS "w0"\) SELECT /,
  );
  assert.match(
    update.text,
    /CASE WHEN \(SELECT COUNT\(\*\) FROM "k"\) >= \$6 THEN \(SELECT COUNT\(\*\) FROM "payments" t\d+ WHERE /,
  );
  assert.match(
    update.text,
    /FROM "k" LEFT JOIN "c" ON "c"\."k0" = "k"\."k0" AND "c"\."k1" = "k"\."k1" ORDER BY "k"\."k0" DESC, "k"\."k1" DESC$/,
  );
  assert.deepEqual(update.values.slice(0, 6), ["o'brien@example.com", 7, '2024-01-01', 100, null, 100]);

  const remove = changeBatchStatement(numbered, ds, {
    collection: payments,
    scope,
    keys: [[7, '2024-01-01']],
    limit: 100,
    change: { delete: true },
    lockRows: 'FOR UPDATE',
  });
  placeholdersInOrder(remove);
  assert.match(
    remove.text,
    /"c" AS \(DELETE FROM "payments" x USING "k" WHERE x\."id" = "k"\."k0" AND x\."paid_on" = "k"\."k1" RETURNING x\."id" AS "k0", x\."paid_on" AS "k1", 1 AS "c"\)/,
  );
  assert.doesNotMatch(remove.text, /COUNT/);
});

test('one UPDATE per batch: set-based values once, per-row values by CASE on the whole key', () => {
  const ds = dataset();
  const payments = ds.collections.find((c) => c.name === 'payments')!;
  const s = updateStatement(
    numbered,
    ds,
    payments,
    [
      [1, 'a'],
      [2, 'b'],
    ],
    [{ field: 'order_id', value: null }],
    [{ field: 'paid_on', values: ['x', 'y'] }],
  );
  placeholdersInOrder(s);
  assert.equal(
    s.text,
    'UPDATE "payments" SET "order_id" = $1, "paid_on" = CASE WHEN "id" = $2 AND "paid_on" = $3 THEN $4 ' +
      'WHEN "id" = $5 AND "paid_on" = $6 THEN $7 ELSE "paid_on" END ' +
      'WHERE ("id" = $8 AND "paid_on" = $9) OR ("id" = $10 AND "paid_on" = $11)',
  );
  assert.deepEqual(s.values, [null, 1, 'a', 'x', 2, 'b', 'y', 1, 'a', 2, 'b']);
});
