/**
 * Purposes that rest on legitimate interests carry their assessment in the declaration (C4d.1):
 * the reference declaration's product development, staff training and quality assurance, and
 * surveys each state the interest, why the processing is needed and how it was weighed against
 * the person's interests; the record of processing lists the interest, and lint refuses such a
 * purpose without one. (The objection to them, Art. 21(1), is a request an operator decides:
 * `C9.3 C4d.1 ...` in src/rights/change-data.test.ts.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { referenceDeclaration } from '../../test/support/paths.js';
import { lintSource } from './lint.js';
import { PolicyModel } from './model.js';
import { buildRopa } from './ropa.js';
import type { Declaration } from './schema.js';
import { localise } from './text.js';

const source = readFileSync(referenceDeclaration, 'utf8');
const declaration = lintSource(source).declaration as Declaration;
const weighed = ['product_development', 'staff_training_qa', 'surveys'];

describe('legitimate interests and their assessment', () => {
  test('C4d.1 product development, staff training and QA, and surveys rest on legitimate interests, each with interest, necessity and balancing recorded', () => {
    for (const id of weighed) {
      const purpose = declaration.purposes.find((p) => p.id === id);
      assert.ok(purpose, `${id} is declared`);
      const bases =
        typeof purpose.legalBasis === 'string'
          ? [purpose.legalBasis]
          : Object.values(purpose.legalBasis ?? {});
      assert.deepEqual(bases, ['legitimate_interests'], id);
      const assessment = purpose.legitimateInterest;
      assert.ok(assessment, `${id} has an assessment`);
      for (const part of [localise(assessment.interest, 'en'), assessment.necessity, assessment.balancing])
        assert.ok(
          typeof part === 'string' && part.length > 20,
          `${id}: every part of the assessment is stated`,
        );
    }
  });

  test('C4d.1 the record of processing states each such purpose’s interest, and lint refuses the purpose without its assessment', () => {
    const rows = buildRopa(new PolicyModel(declaration));
    for (const id of weighed) {
      const row = rows.find((r) => r.purposeId === id);
      assert.ok(row, id);
      assert.deepEqual(
        row.legalBases.map((b) => [b.basis, b.article]),
        [['legitimate_interests', 'Art. 6(1)(f)']],
      );
      assert.equal(
        row.legitimateInterest,
        localise(declaration.purposes.find((p) => p.id === id)!.legitimateInterest!.interest, 'en'),
      );
    }
    const broken = parse(source) as { purposes: { id: string; legitimateInterest?: unknown }[] };
    delete broken.purposes.find((p) => p.id === 'surveys')!.legitimateInterest;
    const issues = lintSource(stringify(broken)).issues.filter(
      (i) => i.code === 'basis.li_without_assessment',
    );
    assert.equal(issues.length, 1);
    assert.match(issues[0]!.message, /"surveys" relies on legitimate interests without an assessment/);
  });
});
