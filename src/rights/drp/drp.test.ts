import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parse, stringify } from 'yaml';
import type { TestApp } from '../../../test/support/app.js';
import {
  dialects,
  referenceDeclaration,
  smallShopDeclaration,
  startTestApp,
} from '../../../test/support/app.js';
import { startReceiver } from '../../../test/support/receiver.js';
import { rolePermissions } from '../../access/roles.js';
import { hostActor } from '../../cli/host-actor.js';
import { Worker } from '../../jobs/queue.js';
import { buildServer } from '../../server/server.js';
import type { RequestRow } from '../model.js';
import { statusUrl } from '../verify-request.js';
import { addDrpAgent, listDrpAgents, revokeDrpAgent } from './agents.js';
import { drpCallbackJob } from './callback.js';
import { failureMessages, parseTimestamp } from './protocol.js';
import { drpRoutes } from './routes.js';
import { statusOf } from './status.js';

const BUSINESS = 'sncn-general';

/** An agent's key pair, its verify key as the DRP directory publishes it (base64 of 32 bytes). */
function keyPair(): { privateKey: KeyObject; verifyKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { privateKey, verifyKey: Buffer.from(x, 'base64url').toString('base64') };
}

/** libsodium combined mode: signature ‖ message, then base64. */
function signed(privateKey: KeyObject, message: object): string {
  const json = Buffer.from(JSON.stringify(message));
  return Buffer.concat([sign(null, json, privateKey), json]).toString('base64');
}

const minutes = (n: number) => new Date(Date.now() + n * 60_000).toISOString();

