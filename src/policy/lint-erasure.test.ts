import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { minimalDeclaration } from '../../test/fixtures/minimal-declaration.js';
import { smallShopDeclaration } from '../../test/support/paths.js';
import { datasetFilesBeside, lintDatasetFiles } from '../connectors/lint-dataset.js';
import type { LintCode } from './lint.js';
import { lintSource } from './lint.js';

type Purpose = Record<string, unknown> & { id: string; erasure?: Record<string, unknown> };
type Mutable = { purposes: Purpose[] } & Record<string, unknown>;

/** Lints the minimal declaration after a change; returns [code, severity, path] of erasure issues. */
function erasureIssues(change: (d: Mutable) => void): [LintCode, string, string][] {
  const d = minimalDeclaration({ languages: ['en', 'sv'] }) as unknown as Mutable;
  change(d);
  return lintSource(stringify(d))
    .issues.filter((i) => i.code.startsWith('erasure.'))
    .map((i) => [i.code, i.severity, i.path]);
}

const purpose = (d: Mutable, id: string) => d.purposes.find((p) => p.id === id)!;
const reason = { en: 'Why we keep it.', sv: 'Varför vi sparar det.' };
const explanation = { en: 'An order is on its way.', sv: 'En beställning är på väg.' };

describe('lint: erasure exemptions and conditions', () => {
  test('C9.2 an exemption names its Art. 17(3) ground, one that fits the basis, and a legal obligation states its own', () => {
    assert.deepEqual(
      erasureIssues(() => {}),
      [],
      'the fixture states its exemption',
    );
    assert.ok(
      !lintSource(stringify(minimalDeclaration({ languages: ['en', 'sv'] }))).issues.some(
        (i) => i.severity === 'error',
      ),
      'and lints clean in both its languages',
    );
    assert.deepEqual(
      erasureIssues((d) => (purpose(d, 'privacy-requests').erasure = { exempt: { reason } })),
      [['erasure.exempt_without_ground', 'error', 'purposes[2].erasure.exempt']],
    );
    assert.deepEqual(
      erasureIssues(
        (d) => (purpose(d, 'newsletter').erasure = { exempt: { ground: 'legal_obligation', reason } }),
      ),
      // One per basis the purpose uses: legitimate interests in Sweden, consent elsewhere.
      [
        ['erasure.ground_mismatch', 'error', 'purposes[1].erasure.exempt.ground'],
        ['erasure.ground_mismatch', 'error', 'purposes[1].erasure.exempt.ground'],
      ],
    );
    assert.deepEqual(
      erasureIssues(
        (d) => (purpose(d, 'customer-support').erasure = { exempt: { ground: 'legal_claims', reason } }),
      ),
      [['erasure.ground_mismatch', 'error', 'purposes[0].erasure.exempt.ground']],
      'contract data has no ground to stay',
    );
    assert.deepEqual(
      erasureIssues((d) => {
        const p = purpose(d, 'newsletter');
        p['legalBasis'] = 'legitimate_interests';
        p.erasure = { exempt: { ground: 'legal_claims' } };
      }),
      [['erasure.exempt_without_reason', 'warning', 'purposes[1].erasure.exempt']],
    );
    assert.deepEqual(
      erasureIssues((d) => delete purpose(d, 'privacy-requests').erasure),
      [['erasure.obligation_not_exempt', 'warning', 'purposes[2].legalBasis']],
    );
  });

  test('C9.2 a condition waits for declared events or systems and explains itself in every declared language', () => {
    const withCondition = (condition: Record<string, unknown>) =>
      erasureIssues(
        (d) =>
          (purpose(d, 'customer-support').erasure = {
            conditions: [{ id: 'open_case', effect: 'defer', explanation, ...condition }],
          }),
      );
    assert.deepEqual(withCondition({ while: { event: 'contract_end' } }), []);
    assert.deepEqual(withCondition({ while: { legalHold: true }, effect: 'refuse' }), []);
    assert.deepEqual(withCondition({ while: { event: 'case_opened', until: 'case_closed' } }), [
      ['erasure.condition_event_unknown', 'error', 'purposes[0].erasure.conditions[0].while.event'],
      ['erasure.condition_event_unknown', 'error', 'purposes[0].erasure.conditions[0].while.until'],
    ]);
    assert.deepEqual(
      withCondition({ while: { system: 'billing', collection: 'invoices', field: 'status', in: ['open'] } }),
      [['erasure.condition_system_unknown', 'error', 'purposes[0].erasure.conditions[0].while.system']],
    );
    assert.deepEqual(
      withCondition({ while: { legalHold: true }, explanation: { en: 'A dispute is open.' } }),
      [['erasure.condition_explanation_missing', 'error', 'purposes[0].erasure.conditions[0].explanation']],
    );
    assert.deepEqual(
      erasureIssues(
        (d) =>
          (purpose(d, 'customer-support').erasure = {
            conditions: [{ id: 'open_case', effect: 'defer', while: { legalHold: true } }],
          }),
      ),
      [['erasure.condition_explanation_missing', 'error', 'purposes[0].erasure.conditions[0].explanation']],
    );
    const all = lintSource(
      stringify({
        ...minimalDeclaration({ languages: ['en', 'sv'] }),
        purposes: minimalDeclaration().purposes.map((p) =>
          p.id === 'customer-support'
            ? {
                ...p,
                erasure: {
                  conditions: [
                    { id: 'x', effect: 'defer', while: { legalHold: true }, explanation: { en: 'x' } },
                  ],
                },
              }
            : p,
        ),
      }),
    ).issues.map((i) => i.code);
    assert.ok(!all.includes('language.text_missing'), 'reported once, under its own code');
  });

  test('C9.2 the dataset lint checks the collection and fields a connected condition reads', () => {
    const source = readFileSync(smallShopDeclaration, 'utf8');
    const broken = (w: Record<string, unknown>) => {
      const d = parse(source) as Mutable;
      const conditions = purpose(d, 'orders').erasure!['conditions'] as { id: string; while: unknown }[];
      conditions.find((c) => c.id === 'unpaid')!.while = {
        system: 'shop',
        collection: 'payments',
        field: 'status',
        in: ['pending'],
        ...w,
      };
      const declaration = lintSource(stringify(d)).declaration!;
      const files = datasetFilesBeside(smallShopDeclaration).map((file) => ({
        file,
        source: readFileSync(file, 'utf8'),
      }));
      return lintDatasetFiles(declaration, files).flatMap((r) =>
        r.issues.filter((i) => i.code.startsWith('dataset.condition_')).map((i) => i.code),
      );
    };
    assert.deepEqual(broken({}), []);
    assert.deepEqual(broken({ collection: 'paymnts' }), ['dataset.condition_collection_unknown']);
    assert.deepEqual(broken({ collection: 'cities' }), ['dataset.condition_collection_unknown']);
    assert.deepEqual(broken({ field: 'state' }), ['dataset.condition_field_unknown']);
    assert.deepEqual(broken({ endsAt: 'due_on' }), ['dataset.condition_field_unknown']);
  });
});
