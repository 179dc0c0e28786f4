/**
 * The role x route matrix, generated from the routes the server registered and the permission
 * table in src/access/roles.ts (nothing here lists routes or permissions by hand): every route,
 * called by every role, by an API key for each permission and by nobody, is allowed or refused
 * exactly as its guard declares, and nothing that is refused (nor any public route) answers with
 * the seeded person's name, address or phone number.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { createApiKey } from '../../src/access/operators.js';
import type { Permission } from '../../src/access/roles.js';
import {
  firstAccountGrants,
  permissions,
  personalPermissions,
  rolePermissions,
  roles,
} from '../../src/access/roles.js';
import { bootstrapAdministrator } from '../../src/app.js';
import { hostActor } from '../../src/cli/host-actor.js';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { RouteAccess, RouteEntry } from '../../src/server/auth.js';
import { guard, registerAuth, routeTable } from '../../src/server/auth.js';
import type { TestApp } from '../support/app.js';
import { dialects, startTestApp } from '../support/app.js';

const D = 'sncn-general';
const PERSON = {
  name: 'Quilla Vandermeersch',
  email: 'quilla.vandermeersch.m4trix@example.org',
  phone: '+46 70 917 43 28',
};
/** How the person's data could appear in a body: as given, normalised, or inside JSON. */
const traces = [PERSON.name, PERSON.email, '709174328', 'Vandermeersch'];

interface Caller {
  readonly label: string;
  /** null: nobody signed in. */
  readonly permissions: ReadonlySet<Permission> | null;
  readonly operator: boolean;
  readonly headers: Record<string, string>;
}

type Expected = 'allowed' | 401 | 403;

/** What the permission table says `caller` gets from a route with `access`. */
function expected(access: RouteAccess, caller: Caller): Expected | 'public' {
  if (access.kind === 'public') return 'public';
  if (caller.permissions === null) return 401;
  if (access.kind === 'operator') return caller.operator ? 'allowed' : 401;
  if (access.kind === 'signed_in') return 'allowed';
  return access.anyOf.some((p) => caller.permissions?.has(p)) ? 'allowed' : 403;
}

