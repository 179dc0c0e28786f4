import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { smallShopDeclaration } from '../../test/support/paths.js';
import { lintSource } from '../policy/lint.js';
import type { Declaration } from '../policy/schema.js';
import type { DatasetInput } from './dataset.js';
import { datasetSchema } from './dataset.js';
import type { DatasetLintCode } from './lint-dataset.js';
import { datasetFilesBeside, lintDataset, lintDatasetFiles, parseDataset } from './lint-dataset.js';
import { eventsFromDatasets } from './lint-retention.js';

const declarationSource = readFileSync(smallShopDeclaration, 'utf8');
const declaration = lintSource(declarationSource).declaration as Declaration;
const files = datasetFilesBeside(smallShopDeclaration);
const sourceOf = (system: string) =>
  readFileSync(join(smallShopDeclaration, '..', 'datasets', `${system}.yaml`), 'utf8');

interface MutableField extends Record<string, unknown> {
  name: string;
}
interface MutableCollection extends Record<string, unknown> {
  name: string;
  fields: MutableField[];
}
type Mutable = Omit<DatasetInput, 'collections'> & { collections: MutableCollection[] };

/** The shop's dataset as a plain object to change. */
function shop(): Mutable {
  return parse(sourceOf('shop')) as Mutable;
}
const collection = (d: Mutable, name: string): MutableCollection => {
  const found = d.collections.find((c) => c.name === name);
  assert.ok(found, name);
  return found;
};
const field = (d: Mutable, c: string, name: string): MutableField => {
  const found = collection(d, c).fields.find((f) => f.name === name);
  assert.ok(found, `${c}.${name}`);
  return found;
};

/** The codes lint reports for the shop dataset after `change`, errors and warnings. */
function codesAfter(change: (d: Mutable) => void, decl: Declaration = declaration): DatasetLintCode[] {
  const d = shop();
  change(d);
  return lintDataset(stringify(d), { declaration: decl }).issues.map((i) => i.code);
}

