import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dialects, freshDatabase } from '../../test/support/app.js';
import { openStore } from './database.js';
import type { Store } from './database.js';
import { groupTransaction, transaction } from './transaction.js';
import type { Tx } from './transaction.js';

type Database = Awaited<ReturnType<typeof freshDatabase>>;

for (const dialect of await dialects()) {
  describe(`group commit on ${dialect}`, () => {
    let db: Database;
    let store: Store;

    before(async () => {
      db = await freshDatabase(dialect);
      store = await openStore(db.url, db.schema ? { schema: db.schema } : {});
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    const addRow = (key: string) => (tx: Tx) =>
      tx
        .insertInto('redemptions')
        .values({ promotion_id: 'group-commit', key_hash: key, redeemed_at: '2026-11-25T00:00:00.000Z' })
        .execute()
        .then(() => key);

    const keys = async (prefix: string) =>
      (
        await store.db
          .selectFrom('redemptions')
          .select('key_hash')
          .where('key_hash', 'like', `${prefix}%`)
          .execute()
      )
        .map((r) => r.key_hash)
        .sort();

    test('concurrent writes are all committed and each gets its own answer', async () => {
      const names = Array.from({ length: 50 }, (_, i) => `ok.${String(i).padStart(2, '0')}`);
      const answers = await Promise.all(names.map((n) => groupTransaction(store, addRow(n))));
      assert.deepEqual(answers, names);
      assert.deepEqual(await keys('ok.'), names);
    });

    test('a failing write fails alone: the others in its group commit', async () => {
      await transaction(store, addRow('dup.taken'));
      const names = ['dup.a', 'dup.taken', 'dup.b', 'dup.c'];
      const results = await Promise.allSettled(names.map((n) => groupTransaction(store, addRow(n))));
      assert.deepEqual(
        results.map((r) => r.status),
        ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
      );
      assert.deepEqual(await keys('dup.'), ['dup.a', 'dup.b', 'dup.c', 'dup.taken']);
    });

    test('a write that throws leaves nothing of itself behind', async () => {
      const failing = groupTransaction(store, async (tx) => {
        await addRow('half.written')(tx);
        throw new Error('changed my mind');
      });
      const fine = groupTransaction(store, addRow('half.other'));
      await assert.rejects(failing, /changed my mind/);
      assert.equal(await fine, 'half.other');
      assert.deepEqual(await keys('half.'), ['half.other']);
    });
  });
}
