/**
 * The app context's connected systems on a real store (SQLite, and PostgreSQL when reachable):
 * what is declared and configured, which dataset is in force, and when a connector is refused.
 * Connectors themselves are tested against real servers in their own folders; here a factory
 * that records its calls stands in for a kind, so the registry's own rules are what is checked.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../app.js';
import { secretSettings } from '../config.js';
import { lintSource } from '../policy/lint.js';
import type { Declaration } from '../policy/schema.js';
import type { TestApp } from '../../test/support/app.js';
import { dialects, smallShopDeclaration, startTestApp } from '../../test/support/app.js';
import type { Connector, ConnectorFactory, MaskKeys, SystemSettings } from './contract.js';
import { ConnectorError } from './contract.js';
import type { Dataset } from './dataset.js';
import { publishDatasets } from './dataset-versions.js';
import { datasetFilesBeside } from './lint-dataset.js';
import { connectorFactories } from './registry.js';
import { Systems } from './systems.js';

const SHOP_URL = 'postgres://shop_owner:Pl3ase-n0t-this@db.shop.internal:5432/shop';
const SUPPORT_URL = 'sqlite:/srv/support/Secret-Path-42.db';
const secretsIn = (text: string) => /Pl3ase-n0t-this|shop_owner|db\.shop\.internal|Secret-Path-42/.test(text);

interface Made {
  readonly settings: SystemSettings;
  readonly dataset: Dataset;
  readonly keys: MaskKeys;
  closed: number;
}

/** A factory for one kind that records what it was given and hands out a connector that only checks. */
function recordingFactory(made: Made[]): ConnectorFactory {
  return (settings, dataset, keys) => {
    const record: Made = { settings, dataset, keys, closed: 0 };
    made.push(record);
    const unused = () => Promise.reject(new Error('not used in this test'));
    const connector: Connector = {
      system: settings.system,
      kind: 'recording',
      capabilities: {
        read: true,
        delete: true,
        mask: true,
        update: true,
        restrict: true,
        introspect: true,
        sweep: true,
      },
      dataset,
      check: () => Promise.resolve({ ok: true, server: 'Recording 1.0', latencyMs: 1 }),
      introspect: unused,
      sample: unused,
      count: unused,
      read: unused,
      pages: () => {
        throw new Error('not used in this test');
      },
      values: unused,
      change: unused,
      sweep: unused,
      close: () => {
        record.closed += 1;
        return Promise.resolve();
      },
    };
    return connector;
  };
}

const declaration = lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration as Declaration;
const datasetFiles = () =>
  datasetFilesBeside(smallShopDeclaration).map((file) => ({ file, source: readFileSync(file, 'utf8') }));

