import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { referenceDeclaration } from '../../test/support/paths.js';
import { messages } from '../i18n/messages.js';
import { lintSource } from '../policy/lint.js';
import { PolicyModel } from '../policy/model.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import { bannerConfig } from './banner-config.js';

describe('banner configuration', () => {
  test('C8.1 each cookie the banner lists carries its provider’s country and whether that is a third country', () => {
    const declaration = lintSource(readFileSync(referenceDeclaration, 'utf8')).declaration;
    assert.ok(declaration);
    const active = {
      model: new PolicyModel(declaration),
      version: { contentHash: 'a1' },
    } as ActiveDeclaration;
    const services = bannerConfig(active, 'https://example.com').categories.flatMap((c) => c.services);
    const byName = new Map(services.map((s) => [s.name, s]));
    assert.deepEqual([byName.get('li_fat_id')?.country, byName.get('li_fat_id')?.thirdCountry], ['US', true]);
    // First-party: the controller, in Sweden.
    assert.deepEqual(
      [byName.get('sncn_session')?.country, byName.get('sncn_session')?.thirdCountry],
      ['SE', false],
    );
  });

  test('the banner’s words come from the catalog of each declared language; one without a catalog is left out', () => {
    const declaration = lintSource(readFileSync(referenceDeclaration, 'utf8')).declaration;
    assert.ok(declaration);
    const active = (languages: string[]) =>
      ({
        model: new PolicyModel({ ...declaration, languages }),
        version: { contentHash: 'a1' },
      }) as ActiveDeclaration;
    const config = bannerConfig(active(['sv-SE', 'en']), 'https://example.com');
    assert.deepEqual(config.languages, ['sv', 'en']);
    assert.deepEqual(Object.keys(config.text), ['sv', 'en']);
    assert.equal(config.text['sv']?.acceptAll, messages('sv').format('banner.acceptAll'));
    assert.equal(config.text['en']?.gpcHonoured, messages('en').format('banner.gpcHonoured'));
    const unknown = bannerConfig(active(['en', 'tlh']), 'https://example.com');
    assert.deepEqual(unknown.languages, ['en', 'tl']);
    assert.deepEqual(
      Object.keys(unknown.text),
      ['en'],
      'no English words under a language without a catalog',
    );
  });
});
