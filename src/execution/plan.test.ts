import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { referenceDeclaration } from '../../test/support/paths.js';
import type { Capabilities } from '../connectors/contract.js';
import type { DatasetInput } from '../connectors/dataset.js';
import { datasetSchema } from '../connectors/dataset.js';
import { lintSource } from '../policy/lint.js';
import { PolicyModel } from '../policy/model.js';
import type { RequestType } from '../policy/schema.js';
import type { PlannedStep, PlanSystem } from './plan.js';
import { categoryOfCorrection, LOCATE_KEY, planRequest } from './plan.js';

const declaration = lintSource(readFileSync(referenceDeclaration, 'utf8')).declaration;
assert.ok(declaration, 'the reference declaration parses');
const model = new PolicyModel(declaration);

const all: Capabilities = {
  read: true,
  delete: true,
  mask: true,
  update: true,
  restrict: true,
  introspect: true,
  sweep: true,
};

const dataset = (system: string, collections: DatasetInput['collections']) =>
  datasetSchema.parse({ steward: 1, kind: 'dataset', system, collections });

/** Steward's own data as the plan sees it: changed as a whole through the subject. */
const steward: PlanSystem = {
  id: 'steward',
  name: 'Steward',
  purposes: [],
  recipients: [],
  wholePerson: 'subject',
  capabilities: { ...all, mask: false, update: false, introspect: false },
  dataset: dataset('steward', [
    {
      name: 'subject',
      primaryKey: ['id'],
      restriction: { field: 'restricted', value: true },
      fields: [{ name: 'id', category: 'user.unique_id' }, { name: 'restricted' }],
    },
    {
      name: 'identifiers',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'subject_id', references: { collection: 'subject', field: 'id', onDelete: 'cascade' } },
        { name: 'value', category: 'user.contact', identity: 'email' },
      ],
    },
  ]),
};

const shop: PlanSystem = {
  id: 'shop',
  name: 'Web shop',
  owner: 'the e-commerce team',
  purposes: ['b2b_service_provision'],
  recipients: [{ recipientId: 'fulfilment_delivery', name: 'Delivery partners', why: 'delivers orders' }],
  capabilities: all,
  dataset: dataset('shop', [
    {
      name: 'customers',
      primaryKey: ['id'],
      erasure: { action: 'mask' },
      restriction: { field: 'restricted', value: true },
      fields: [
        { name: 'id', identity: 'customer', category: 'user.unique_id' },
        { name: 'email', identity: 'email', category: 'user.contact.email', mask: 'hash' },
        { name: 'phone', category: 'user.contact.phone_number', nullable: true },
        { name: 'name', category: 'user.name' },
        { name: 'restricted' },
      ],
    },
    {
      name: 'addresses',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'customer_id', references: { collection: 'customers', field: 'id', onDelete: 'cascade' } },
        { name: 'street', category: 'user.contact.address' },
      ],
    },
    {
      name: 'orders',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'customer_id', references: { collection: 'customers', field: 'id', onDelete: 'restrict' } },
        { name: 'note', category: 'user.content', nullable: true },
      ],
    },
    {
      name: 'invoices',
      primaryKey: ['id'],
      erasure: { action: 'keep', purpose: 'bookkeeping' },
      purposes: ['bookkeeping'],
      fields: [
        { name: 'id' },
        { name: 'order_id', references: { collection: 'orders', field: 'id', onDelete: 'restrict' } },
        { name: 'billed_name', category: 'user.name' },
        { name: 'billed_email', category: 'user.contact.email', nullable: true },
        { name: 'billed_address', category: 'user.contact.address' },
        { name: 'total', category: 'user.financial.purchase_history' },
      ],
    },
  ]),
};

/** A CRM whose contacts point at the shop's customers, with no way to mark restriction. */
const crm: PlanSystem = {
  id: 'crm',
  name: 'CRM',
  owner: 'sales operations',
  purposes: ['customer_marketing'],
  recipients: [],
  capabilities: { ...all, update: false },
  dataset: dataset('crm', [
    {
      name: 'contacts',
      primaryKey: ['id'],
      fields: [
        { name: 'id' },
        { name: 'shop_id', sameAs: { system: 'shop', collection: 'customers', field: 'id' } },
        { name: 'work_email', category: 'user.contact.email' },
      ],
    },
  ]),
};

const plan = (
  type: RequestType,
  systems: PlanSystem[],
  corrections?: { field: string; parts?: Record<string, string> }[],
) => planRequest({ type, model, jurisdiction: 'SE', systems, ...(corrections ? { corrections } : {}) }).steps;

const byKey = (steps: readonly PlannedStep[], key: string) => {
  const step = steps.find((s) => s.key === key);
  assert.ok(step, `a step ${key} among ${steps.map((s) => s.key).join(', ')}`);
  return step;
};

