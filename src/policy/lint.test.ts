import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { stringify } from 'yaml';
import { minimalDeclaration } from '../../test/fixtures/minimal-declaration.js';
import { referenceDeclaration, smallShopDeclaration } from '../../test/support/paths.js';
import type { LintCode } from './lint.js';
import { eventOfRule, eventsWithoutSource, lifecycleEvent, ruleIdsOf } from './lifecycle.js';
import { lintSource } from './lint.js';
import type { DeclarationInput } from './schema.js';

type Mutable = DeclarationInput & {
  purposes: Record<string, unknown>[];
  recipients: Record<string, unknown>[];
};

/** Lints the minimal declaration after `break` changed it, and returns the error codes. */
function codesAfter(breakIt: (d: Mutable) => void): LintCode[] {
  const d = minimalDeclaration() as Mutable;
  breakIt(d);
  return lintSource(stringify(d))
    .issues.filter((i) => i.severity === 'error')
    .map((i) => i.code);
}

describe('policy lint', () => {
  test('the minimal fixture and both shipped examples pass', () => {
    for (const source of [
      stringify(minimalDeclaration()),
      readFileSync(referenceDeclaration, 'utf8'),
      readFileSync(smallShopDeclaration, 'utf8'),
    ]) {
      const errors = lintSource(source).issues.filter((i) => i.severity === 'error');
      assert.deepEqual(errors, []);
    }
  });

  test('legitimate interests without an assessment', () => {
    assert.deepEqual(
      codesAfter((d) => delete d.purposes[1]!['legitimateInterest']),
      ['basis.li_without_assessment'],
    );
  });

  test('C6.1 a recipient outside the EEA without adequacy and without a mechanism fails lint', () => {
    assert.deepEqual(
      codesAfter((d) => delete d.recipients[0]!['transfer']),
      ['transfer.no_mechanism'],
    );
    // An adequate country (Japan) needs no mechanism; an EEA one neither.
    assert.deepEqual(
      codesAfter((d) => {
        delete d.recipients[0]!['transfer'];
        d.recipients[0]!['countries'] = ['JP', 'SE'];
      }),
      [],
    );
  });

  test('C5.1 every recipient says whether it is told of corrections and erasures, and a recipient that is not says why', () => {
    assert.deepEqual(
      codesAfter((d) => delete d.recipients[0]!['notifyOnChange']),
      ['recipient.art19_unstated'],
    );
    assert.deepEqual(
      codesAfter((d) => void (d.recipients[0]!['notifyOnChange'] = false)),
      ['recipient.art19_exemption_missing'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        d.recipients[0]!['notifyOnChange'] = false;
        d.recipients[0]!['notifyExemption'] = 'It only hosts systems Steward erases in directly.';
      }),
      [],
    );
  });

  test('a category used by a purpose without a retention rule', () => {
    assert.deepEqual(
      codesAfter((d) => {
        d.purposes[0]!['retention'] = { categories: { 'user.contact': 'after-contract' } };
      }),
      ['retention.missing', 'retention.missing'],
    );
  });

  test('a purpose without a legal basis, and a per-jurisdiction basis without a default', () => {
    assert.deepEqual(
      codesAfter((d) => delete d.purposes[0]!['legalBasis']),
      ['basis.missing'],
    );
    assert.deepEqual(
      codesAfter((d) => {
        d.purposes[0]!['legalBasis'] = { SE: 'contract' };
      }),
      ['basis.no_default'],
    );
  });

  test('references to undeclared things name what is missing', () => {
    const d = minimalDeclaration() as Mutable;
    d.purposes[0]!['recipients'] = ['helpdesk', 'ghost-recipient'];
    d.purposes[0]!['categories'] = ['user.name', 'user.not_a_category'];
    const issues = lintSource(stringify(d)).issues.filter((i) => i.code === 'ref.undeclared');
    assert.equal(issues.length, 2);
    assert.match(issues[0]!.message + issues[1]!.message, /ghost-recipient/);
    assert.match(issues[0]!.message + issues[1]!.message, /user\.not_a_category/);
    assert.ok(
      issues.every((i) => i.path.startsWith('purposes[0].') && typeof i.line === 'number' && i.line > 1),
    );
  });

  test('a misspelt category is answered with the keys that exist beside it', () => {
    const d = minimalDeclaration() as Mutable;
    d.purposes[0]!['categories'] = ['user.name', 'user.contact.emial'];
    const [issue] = lintSource(stringify(d)).issues.filter((i) => i.code === 'ref.undeclared');
    assert.match(issue?.hint ?? '', /^Use one of the keys that exist \(user\.contact\.[a-z_.]+, /);
    assert.match(issue?.hint ?? '', /user\.contact\.email/);
    assert.doesNotMatch(issue?.hint ?? '', /user\.name/);
  });

  test('consent basis on a communication without a way to collect consent', () => {
    assert.deepEqual(
      codesAfter((d) => {
        d.communications = [
          {
            id: 'news',
            name: 'News',
            kind: 'marketing',
            channel: 'email',
            purpose: 'newsletter',
            sender: 'Example Systems',
            permission: 'opt_in',
          },
        ];
      }),
      ['consent.no_collection_point'],
    );
  });

  test('processor-service data used by a controller purpose', () => {
    assert.deepEqual(
      codesAfter((d) => {
        d.services = [
          { id: 'hosted-app', name: 'Hosted app', role: 'processor', provider: { kind: 'customer' } },
        ];
        d.purposes[1]!['services'] = ['hosted-app'];
      }),
      ['processor.data_in_controller_purpose'],
    );
  });

  test('distinct codes for YAML syntax errors and schema violations, with the line', () => {
    const syntax = lintSource('steward: 1\nid: [unclosed\n');
    assert.equal(syntax.issues[0]?.code, 'yaml.syntax');
    assert.equal(syntax.declaration, undefined);

    const source = stringify({ ...minimalDeclaration(), purposse: [] });
    const unknownKey = lintSource(source).issues;
    assert.equal(unknownKey[0]?.code, 'schema.invalid');
    assert.match(unknownKey[0]!.message, /unknown key "purposse"/);

    const badDuration = stringify(
      minimalDeclaration({
        retention: [
          { id: 'x', duration: 'two years', trigger: 'collected', action: 'delete', rationale: 'r' },
        ],
      }),
    );
    const issue = lintSource(badDuration).issues.find((i) => i.path === 'retention[0].duration');
    assert.ok(issue, 'the duration is named');
    assert.match(issue.message, /ISO 8601 duration/);
    assert.equal(issue.line, badDuration.split('\n').findIndex((l) => l.includes('two years')) + 1);
  });

  test('the content hash ignores comments and formatting but not content', () => {
    const a = lintSource(stringify(minimalDeclaration()));
    const b = lintSource(`# a comment\n${stringify(minimalDeclaration(), { indent: 4 })}`);
    const c = lintSource(stringify(minimalDeclaration({ version: '1.0.1' })));
    assert.equal(a.contentHash, b.contentHash);
    assert.notEqual(a.contentHash, c.contentHash);
  });
});

