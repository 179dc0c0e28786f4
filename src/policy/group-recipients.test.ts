/**
 * Group companies as recipients (C5a.1): the reference declaration names its group as a recipient
 * of type `group_company`, with the purposes it serves; the notice names it among the recipients
 * and the record of processing lists it, by type, on each of those purposes and on no other.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { referenceDeclaration } from '../../test/support/paths.js';
import { lintSource } from './lint.js';
import { PolicyModel } from './model.js';
import { renderNotice } from './render-notice.js';
import { buildRopa } from './ropa.js';
import type { Declaration } from './schema.js';
import { localise } from './text.js';

const declaration = lintSource(readFileSync(referenceDeclaration, 'utf8')).declaration as Declaration;
const model = new PolicyModel(declaration);

describe('group companies as recipients', () => {
  test('C5a.1 the group is a declared recipient of type group company, named in the notice and listed in the record of processing for exactly the purposes it serves', () => {
    const groups = declaration.recipients.filter((r) => r.type === 'group_company');
    assert.ok(groups.length > 0, 'a group company is declared');
    const notice = renderNotice(model, { format: 'md', language: 'en' });
    const rows = buildRopa(model);
    for (const group of groups) {
      assert.ok(notice.includes(localise(group.name, 'en')), `the notice names ${group.id}`);
      const serving = rows.filter((r) => r.recipients.some((x) => x.id === group.id));
      assert.ok(serving.length > 0, `${group.id} serves some purpose`);
      for (const row of serving)
        assert.equal(row.recipients.find((x) => x.id === group.id)?.type, 'group_company');
      // Exactly the purposes the recipient names, or that name it.
      const expected = declaration.purposes
        .filter((p) => (group.purposes ?? []).includes(p.id) || (p.recipients ?? []).includes(group.id))
        .map((p) => p.id)
        .sort();
      assert.deepEqual(serving.map((r) => r.purposeId).sort(), expected);
    }
  });
});
