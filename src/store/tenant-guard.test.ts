import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { dialects, freshDatabase } from '../../test/support/app.js';
import { AppError } from '../errors.js';
import { openStore } from './database.js';
import type { Store } from './database.js';
import { unsafeAnyTenant } from './tenant-guard.js';

const OURS = '';
const THEIRS = 'msafety:region-skane';
const AT = '2026-11-25T00:00:00.000Z';

const subject = (id: string, tenant: string) => ({
  id,
  tenant,
  jurisdiction: null,
  child: 0,
  restricted: 0,
  objected_at: null,
  merged_into: null,
  created_at: AT,
  updated_at: AT,
});

const record = (id: string, subjectId: string, tenant: string) => ({
  id,
  subject_id: subjectId,
  tenant,
  declaration_id: 'd',
  declaration_version: 1,
  kind: 'form_submission',
  purposes: '[]',
  categories: '[]',
  source_id: 'web',
  source_type: 'direct',
  collection_point: null,
  data: 'sealed',
  collected_at: AT,
  expires_at: null,
});

for (const dialect of await dialects()) {
  describe(`finding 11: the tenant guard on ${dialect}`, () => {
    let db: Awaited<ReturnType<typeof freshDatabase>>;
    let store: Store;
    const ourId = '00000000-0000-4000-8000-000000000001';
    const theirId = '00000000-0000-4000-8000-000000000002';

    before(async () => {
      db = await freshDatabase(dialect);
      store = await openStore(db.url, db.schema ? { schema: db.schema } : {});
      await store.db
        .insertInto('subjects')
        .values([subject(ourId, OURS), subject(theirId, THEIRS)])
        .execute();
      await store.db
        .insertInto('identifiers')
        .values([
          {
            id: 'i1',
            subject_id: ourId,
            tenant: OURS,
            kind: 'email',
            value: 'a@x.example',
            lookup: 'l',
            created_at: AT,
          },
          {
            id: 'i2',
            subject_id: theirId,
            tenant: THEIRS,
            kind: 'email',
            value: 'a@x.example',
            lookup: 'l',
            created_at: AT,
          },
        ])
        .execute();
      await store.db
        .insertInto('records')
        .values([record('r1', ourId, OURS), record('r2', theirId, THEIRS)])
        .execute();
      await store.db
        .insertInto('suppression_changes')
        .values([
          { subject_id: ourId, at: AT },
          { subject_id: theirId, at: AT },
        ])
        .execute();
    });
    after(async () => {
      await store.close();
      await db.drop();
    });

    const refused = async (query: { execute(): Promise<unknown> }, table: string) => {
      await assert.rejects(
        () => query.execute(),
        (error: unknown) =>
          error instanceof AppError &&
          error.code === 'internal' &&
          error.message.includes(`partitioned table "${table}"`),
      );
    };

    test('refuses reads that do not name the tenant, in every shape', async () => {
      const q = store.db;
      await refused(q.selectFrom('subjects').selectAll().where('id', '=', theirId), 'subjects');
      await refused(q.selectFrom('subjects as s').selectAll().where('s.id', '=', theirId), 'subjects');
      await refused(
        q.selectFrom('identifiers').select('subject_id').where('lookup', '=', 'l'),
        'identifiers',
      );
      await refused(q.selectFrom('records').selectAll(), 'records');
      // One table scoped, the joined one not.
      await refused(
        q
          .selectFrom('subjects as s')
          .innerJoin('identifiers as i', 'i.subject_id', 's.id')
          .select('i.value')
          .where('s.tenant', '=', OURS),
        'identifiers',
      );
      await refused(
        q
          .selectFrom('suppression_changes as c')
          .leftJoin('subjects', 'subjects.id', 'c.subject_id')
          .select('subjects.id'),
        'subjects',
      );
      // A left join's ON restricts the joined rows only, never the table it joins to.
      await refused(
        q
          .selectFrom('subjects')
          .leftJoin('records', (j) =>
            j.onRef('records.subject_id', '=', 'subjects.id').on('subjects.tenant', '=', OURS),
          )
          .select('subjects.id')
          .where('records.tenant', '=', OURS),
        'subjects',
      );
      // Subqueries, CTEs and unions are checked on their own.
      await refused(
        q
          .selectFrom('suppression_changes')
          .select('seq')
          .where('subject_id', 'in', (eb) => eb.selectFrom('subjects').select('id').where('child', '=', 0)),
        'subjects',
      );
      await refused(
        q
          .with('all_records', (w) => w.selectFrom('records').select('id'))
          .selectFrom('all_records')
          .selectAll(),
        'records',
      );
      // Kysely builds a union's other half at once, so the refusal comes before execute().
      await refused(
        {
          execute: async () =>
            q
              .selectFrom('subjects')
              .select('id')
              .where('tenant', '=', OURS)
              .union(q.selectFrom('subjects').select('id'))
              .execute(),
        },
        'subjects',
      );
    });

    test('refuses tenant conditions that do not restrict: OR, NOT, inequality, subquery, hand-written is not null', async () => {
      const q = store.db.selectFrom('subjects').select('id');
      await refused(
        q.where((eb) => eb.or([eb('tenant', '=', OURS), eb('id', '=', theirId)])),
        'subjects',
      );
      await refused(
        q.where((eb) =>
          eb.or([eb.and([eb('tenant', '=', OURS), eb('id', '=', ourId)]), eb('id', '=', theirId)]),
        ),
        'subjects',
      );
      await refused(
        q.where((eb) => eb.not(eb('tenant', '=', THEIRS))),
        'subjects',
      );
      await refused(q.where('tenant', '!=', THEIRS), 'subjects');
      await refused(q.where('tenant', 'like', '%'), 'subjects');
      await refused(q.where('tenant', 'is not', null), 'subjects');
      await refused(q.where('tenant', '=', null as unknown as string), 'subjects');
      await refused(
        q.where('tenant', 'in', (eb) =>
          eb.selectFrom('subjects as t').select('t.tenant').where('t.tenant', '=', THEIRS),
        ),
        'subjects',
      );
      // unsafeAnyTenant covers the table it names only.
      await refused(
        store.db
          .selectFrom('subjects')
          .innerJoin('identifiers', 'identifiers.subject_id', 'subjects.id')
          .select('identifiers.value')
          .where(unsafeAnyTenant('subjects')),
        'identifiers',
      );
    });

    test('refuses writes that do not name the tenant, and changes nothing', async () => {
      const q = store.db;
      await refused(q.updateTable('subjects').set({ restricted: 1 }).where('id', '=', theirId), 'subjects');
      await refused(
        q.updateTable('identifiers as i').set({ value: null }).where('i.id', '=', 'i2'),
        'identifiers',
      );
      await refused(q.updateTable('subjects').set({ tenant: OURS }).where('tenant', '=', THEIRS), 'subjects');
      await refused(
        q
          .insertInto('subjects')
          .values(subject(theirId, OURS))
          .onConflict((oc) => oc.column('id').doUpdateSet({ tenant: OURS })),
        'subjects',
      );
      await refused(q.deleteFrom('records').where('id', '=', 'r2'), 'records');
      await refused(
        q.deleteFrom('subjects').where((eb) => eb.or([eb('tenant', '=', OURS), eb('id', '=', theirId)])),
        'subjects',
      );
      await refused(
        q
          .insertInto('subjects')
          .values({ ...subject('00000000-0000-4000-8000-000000000009', OURS), tenant: undefined } as never),
        'subjects',
      );
      await refused(
        q.insertInto('identifiers').values([
          {
            id: 'i8',
            subject_id: ourId,
            tenant: OURS,
            kind: 'email',
            value: null,
            lookup: 'x8',
            created_at: AT,
          },
          {
            id: 'i9',
            subject_id: ourId,
            kind: 'email',
            value: null,
            lookup: 'x9',
            created_at: AT,
          } as never,
        ]),
        'identifiers',
      );
      const theirs = await q
        .selectFrom('subjects')
        .select(['restricted', 'tenant'])
        .where('tenant', '=', THEIRS)
        .executeTakeFirstOrThrow();
      assert.deepEqual(theirs, { restricted: 0, tenant: THEIRS });
      const records = await q
        .selectFrom('records')
        .select('id')
        .where('tenant', 'in', [OURS, THEIRS])
        .execute();
      assert.deepEqual(records.map((r) => r.id).sort(), ['r1', 'r2']);
    });

    test('accepts queries that name their tenant, and they see that partition only', async () => {
      const q = store.db;
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
      assert.deepEqual(
        ids(await q.selectFrom('subjects').select('id').where('tenant', '=', OURS).execute()),
        [ourId],
      );
      assert.deepEqual(
        ids(
          await q
            .selectFrom('subjects as s')
            .select('s.id')
            .where('s.id', '=', theirId)
            .where('s.tenant', '=', OURS)
            .execute(),
        ),
        [],
      );
      assert.deepEqual(
        ids(
          await q
            .selectFrom('identifiers')
            .select('id')
            .where((eb) => eb.and([eb('lookup', '=', 'l'), eb('tenant', 'in', [THEIRS])]))
            .execute(),
        ),
        ['i2'],
      );
      // A join carries the tenant across, or pins it in its ON.
      const joined = await q
        .selectFrom('subjects as s')
        .innerJoin('identifiers as i', (j) =>
          j.onRef('i.subject_id', '=', 's.id').onRef('i.tenant', '=', 's.tenant'),
        )
        .leftJoin('records as r', (j) => j.onRef('r.subject_id', '=', 's.id').on('r.tenant', '=', THEIRS))
        .select(['i.id', 'r.id as record'])
        .where('s.tenant', '=', THEIRS)
        .execute();
      assert.deepEqual(joined, [{ id: 'i2', record: 'r2' }]);
      const viaWhere = await q
        .selectFrom('suppression_changes as c')
        .innerJoin('subjects', 'subjects.id', 'c.subject_id')
        .innerJoin('records', 'records.subject_id', 'subjects.id')
        .select('records.id')
        .where('records.tenant', '=', OURS)
        .whereRef('subjects.tenant', '=', 'records.tenant')
        .execute();
      assert.deepEqual(ids(viaWhere), ['r1']);
      const sub = await q
        .selectFrom('suppression_changes')
        .select('subject_id as id')
        .where('subject_id', 'in', (eb) =>
          eb.selectFrom('subjects').select('id').where('tenant', '=', THEIRS),
        )
        .execute();
      assert.deepEqual(ids(sub as { id: string }[]), [theirId]);
      const counted = await q
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('tenant', '=', OURS)
        .executeTakeFirstOrThrow();
      assert.equal(Number(counted.n), 1);
    });

    test('accepts writes that name their tenant', async () => {
      const q = store.db;
      const updated = await q
        .updateTable('subjects')
        .set({ child: 1 })
        .where('id', '=', theirId)
        .where('tenant', '=', OURS)
        .executeTakeFirst();
      assert.equal(Number(updated.numUpdatedRows), 0, 'another tenant’s row is not touched');
      await q
        .insertInto('records')
        .values(record('r3', ourId, OURS))
        .execute();
      const deleted = await q
        .deleteFrom('records')
        .where('id', '=', 'r3')
        .where('tenant', '=', OURS)
        .executeTakeFirst();
      assert.equal(Number(deleted.numDeletedRows), 1);
    });

    test('unsafeAnyTenant lets one deliberate query see every partition', async () => {
      const rows = await store.db
        .selectFrom('subjects')
        .select(['id', 'tenant'])
        .where(unsafeAnyTenant('subjects'))
        .orderBy('id')
        .execute();
      assert.deepEqual(rows, [
        { id: ourId, tenant: OURS },
        { id: theirId, tenant: THEIRS },
      ]);
      const aliased = await store.db
        .selectFrom('identifiers as i')
        .select('i.tenant')
        .where('i.id', '=', 'i2')
        .where(unsafeAnyTenant('i'))
        .executeTakeFirstOrThrow();
      assert.equal(aliased.tenant, THEIRS);
    });

    test('raw statements and other tables pass untouched', async () => {
      const n = await sql<{ n: number }>`select count(*) as n from subjects`.execute(store.db);
      assert.equal(Number(n.rows[0]?.n), 2);
      const changes = await store.db.selectFrom('suppression_changes').select('seq').execute();
      assert.equal(changes.length, 2);
    });
  });
}