describe('request plans', () => {
  test('C9.2 an erasure plan reaches Steward and the shop; invoices keep what bookkeeping needs and mask the rest', () => {
    const steps = plan('erasure', [steward, shop]);
    assert.deepEqual(
      steps.map((s) => s.key),
      [
        'steward:subject:delete',
        'shop:addresses:delete',
        'shop:invoices:keep',
        'shop:orders:mask',
        'shop:customers:mask',
      ],
    );
    assert.deepEqual(byKey(steps, 'shop:customers:mask').dependsOn, [
      'shop:addresses:delete',
      'shop:orders:mask',
    ]);
    assert.deepEqual(byKey(steps, 'shop:orders:mask').dependsOn, ['shop:invoices:keep']);
    assert.match(
      byKey(steps, 'shop:orders:mask').note ?? '',
      /Masked, not deleted: rows of invoices that stay \(kept\)/,
    );

    const invoices = byKey(steps, 'shop:invoices:keep');
    assert.deepEqual(invoices.change, { action: 'mask', fields: [{ field: 'billed_email', mask: 'null' }] });
    assert.equal(invoices.kept?.purpose, 'bookkeeping');
    assert.equal(invoices.kept?.obligation, 'Bokföringslagen (1999:1078) ch. 7');
    assert.match(invoices.kept?.retention ?? '', /^7 years from the end of the calendar year in which/);
    assert.deepEqual(
      invoices.kept?.keptFields.map((f) => f.field),
      ['billed_name', 'billed_address', 'total'],
    );

    // Keys stay (kept invoices point at the order and the customer); the rest is masked.
    const customers = byKey(steps, 'shop:customers:mask');
    assert.deepEqual(customers.change, {
      action: 'mask',
      fields: [
        { field: 'email', mask: 'hash' },
        { field: 'phone', mask: 'null' },
        { field: 'name', mask: 'fixed' },
      ],
    });
    assert.ok(steps.every((s) => s.status === 'pending'));
  });

  test('C9.2 a system without settings or a reviewed dataset fails its step with what to do, never a silent success', () => {
    const steps = plan('erasure', [
      steward,
      {
        id: 'ledger',
        name: 'Ledger',
        purposes: [],
        recipients: [],
        problem: 'Ledger is not configured: set STEWARD_SYSTEM_LEDGER_URL, then retry.',
      },
      { id: 'newsletter', name: 'Newsletter tool', purposes: [], recipients: [] },
    ]);
    assert.equal(byKey(steps, 'ledger:*:delete').status, 'failed');
    assert.match(byKey(steps, 'ledger:*:delete').note ?? '', /STEWARD_SYSTEM_LEDGER_URL/);
    assert.equal(byKey(steps, 'newsletter:*:delete').status, 'failed');
    assert.match(byKey(steps, 'newsletter:*:delete').note ?? '', /no reviewed dataset/);
  });

  test('C9.2 linked systems: one locate step first, and every step of the linked systems waits for it', () => {
    const steps = plan('erasure', [steward, shop, crm]);
    const locate = byKey(steps, LOCATE_KEY);
    assert.deepEqual(locate.dependsOn, []);
    assert.ok(
      steps
        .filter((s) => s.system === 'shop' || s.system === 'crm')
        .every((s) => s.dependsOn.includes(LOCATE_KEY)),
    );
    assert.ok(
      !byKey(steps, 'steward:subject:delete').dependsOn.includes(LOCATE_KEY),
      'Steward is not linked',
    );
    assert.equal(byKey(steps, 'crm:contacts:delete').change?.action, 'delete');
  });

  test('C9.5 portability reads only collections serving a purpose on consent or contract', () => {
    const steps = plan('portability', [steward, shop]);
    assert.deepEqual(byKey(steps, 'shop:*:read').collections, ['customers', 'addresses', 'orders']);
    assert.equal(byKey(steps, 'steward:*:read').collections, undefined, 'Steward decides record by record');
    assert.deepEqual(byKey(plan('access', [steward, shop]), 'shop:*:read').collections, undefined);
  });

  test('C9.2 rectification: a review first, then every field of the category in every system; identifying fields last', () => {
    const steps = plan(
      'rectification',
      [steward, shop, crm],
      [{ field: 'Email address' }, { field: 'user.contact.address' }, { field: 'Shoe size' }],
    );
    const review = byKey(steps, 'steward:*:review');
    assert.equal(review.status, 'manual');
    assert.match(review.note ?? '', /"Shoe size"/);
    const customers = byKey(steps, 'shop:customers:update');
    assert.deepEqual(customers.updates, [{ field: 'email', category: 'user.contact.email', correction: 0 }]);
    assert.deepEqual(
      byKey(steps, 'shop:invoices:update').updates?.map((u) => u.field),
      ['billed_email', 'billed_address'],
    );
    assert.deepEqual(
      byKey(steps, 'shop:addresses:update').updates?.map((u) => u.field),
      ['street'],
    );
    assert.ok(customers.dependsOn.includes('steward:*:review'));
    assert.ok(
      customers.dependsOn.includes('shop:addresses:update'),
      'the email that finds the rows changes last',
    );
    const contacts = byKey(steps, 'crm:contacts:update');
    assert.equal(contacts.status, 'manual', 'the CRM connector cannot update: a task for its owner');
    assert.match(contacts.note ?? '', /work_email.*sales operations/);
    assert.ok(!steps.some((s) => s.system === 'steward' && s.action === 'update'));
  });

  test('C9.10 restriction: the declared flag where there is one, a task for the owner where there is none', () => {
    const steps = plan('restriction', [steward, shop, crm]);
    assert.deepEqual(
      steps.filter((s) => s.action === 'restrict').map((s) => s.key),
      ['steward:subject:restrict', 'shop:customers:restrict'],
    );
    const task = byKey(steps, 'crm:*:manual');
    assert.equal(task.status, 'manual');
    assert.match(task.note ?? '', /CRM declares no way to mark.*contacts.*sales operations/);
  });

  test('a missing capability becomes a task, and an undeclared keeping purpose a failure naming it', () => {
    const steps = plan('erasure', [
      { ...shop, capabilities: { ...all, delete: false } },
      {
        ...shop,
        id: 'archive',
        dataset: dataset('archive', [
          {
            name: 'letters',
            primaryKey: ['id'],
            erasure: { action: 'keep', purpose: 'no_such_purpose' },
            fields: [{ name: 'id' }, { name: 'email', identity: 'email' }],
          },
        ]),
      },
    ]);
    assert.equal(byKey(steps, 'shop:addresses:delete').status, 'manual');
    assert.match(byKey(steps, 'shop:addresses:delete').note ?? '', /cannot delete rows/);
    assert.equal(byKey(steps, 'archive:letters:keep').status, 'failed');
    assert.match(
      byKey(steps, 'archive:letters:keep').note ?? '',
      /"no_such_purpose", which the declaration does not declare/,
    );
  });

  test('C9.2 rectification in parts: split fields get their part, a whole field the whole text, and a correction in one text is never written whole into split fields', () => {
    const split: PlanSystem = {
      ...shop,
      id: 'register',
      name: 'Register',
      dataset: dataset('register', [
        {
          name: 'members',
          primaryKey: ['id'],
          fields: [
            { name: 'id' },
            { name: 'given', category: 'user.name.first' },
            { name: 'family', category: 'user.name.last' },
            { name: 'street', category: 'user.contact.address.street' },
            { name: 'zip', category: 'user.contact.address.postal_code' },
            { name: 'label', category: 'user.contact.address' },
          ],
        },
      ]),
    };
    const inParts = plan(
      'rectification',
      [split],
      [
        { field: 'Name', parts: { first: 'Anna', last: 'Nordin' } },
        { field: 'Postal address', parts: { street: 'Skeppsgatan 2', city: 'Strömstad' } },
      ],
    );
    const update = byKey(inParts, 'register:members:update');
    assert.equal(update.status, 'pending');
    assert.deepEqual(
      update.updates?.map((u) => [u.field, u.correction, u.part ?? null]),
      [
        ['given', 0, 'first'],
        ['family', 0, 'last'],
        ['street', 1, 'street'],
        ['label', 1, null],
      ],
      'the postcode is not part of the correction, so it stays',
    );
    assert.match(update.note ?? '', /members has no field for the city given in the correction/);
    assert.ok(!inParts.some((s) => s.key === 'register:members:manual'));

    const whole = plan('rectification', [split], [{ field: 'Postal address' }]);
    assert.deepEqual(
      byKey(whole, 'register:members:update').updates?.map((u) => u.field),
      ['label'],
      'only the field holding the whole address gets the whole text',
    );
    const task = byKey(whole, 'register:members:manual');
    assert.equal(task.status, 'manual');
    assert.deepEqual(task.dependsOn, ['steward:*:review']);
    assert.match(
      task.note ?? '',
      /Register keeps "Postal address" in parts in members \(street: street and zip: postal_code\), and the correction was given as one text.*by hand \(for the e-commerce team\)/,
    );
  });

  test('corrections are matched by category key, name or a common word', () => {
    assert.equal(categoryOfCorrection(model, 'user.contact.phone_number'), 'user.contact.phone_number');
    assert.equal(categoryOfCorrection(model, 'förnamn'), 'user.name.first');
    assert.equal(categoryOfCorrection(model, 'Postal code'), 'user.contact.address.postal_code');
    assert.equal(categoryOfCorrection(model, ' Telephone number '), 'user.contact.phone_number');
    assert.equal(categoryOfCorrection(model, 'e-post'), 'user.contact.email');
    assert.equal(categoryOfCorrection(model, 'favourite colour'), undefined);
  });

  test('objections and withdrawals stay with Steward', () => {
    assert.deepEqual(
      plan('objection', [steward, shop]).map((s) => s.key),
      ['steward:*:objection'],
    );
  });
});
