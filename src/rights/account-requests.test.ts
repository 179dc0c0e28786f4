import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestApp } from '../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../test/support/app.js';
import { createApiKey } from '../access/operators.js';
import { hostActor } from '../cli/host-actor.js';
import { jobDefinitions } from '../worker-jobs.js';
import { Worker } from '../jobs/queue.js';

const available = await dialects();
const dir = mkdtempSync(join(tmpdir(), 'steward-account-'));
after(() => rmSync(dir, { recursive: true, force: true }));
/**
 * The shop, with its site's signed-in users verified by their session for access requests, and
 * without its connected systems (this is about who gets the answer, not what it holds).
 */
const shopFile = join(dir, 'shop.yaml');
writeFileSync(
  shopFile,
  readFileSync(smallShopDeclaration, 'utf8')
    .replace(
      'access: { method: email_code, secondStep: none }',
      'access: { method: account_session, secondStep: none }',
    )
    .replace('channels: [privacy_centre, email]', 'channels: [privacy_centre, email, api]')
    .replace(/\nsystems:\n[\s\S]*?\n(?=retention:\n)/, '\n')
    // Without the shop's database, the condition that reads it goes too.
    .replace(/\n {8}- id: unpaid\n[\s\S]*?\n(?=\n {2}- id: customer_service\n)/, ''),
);
const SHOP = 'nordkust-kaffe';

