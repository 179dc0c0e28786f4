import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { freshDatabase } from '../test/support/app.js';
import { defineTopic, Events } from './events.js';
import type { Store } from './store/database.js';
import { openStore } from './store/database.js';
import { transaction } from './store/transaction.js';
import type { Tx } from './store/transaction.js';

const changed = defineTopic<{ subjectId: string }>('test.changed');
const other = defineTopic<{ subjectId: string }>('test.other');

let store: Store;
let drop: () => Promise<void>;
before(async () => {
  const db = await freshDatabase('sqlite');
  drop = db.drop;
  store = await openStore(db.url);
});
after(async () => {
  await store.close();
  await drop();
});

const mark = (tx: Tx, subjectId: string) =>
  tx
    .insertInto('suppression_changes')
    .values({ subject_id: subjectId, at: new Date().toISOString() })
    .execute();
const marked = async () =>
  (await store.db.selectFrom('suppression_changes').select('subject_id').orderBy('seq').execute()).map(
    (r) => r.subject_id,
  );

test('subscribers run in order, in the publisher’s transaction, and only for their topic', async () => {
  const events = new Events();
  const seen: string[] = [];
  events.subscribe(changed, async (tx, { subjectId }) => {
    seen.push(`first:${subjectId}`);
    await mark(tx, `${subjectId}-by-first`);
  });
  const unsubscribe = events.subscribe(changed, async (_tx, { subjectId }) => {
    seen.push(`second:${subjectId}`);
  });
  events.subscribe(other, async () => {
    seen.push('other');
  });
  await transaction(store, async (tx) => {
    await mark(tx, 'a');
    await events.publish(tx, changed, { subjectId: 'a' });
  });
  unsubscribe();
  await transaction(store, (tx) => events.publish(tx, changed, { subjectId: 'b' }));
  assert.deepEqual(seen, ['first:a', 'second:a', 'first:b']);
  assert.deepEqual(await marked(), ['a', 'a-by-first', 'b-by-first']);
});

test('a subscriber that throws rolls back the change that published', async () => {
  const events = new Events();
  events.subscribe(changed, async (tx, { subjectId }) => {
    await mark(tx, `${subjectId}-by-subscriber`);
    throw new Error('subscriber failed');
  });
  const before = await marked();
  await assert.rejects(
    transaction(store, async (tx) => {
      await mark(tx, 'c');
      await events.publish(tx, changed, { subjectId: 'c' });
    }),
    /subscriber failed/,
  );
  assert.deepEqual(await marked(), before);
});