describe('dataset lint', () => {
  test('the example datasets lint clean, together and one by one', () => {
    assert.equal(files.length, 3);
    const results = lintDatasetFiles(
      declaration,
      files.map((file) => ({ file, source: readFileSync(file, 'utf8') })),
    );
    for (const r of results) {
      assert.deepEqual(r.issues, [], r.file);
      assert.ok(r.dataset?.reviewed, `${r.file} is reviewed`);
      assert.match(r.contentHash ?? '', /^[0-9a-f]{64}$/);
    }
  });

  test('YAML and schema errors carry the line, and an unquoted null mask says how to write it', () => {
    const syntax = lintDataset('steward: 1\nkind: [dataset\n', { declaration });
    assert.equal(syntax.issues[0]?.code, 'yaml.syntax');
    assert.equal(syntax.dataset, undefined);

    const source = sourceOf('shop').replace("mask: 'null'", 'mask: null');
    const issue = lintDataset(source, { declaration }).issues[0];
    assert.equal(issue?.code, 'schema.invalid');
    assert.equal(issue.path, 'collections[0].fields[4].mask');
    assert.match(issue.hint, /mask: 'null' \(in quotes\)/);
    assert.equal(issue.line, source.split('\n').findIndex((l) => l.includes('mask: null')) + 1);

    const unknown = lintDataset(sourceOf('shop').replace('primaryKey: [id]', 'primaryKeys: [id]'), {
      declaration,
    }).issues;
    assert.ok(
      unknown.some((i) => i.code === 'schema.invalid' && /unknown key "primaryKeys"/.test(i.message)),
    );
  });

  test('a dataset without a review is a proposal: a warning, not an error', () => {
    const issues = lintDataset(stringify({ ...shop(), reviewed: undefined }), { declaration }).issues;
    assert.deepEqual(
      issues.map((i) => [i.code, i.severity]),
      [['dataset.unreviewed', 'warning']],
    );
  });

  test('the system, purposes and categories must be declared', () => {
    assert.deepEqual(
      codesAfter((d) => {
        d.system = 'warehouse';
      }),
      ['dataset.system_undeclared'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'orders')['purposes'] = ['orders', 'bookkeeping', 'fortune_telling'];
      }),
      ['dataset.purpose_undeclared'],
    );
    // newsletter is declared, but not a purpose of the shop system.
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'orders')['purposes'] = ['orders', 'bookkeeping', 'newsletter'];
      }),
      ['dataset.purpose_not_of_system'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'customers', 'full_name')['category'] = 'user.shoe_size';
      }),
      ['dataset.category_undeclared'],
    );
  });

  test('a category none of the collection’s purposes declares is an error; a parent key covers its children', () => {
    // Addresses serve orders only, which does not declare payment details.
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'addresses', 'street')['category'] = 'user.financial.payment';
      }),
      ['dataset.category_outside_purposes'],
    );
    const broader = structuredClone(declaration);
    const orders = broader.purposes.find((p) => p.id === 'orders');
    assert.ok(orders);
    orders.categories = [...orders.categories, 'user.financial'];
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'addresses', 'street')['category'] = 'user.financial.payment';
      }, broader),
      [],
    );
  });

  test('C9.2 fields of one category that has parts, none saying which part it holds, are a warning; named parts and one whole field are not', () => {
    const whole = (d: Mutable) => {
      field(d, 'addresses', 'street').category = 'user.contact.address';
      field(d, 'addresses', 'postal_code').category = 'user.contact.address';
    };
    const d = shop();
    whole(d);
    const [issue, ...more] = lintDataset(stringify(d), { declaration }).issues;
    assert.deepEqual(more, []);
    assert.equal(issue?.code, 'dataset.category_parts_unnamed');
    assert.equal(issue?.severity, 'warning', 'a dataset written before parts existed still loads');
    assert.match(
      issue?.message ?? '',
      /street and postal_code of "addresses" both hold user\.contact\.address: a correction to it would be written whole into each/,
    );
    assert.match(issue?.hint ?? '', /user\.contact\.address\.street, user\.contact\.address\.postal_code/);
    assert.deepEqual(
      codesAfter((x) => {
        whole(x);
        delete field(x, 'addresses', 'postal_code').category;
        delete field(x, 'addresses', 'postal_code').mask;
      }),
      [],
      'one field holding the whole address',
    );
    assert.deepEqual(
      codesAfter((x) => {
        field(x, 'customers', 'full_name').category = 'user.contact.email';
      }),
      [],
      'a category without parts may sit in several fields',
    );
  });

  test('personal fields need an erasure rule; reference data holds none', () => {
    assert.deepEqual(
      codesAfter((d) => delete collection(d, 'addresses')['erasure']),
      ['dataset.no_erasure_rule'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'cities', 'name')['category'] = 'user.contact.address';
      }),
      ['dataset.reference_personal'],
    );
  });

  test('C9.2 keeping rows from erasure needs an Art. 17(3) exemption: legal obligation passes, legitimate interests is checked, contract fails', () => {
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'invoices')['erasure'] = { action: 'keep', purpose: 'orders' };
      }),
      ['dataset.keep_without_exemption'],
    );
    const issues = lintDataset(
      stringify(
        (() => {
          const d = parse(sourceOf('support')) as Mutable;
          collection(d, 'tickets')['erasure'] = { action: 'keep', purpose: 'customer_service' };
          return d;
        })(),
      ),
      { declaration },
    ).issues;
    assert.deepEqual(
      issues.map((i) => i.code),
      ['dataset.keep_without_exemption'],
    );
    const legal = structuredClone(declaration);
    const support = legal.purposes.find((p) => p.id === 'customer_service');
    assert.ok(support);
    support.legalBasis = 'legitimate_interests';
    const checked = lintDataset(
      sourceOf('support').replace(
        /(- name: tickets\n\s+primaryKey: \[id\]\n\s+)erasure: \{ action: delete \}/,
        '$1erasure: { action: keep, purpose: customer_service }',
      ),
      { declaration: legal },
    ).issues;
    assert.deepEqual(
      checked.map((i) => [i.code, i.severity]),
      [['dataset.keep_check_exemption', 'warning']],
    );
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'addresses')['erasure'] = { action: 'keep', purpose: 'bookkeeping' };
      }),
      ['dataset.keep_outside_purposes'],
    );
  });

  test('keys, references and restriction must name fields and collections that exist', () => {
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'orders')['primaryKey'] = ['order_id'];
      }),
      ['dataset.unknown_field'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'customers')['restriction'] = { field: 'restricted', value: true };
      }),
      ['dataset.unknown_field'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'addresses', 'city_id')['references'] = { collection: 'towns', field: 'id' };
      }),
      ['dataset.unknown_collection'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'addresses', 'city_id')['references'] = { collection: 'cities', field: 'code' };
      }),
      ['dataset.unknown_field'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'cities').fields.push({ name: 'id', type: 'integer' });
      }),
      ['dataset.duplicate'],
    );
  });

  test('sameAs is checked against the other system’s dataset when it is present', () => {
    const crm = (change: (d: Mutable) => void) => {
      const d = parse(sourceOf('crm')) as Mutable;
      change(d);
      const sources = files.map((file) => ({
        file,
        source: file.endsWith('crm.yaml') ? stringify(d) : readFileSync(file, 'utf8'),
      }));
      return lintDatasetFiles(declaration, sources)
        .filter((r) => r.file.endsWith('crm.yaml'))
        .flatMap((r) => r.issues.map((i) => i.code));
    };
    assert.deepEqual(
      crm((d) => {
        field(d, 'contacts', 'shop_customer_no')['sameAs'] = {
          system: 'shop',
          collection: 'customers',
          field: 'customer_number',
        };
      }),
      ['dataset.unknown_field'],
    );
    assert.deepEqual(
      crm((d) => {
        field(d, 'contacts', 'shop_customer_no')['sameAs'] = {
          system: 'shop',
          collection: 'clients',
          field: 'customer_no',
        };
      }),
      ['dataset.unknown_collection'],
    );
    assert.deepEqual(
      crm((d) => {
        field(d, 'contacts', 'shop_customer_no')['sameAs'] = {
          system: 'erp',
          collection: 'customers',
          field: 'customer_no',
        };
      }),
      ['dataset.unknown_system'],
    );
    // Alone, without the shop's dataset beside it, the target cannot be checked and is let be.
    const alone = parse(sourceOf('crm')) as Mutable;
    field(alone, 'contacts', 'shop_customer_no')['sameAs'] = {
      system: 'shop',
      collection: 'clients',
      field: 'x',
    };
    assert.deepEqual(lintDataset(stringify(alone), { declaration }).issues, []);
  });

  test('two files for one system, and a file not named after its system', () => {
    const source = sourceOf('support');
    const results = lintDatasetFiles(declaration, [
      { file: '/x/datasets/support.yaml', source },
      { file: '/x/datasets/helpdesk.yaml', source },
    ]);
    assert.deepEqual(results[0]?.issues, []);
    assert.deepEqual(
      results[1]?.issues.map((i) => i.code),
      ['dataset.duplicate', 'dataset.file_name'],
    );
  });

  test('mask null on a NOT NULL field, a mask on a non-personal field, identity without category', () => {
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'customers', 'full_name')['mask'] = 'null';
      }),
      ['dataset.mask_null_not_nullable'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'orders', 'order_no')['mask'] = 'random';
      }),
      ['dataset.mask_not_personal'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        const email = field(d, 'invoices', 'email');
        delete email['category'];
        email['identity'] = 'email';
        delete email['mask'];
      }),
      ['dataset.identity_without_category'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        field(d, 'customers', 'phone')['identity'] = 'email';
      }),
      ['dataset.identity_category_mismatch'],
    );
  });

  test('C9.2 erasure order: a cycle of NOT NULL restricting keys between deleted collections is refused', () => {
    const cyclic = (onDelete: string, nullable: boolean) =>
      codesAfter((d) => {
        // Customers are deleted, and each names its default address, which names its customer.
        collection(d, 'customers')['erasure'] = { action: 'delete' };
        collection(d, 'customers').fields.push({
          name: 'default_address_id',
          nullable,
          references: { collection: 'addresses', field: 'id', onDelete },
        });
        field(d, 'addresses', 'customer_id')['references'] = {
          collection: 'customers',
          field: 'id',
          onDelete: 'restrict',
        };
        // No longer going with their customer by cascade: the customer's clock, through the key.
        collection(d, 'addresses')['retention'] = {
          rule: 'orders',
          clock: 'created_at',
          through: 'customer_id',
        };
        // Orders and their children stay for bookkeeping: point them at nothing deleted.
        for (const name of ['orders', 'order_lines', 'payments', 'invoices'])
          d.collections = d.collections.filter((c) => c.name !== name);
      });
    // (Without payments, the orders purpose's `unpaid` condition names a collection the cut-down map lacks.)
    assert.deepEqual(cyclic('no_action', false), [
      'dataset.condition_collection_unknown',
      'dataset.reference_cycle',
    ]);
    assert.deepEqual(cyclic('restrict', false), [
      'dataset.condition_collection_unknown',
      'dataset.reference_cycle',
    ]);
    // A nullable key or a cascade gives an order: break the link, or let the database follow it.
    assert.deepEqual(cyclic('set_null', true), ['dataset.condition_collection_unknown']);
    assert.deepEqual(cyclic('cascade', false), ['dataset.condition_collection_unknown']);
    const issue = (() => {
      const d = shop();
      collection(d, 'customers')['erasure'] = { action: 'delete' };
      collection(d, 'customers').fields.push({
        name: 'default_address_id',
        nullable: false,
        references: { collection: 'addresses', field: 'id', onDelete: 'restrict' },
      });
      field(d, 'addresses', 'customer_id')['references'] = {
        collection: 'customers',
        field: 'id',
        onDelete: 'restrict',
      };
      d.collections = d.collections.filter(
        (c) => !['orders', 'order_lines', 'payments', 'invoices'].includes(c.name),
      );
      return lintDataset(stringify(d), { declaration }).issues.find(
        (i) => i.code === 'dataset.reference_cycle',
      );
    })();
    assert.match(issue?.message ?? '', /addresses, customers/);
    assert.match(issue?.path ?? '', /^collections\[\d\]\.fields\[\d\]\.references$/);
  });

  test('deleting rows that kept rows must refer to is blocked; a cascade into kept rows is refused', () => {
    // Orders stay for bookkeeping and must name their customer: customers cannot be deleted.
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'customers')['erasure'] = { action: 'delete' };
      }),
      ['dataset.delete_blocked'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        collection(d, 'orders')['erasure'] = { action: 'delete' };
      }).sort(),
      // Invoices and payments stay and name their order; order lines would go with it.
      ['dataset.cascade_deletes_kept', 'dataset.delete_blocked', 'dataset.delete_blocked'],
    );
  });

  test('a collection with personal fields that nothing leads to', () => {
    assert.deepEqual(
      codesAfter((d) => {
        d.collections.push({
          name: 'newsletter_exports',
          primaryKey: ['id'],
          erasure: { action: 'delete' },
          retention: { rule: 'orders', clock: 'exported_at' },
          fields: [
            { name: 'id' },
            { name: 'full_name', category: 'user.name' },
            { name: 'exported_at', type: 'timestamp' },
          ],
        });
      }),
      ['dataset.unreachable'],
    );
  });

  test('C10.1 retention entries name a declared rule of the collection’s purposes and a time column', () => {
    const retention = (name: string, value: unknown) => (d: Mutable) => {
      collection(d, name)['retention'] = value;
    };
    assert.deepEqual(
      codesAfter((d) => {
        delete collection(d, 'invoices')['retention'];
      }),
      ['dataset.retention_missing'],
    );
    assert.deepEqual(codesAfter(retention('invoices', { rule: 'forever', clock: 'issued_on' })), [
      'dataset.retention_rule_undeclared',
    ]);
    // Marketing is the rule of the offers and the newsletter, not of the invoices' purposes.
    assert.deepEqual(codesAfter(retention('invoices', { rule: 'marketing', clock: 'issued_on' })), [
      'dataset.retention_rule_outside_purposes',
    ]);
    for (const clock of [
      { clock: 'issued_at' },
      { clock: 'placed_at', through: 'order' },
      { clock: 'placed_at', through: 'amount_sek' },
      { clock: 'shipped_at', through: 'order_id' },
    ])
      assert.deepEqual(
        codesAfter(retention('payments', { rule: 'accounting', ...clock })),
        ['dataset.retention_clock_missing'],
        JSON.stringify(clock),
      );
    // A number, and text on PostgreSQL (SQLite keeps times as text: the support desk's clock is TEXT).
    for (const clock of ['amount_sek', 'billing_name'])
      assert.deepEqual(codesAfter(retention('invoices', { rule: 'accounting', clock })), [
        'dataset.retention_clock_type',
      ]);
    const nullable = lintDataset(
      stringify(
        (() => {
          const d = shop();
          retention('payments', { rule: 'accounting', clock: 'paid_at' })(d);
          return d;
        })(),
      ),
      { declaration },
    ).issues;
    assert.deepEqual(
      nullable.map((i) => [i.code, i.severity]),
      [['dataset.retention_clock_nullable', 'warning']],
    );
    // Rows said to go with another row must be removed by a cascade from it.
    assert.deepEqual(codesAfter(retention('addresses', { with: 'city_id' })), [
      'dataset.retention_with_invalid',
    ]);
    assert.deepEqual(codesAfter(retention('addresses', { with: 'street' })), [
      'dataset.retention_with_invalid',
    ]);
  });

  test('C10.1 lint refuses an anonymisation that leaves an identifying value: a keyed hash or format mask, a key', () => {
    const anonymising = {
      ...declaration,
      retention: declaration.retention.map((r) =>
        r.id === 'accounting' ? { ...r, action: 'anonymise' as const } : r,
      ),
    };
    const issues = lintDataset(sourceOf('shop'), { declaration: anonymising }).issues;
    const at = (code: string) =>
      issues
        .filter((i) => i.code === code)
        .map((i) => i.path)
        .sort();
    const shopFields = shop();
    const pathOf = (c: string, f: string, key: string) =>
      `collections[${shopFields.collections.findIndex((x) => x.name === c)}].fields[${collection(shopFields, c).fields.findIndex((x) => x.name === f)}].${key}`;
    // The customer's number (format) and email (a keyed hash) would still tell one customer from
    // another; so would the payment service's reference. The name (fixed) and phone (null) go.
    assert.deepEqual(
      at('dataset.anonymise_identifying'),
      [
        pathOf('customers', 'customer_no', 'mask'),
        pathOf('customers', 'email', 'mask'),
        pathOf('payments', 'psp_reference', 'mask'),
      ].sort(),
    );
    assert.ok(issues.some((i) => i.code === 'dataset.anonymise_identifying' && /keyed hash/.test(i.hint)));
    // Order lines and addresses go by cascade from rows that are now never deleted.
    assert.equal(at('dataset.retention_with_invalid').length, 2);
    // Orders, payments and invoices keep their links to the customer and the order.
    assert.ok(at('dataset.anonymise_linked').length >= 3);
    assert.ok(
      issues.filter((i) => i.code === 'dataset.anonymise_linked').every((i) => i.severity === 'warning'),
    );

    // A key that identifies people is never masked, so anonymising its rows cannot work.
    const keyed = shop();
    field(keyed, 'customers', 'id')['category'] = 'user.unique_id';
    const key = lintDataset(stringify(keyed), { declaration: anonymising }).issues.filter(
      (i) => i.code === 'dataset.anonymise_identifying' && i.path === pathOf('customers', 'id', 'name'),
    );
    assert.equal(key.length, 1);
    assert.match(key[0]?.message ?? '', /key or link/);
    // The same dataset under a deleting rule is fine.
    assert.deepEqual(
      lintDataset(stringify(keyed), { declaration }).issues.filter((i) =>
        i.code.startsWith('dataset.anonymise'),
      ),
      [],
    );
  });

  test('a field names a lifecycle event it is the source of: a known event, one a dataset may report, a time', () => {
    const source = (f: MutableField) => (d: Mutable) => {
      collection(d, 'orders').fields.push(f);
    };
    // The example declares `delivered`; `returned` is an event it does not declare.
    const returned = {
      name: 'returned_at',
      type: 'timestamp with time zone',
      nullable: true,
      event: 'returned',
    };
    assert.deepEqual(codesAfter(source(returned)), ['dataset.event_undeclared']);
    assert.deepEqual(codesAfter(source({ ...returned, event: 'contract_end' })), []);
    assert.deepEqual(codesAfter(source({ ...returned, name: 'delivered_at', event: 'delivered' })), []);
    const declaring = (from: string[]) =>
      ({ ...declaration, lifecycleEvents: [{ id: 'returned', source: from }] }) as Declaration;
    assert.deepEqual(codesAfter(source(returned), declaring(['api', 'dataset'])), []);
    assert.deepEqual(codesAfter(source(returned), declaring(['api'])), ['dataset.event_not_from_dataset']);
    assert.deepEqual(codesAfter(source({ ...returned, type: 'text' }), declaring(['dataset'])), [
      'dataset.event_not_time',
    ]);
    const d = datasetSchema.parse(parse(sourceOf('shop')));
    const withEvent = {
      ...d,
      collections: d.collections.map((c) =>
        c.name === 'orders' ? { ...c, fields: [...c.fields, returned] } : c,
      ),
    };
    assert.deepEqual(
      [...eventsFromDatasets([withEvent]).entries()],
      [['returned', [{ system: 'shop', collection: 'orders', field: 'returned_at' }]]],
    );
  });

  test('parseDataset gives the dataset and a content hash that ignores comments', () => {
    const a = parseDataset(sourceOf('support'));
    const b = parseDataset(`# another comment\n${sourceOf('support')}`);
    assert.ok(a.dataset);
    assert.equal(a.contentHash, b.contentHash);
    assert.notEqual(a.contentHash, parseDataset(sourceOf('support').replace('Jonas', 'Jon')).contentHash);
  });
});
