import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { minimalDeclaration } from '../../test/fixtures/minimal-declaration.js';
import { referenceDeclaration, smallShopDeclaration } from '../../test/support/paths.js';
import { lintSource } from './lint.js';
import { PolicyModel } from './model.js';
import { buildRopa, renderRopa } from './ropa.js';
import type { DeclarationInput } from './schema.js';
import type { MessageKey } from '../i18n/messages.js';
import { messages } from '../i18n/messages.js';
import { declarationSchema } from './schema.js';

/** A CSV column's header as the record writes it: in the declaration's first language. */
function header(model: PolicyModel, key: string): string {
  return messages(model.declaration.languages[0] ?? 'en').format(`ropa.column.${key}` as MessageKey);
}

function modelOf(input: DeclarationInput = minimalDeclaration()): PolicyModel {
  return new PolicyModel(declarationSchema.parse(input));
}

/** A small RFC 4180 reader, so the test does not trust the writer it checks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

describe('record of processing (Art. 30)', () => {
  test('one row per purpose with controller, bases per jurisdiction, people, data, retention and security', () => {
    const rows = buildRopa(modelOf());
    assert.deepEqual(
      rows.map((r) => r.purposeId),
      ['customer-support', 'newsletter', 'privacy-requests'],
    );
    const [support, newsletter] = rows;
    assert.equal(support!.controllerName, 'Example Systems B.V., Swedish branch');
    assert.match(support!.controllerContact, /email: privacy@example\.com/);
    assert.equal(support!.dpo, '');
    assert.equal(support!.purposeName, 'Customer support');
    assert.deepEqual(support!.legalBases, [
      { jurisdiction: 'default', basis: 'contract', article: 'Art. 6(1)(b)' },
    ]);
    assert.deepEqual(newsletter!.legalBases, [
      { jurisdiction: 'SE', basis: 'legitimate_interests', article: 'Art. 6(1)(f)' },
      { jurisdiction: 'default', basis: 'consent', article: 'Art. 6(1)(a)' },
    ]);
    assert.match(newsletter!.legitimateInterest, /^Telling existing business contacts/);
    assert.deepEqual(support!.subjectCategories, [{ id: 'customer-contacts', name: 'Customer contacts' }]);
    assert.deepEqual(
      support!.dataCategories.map((c) => `${c.key}=${c.name}`),
      [
        'user.name=Name',
        'user.contact.email=Email address',
        'user.content.communication=Messages and support correspondence',
      ],
    );
    assert.deepEqual(support!.recipients, [
      { id: 'helpdesk', name: 'Helpdesk Cloud Inc.', type: 'processor' },
    ]);
    assert.deepEqual(support!.sources, [{ id: 'web-forms', name: 'Forms on our website', type: 'direct' }]);
    assert.equal(
      support!.retention.find((r) => r.category === 'user.contact.email')?.text,
      '7 years after the contract ends, then deleted (legal requirement: Bookkeeping Act (SFS 1999:1078))',
    );
    assert.equal(newsletter!.retention[0]?.text, '2 years after the last interaction, then deleted');
    assert.match(support!.securityMeasures, /encrypted in transit/);
    assert.match(support!.securityMeasures, /roles/);
    assert.match(support!.securityMeasures, /audit ledger/);
  });

  test('C6.1 a US recipient under SCCs is listed as a transfer with country and mechanism', () => {
    const [support, newsletter] = buildRopa(modelOf());
    assert.deepEqual(support!.transfers, [
      {
        recipient: 'Helpdesk Cloud Inc.',
        country: 'US',
        mechanism: 'scc',
        safeguard: 'Standard contractual clauses (Art. 46(2)(c) GDPR); EU SCC 2021/914, module 2',
        mechanisms: [
          {
            mechanism: 'scc',
            role: 'primary',
            reference: 'EU SCC 2021/914, module 2',
            safeguardsUrl: 'https://example.com/privacy/scc',
          },
        ],
      },
    ]);
    assert.deepEqual(newsletter!.transfers, []);
    const csv = parseCsv(renderRopa(modelOf(), 'csv'));
    const column = csv[0]!.indexOf('Transfers');
    assert.equal(
      csv[1]![column],
      'Helpdesk Cloud Inc., US: Standard contractual clauses (Art. 46(2)(c) GDPR); EU SCC 2021/914, module 2',
    );
  });

  test('a recipient that names the purpose counts as its recipient too', () => {
    const input = minimalDeclaration();
    input.recipients!.push({
      id: 'mailer',
      name: 'Mailer AB',
      type: 'processor',
      countries: ['SE'],
      purposes: ['newsletter'],
    });
    const [, newsletter] = buildRopa(modelOf(input));
    assert.deepEqual(newsletter!.recipients, [{ id: 'mailer', name: 'Mailer AB', type: 'processor' }]);
    assert.deepEqual(newsletter!.transfers, [], 'a Swedish recipient is not a transfer');
  });

  test('CSV has a header row and one row per purpose', () => {
    const csv = parseCsv(renderRopa(modelOf(), 'csv'));
    assert.equal(csv.length, 4);
    assert.deepEqual(csv[0]!.slice(0, 8), [
      'Controller',
      'Controller contact',
      'Data protection officer',
      'Representative',
      'Purpose id',
      'Purpose',
      'Description',
      'Legal bases',
    ]);
    assert.ok(
      csv.every((row) => row.length === csv[0]!.length),
      'every row has every column',
    );
    const at = (name: string, row: number) => csv[row]![csv[0]!.indexOf(name)];
    assert.equal(at('Purpose id', 1), 'customer-support');
    assert.equal(at('Purpose id', 2), 'newsletter');
    assert.equal(
      at('Legal bases', 2),
      'Sweden: Legitimate interests (Art. 6(1)(f) GDPR); Everywhere else: Consent (Art. 6(1)(a) GDPR)',
    );
    assert.equal(
      at('Personal data', 1),
      'Name (user.name); Email address (user.contact.email); Messages and support correspondence (user.content.communication)',
    );
    assert.match(at('Security measures', 1)!, /audit ledger/);
  });

  test('CSV keeps a value with commas, quotes and line breaks in one cell', () => {
    const input = minimalDeclaration();
    input.purposes[0]!.description = 'Answers, "fixes"\nand follow-ups';
    const csv = parseCsv(renderRopa(modelOf(input), 'csv'));
    assert.equal(csv.length, 4);
    assert.equal(csv[1]![csv[0]!.indexOf('Description')], 'Answers, "fixes"\nand follow-ups');
  });

  test('JSON names the controller and the declaration version it was generated from', () => {
    const json = JSON.parse(renderRopa(modelOf(), 'json')) as {
      controller: { name: string; supervisoryAuthority: { name: string } };
      generatedFrom: { id: string; version: string };
      rows: { purposeId: string; transfers: { country: string; mechanism: string }[] }[];
    };
    assert.equal(json.controller.name, 'Example Systems B.V., Swedish branch');
    assert.equal(json.controller.supervisoryAuthority.name, 'Integritetsskyddsmyndigheten (IMY)');
    assert.deepEqual(json.generatedFrom, { id: 'example-web', version: '1.0.0' });
    assert.deepEqual(
      json.rows.map((r) => r.purposeId),
      ['customer-support', 'newsletter', 'privacy-requests'],
    );
    assert.deepEqual(
      json.rows[0]!.transfers.map((t) => `${t.country}:${t.mechanism}`),
      ['US:scc'],
    );
  });

  test('HTML is a complete page with one accessible table, and escapes values', () => {
    const input = minimalDeclaration();
    input.purposes[1]!.name = '<script>alert(1)</script>';
    const page = renderRopa(modelOf(input), 'html');
    assert.match(page, /^<!doctype html>\n<html lang="en">/);
    assert.match(page, /<main id="main">/);
    assert.equal(page.match(/<table>/g)?.length, 1);
    assert.match(page, /<caption>[^<]+<\/caption>/);
    assert.match(page, /<th scope="col">Transfers<\/th>/);
    assert.match(page, /<th scope="row">Customer support<\/th>/);
    assert.equal(page.match(/<tbody>[^]*<\/tbody>/)![0].match(/<tr>/g)?.length, 3);
    assert.doesNotMatch(page, /<script/i);
    assert.match(page, /<th scope="row">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/th>/);
  });
});

describe('record of processing: connected systems', () => {
  const model = () =>
    modelOf(
      minimalDeclaration({
        systems: [
          {
            id: 'helpdesk-db',
            name: 'Helpdesk database',
            kind: 'postgres',
            operator: 'helpdesk',
            purposes: ['customer-support'],
            hosting: { country: 'US' },
          },
          {
            id: 'mailing-list',
            name: { en: 'Mailing list', sv: 'Utskickslista' },
            kind: 'sqlite',
            purposes: ['newsletter', 'customer-support'],
            hosting: { country: 'SE' },
          },
        ],
      }),
    );

  test('C1.2 each purpose lists the systems that hold its data, with their hosting country and operator', () => {
    const [support, newsletter] = buildRopa(model());
    assert.deepEqual(support?.systems, [
      {
        id: 'helpdesk-db',
        name: 'Helpdesk database',
        kind: 'postgres',
        country: 'US',
        operator: 'Helpdesk Cloud Inc.',
      },
      {
        id: 'mailing-list',
        name: 'Mailing list',
        kind: 'sqlite',
        country: 'SE',
        operator: 'Example Systems B.V., Swedish branch',
      },
    ]);
    assert.deepEqual(
      newsletter?.systems.map((s) => s.id),
      ['mailing-list'],
    );
  });

  test('C1.2 the CSV has a Systems column naming the hosting country', () => {
    const [head, support] = parseCsv(renderRopa(model(), 'csv'));
    const column = head?.indexOf('Systems') ?? -1;
    assert.ok(column > 0);
    assert.equal(
      support?.[column],
      'Helpdesk database (postgres, United States (US), run by Helpdesk Cloud Inc.); Mailing list (sqlite, Sweden (SE), run by Example Systems B.V., Swedish branch)',
    );
    assert.equal(head?.length, support?.length);
  });
});

describe('record of processing: audience and soft opt-in', () => {
  const shop = () => {
    const parsed = lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration;
    assert.ok(parsed);
    return new PolicyModel(parsed);
  };

  test('a marketing purpose lists its communications with audience, permission per jurisdiction and the soft opt-in condition', () => {
    const offers = buildRopa(shop(), 'en').find((r) => r.purposeId === 'customer_offers');
    assert.equal(offers?.audience, 'consumers');
    assert.deepEqual(offers?.communications, [
      {
        id: 'customer_letter',
        name: 'Customer letter',
        kind: 'marketing',
        channel: 'email',
        audience: 'consumers',
        permissions: [
          { jurisdiction: 'default', permission: 'opt_in' },
          { jurisdiction: 'SE', permission: 'opt_out' },
        ],
        softOptIn: {
          relationship: ['capture:orders'],
          within: 'P24M',
          withinText: '24 months',
          objectionOfferedAt: ['Checkout'],
          similarProducts: 'Coffee, tea and brewing gear like what you bought.',
        },
      },
    ]);
    const [head, ...rows] = parseCsv(renderRopa(shop(), 'csv'));
    const row = rows.find((r) => r[head!.indexOf(header(shop(), 'purposeId'))] === 'customer_offers');
    assert.equal(row?.[head!.indexOf(header(shop(), 'audience'))], 'consumers');
    assert.match(
      row?.[head!.indexOf(header(shop(), 'communications'))] ?? '',
      /^Kundbrev \(marketing, email, consumers\): Övriga länder opt_in, Sverige opt_out; undantag för befintliga kunder \(soft opt-in\): capture:orders inom 24 månader, möjlighet att tacka nej vid Kassan, erbjuder: Kaffe/,
    );
  });
});

describe('record of processing: every transfer mechanism, cookie providers and the cookieless tier', () => {
  const example = (path: string) => {
    const parsed = lintSource(readFileSync(path, 'utf8')).declaration;
    assert.ok(parsed);
    return new PolicyModel(parsed);
  };
  const csvCell = (model: PolicyModel, purposeId: string, column: string) => {
    const [head, ...rows] = parseCsv(renderRopa(model, 'csv'));
    const row = rows.find((r) => r[head!.indexOf(header(model, 'purposeId'))] === purposeId);
    return row?.[head!.indexOf(header(model, column))];
  };

  test('C6.1 a transfer on the Data Privacy Framework with SCCs behind it lists both, in order, in JSON and CSV', () => {
    const shop = example(smallShopDeclaration);
    assert.deepEqual(
      shop.transfersOf('payment_provider').map((b) => `${b.role}:${b.mechanism}`),
      ['primary:dpf', 'fallback:scc'],
    );
    const orders = buildRopa(shop, 'en').find((r) => r.purposeId === 'orders');
    const payment = orders?.transfers.find((t) => t.country === 'US');
    assert.equal(payment?.mechanism, 'dpf');
    assert.deepEqual(
      payment?.mechanisms.map((m) => [m.role, m.mechanism, m.reference]),
      [
        ['primary', 'dpf', ''],
        ['fallback', 'scc', 'PSP-DPA-2024-01 annex 3'],
      ],
    );
    assert.match(
      csvCell(shop, 'orders', 'transfers') ?? '',
      /US: Certifiering enligt EU–US Data Privacy Framework .*; i andra hand: Standardavtalsklausuler \(artikel 46\.2 c GDPR\); PSP-DPA-2024-01 annex 3/,
    );
  });

  test('C6.1 a cookie lists its provider’s country, and in a third country the mechanism its recipient gives', () => {
    const reference = example(referenceDeclaration);
    const ads = buildRopa(reference, 'en').find((r) => r.purposeId === 'third_party_advertising');
    assert.deepEqual(
      ads?.cookies.map((c) => [c.name, c.country, c.thirdCountry, c.mechanisms.map((m) => m.mechanism)]),
      [['li_fat_id', 'US', true, ['scc']]],
    );
    assert.match(
      csvCell(reference, 'third_party_advertising', 'cookies') ?? '',
      /^li_fat_id \(LinkedIn, US, third country: Standard contractual clauses \(Art\. 46\(2\)\(c\) GDPR\); SCC-2020-017\)$/,
    );
    // A first-party cookie's provider is the controller, in its own country.
    const operation = buildRopa(reference, 'en').find((r) => r.purposeId === 'website_operation');
    assert.deepEqual(
      operation?.cookies.map((c) => [c.name, c.country, c.thirdCountry]),
      [['sncn_session', 'SE', false]],
    );
  });

  test('C8.1 the cookieless measurement tier is listed where the declaration uses it, apart from events that wait for consent', () => {
    const reference = example(referenceDeclaration);
    const rows = buildRopa(reference, 'en');
    assert.deepEqual(rows.find((r) => r.purposeId === 'audience_measurement')?.measurement, [
      { type: 'page_view', category: 'analytics', exempt: true },
      { type: 'timing', category: 'analytics', exempt: true },
    ]);
    assert.equal(
      csvCell(reference, 'audience_measurement', 'websiteMeasurement'),
      'page_view, timing: cookieless audience measurement, no identifier, sent without consent',
    );
    assert.equal(
      csvCell(reference, 'website_analytics', 'websiteMeasurement'),
      'click, scroll, hover, download_error, time_on_page, site_search, exit: with consent to cookie category (analytics)',
    );
    // The small shop has no exempt events: nothing says cookieless.
    const shop = example(smallShopDeclaration);
    assert.ok(buildRopa(shop, 'en').every((r) => r.measurement.every((e) => !e.exempt)));
    assert.doesNotMatch(renderRopa(shop, 'csv'), /cookiefri|cookieless/);
  });
});

describe('RoPA: erasure', () => {
  const shop = () => {
    const { declaration } = lintSource(readFileSync(smallShopDeclaration, 'utf8'));
    return new PolicyModel(declaration!);
  };

  test('C9.2 each purpose lists its Art. 17(3) exemption with its ground and reason, and its erasure conditions', () => {
    const rows = buildRopa(shop(), 'en');
    const row = (id: string) => rows.find((r) => r.purposeId === id)!;
    assert.deepEqual(row('bookkeeping').erasure.exempt, {
      ground: 'legal_obligation',
      reason: 'Accounting law requires the vouchers to be kept for seven years.',
      stated: true,
    });
    assert.equal(row('newsletter').erasure.exempt, undefined);
    assert.deepEqual(
      row('orders').erasure.conditions.map((c) => [c.id, c.effect, c.detectedBy, c.ends]),
      [
        ['open_order', 'defer', 'event order_placed until delivered', 'the order is delivered'],
        ['unpaid', 'refuse', 'shop.payments.status in pending', 'the payment is settled'],
      ],
    );
    const [head, ...csv] = parseCsv(renderRopa(shop(), 'csv'));
    const column = head?.indexOf(header(shop(), 'erasure')) ?? -1;
    const orders = csv.find((r) => r[head!.indexOf(header(shop(), 'purposeId'))] === 'orders');
    assert.equal(
      orders?.[column],
      // In the declaration's first language, Swedish.
      'skjuts upp medan open_order (event order_placed until delivered), tills ordern har levererats; vägras medan unpaid (shop.payments.status in pending), tills betalningen är klar',
    );
    const sv = buildRopa(shop(), 'sv').find((r) => r.purposeId === 'bookkeeping');
    assert.equal(sv?.erasure.exempt?.reason, 'Bokföringslagen kräver att verifikationerna sparas i sju år.');
  });
});

describe('RoPA: minimisation at capture', () => {
  test('a purpose lists what capture reduces of its data, in the record’s language; others list nothing', () => {
    const model = new PolicyModel(lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration!);
    const row = (lang: string, id: string) => buildRopa(model, lang).find((r) => r.purposeId === id);
    assert.deepEqual(row('en', 'customer_service')?.minimisation, [
      {
        category: 'user.content.communication',
        rule: 'max_length:4000',
        text: 'Messages and support correspondence: at most 4,000 characters are stored',
      },
    ]);
    assert.match(row('sv', 'customer_service')?.minimisation[0]?.text ?? '', /högst 4\s000 tecken sparas/);
    assert.deepEqual(row('en', 'orders')?.minimisation, []);
    const csv = renderRopa(model, 'csv');
    assert.match(csv.split('\n')[0] ?? '', /Minimering vid insamling|Minimisation at capture/);
    assert.match(csv, /at most 4,000 characters are stored|högst 4\s000 tecken sparas/);
  });
});