describe('policy lint: connected systems', () => {
  const kinds = { connectorKinds: new Set(['postgres', 'sqlite']) };
  const system = (overrides: Record<string, unknown> = {}) => ({
    id: 'helpdesk-db',
    name: { en: 'Helpdesk database', sv: 'Helpdeskens databas' },
    kind: 'postgres',
    operator: 'helpdesk',
    purposes: ['customer-support'],
    hosting: { country: 'US' },
    ...overrides,
  });
  /** Lints the minimal declaration with these systems; returns [code, severity] pairs. */
  const issuesWith = (systems: unknown[], change: (d: Mutable) => void = () => {}) => {
    const d = minimalDeclaration() as Mutable;
    (d as Record<string, unknown>)['systems'] = systems;
    change(d);
    return lintSource(stringify(d), kinds).issues.map((i) => [i.code, i.severity]);
  };

  test('a system run by a declared processor, in a country it is declared in, with its transfer mechanism, passes', () => {
    assert.deepEqual(issuesWith([system()]), []);
    assert.deepEqual(
      issuesWith([system({ id: 'local', kind: 'sqlite', operator: 'self', hosting: { country: 'SE' } })]),
      [],
    );
  });

  test('an unknown kind is an error; a known kind whose connector is not built in is a warning', () => {
    assert.deepEqual(issuesWith([system({ kind: 'postgress' })]), [['system.unknown_kind', 'error']]);
    assert.deepEqual(issuesWith([system({ kind: 'mariadb' })]), [['system.no_connector', 'warning']]);
  });

  test('duplicate ids, undeclared purposes and an undeclared operator', () => {
    assert.deepEqual(issuesWith([system(), system()]), [['id.duplicate', 'error']]);
    assert.deepEqual(issuesWith([system({ purposes: ['customer-support', 'payroll'] })]), [
      ['ref.undeclared', 'error'],
    ]);
    assert.deepEqual(issuesWith([system({ operator: 'hoster' })]), [['ref.undeclared', 'error']]);
  });

  test('C6.1 a system hosted outside the EEA needs its operator’s transfer mechanism and country', () => {
    assert.deepEqual(
      issuesWith([system()], (d) => delete d.recipients[0]!['transfer']),
      [
        ['transfer.no_mechanism', 'error'],
        ['system.transfer_no_mechanism', 'error'],
      ],
    );
    // Hosted in Germany by a recipient declared only in the US: the notice would not say so.
    assert.deepEqual(issuesWith([system({ hosting: { country: 'DE' } })]), [
      ['system.hosting_country_undeclared', 'error'],
    ]);
    // Run by the controller itself in the US: someone likely runs those servers.
    assert.deepEqual(
      issuesWith([system({ operator: 'self', hosting: { country: 'US', provider: 'Big Cloud' } })]),
      [['system.self_hosted_outside_eea', 'warning']],
    );
    // Adequacy: Japan needs no mechanism, for a system as for a recipient.
    assert.deepEqual(issuesWith([system({ operator: 'self', hosting: { country: 'JP' } })]), []);
  });

  test('role: a controller system names purposes; a processor system names processor services and no purposes', () => {
    assert.deepEqual(issuesWith([system({ purposes: [] })]), [['system.role_mismatch', 'error']]);
    const withService = (d: Mutable) => {
      d.services = [
        { id: 'hosted-app', name: 'Hosted app', role: 'processor', provider: { kind: 'customer' } },
      ];
    };
    // Purposes, and no service: both are wrong.
    assert.deepEqual(issuesWith([system({ role: 'processor' })], withService), [
      ['system.role_mismatch', 'error'],
      ['system.role_mismatch', 'error'],
    ]);
    assert.deepEqual(
      issuesWith([system({ role: 'processor', purposes: [], services: ['hosted-app'] })], withService),
      [],
    );
    assert.deepEqual(issuesWith([system({ role: 'processor', purposes: [] })], withService), [
      ['system.role_mismatch', 'error'],
    ]);
  });

  test('an operator that is not a recipient of the purposes it serves is a warning', () => {
    assert.deepEqual(issuesWith([system({ purposes: ['customer-support', 'newsletter'] })]), [
      ['system.operator_not_recipient', 'warning'],
    ]);
  });

  test('the small shop example declares its three systems without errors', () => {
    const result = lintSource(readFileSync(smallShopDeclaration, 'utf8'), {
      connectorKinds: new Set(['postgres', 'mariadb', 'sqlite']),
    });
    assert.deepEqual(result.issues, []);
    assert.deepEqual(
      result.declaration?.systems.map((s) => [s.id, s.kind, s.operator, s.hosting.country]),
      [
        ['shop', 'postgres', 'hosting_provider', 'SE'],
        ['crm', 'mariadb', 'hosting_provider', 'DE'],
        ['support', 'sqlite', 'self', 'SE'],
      ],
    );
  });
});