for (const dialect of await dialects()) {
  describe(`role x route matrix on ${dialect}`, () => {
    let app: TestApp;
    let table: readonly RouteEntry[];
    const callers: Caller[] = [];
    const ids = { subject: '', request: '' };
    let ip = 0;
    /** Each call from its own address, clear of the per-address rate limits. */
    const nextIp = () => {
      ip += 1;
      return `10.${(ip >> 16) & 255}.${(ip >> 8) & 255}.${ip & 255}`;
    };

    before(async () => {
      app = await startTestApp(dialect);
      table = routeTable(app.server);
      // The first account: an administrator with the development outbox granted beyond its role.
      const first = await bootstrapAdministrator(app.ctx);
      assert.ok(first);
      const signedIn = await app.request({
        method: 'POST',
        url: '/api/v1/session',
        remoteAddress: '198.51.100.9',
        payload: { email: first.email, password: first.password },
      });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      callers.push({
        label: 'the first administrator',
        permissions: new Set([...rolePermissions.administrator, ...firstAccountGrants]),
        operator: true,
        headers: { cookie: String(signedIn.headers['set-cookie']).split(';')[0] ?? '' },
      });
      for (const role of roles) {
        const { cookie } = await app.signInAs(role);
        callers.push({
          label: `role ${role}`,
          permissions: new Set(rolePermissions[role]),
          operator: true,
          headers: { cookie },
        });
      }
      // Personal permissions cannot be put into a key at all (test/security/outbox.test.ts).
      for (const scope of permissions.filter((p) => !personalPermissions.includes(p))) {
        const { key } = await createApiKey(app.ctx, hostActor(), {
          name: `matrix ${scope}`,
          scopes: [scope],
          // A key for a company's own site answers for one declaration.
          ...(scope === 'requests:account' ? { declarationId: 'sncn-general' } : {}),
        });
        callers.push({
          label: `API key ${scope}`,
          permissions: new Set([scope]),
          operator: false,
          headers: { authorization: `Bearer ${key}` },
        });
      }
      callers.push({ label: 'anonymous', permissions: null, operator: false, headers: {} });

      // The person: a captured record, a consent, and a request an operator opened for them.
      const officer = { cookie: (await app.signInAs('privacy_officer')).cookie };
      const identifiers = [
        { kind: 'email', value: PERSON.email },
        { kind: 'phone', value: PERSON.phone },
      ];
      const captured = await app.request({
        method: 'POST',
        url: '/api/v1/records',
        headers: officer,
        payload: {
          declarationId: D,
          subject: { identifiers, jurisdiction: 'SE' },
          kind: 'form_submission',
          purposes: ['enquiries'],
          categories: ['user.name', 'user.contact.email'],
          source: 'website_forms',
          data: { name: PERSON.name, message: `Call ${PERSON.name} on ${PERSON.phone}` },
        },
      });
      assert.equal(captured.statusCode, 201, captured.body);
      ids.subject = captured.json<{ subjectId: string }>().subjectId;
      const opened = await app.request({
        method: 'POST',
        url: '/api/v1/requests',
        headers: officer,
        payload: {
          declarationId: D,
          type: 'access',
          channel: 'email',
          requester: { name: PERSON.name, identifiers },
          details: `${PERSON.name} asked by email`,
        },
      });
      assert.equal(opened.statusCode, 201, opened.body);
      ids.request = opened.json<{ id: string }>().id;
      // The person asks in the privacy centre too: a code goes to their address (the outbox).
      const asked = await app.request({
        method: 'POST',
        url: '/api/v1/privacy-centre/requests',
        payload: { declarationId: D, type: 'access', requester: { identifiers: identifiers.slice(0, 1) } },
      });
      assert.equal(asked.statusCode, 201, asked.body);
      await new Worker(app.ctx, jobDefinitions).drain();
    });
    after(() => app?.close());

    /** The route's URL with plausible values for its parameters. */
    const urlOf = (route: RouteEntry): string =>
      route.url
        .split('/')
        .map((segment, i, all) => {
          if (segment === '*') return 'x';
          if (!segment.includes(':')) return segment;
          const name = /:([A-Za-z]+)/.exec(segment)?.[1] ?? '';
          const before = all[i - 1] ?? '';
          let value: string = randomUUID();
          if (name === 'id' && before === 'subjects') value = ids.subject;
          else if (name === 'id' && before === 'requests') value = ids.request;
          else if (name === 'id' && (before === 'privacy' || before === 'declarations')) value = D;
          else if (name === 'declarationId') value = D;
          else if (name === 'number') value = '1';
          else if (name === 'token') value = 'x'.repeat(43);
          return segment.replace(/:[A-Za-z]+/, value);
        })
        .join('/');

    /** Queries that let an allowed caller reach the person's data, so the body check has teeth. */
    const queries: Record<string, string> = {
      'GET /api/v1/subjects': `kind=email&value=${encodeURIComponent(PERSON.email)}`,
      'GET /api/v1/subjects/:id': `purpose=${encodeURIComponent('support case: checking the route matrix')}`,
      'GET /api/v1/outbox': `to=${encodeURIComponent(PERSON.email)}`,
    };

    test('the route table covers the API and names no unknown permission', () => {
      for (const key of Object.keys(queries))
        assert.ok(
          table.some((r) => `${r.method} ${r.url}` === key),
          `${key} is not a route any more`,
        );
      for (const route of table)
        if (route.access.kind === 'permission')
          for (const p of route.access.anyOf) assert.ok(permissions.includes(p), `${route.url}: ${p}`);
      assert.ok(
        table.filter((r) => r.access.kind !== 'public').length > 30,
        'the guarded API is in the table',
      );
    });

    test('every route x every role, API key scope and anonymous: allowed or refused as the permission table says, and no person data where refused', async () => {
      const problems: string[] = [];
      let sawData = 0;
      // HEAD routes mirror their GET route (same options, same guard). Deleting the operator's
      // own session signs the caller out, so it goes last.
      const signsOut = (r: RouteEntry) => Number(r.method === 'DELETE' && r.access.kind === 'operator');
      const routes = table.filter((r) => r.method !== 'HEAD').sort((a, b) => signsOut(a) - signsOut(b));
      for (const route of routes) {
        const url = urlOf(route);
        const query = queries[`${route.method} ${route.url}`];
        const statuses = new Map<string, number>();
        for (const caller of callers) {
          const write = route.method !== 'GET' && route.method !== 'OPTIONS';
          const res = await app.request({
            method: route.method as 'GET',
            url: query === undefined ? url : `${url}?${query}`,
            remoteAddress: nextIp(),
            headers: { ...caller.headers, ...(write ? { 'content-type': 'application/json' } : {}) },
            ...(write ? { payload: '{}' } : {}),
          });
          const cell = `${route.method} ${route.url} as ${caller.label}: ${res.statusCode}`;
          const want = expected(route.access, caller);
          const leaked = traces.filter((t) => res.body.includes(t));
          statuses.set(caller.label, res.statusCode);
          if (want === 'allowed') {
            if (res.statusCode === 401 || res.statusCode === 403)
              problems.push(`${cell}, expected allowed: ${res.body.slice(0, 200)}`);
            // A route open to any signed-in caller declares no permission to read people's data.
            if (leaked.length > 0 && route.access.kind === 'signed_in')
              problems.push(
                `${cell} needs no permission but answered with the person's ${leaked.join(', ')}`,
              );
            if (leaked.length > 0) sawData += 1;
            continue;
          }
          if (want !== 'public' && res.statusCode !== want)
            problems.push(`${cell}, expected ${want}: ${res.body.slice(0, 200)}`);
          if (leaked.length > 0) problems.push(`${cell} answered with the person's ${leaked.join(', ')}`);
        }
        // A public route answers the same whoever is signed in: it must not read the actor.
        if (route.access.kind === 'public' && new Set(statuses.values()).size > 1)
          problems.push(
            `${route.method} ${route.url} is public but answers by caller: ${JSON.stringify(Object.fromEntries(statuses))}`,
          );
      }
      assert.deepEqual(problems, []);
      assert.ok(sawData > 0, 'some allowed call shows the person: the body check would see a leak');
    });

    test('a route without a guard or a public reason stops the server from starting', async () => {
      const bare = Fastify();
      registerAuth(bare, app.ctx);
      bare.get('/declared', { onRequest: guard('audit:read') }, async () => ({}));
      bare.get('/forgotten', async () => ({ secret: true }));
      await assert.rejects(async () => {
        await bare.ready();
      }, /GET \/forgotten has no guard/);
      await bare.close();
    });
  });
}