for (const dialect of available) {
  describe(`requests from a signed-in account on ${dialect}`, () => {
    let app: TestApp;
    let shopKey: string;
    let otherKey: string;
    let unboundKey: string;
    let officer: Record<string, string>;
    let subjectId: string;
    before(async () => {
      app = await startTestApp(dialect, { declarations: [referenceDeclaration, shopFile] });
      officer = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const key = async (
        declarationId: string | undefined,
        scopes: ('requests:account' | 'requests:submit')[],
      ) =>
        (
          await createApiKey(app.ctx, hostActor(), {
            name: `site ${declarationId ?? 'none'}`,
            scopes,
            ...(declarationId === undefined ? {} : { declarationId }),
          })
        ).key;
      shopKey = await key(SHOP, ['requests:account']);
      otherKey = await key('sncn-general', ['requests:account']);
      unboundKey = await key(undefined, ['requests:submit']);
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: SHOP,
          subject: {
            identifiers: [
              { kind: 'account', value: 'cust-1001' },
              { kind: 'email', value: 'anna.account@example.com' },
            ],
          },
          kind: 'support_interaction',
          source: 'customer_email',
          purposes: ['customer_service'],
          categories: ['user.contact.email', 'user.content.communication'],
          data: { message: 'Where is my coffee?' },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      subjectId = captured.json<{ subjectId: string }>().subjectId;
    });
    after(() => app.close());

    const call = (key: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      app.request({
        method,
        url,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { payload }),
      });
    const runJobs = () => new Worker(app.ctx, jobDefinitions).drain();

    test('C9.6 the site opens an access request for its signed-in user, follows it and fetches the package; no email, no manual task', async () => {
      const opened = await call(shopKey, 'POST', '/api/v1/account-requests', {
        account: 'cust-1001',
        type: 'access',
      });
      assert.equal(opened.statusCode, 201, opened.body);
      const receipt = opened.json<{ id: string; accessToken?: string }>();
      assert.equal(receipt.accessToken, undefined, 'the site has its key; no requester token is handed out');
      await runJobs();
      const row = await app.ctx.store.db
        .selectFrom('requests')
        .select('subject_id')
        .where('id', '=', receipt.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.subject_id, subjectId, 'the account id found the person who holds it');
      const view = await call(shopKey, 'GET', `/api/v1/account-requests/${receipt.id}?account=cust-1001`);
      assert.equal(view.statusCode, 200, view.body);
      assert.deepEqual(
        (({ status, resultReady }) => ({ status, resultReady }))(
          view.json<{ status: string; resultReady: boolean }>(),
        ),
        { status: 'completed', resultReady: true },
      );
      const list = await call(shopKey, 'GET', '/api/v1/account-requests?account=cust-1001');
      assert.deepEqual(
        list.json<{ requests: { id: string }[] }>().requests.map((r) => r.id),
        [receipt.id],
      );
      const tasks = await app.ctx.store.db
        .selectFrom('request_tasks')
        .select('kind')
        .where('request_id', '=', receipt.id)
        .where('target', '=', 'requester')
        .execute();
      assert.deepEqual(tasks, [], 'the answer is for the account: no manual task');
      const events = await app.ctx.store.db
        .selectFrom('request_events')
        .select('kind')
        .where('request_id', '=', receipt.id)
        .execute();
      assert.ok(events.some((e) => e.kind === 'answer_for_account'));
      const result = await call(
        shopKey,
        'GET',
        `/api/v1/account-requests/${receipt.id}/result?account=cust-1001`,
      );
      assert.equal(result.statusCode, 200);
      assert.equal(result.headers['content-type'], 'application/zip');
      const zip = result.rawPayload;
      assert.equal(zip.subarray(0, 2).toString('latin1'), 'PK');
    });

    test('C9.6 the account id selects only its own requests, and a key reaches its own declaration only', async () => {
      const opened = await call(shopKey, 'POST', '/api/v1/account-requests', {
        account: 'cust-1001',
        type: 'access',
      });
      const id = opened.json<{ id: string }>().id;
      // Another account id, through the same key: as if the request did not exist.
      const other = await call(shopKey, 'GET', `/api/v1/account-requests/${id}?account=cust-2002`);
      assert.equal(other.statusCode, 404);
      const otherResult = await call(
        shopKey,
        'GET',
        `/api/v1/account-requests/${id}/result?account=cust-2002`,
      );
      assert.equal(otherResult.statusCode, 404);
      assert.deepEqual((await call(shopKey, 'GET', '/api/v1/account-requests?account=cust-2002')).json(), {
        requests: [],
      });
      // A key bound to another declaration: the same account id finds nothing, and it cannot open
      // a request in the shop's name.
      assert.equal(
        (await call(otherKey, 'GET', `/api/v1/account-requests/${id}?account=cust-1001`)).statusCode,
        404,
      );
      assert.deepEqual((await call(otherKey, 'GET', '/api/v1/account-requests?account=cust-1001')).json(), {
        requests: [],
      });
      const crossing = await call(otherKey, 'POST', '/api/v1/account-requests', {
        account: 'cust-1001',
        type: 'access',
        declarationId: SHOP,
      });
      assert.equal(crossing.statusCode, 403, crossing.body);
      // Its own declaration verifies access by email code: the session is not enough there.
      const own = await call(otherKey, 'POST', '/api/v1/account-requests', {
        account: 'cust-1001',
        type: 'access',
      });
      assert.equal(own.statusCode, 400, own.body);
      // A key without requests:account, or not bound to a declaration, has no way in.
      assert.equal(
        (await call(unboundKey, 'GET', '/api/v1/account-requests?account=cust-1001')).statusCode,
        403,
      );
      await assert.rejects(
        createApiKey(app.ctx, hostActor(), { name: 'unbound', scopes: ['requests:account'] }),
        /name it/,
      );
      // A request the privacy centre took for the same account id is not the site's to see.
      const publicRequest = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        headers: { 'content-type': 'application/json' },
        payload: {
          declarationId: SHOP,
          type: 'erasure',
          requester: { identifiers: [{ kind: 'account', value: 'cust-1001' }] },
        },
      });
      assert.equal(publicRequest.statusCode, 201, publicRequest.body);
      const publicId = publicRequest.json<{ id: string }>().id;
      assert.equal(
        (await call(shopKey, 'GET', `/api/v1/account-requests/${publicId}?account=cust-1001`)).statusCode,
        404,
      );
      // A result is not fetched before there is one.
      const pending = await call(shopKey, 'POST', '/api/v1/account-requests', {
        account: 'cust-3003',
        type: 'access',
      });
      const pendingId = pending.json<{ id: string }>().id;
      const early = await call(
        shopKey,
        'GET',
        `/api/v1/account-requests/${pendingId}/result?account=cust-3003`,
      );
      assert.equal(early.statusCode, 409, early.body);
    });
  });
}