/** The reference declaration, taking DRP requests (the published one does not list `drp`). */
function drpDeclaration(dir: string): string {
  const doc = parse(readFileSync(referenceDeclaration, 'utf8')) as { rights: { channels: string[] } };
  doc.rights.channels.push('drp');
  const file = join(dir, 'declaration-drp.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

for (const dialect of await dialects()) {
  describe(`Data Rights Protocol on ${dialect}`, () => {
    let app: TestApp;
    let server: FastifyInstance;
    let dir: string;
    const agent = { id: 'TEST_AGENT', ...keyPair(), token: '' };
    const other = { id: 'OTHER_AGENT', ...keyPair(), token: '' };
    let people = 0;

    const call = (options: InjectOptions) => server.inject(options);
    const envelope = (a: { id: string }, extra: Record<string, unknown> = {}) => ({
      'agent-id': a.id,
      'business-id': BUSINESS,
      'issued-at': minutes(-1),
      'expires-at': minutes(9),
      ...extra,
    });
    const requestBody = (a: { id: string }, extra: Record<string, unknown> = {}) => {
      people += 1;
      return envelope(a, {
        'drp.version': '1.0',
        exercise: 'access',
        regime: 'ccpa',
        name: `Person ${people}`,
        email: `person${people}@example.test`,
        email_verified: true,
        ...extra,
      });
    };
    const post = (
      a: { token: string; privateKey: KeyObject },
      message: object,
      url = '/v1/data-rights-request',
      payload?: string,
    ) =>
      call({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${a.token}`, 'content-type': 'text/plain' },
        payload: payload ?? signed(a.privateKey, message),
      });
    const pair = async (a: typeof agent, url = `/v1/agent/${a.id}`) => {
      const res = await call({
        method: 'POST',
        url,
        headers: { 'content-type': 'text/plain' },
        payload: signed(a.privateKey, envelope(a, { 'drp.version': '1.0' })),
      });
      return res;
    };

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'steward-drp-'));
      app = await startTestApp(dialect, {
        declarations: [drpDeclaration(dir), smallShopDeclaration],
        // The test's callback receiver listens on this machine, which callbacks reach only when allowed.
        config: { transmitAllowedHosts: ['127.0.0.1'] },
      });
      if (app.server.hasRoute({ method: 'POST', url: '/v1/data-rights-request' })) {
        server = app.server;
      } else {
        // Until src/server/server.ts mounts the plugin: the same server, with the plugin registered last.
        server = await buildServer(app.ctx);
        await server.register(drpRoutes(app.ctx));
        await server.ready();
      }
      for (const a of [agent, other]) {
        await addDrpAgent(app.ctx, hostActor(), { id: a.id, verifyKey: a.verifyKey });
        const res = await pair(a);
        assert.equal(res.statusCode, 200, res.body);
        a.token = res.json<{ token: string }>().token;
      }
    });
    after(async () => {
      if (server !== app.server) await server.close();
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });

    test('DRP agents are managed with drp:manage only, and each change is in the audit ledger', async () => {
      const support = {
        ...hostActor(),
        kind: 'operator' as const,
        permissions: new Set(rolePermissions.support_agent),
      };
      await assert.rejects(
        addDrpAgent(app.ctx, support, { id: 'SNEAKY', verifyKey: keyPair().verifyKey }),
        /drp:manage/,
      );
      await assert.rejects(
        addDrpAgent(app.ctx, hostActor(), { id: 'BAD_KEY', verifyKey: 'AAAA' }),
        /32-byte/,
      );
      await assert.rejects(
        addDrpAgent(app.ctx, hostActor(), { id: agent.id, verifyKey: keyPair().verifyKey }),
        /already trusted/,
      );
      const listed = await listDrpAgents(app.ctx, hostActor());
      assert.deepEqual(
        listed.map((a) => [a.id, a.pairedAt !== null, a.revokedAt]),
        [
          [other.id, true, null],
          [agent.id, true, null],
        ],
      );
      assert.ok(!JSON.stringify(listed).includes('token'), 'the token hash is never shown');
      const audit = await app.ctx.store.db
        .selectFrom('audit_log')
        .select(['action', 'target'])
        .where('action', 'like', 'drp.%')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        audit.filter((a) => a.target === `drp_agent:${agent.id}`).map((a) => a.action),
        ['drp.agent_added', 'drp.agent_paired'],
      );
    });

    test('DRP pairing refuses unknown agents, wrong signatures and revoked agents with a bare 403', async () => {
      const stranger = { id: 'STRANGER', ...keyPair(), token: '' };
      const unknown = await pair(stranger);
      assert.equal(unknown.statusCode, 403);
      assert.equal(unknown.body, '');

      const impostor = { ...agent, privateKey: keyPair().privateKey };
      const forged = await pair(impostor);
      assert.equal(forged.statusCode, 403);
      assert.equal(forged.body, '');

      const mismatch = await call({
        method: 'POST',
        url: `/v1/agent/${agent.id}`,
        payload: signed(agent.privateKey, envelope(other, { 'drp.version': '1.0' })),
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(mismatch.statusCode, 403, 'the agent-id inside must be the one in the path');
      assert.equal(mismatch.body, '');

      const leaving = { id: 'LEAVING_AGENT', ...keyPair(), token: '' };
      await addDrpAgent(app.ctx, hostActor(), { id: leaving.id, verifyKey: leaving.verifyKey });
      const first = await pair(leaving);
      assert.equal(first.statusCode, 200);
      leaving.token = first.json<{ token: string }>().token;
      await revokeDrpAgent(app.ctx, hostActor(), leaving.id);
      const again = await pair(leaving);
      assert.equal(again.statusCode, 403);
      assert.equal(again.body, '');
      const refused = await call({
        method: 'GET',
        url: `/v1/agent/${leaving.id}`,
        headers: { authorization: `Bearer ${leaving.token}` },
      });
      assert.equal(refused.statusCode, 403, 'a revoked agent’s token stops working');
    });

    test('DRP agent information answers {} to its own agent and 403 to any other', async () => {
      const own = await call({
        method: 'GET',
        url: `/v1/agent/${agent.id}`,
        headers: { authorization: `Bearer ${agent.token}` },
      });
      assert.equal(own.statusCode, 200);
      assert.deepEqual(own.json(), {});
      const foreign = await call({
        method: 'GET',
        url: `/v1/agent/${agent.id}`,
        headers: { authorization: `Bearer ${other.token}` },
      });
      assert.equal(foreign.statusCode, 403);
      assert.equal(foreign.json<{ code: string }>().code, '403');
      const none = await call({ method: 'GET', url: `/v1/agent/${agent.id}` });
      assert.equal(none.statusCode, 403);
    });

    test('C1.3 a DRP request names its declaration by business-id; one that does not take DRP is refused', async () => {
      const res = await post(agent, requestBody(agent, { 'agent-request-id': 'ar-1' }));
      assert.equal(res.statusCode, 200, res.body);
      const status = res.json<Record<string, string>>();
      assert.equal(status.status, 'in_progress');
      assert.equal(status.reason, 'need_user_verification');
      assert.equal(status.user_verification_url, statusUrl(app.ctx, status.request_id!));
      assert.equal(status.agent_request_id, 'ar-1');
      assert.match(status.request_id!, /^[0-9a-f-]{36}$/);
      assert.ok(status.expected_by! > status.received_at!);
      assert.ok(status.expires_at! > status.received_at!);

      const row = await app.ctx.store.db
        .selectFrom('requests')
        .selectAll()
        .where('id', '=', status.request_id!)
        .executeTakeFirstOrThrow();
      assert.equal(row.declaration_id, BUSINESS);
      assert.equal(row.channel, 'drp');
      assert.equal(row.type, 'access');
      assert.equal(row.status, 'verifying', 'verified by our own code, whatever email_verified says');
      assert.equal(row.drp_agent_id, agent.id);
      assert.equal(row.drp_agent_request_id, 'ar-1');

      const shop = 'nordkust-kaffe';
      assert.ok(app.ctx.policies.get(shop) !== undefined, 'in force, but without drp in its channels');
      const refused = await post(agent, requestBody(agent, { 'business-id': shop }));
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json<{ message: string }>().message, failureMessages.unknown_business);
    });

    test('DRP maps deletion to erasure and answers a retried agent-request-id with the same request', async () => {
      const body = requestBody(agent, { exercise: 'deletion', 'agent-request-id': 'ar-deletion' });
      const first = await post(agent, body);
      assert.equal(first.statusCode, 200, first.body);
      const again = await post(agent, body);
      assert.equal(again.statusCode, 200);
      const id = first.json<{ request_id: string }>().request_id;
      assert.equal(again.json<{ request_id: string }>().request_id, id);
      const rows = await app.ctx.store.db
        .selectFrom('requests')
        .select(['type'])
        .where('drp_agent_request_id', '=', 'ar-deletion')
        .execute();
      assert.deepEqual(rows, [{ type: 'erasure' }]);
    });

    test('DRP sale opt-out and opt-in are denied as claim_not_covered without opening a request', async () => {
      for (const exercise of ['sale:opt-out', 'sale:opt-in']) {
        const before = await app.ctx.store.db.selectFrom('requests').select('id').execute();
        const res = await post(agent, requestBody(agent, { exercise }));
        assert.equal(res.statusCode, 200, res.body);
        const status = res.json<Record<string, string>>();
        assert.equal(status.status, 'denied');
        assert.equal(status.reason, 'claim_not_covered');
        assert.match(status.processing_details!, /does not sell personal information/);
        const afterRows = await app.ctx.store.db.selectFrom('requests').select('id').execute();
        assert.equal(afterRows.length, before.length);
      }
    });

    test('DRP status is for the agent that made the request: another agent gets 403', async () => {
      const created = await post(agent, requestBody(agent));
      const id = created.json<{ request_id: string }>().request_id;
      const own = await call({
        method: 'GET',
        url: `/v1/data-rights-request/${id}`,
        headers: { authorization: `Bearer ${agent.token}` },
      });
      assert.equal(own.statusCode, 200);
      assert.deepEqual(own.json(), created.json());
      const foreign = await call({
        method: 'GET',
        url: `/v1/data-rights-request/${id}`,
        headers: { authorization: `Bearer ${other.token}` },
      });
      assert.equal(foreign.statusCode, 403);
      assert.deepEqual(Object.keys(foreign.json()).sort(), ['code', 'fatal', 'message']);
      const anonymous = await call({ method: 'GET', url: `/v1/data-rights-request/${id}` });
      assert.equal(anonymous.statusCode, 403);
      const missing = await call({
        method: 'GET',
        url: '/v1/data-rights-request/00000000-0000-4000-8000-000000000000',
        headers: { authorization: `Bearer ${agent.token}` },
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json<{ code: string }>().code, '404');
    });

    test('DRP revoke withdraws the request, answers revoked, and POSTs the new status to status_callback', async () => {
      const hook = await startReceiver(200);
      const { port } = hook;
      try {
        const created = await post(
          agent,
          requestBody(agent, { status_callback: `http://127.0.0.1:${port}/drp` }),
        );
        assert.equal(created.statusCode, 200, created.body);
        const id = created.json<{ request_id: string }>().request_id;

        const foreign = await call({
          method: 'DELETE',
          url: `/v1/data-rights-request/${id}`,
          headers: { authorization: `Bearer ${other.token}`, 'content-type': 'text/plain' },
          payload: signed(other.privateKey, { reason: 'not mine' }),
        });
        assert.equal(foreign.statusCode, 403);

        const revoked = await call({
          method: 'DELETE',
          url: `/v1/data-rights-request/${id}`,
          headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'text/plain' },
          payload: signed(agent.privateKey, { reason: 'I changed my mind' }),
        });
        assert.equal(revoked.statusCode, 200, revoked.body);
        assert.equal(revoked.json<{ status: string }>().status, 'revoked');
        const row = await app.ctx.store.db
          .selectFrom('requests')
          .select('status')
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        assert.equal(row.status, 'withdrawn');
        const status = await call({
          method: 'GET',
          url: `/v1/data-rights-request/${id}`,
          headers: { authorization: `Bearer ${agent.token}` },
        });
        assert.equal(status.json<{ status: string }>().status, 'revoked');

        // One callback for the opening (verification needed) and one for the revocation; each
        // carries the status as it is when sent.
        assert.equal(await new Worker(app.ctx, [drpCallbackJob]).drain(), 2);
        assert.deepEqual(
          hook.received.map((r) => JSON.parse(r.body) as unknown),
          [status.json(), status.json()],
        );
      } finally {
        await hook.close();
      }
    });

    test('C5m.1 DRP status callbacks go only to public addresses: one into a private network is dropped, not retried', async () => {
      const created = await post(agent, requestBody(agent, { status_callback: 'https://10.20.30.40/drp' }));
      assert.equal(created.statusCode, 200, created.body);
      const id = created.json<{ request_id: string }>().request_id;
      assert.equal(await new Worker(app.ctx, [drpCallbackJob]).drain(), 1);
      const job = await app.ctx.store.db
        .selectFrom('jobs')
        .select(['status', 'attempts', 'result'])
        .where('type', '=', drpCallbackJob.type)
        .where('payload', 'like', `%${id}%`)
        .executeTakeFirstOrThrow();
      assert.equal(job.status, 'done');
      assert.equal(job.attempts, 1, 'not retried');
      assert.deepEqual(JSON.parse(job.result ?? 'null'), { sent: false, refused: true });
    });

    test('DRP accepts every path with and without a trailing slash', async () => {
      const paired = await pair(other, `/v1/agent/${other.id}/`);
      assert.equal(paired.statusCode, 200);
      other.token = paired.json<{ token: string }>().token;
      const info = await call({
        method: 'GET',
        url: `/v1/agent/${other.id}/`,
        headers: { authorization: `Bearer ${other.token}` },
      });
      assert.equal(info.statusCode, 200);
      const created = await post(other, requestBody(other), '/v1/data-rights-request/');
      assert.equal(created.statusCode, 200, created.body);
      const id = created.json<{ request_id: string }>().request_id;
      const status = await call({
        method: 'GET',
        url: `/v1/data-rights-request/${id}/`,
        headers: { authorization: `Bearer ${other.token}` },
      });
      assert.equal(status.statusCode, 200);
      const revoked = await call({
        method: 'DELETE',
        url: `/v1/data-rights-request/${id}/`,
        headers: { authorization: `Bearer ${other.token}`, 'content-type': 'text/plain' },
        payload: signed(other.privateKey, { reason: 'done' }),
      });
      assert.equal(revoked.json<{ status: string }>().status, 'revoked');
    });

    test('DRP checks a request in the protocol’s order and answers each failure with 403', async () => {
      const forger = keyPair().privateKey;
      const cases: { name: string; payload: string; failure: keyof typeof failureMessages }[] = [
        { name: 'not base64', payload: 'this is not base64!', failure: 'not_base64' },
        {
          name: 'bad signature, also expired',
          payload: signed(forger, requestBody(agent, { 'expires-at': minutes(-5) })),
          failure: 'bad_signature',
        },
        {
          name: 'another agent’s id, also for another business',
          payload: signed(agent.privateKey, requestBody(other, { 'business-id': 'someone-else' })),
          failure: 'agent_mismatch',
        },
        {
          name: 'another business, also issued in the future',
          payload: signed(
            agent.privateKey,
            requestBody(agent, { 'business-id': 'someone-else', 'issued-at': minutes(60) }),
          ),
          failure: 'unknown_business',
        },
        {
          name: 'issued in the future, also expired',
          payload: signed(
            agent.privateKey,
            requestBody(agent, { 'issued-at': minutes(60), 'expires-at': minutes(-1) }),
          ),
          failure: 'not_yet_valid',
        },
        {
          name: 'expired, also with a bad version',
          payload: signed(
            agent.privateKey,
            requestBody(agent, {
              'issued-at': minutes(-20),
              'expires-at': minutes(-10),
              'drp.version': '0.4',
            }),
          ),
          failure: 'expired',
        },
      ];
      for (const c of cases) {
        const res = await post(agent, {}, '/v1/data-rights-request', c.payload);
        assert.equal(res.statusCode, 403, `${c.name}: ${res.body}`);
        assert.deepEqual(
          res.json(),
          { code: '403', message: failureMessages[c.failure], fatal: true },
          c.name,
        );
      }
      const truncated = Buffer.from(signed(agent.privateKey, requestBody(agent)), 'base64').subarray(0, 40);
      const short = await post(agent, {}, '/v1/data-rights-request', truncated.toString('base64'));
      assert.equal(short.json<{ message: string }>().message, failureMessages.bad_signature);
    });

    test('DRP rejects malformed fields with a 400 that names them', async () => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ 'drp.version': '0.9.4' }, /"drp\.version" must be "1\.0"/],
        [{ exercise: 'rectification' }, /"exercise"/],
        [{ regime: 'gdpr' }, /"regime"/],
        [{ phone_number: '070-123 45 67' }, /"phone_number" must be an E\.164/],
        [{ email: undefined }, /"email" give "email" or "phone_number"/],
        [{ status_callback: 'http://agent.example.com/cb' }, /"status_callback" must be an https URL/],
        [{ email: 'not-an-address' }, /"email"/],
      ];
      for (const [change, pattern] of cases) {
        const res = await post(agent, requestBody(agent, change));
        assert.equal(res.statusCode, 400, `${JSON.stringify(change)}: ${res.body}`);
        const body = res.json<{ code: string; message: string }>();
        assert.equal(body.code, '400');
        assert.match(body.message, pattern);
      }
    });

    test('DRP status follows the request: verification timing out, refusal, routing, completion', () => {
      const base = {
        id: 'r1',
        declaration_id: BUSINESS,
        service_id: null,
        type: 'access',
        received_at: '2025-01-31T10:00:00.000Z',
        due_at: '2025-02-28T10:00:00.000Z',
        extended_to: null,
        verified_at: null,
        outcome: null,
        drp_agent_request_id: null,
      } as unknown as RequestRow;
      const of = (set: Partial<RequestRow>) => statusOf(app.ctx, { ...base, ...set });
      assert.deepEqual(
        [of({ status: 'expired' }).status, of({ status: 'expired' }).reason],
        ['denied', 'insuf_verification'],
      );
      const refused = of({
        status: 'refused',
        outcome: JSON.stringify({
          refused: true,
          ground: 'excessive',
          reasons: 'Third identical request this month.',
        }),
      });
      assert.deepEqual(
        [refused.status, refused.reason, refused.processing_details],
        ['denied', 'too_many_requests', 'Third identical request this month.'],
      );
      assert.equal(
        of({ status: 'refused', outcome: JSON.stringify({ ground: 'something new' }) }).reason,
        'other',
      );
      const routed = of({ status: 'routed', service_id: 'visilion' });
      assert.deepEqual([routed.status, routed.reason], ['denied', 'other']);
      assert.match(routed.processing_details!, /Visilion/);
      assert.equal(of({ status: 'completed' }).status, 'fulfilled');
      assert.equal(of({ status: 'awaiting_review' }).status, 'in_progress');
      assert.equal(
        of({ status: 'in_progress', extended_to: '2025-04-30T10:00:00.000Z' }).expected_by,
        '2025-04-30T10:00:00.000Z',
      );
    });
  });
}

test('DRP timestamps without an offset are read as UTC, and garbage is no timestamp', () => {
  assert.equal(parseTimestamp('2025-03-01T12:00:00.123456')?.toISOString(), '2025-03-01T12:00:00.123Z');
  assert.equal(parseTimestamp('2025-03-01T12:00:00+0100')?.toISOString(), '2025-03-01T11:00:00.000Z');
  assert.equal(parseTimestamp('2025-03-01 12:00Z')?.toISOString(), '2025-03-01T12:00:00.000Z');
  assert.equal(parseTimestamp('yesterday'), undefined);
  assert.equal(parseTimestamp(1740830400), undefined);
});