for (const dialect of await dialects()) {
  describe(`connected systems of the app context on ${dialect}`, () => {
    let app: TestApp;
    before(async () => {
      app = await startTestApp(dialect, {
        declarations: [smallShopDeclaration],
        config: {
          systems: new Map([
            ['shop', secretSettings('shop', SHOP_URL)],
            ['support', secretSettings('support', SUPPORT_URL)],
          ]),
        },
      });
    });
    after(() => app?.close());

    const systems = (factories: Record<string, ConnectorFactory>) =>
      new Systems({ ...app.ctx, log: createLogger('silent') }, factories);

    test('start-up publishes the datasets beside the declaration; the list says what is configured and reviewed', async () => {
      const list = app.ctx.systems.list();
      assert.deepEqual(
        list.map((s) => [s.id, s.kind, s.declarationId, s.configured, s.datasetVersion, s.reviewed?.by]),
        [
          ['crm', 'mariadb', 'nordkust-kaffe', false, 1, 'Maja Lind'],
          ['shop', 'postgres', 'nordkust-kaffe', true, 1, 'Maja Lind'],
          ['support', 'sqlite', 'nordkust-kaffe', true, 1, 'Jonas Berg'],
        ],
      );
      assert.equal(list.find((s) => s.id === 'crm')?.name, 'Kundregister', 'named in the first language');
      assert.ok(!secretsIn(JSON.stringify(list)));
      // Publishing the same files again stores nothing new.
      const again = await publishDatasets(app.ctx, 'system', declaration, datasetFiles());
      assert.deepEqual(
        again.map((r) => r.created),
        [false, false, false],
      );
    });

    test('C9.2 a system without settings, or of a kind this build cannot reach, gets no connector, and the refusal holds no URL', async () => {
      const registry = systems({});
      await registry.refresh();
      await assert.rejects(registry.connector('crm'), (error: unknown) => {
        assert.ok(error instanceof ConnectorError);
        assert.equal(error.code, 'refused');
        assert.match(error.message, /no connection settings: set STEWARD_SYSTEM_CRM_URL/);
        return true;
      });
      await assert.rejects(registry.connector('shop'), (error: unknown) => {
        assert.ok(error instanceof ConnectorError);
        assert.match(error.message, /no connector for kind "postgres"/);
        assert.ok(!secretsIn(error.message), error.message);
        return true;
      });
      await assert.rejects(registry.connector('warehouse'), /no declaration in force declares this system/);
      await registry.close();
    });

    test('one connector per system, built from its settings, reviewed dataset and its own masking key, closed with the registry', async () => {
      const made: Made[] = [];
      const factory = recordingFactory(made);
      const registry = systems({ postgres: factory, sqlite: factory });
      await registry.refresh();
      const [first, second] = await Promise.all([registry.connector('shop'), registry.connector('shop')]);
      assert.equal(first, second, 'asked twice at once, built once');
      assert.equal(await registry.connector('shop'), first);
      const support = await registry.connector('support');
      assert.equal(made.length, 2);
      const [shop, desk] = made;
      assert.equal(shop?.settings.url, SHOP_URL);
      assert.equal(shop?.settings.system, 'shop');
      assert.equal(shop?.dataset.system, 'shop');
      assert.equal(shop?.dataset.reviewed?.by, 'Maja Lind');
      assert.equal(desk?.dataset.system, 'support');
      assert.equal(shop?.keys.hash.length, 32);
      assert.notDeepEqual(shop?.keys.hash, desk?.keys.hash, 'each system masks under its own key');
      assert.deepEqual((await support.check()).ok, true);
      await registry.close();
      assert.deepEqual(
        made.map((m) => m.closed),
        [1, 1],
      );
      await assert.rejects(registry.connector('shop'), /shutting down/);
    });

    test('a factory that fails with the URL in its message is reported without it', async () => {
      const registry = systems({
        postgres: (settings) => {
          throw new Error(`could not parse ${settings.url}`);
        },
      });
      await assert.rejects(registry.connector('shop'), (error: unknown) => {
        assert.ok(error instanceof ConnectorError);
        assert.equal(error.code, 'failed');
        assert.ok(!secretsIn(error.message), error.message);
        assert.match(error.message, /could not parse \[secret\]/);
        return true;
      });
      await registry.close();
    });

    test('C9.2 a dataset that becomes a proposal stops its connector; reviewing it again brings a new one', async () => {
      const made: Made[] = [];
      const registry = systems({ postgres: recordingFactory(made), sqlite: recordingFactory(made) });
      const before = await registry.connector('support');
      const files = datasetFiles();
      const proposal = files.map((f) =>
        f.file.endsWith('support.yaml')
          ? {
              ...f,
              source: f.source
                .replace(/^reviewed: .*\n/m, '')
                .replace('- name: queues', '- name: queues\n    description: Support queues'),
            }
          : f,
      );
      const published = await publishDatasets(app.ctx, 'system', declaration, proposal);
      assert.deepEqual(
        published.map((r) => [r.version.system, r.version.number, r.created, r.version.reviewed]),
        [
          ['crm', 1, false, { by: 'Maja Lind', on: '2025-04-22' }],
          ['shop', 1, false, { by: 'Maja Lind', on: '2025-04-22' }],
          ['support', 2, true, undefined],
        ],
      );
      assert.deepEqual(
        published.find((r) => r.version.system === 'support')?.warnings.map((w) => w.code),
        ['dataset.unreviewed'],
      );
      await registry.refresh();
      const entry = registry.list().find((s) => s.id === 'support');
      assert.equal(entry?.datasetVersion, undefined);
      assert.equal(entry?.datasetProposal, 2);
      await assert.rejects(registry.connector('support'), (error: unknown) => {
        assert.ok(error instanceof ConnectorError);
        assert.match(error.message, /dataset version 2 is a proposal nobody has reviewed/);
        assert.ok(!secretsIn(error.message));
        return true;
      });

      const reviewed = proposal.map((f) =>
        f.file.endsWith('support.yaml')
          ? {
              ...f,
              source: f.source.replace(
                'collections:',
                "reviewed: { by: Jonas Berg, on: '2025-05-02' }\ncollections:",
              ),
            }
          : f,
      );
      await publishDatasets(app.ctx, 'system', declaration, reviewed);
      const after = await registry.connector('support');
      assert.notEqual(after, before, 'a new dataset version, a new connector');
      assert.equal(made.length, 2);
      assert.equal(made[0]?.closed, 1, 'the connector of the old dataset was closed');
      assert.equal(made[1]?.dataset.reviewed?.on, '2025-05-02');
      assert.equal(registry.list().find((s) => s.id === 'support')?.datasetVersion, 3);
      await registry.close();
    });

    test('C9.2 with the real SQLite connector: a reviewed dataset reaches the person’s rows; a missing file is refused without its path', async () => {
      const missing = systems(connectorFactories);
      const unreachable = await (await missing.connector('support')).check();
      assert.equal(unreachable.ok, false);
      assert.ok(!unreachable.ok && !secretsIn(unreachable.error), JSON.stringify(unreachable));
      await missing.close();

      const dir = mkdtempSync(join(tmpdir(), 'steward-support-'));
      const file = join(dir, 'support.db');
      const db = new Database(file);
      db.exec(`
        create table queues (id integer primary key, name text not null);
        create table tickets (id integer primary key, requester_email text not null, requester_name text,
          subject text not null, queue_id integer not null references queues(id), status text not null,
          opened_at text not null);
        create table messages (id integer primary key, ticket_id integer not null references tickets(id)
          on delete cascade, direction text not null, body text not null, sent_at text not null);
        insert into queues values (1, 'Orders');
        insert into tickets values (1, 'ada@example.org', 'Ada', 'Where is my coffee?', 1, 'open', '2025-05-01');
        insert into tickets values (2, 'bo@example.org', 'Bo', 'Grind size', 1, 'open', '2025-05-02');
        insert into messages values (1, 1, 'in', 'It has not arrived.', '2025-05-01');
        insert into messages values (2, 1, 'out', 'On its way.', '2025-05-02');`);
      db.close();
      const real = new Systems(
        {
          ...app.ctx,
          log: createLogger('silent'),
          config: {
            ...app.config,
            systems: new Map([['support', secretSettings('support', `sqlite:${file}`)]]),
          },
        },
        connectorFactories,
      );
      try {
        const connector = await real.connector('support');
        const check = await connector.check();
        assert.equal(check.ok, true, JSON.stringify(check));
        const counts = await connector.count({ identities: [{ kind: 'email', value: 'ada@example.org' }] });
        assert.deepEqual(Object.fromEntries(counts), { tickets: 1, messages: 2 });
      } finally {
        await real.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test('a dataset with lint errors publishes nothing', async () => {
      const files = datasetFiles().map((f) =>
        f.file.endsWith('crm.yaml')
          ? { ...f, source: f.source.replace('erasure: { action: delete }', '') }
          : f,
      );
      await assert.rejects(publishDatasets(app.ctx, 'system', declaration, files), (error: unknown) => {
        assert.match(String((error as Error).message), /datasets have \d+ error/);
        assert.match(JSON.stringify((error as { details: unknown }).details), /dataset\.no_erasure_rule/);
        return true;
      });
      const count = await app.ctx.store.db
        .selectFrom('dataset_versions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('system', '=', 'crm')
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 1);
    });
  });
}
