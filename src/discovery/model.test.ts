import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteConnector } from '../../test/support/discovery.js';
import type { IntrospectedColumn, IntrospectedTable } from '../connectors/contract.js';
import type { SampleStats } from './classify.js';
import { sampleStats } from './classify.js';
import type { Example } from './model.js';
import { categoryScore, columnFeatures, combine, personalScore, rulesUnsure, train } from './model.js';
import { modelWeights } from './model-weights.js';
import { scanSystem } from './propose.js';

const now = new Date('2025-06-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'steward-model-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function table(
  name: string,
  columns: readonly IntrospectedColumn[],
  primaryKey: string[] = [],
): IntrospectedTable {
  return { name, kind: 'table', columns, primaryKey, foreignKeys: [], uniques: [], triggers: [] };
}

/** The features of `column` in a table of `role`, with `values` sampled. */
function features(
  tableName: string,
  role: 'person' | 'record' | 'thing' | 'unknown',
  column: string,
  type: string,
  values?: readonly string[],
): string[] {
  const col = { name: column, type, nullable: true };
  const stats: SampleStats | undefined = values === undefined ? undefined : sampleStats(values, now);
  return columnFeatures(
    { table: table(tableName, [col]), role, owned: role !== 'thing', roles: new Map() },
    col,
    stats,
  );
}

const emails = Array.from({ length: 20 }, (_, i) => `person${i}.name@mail${i % 3}.example.com`);

describe('discovery learned scorer', () => {
  test('features are n-grams of the name and the table, type, role and value shares, never values', () => {
    const f = features('customers', 'person', 'email', 'TEXT', emails);
    for (const expected of [
      'w:email',
      'c3:^em',
      'c4:ail$',
      'tw:customers',
      't3:^cu',
      'k:text',
      'r:person',
      'v:email',
    ])
      assert.ok(f.includes(expected), `${expected} in ${f.join(' ')}`);
    assert.ok(!f.some((x) => x.includes('example.com')));
    assert.deepEqual(f, [...new Set(f)].sort());
  });

  test('training is deterministic and learns what it is shown', () => {
    const examples: Example[] = [];
    for (let i = 0; i < 6; i++) {
      examples.push({
        features: features('clients', 'person', `mail_${i}`, 'TEXT', emails),
        label: 'user.contact.email',
      });
      examples.push({ features: features('clients', 'person', `nom_${i}`, 'TEXT'), label: 'user.name' });
      examples.push({ features: features('produits', 'thing', `prix_${i}`, 'NUMERIC'), label: null });
    }
    const a = train(examples, { minCount: 2, rounds: 100 });
    const b = train(examples, { minCount: 2, rounds: 100 });
    assert.deepEqual(a, b);
    assert.deepEqual(a.categories, ['user.contact.email', 'user.name']);
    const mail = features('clients', 'person', 'mail_9', 'TEXT', emails);
    const price = features('produits', 'thing', 'prix_9', 'NUMERIC');
    assert.ok(personalScore(mail, a) > 0.8, String(personalScore(mail, a)));
    assert.ok(personalScore(price, a) < 0.2, String(personalScore(price, a)));
    assert.equal(categoryScore(mail, a).category, 'user.contact.email');
    assert.equal(categoryScore(features('clients', 'person', 'nom_9', 'TEXT'), a).category, 'user.name');
  });

  test('the bundled weights score known columns as expected', () => {
    const email = features('customers', 'person', 'email', 'TEXT', emails);
    assert.ok(personalScore(email) > 0.9, String(personalScore(email)));
    assert.equal(categoryScore(email).category, 'user.contact.email');
    const surname = features('patients', 'person', 'surname', 'TEXT', [
      'Smith',
      'Jones',
      'Brown',
      'Taylor',
      'Wilson',
    ]);
    assert.ok(personalScore(surname) > 0.8, String(personalScore(surname)));
    assert.equal(categoryScore(surname).category, 'user.name');
    const created = features('orders', 'record', 'created_at', 'TEXT', [
      '2024-05-01T10:00:00Z',
      '2024-06-02T11:00:00Z',
    ]);
    assert.ok(personalScore(created) < 0.3, String(personalScore(created)));
    const sku = features('products', 'thing', 'sku', 'TEXT', [
      'SKU-10001',
      'SKU-10002',
      'SKU-10003',
      'SKU-10004',
      'SKU-10005',
    ]);
    assert.ok(personalScore(sku) < 0.3, String(personalScore(sku)));
    assert.ok(modelWeights.threshold > 0.5 && modelWeights.threshold < 1);
  });

  test('it speaks only where the rules are unsure', () => {
    const f = features('customers', 'person', 'email', 'TEXT', emails);
    const personal = { category: 'user.name', confidence: 0.9, reasons: ['name:full_name'] };
    assert.equal(combine(personal, f), personal);
    const key = { confidence: 0.9, reasons: ['key:thing-table'] };
    assert.equal(rulesUnsure(key), false);
    assert.equal(combine(key, f), key);
    const sure = { confidence: 0.85, reasons: ['reference:thing-table'] };
    assert.equal(combine(sure, f), sure);
    const unsure = { confidence: 0.75, reasons: ['no-rule'] };
    const verdict = combine(unsure, f);
    assert.equal(verdict.category, 'user.contact.email');
    assert.ok(verdict.reasons.some((r) => r.startsWith('model:personal')));
    assert.ok(verdict.review !== undefined);
    const none = combine(unsure, features('products', 'thing', 'sku', 'TEXT', ['SKU-10001', 'SKU-10002']));
    assert.equal(none.category, undefined);
  });

  test('a column named in a language no rule knows, with email-shaped values, is found personal', async () => {
    // Hungarian: clients, their electronic mail and their nickname; a product catalogue beside them.
    const file = join(dir, 'hu.db');
    const db = new Database(file);
    db.exec(`
      CREATE TABLE termekek (azonosito INTEGER PRIMARY KEY, megnevezes TEXT NOT NULL, egysegar NUMERIC);
      CREATE TABLE ugyfelek (sorszam INTEGER PRIMARY KEY, villanyposta TEXT, becenev TEXT, letrehozva TEXT);
    `);
    const insert = db.prepare('INSERT INTO ugyfelek VALUES (?, ?, ?, ?)');
    for (let i = 0; i < 30; i++)
      insert.run(
        i + 1,
        `kovacs.anna${i}@freemail.example.hu`,
        ['Panni', 'Zsuzsi', 'Bence'][i % 3],
        '2024-03-01T10:00:00Z',
      );
    const product = db.prepare('INSERT INTO termekek VALUES (?, ?, ?)');
    for (let i = 0; i < 10; i++) product.run(i + 1, `Termék ${i}`, 1000 + i);
    db.close();
    const connector = sqliteConnector(file, 'hu');
    try {
      const { proposal } = await scanSystem(connector, { now });
      const field = proposal.fields.find((f) => f.collection === 'ugyfelek' && f.field === 'villanyposta');
      assert.equal(field?.category, 'user.contact.email', JSON.stringify(field));
      const price = proposal.fields.find((f) => f.collection === 'termekek' && f.field === 'egysegar');
      assert.equal(price?.category, undefined, JSON.stringify(price));
    } finally {
      await connector.close();
    }
    // The model alone: the values lift an unknown name, and in a table of people they suffice.
    const unknownTable = features('ugyfelek', 'unknown', 'villanyposta', 'TEXT', emails);
    const unsampled = features('ugyfelek', 'unknown', 'villanyposta', 'TEXT');
    assert.ok(personalScore(unknownTable) > personalScore(unsampled) + 0.1);
    const people = features('ugyfelek', 'person', 'villanyposta', 'TEXT', emails);
    assert.ok(personalScore(people) >= modelWeights.threshold, String(personalScore(people)));
    assert.equal(categoryScore(people).category, 'user.contact.email');
  });
});
