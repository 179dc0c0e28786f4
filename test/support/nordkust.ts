/**
 * Steward with the nordkust-kaffe declaration as it ships, over fresh copies of Nordkust's three
 * company databases (nordkust-systems.ts), the connection settings given as STEWARD_SYSTEM_<ID>_URL.
 * `close` drops every database, schema and file it made.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../../src/config.js';
import type { Clock } from '../../src/context.js';
import type { DialectName } from '../../src/store/database.js';
import type { TestApp } from './app.js';
import { smallShopDeclaration, startTestApp } from './app.js';
import { cliEnv } from './cli.js';
import type { CrmDb, Customer, ShopDb, SupportDb } from './nordkust-systems.js';
import { createCrmDb, createShopDb, createSupportDb, decoy } from './nordkust-systems.js';

export const NORDKUST = 'nordkust-kaffe';

export interface Nordkust {
  readonly app: TestApp;
  readonly shop: ShopDb;
  readonly crm: CrmDb;
  readonly support: SupportDb;
  /** A privacy officer's session, for the API. */
  readonly headers: Record<string, string>;
  /** Settings for another `steward` process on the same store and systems (a worker). */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export interface NordkustOptions {
  readonly clock?: Clock;
  /** Settings of the in-process Steward; the same `secret` in two worlds gives the same keyed masks. */
  readonly config?: Partial<Config>;
  /** Customers beside Anna and the decoy (`customers(n)`), in every system. */
  readonly others?: readonly Customer[];
}

export async function startNordkust(dialect: DialectName, options: NordkustOptions = {}): Promise<Nordkust> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-nordkust-'));
  const others = options.others ?? [];
  const made: { shop?: ShopDb; crm?: CrmDb; support?: SupportDb } = {};
  const dropSystems = async () => {
    try {
      await made.shop?.drop();
      await made.crm?.drop();
    } finally {
      made.support?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const shop = (made.shop = await createShopDb(others));
    const crm = (made.crm = await createCrmDb(others));
    const support = (made.support = createSupportDb(join(dir, 'support.db'), others));
    const systems = {
      STEWARD_SYSTEM_SHOP_URL: shop.url,
      STEWARD_SYSTEM_CRM_URL: crm.url,
      STEWARD_SYSTEM_SUPPORT_URL: support.url,
    };
    const app = await startTestApp(dialect, {
      declarations: [smallShopDeclaration],
      env: systems,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.config ? { config: options.config } : {}),
    });
    try {
      const headers = {
        cookie: (await app.signInAs('privacy_officer')).cookie,
        'content-type': 'application/json',
      };
      const env = { ...cliEnv(app), ...systems, STEWARD_DECLARATIONS: smallShopDeclaration };
      return {
        app,
        shop,
        crm,
        support,
        headers,
        env,
        async close() {
          try {
            await app.close();
          } finally {
            await dropSystems();
          }
        },
      };
    } catch (error) {
      await app.close();
      throw error;
    }
  } catch (error) {
    await dropSystems();
    throw error;
  }
}

type Operator = Pick<Nordkust, 'app' | 'headers'>;

/** Steward's own data about a person: an email to customer service, captured by an operator. */
export async function recordEmail({ app, headers }: Operator, email: string, message: string): Promise<void> {
  const res = await app.request({
    method: 'POST',
    url: '/api/v1/records',
    headers,
    payload: {
      declarationId: NORDKUST,
      source: 'customer_email',
      kind: 'form_submission',
      subject: { identifiers: [{ kind: 'email', value: email }], jurisdiction: 'SE' },
      purposes: ['customer_service'],
      categories: ['user.contact.email', 'user.content.communication'],
      data: { message },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
}

/** An operator approves a request (its requester replied from the address on file). */
export async function approve({ app, headers }: Operator, requestId: string): Promise<void> {
  const ok = await app.request({
    method: 'POST',
    url: `/api/v1/requests/${requestId}/approve`,
    headers,
    payload: { note: 'Replied from the address on file' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
}

/** An operator closes a request's task, saying what they did. */
export async function closeTask(
  { app, headers }: Operator,
  requestId: string,
  taskId: string | null,
  note: string,
): Promise<void> {
  const res = await app.request({
    method: 'POST',
    url: `/api/v1/requests/${requestId}/tasks/${taskId}/close`,
    headers,
    payload: { note },
  });
  assert.equal(res.statusCode, 204, res.body);
}

/** The decoy's rows in all three databases, exactly as the fixture made them. */
export async function decoyIntact({ shop, crm, support }: Pick<Nordkust, 'shop' | 'crm' | 'support'>) {
  assert.deepEqual(
    await shop.all(
      'select customer_no, email, full_name, phone, processing_restricted from customers where id = 2',
    ),
    [
      {
        customer_no: decoy.customerNo,
        email: decoy.email,
        full_name: decoy.name,
        phone: decoy.phone,
        processing_restricted: false,
      },
    ],
  );
  assert.equal(
    (await shop.all('select id from addresses where customer_id = 2 and street = $1', [decoy.street])).length,
    1,
  );
  assert.deepEqual(
    await shop.all('select billing_name, email from invoices where order_id in (200, 201) order by id'),
    [
      { billing_name: decoy.name, email: decoy.email },
      { billing_name: decoy.name, email: decoy.email },
    ],
  );
  assert.equal(
    (await shop.all('select 1 from payments where psp_reference like $1', [`${decoy.pspReference}%`])).length,
    2,
  );
  assert.deepEqual(
    await crm.all('select id, email, first_name, suppressed from contacts where id in (3, 4) order by id'),
    [
      { id: 3, email: decoy.email, first_name: 'Anna', suppressed: 0 },
      { id: 4, email: 'anna.lundberg@example.com', first_name: 'Anna', suppressed: 0 },
    ],
  );
  assert.equal((await crm.all('select 1 from interests where contact_id in (3, 4)')).length, 2);
  assert.deepEqual(support.all('select requester_email, requester_name from tickets where id = 2'), [
    { requester_email: decoy.email, requester_name: decoy.name },
  ]);
  assert.equal(support.all('select 1 from messages where ticket_id = 2').length, 1);
}