describe('policy lint: retention clocks', () => {
  /** Lints the minimal declaration after `change`; returns [code, severity, path] of every issue. */
  const issuesAfter = (change: (d: Mutable & Record<string, unknown>) => void) => {
    const d = minimalDeclaration() as Mutable & Record<string, unknown>;
    change(d);
    return lintSource(stringify(d)).issues.map((i) => [i.code, i.severity, i.path]);
  };
  const rule = (extra: Record<string, unknown>) => ({
    id: 'after-contract',
    duration: 'P7Y',
    trigger: 'contract_end',
    action: 'delete',
    rationale: 'Support records form part of the accounting records of the contract.',
    ...extra,
  });
  const retention = (d: Mutable & Record<string, unknown>, extra: Record<string, unknown>) => {
    (d.retention as unknown[])[1] = rule(extra);
  };

  test('C10.1 a built-in event (contract_end, account_closed) needs no declaration', () => {
    assert.deepEqual(
      issuesAfter((d) => retention(d, { trigger: 'account_closed' })),
      [],
    );
  });

  test('C10.1 trigger event must name its event, and only trigger event may name one', () => {
    assert.deepEqual(
      issuesAfter((d) => retention(d, { trigger: 'event' })),
      [['retention.event_missing', 'error', 'retention[1].trigger']],
    );
    assert.deepEqual(
      issuesAfter((d) => {
        retention(d, { event: 'case_closed' });
        d.lifecycleEvents = [{ id: 'case_closed', name: 'the closing of the case' }];
      }),
      [
        ['retention.event_with_other_trigger', 'error', 'retention[1].event'],
        // The rule counts from the contract's end, so nothing waits for the declared event.
        ['lifecycle.unused', 'warning', 'lifecycleEvents[0].id'],
      ],
    );
  });

  test('C10.1 an event nothing can report is refused: undeclared, or dataset-only with no system', () => {
    assert.deepEqual(
      issuesAfter((d) => retention(d, { trigger: 'event', event: 'case_closed' })),
      [['retention.event_unreportable', 'error', 'retention[1].event']],
    );
    assert.deepEqual(
      issuesAfter((d) => {
        retention(d, { trigger: 'event', event: 'case_closed' });
        d.lifecycleEvents = [{ id: 'case_closed', name: 'the closing of the case', source: ['dataset'] }];
      }),
      [['retention.event_unreportable', 'error', 'retention[1].event']],
    );
    // Reported through the API: fine.
    assert.deepEqual(
      issuesAfter((d) => {
        retention(d, { trigger: 'event', event: 'case_closed' });
        d.lifecycleEvents = [{ id: 'case_closed', name: 'the closing of the case', about: 'record' }];
      }),
      [],
    );
  });

  test('C10.1 a last_interaction rule on a purpose that says no interactions is a warning', () => {
    assert.deepEqual(
      issuesAfter((d) => delete d.purposes[1]!['interactions']),
      [['retention.interactions_missing', 'warning', 'purposes[1].retention']],
    );
  });

  test('C10.1 interactions name built-ins, declared purposes or declared lifecycle events', () => {
    assert.deepEqual(
      issuesAfter((d) => {
        d.purposes[1]!['interactions'] = ['capture:customer-support', 'login', 'capture:ghost', 'click'];
        d.lifecycleEvents = [{ id: 'login', name: 'a sign-in' }];
      }),
      [
        ['ref.undeclared', 'error', 'purposes[1].interactions[2]'],
        ['interaction.click_untracked', 'warning', 'purposes[1].interactions[3]'],
      ],
    );
    assert.deepEqual(
      issuesAfter((d) => {
        d.purposes[1]!['interactions'] = ['login'];
      }),
      [['interaction.unknown', 'error', 'purposes[1].interactions[0]']],
    );
  });

  test('C10.1 a declared event that nothing uses is a warning (reports of it are refused)', () => {
    assert.deepEqual(
      issuesAfter((d) => {
        d.lifecycleEvents = [{ id: 'delivered', name: 'delivery', about: 'record' }];
      }),
      [['lifecycle.unused', 'warning', 'lifecycleEvents[0].id']],
    );
  });

  test('C10.1 anchors, financial_year with the default financial year included, lint clean', () => {
    for (const anchor of [
      'month',
      'quarter',
      'year',
      'financial_year',
      'calendar_year_of_financial_year_end',
    ])
      assert.deepEqual(
        issuesAfter((d) => retention(d, { trigger: 'collected', anchor })),
        [],
        anchor,
      );
    assert.deepEqual(
      issuesAfter((d) => retention(d, { trigger: 'collected', anchor: 'fiscal' })).map(([code]) => code),
      ['schema.invalid'],
    );
  });

  test('C10.1 both examples give every retention rule a clock that starts', () => {
    for (const file of [referenceDeclaration, smallShopDeclaration]) {
      const result = lintSource(readFileSync(file, 'utf8'));
      const d = result.declaration!;
      assert.deepEqual(
        result.issues.filter((i) => i.code.startsWith('retention.') || i.code.startsWith('interaction.')),
        [],
      );
      for (const r of d.retention) {
        if (r.trigger === 'last_interaction') {
          const users = d.purposes.filter((p) => ruleIdsOf(p).has(r.id));
          assert.ok(users.length > 0 && users.every((p) => (p.interactions ?? []).length > 0), r.id);
        }
        const event = eventOfRule(r);
        if (event !== undefined)
          assert.ok(lifecycleEvent(d, event)?.source.includes('api'), `${r.id}: ${event} can be reported`);
      }
      assert.deepEqual(eventsWithoutSource(d, []), []);
    }
  });

  test('C10.1 the dataset hook lists dataset-only events that no dataset field names', () => {
    const d = lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration!;
    const datasetOnly = {
      ...d,
      lifecycleEvents: d.lifecycleEvents.map((e) => ({ ...e, source: ['dataset' as const] })),
    };
    assert.deepEqual(eventsWithoutSource(datasetOnly, []), [
      {
        event: 'delivered',
        reason: 'no_dataset_field',
        rules: ['orders'],
        interactions: [],
        softOptIns: [],
        conditions: ['orders.open_order'],
      },
      {
        event: 'order_placed',
        reason: 'no_dataset_field',
        rules: [],
        interactions: [],
        softOptIns: [],
        conditions: ['orders.open_order'],
      },
    ]);
    const shop = {
      system: 'shop',
      collections: [
        {
          name: 'orders',
          fields: [
            { name: 'id' },
            { name: 'placed_at', event: 'order_placed' },
            { name: 'delivered_at', event: 'delivered' },
          ],
        },
      ],
    };
    assert.deepEqual(eventsWithoutSource(datasetOnly, [shop]), []);
  });

  describe('coherence', () => {
    const issuesAfter = (breakIt: (d: Mutable) => void, base: Partial<DeclarationInput> = {}) => {
      const d = minimalDeclaration(base) as Mutable;
      breakIt(d);
      return lintSource(stringify(d)).issues;
    };
    const promo = {
      id: 'promo',
      name: 'Offers',
      kind: 'marketing',
      channel: 'email',
      sender: 'Example Systems B.V.',
      permission: 'opt_in',
    };

    test('consent as the basis of data the person must provide is refused, per jurisdiction, naming the bases that fit', () => {
      const contractual = issuesAfter((d) => (d.purposes[0]!['legalBasis'] = 'consent')).filter(
        (i) => i.code === 'coherence.consent_for_required',
      );
      assert.equal(contractual.length, 1);
      assert.equal(contractual[0]?.severity, 'error');
      assert.equal(contractual[0]?.path, 'purposes[0].legalBasis');
      assert.match(contractual[0]?.hint ?? '', /Base it on contract, or set requirement: none/);
      const statutory = issuesAfter(
        (d) => (d.purposes[2]!['legalBasis'] = { SE: 'consent', default: 'legal_obligation' }),
      ).filter((i) => i.code === 'coherence.consent_for_required');
      assert.equal(statutory.length, 1);
      assert.match(statutory[0]?.message ?? '', /rests on consent in SE.*statutory obligation: GDPR/);
      assert.match(statutory[0]?.hint ?? '', /legal_obligation/);
      // Consent where the person may refuse is fine.
      assert.deepEqual(
        issuesAfter(() => undefined).filter((i) => i.code.startsWith('coherence.')),
        [],
      );
    });

    test('a marketing communication on a purpose that rests on contract is refused, naming the purposes that may carry it', () => {
      const issues = issuesAfter((d) => {
        (d as { communications?: unknown[] }).communications = [{ ...promo, purpose: 'customer-support' }];
      }).filter((i) => i.code === 'coherence.marketing_on_contract');
      assert.equal(issues.length, 1);
      assert.equal(issues[0]?.path, 'communications[0].purpose');
      assert.match(issues[0]?.hint ?? '', /\(newsletter\)/);
      assert.deepEqual(
        issuesAfter((d) => {
          (d as { communications?: unknown[] }).communications = [{ ...promo, purpose: 'newsletter' }];
        }).filter((i) => i.code === 'coherence.marketing_on_contract'),
        [],
      );
    });

    test('a custom category and a retention rule that nothing uses are warned about', () => {
      const issues = issuesAfter((d) => {
        (d as { dataCategories?: unknown[] }).dataCategories = [
          { key: 'user.loyalty_tier', name: 'Loyalty tier', dpv: 'pd:Preference' },
        ];
        (d as { retention: unknown[] }).retention.push({
          id: 'orphan',
          duration: 'P1Y',
          trigger: 'collected',
          action: 'delete',
          rationale: 'Kept for nothing in particular.',
        });
      });
      const codes = issues.filter((i) => i.severity === 'warning').map((i) => [i.code, i.path]);
      assert.deepEqual(
        codes.filter(([c]) => c === 'category.unused' || c === 'retention.rule_unused'),
        [
          ['category.unused', 'dataCategories[0].key'],
          ['retention.rule_unused', `retention[${minimalDeclaration().retention!.length}].id`],
        ],
      );
      assert.match(
        issues.find((i) => i.code === 'category.unused')?.hint ?? '',
        /customer-support, newsletter, privacy-requests/,
      );
    });

    test('opt-out email or SMS marketing to consumers in the EEA without a soft opt-in is refused, naming the fix', () => {
      const withLetter = (letter: Record<string, unknown>, base: Partial<DeclarationInput> = {}) =>
        issuesAfter((d) => {
          (d as { communications?: unknown[] }).communications = [
            { ...promo, purpose: 'newsletter', collectionPoints: ['signup-form'], ...letter },
          ];
        }, base);
      const codes = (issues: ReturnType<typeof withLetter>) =>
        issues.filter((i) => i.code === 'coherence.opt_out_without_soft_opt_in');
      const refused = codes(withLetter({ permission: { default: 'opt_in', SE: 'opt_out' } }));
      assert.equal(refused.length, 1);
      assert.equal(refused[0]?.severity, 'error');
      assert.equal(refused[0]?.path, 'communications[0].permission');
      assert.match(
        refused[0]?.message ?? '',
        /email marketing "promo" reaches consumers \(audience: both\) on opt_out in SE/,
      );
      assert.match(
        refused[0]?.hint ?? '',
        /softOptIn: \{ relationship: \[capture:<purpose> or an event: capture:customer-support, capture:newsletter, capture:privacy-requests\], within: P24M, objectionOfferedAt: \[signup-form\] \}/,
      );
      assert.match(refused[0]?.hint ?? '', /audience: businesses/);
      // Everywhere else includes the EEA; SMS is covered as email is.
      assert.equal(codes(withLetter({ permission: 'opt_out', channel: 'sms' })).length, 1);
      assert.equal(codes(withLetter({ permission: { default: 'opt_in', EEA: 'opt_out' } })).length, 1);
      // Not covered: post, a jurisdiction outside the EEA, business contacts, a soft opt-in.
      const soft = {
        relationship: ['capture:customer-support'],
        within: 'P24M',
        objectionOfferedAt: ['signup-form'],
      };
      for (const [letter, base] of [
        [{ permission: 'opt_out', channel: 'post' }, {}],
        [{ permission: { default: 'opt_in', US: 'opt_out' } }, {}],
        [{ permission: { default: 'opt_in', SE: 'opt_out' }, audience: 'businesses' }, {}],
        [{ permission: { default: 'opt_in', SE: 'opt_out' } }, { audience: 'businesses' }],
        [{ permission: { default: 'opt_in', SE: 'opt_out' }, softOptIn: soft }, {}],
      ] as const)
        assert.deepEqual(
          withLetter(letter, base).filter((i) => i.severity === 'error'),
          [],
          JSON.stringify(letter),
        );
      // A business declaration still refuses a communication it says reaches consumers.
      assert.equal(
        codes(withLetter({ permission: 'opt_out', audience: 'consumers' }, { audience: 'businesses' }))
          .length,
        1,
      );
    });

    test('a soft opt-in that counts undeclared purposes, events or collection points is refused, naming the ones that exist', () => {
      const issues = issuesAfter((d) => {
        (d as { communications?: unknown[] }).communications = [
          {
            ...promo,
            purpose: 'newsletter',
            collectionPoints: ['signup-form'],
            permission: { default: 'opt_in', SE: 'opt_out' },
            softOptIn: {
              relationship: ['capture:orders', 'shipped'],
              within: 'P1Y',
              objectionOfferedAt: ['till'],
            },
          },
        ];
      }).filter((i) => i.code === 'ref.undeclared');
      assert.deepEqual(
        issues.map((i) => i.path),
        [
          'communications[0].softOptIn.relationship[0]',
          'communications[0].softOptIn.relationship[1]',
          'communications[0].softOptIn.objectionOfferedAt[0]',
        ],
      );
      assert.match(
        issues[0]?.hint ?? '',
        /capture:<purpose> with one of: customer-support, newsletter, privacy-requests/,
      );
      assert.match(issues[1]?.hint ?? '', /contract_end, account_closed/);
      assert.match(issues[2]?.hint ?? '', /signup-form/);
    });

    test('a text given per language that lacks a declared language is refused at its path', () => {
      assert.deepEqual(
        issuesAfter(() => undefined, { languages: ['sv', 'en'] }).filter(
          (i) => i.code === 'language.text_missing',
        ),
        [],
      );
      const missing = issuesAfter((d) => delete (d.purposes[0]!['name'] as Record<string, string>)['sv'], {
        languages: ['sv', 'en'],
      }).filter((i) => i.code === 'language.text_missing');
      assert.deepEqual(
        missing.map((i) => [i.severity, i.path]),
        [['error', 'purposes[0].name']],
      );
      assert.match(missing[0]?.message ?? '', /no sv version/);
      assert.match(missing[0]?.hint ?? '', /Add sv: …/);
    });
  });
});
