import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { after, describe, test } from 'node:test';
import { ConfigError, loadConfig, systemSettingsFor, systemUrlVariable } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'steward-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = { STEWARD_DATA_DIR: dir, STEWARD_SECRET: randomBytes(32).toString('base64') };
const SHOP_URL = 'postgres://shop_reader:Sup3r-s3cret@db.internal.example:5432/shop';
const CRM_URL = 'mysql://crm:An0ther-pw@crm.internal.example:3306/crm';

/** Writes a secrets file with the given mode and returns its path. */
function secretsFile(name: string, text: string, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** The problems a ConfigError lists, or fails. */
function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail('the settings were accepted');
}

describe('connected systems settings', () => {
  test('a URL from STEWARD_SYSTEM_<ID>_URL, the id upper-cased with "-" as "_"', () => {
    assert.equal(systemUrlVariable('web-shop'), 'STEWARD_SYSTEM_WEB_SHOP_URL');
    const config = loadConfig({ ...base, STEWARD_SYSTEM_WEB_SHOP_URL: SHOP_URL });
    const settings = systemSettingsFor(config, 'web-shop');
    assert.equal(settings?.url, SHOP_URL);
    assert.equal(settings?.system, 'web-shop');
    assert.equal(systemSettingsFor(config, 'crm'), undefined);
  });

  test('settings never print their URL: not as JSON, not through inspect, not in a template', () => {
    const config = loadConfig({ ...base, STEWARD_SYSTEM_SHOP_URL: SHOP_URL });
    const settings = systemSettingsFor(config, 'shop');
    assert.ok(settings);
    for (const shown of [
      JSON.stringify(settings),
      JSON.stringify({ config: { ...config, systems: [...config.systems] } }),
      inspect(settings),
      inspect(config, { depth: 5 }),
      `${String(settings)}`,
    ]) {
      assert.doesNotMatch(shown, /Sup3r-s3cret|shop_reader|db\.internal/, shown);
    }
    assert.match(JSON.stringify(settings), /\[secret\]/);
  });

  test('the secrets file, YAML or JSON, readable by its owner only; a variable wins over it', () => {
    const yaml = secretsFile(
      'systems.yaml',
      `shop:\n  url: ${SHOP_URL}\ncrm: { url: '${CRM_URL}' }\n`,
      0o600,
    );
    const fromYaml = loadConfig({ ...base, STEWARD_SYSTEMS_FILE: yaml });
    assert.equal(systemSettingsFor(fromYaml, 'shop')?.url, SHOP_URL);
    assert.equal(systemSettingsFor(fromYaml, 'crm')?.url, CRM_URL);

    const json = secretsFile(
      'systems.json',
      JSON.stringify({ support: { url: 'sqlite:/srv/support.db' } }),
      0o400,
    );
    assert.equal(
      systemSettingsFor(loadConfig({ ...base, STEWARD_SYSTEMS_FILE: json }), 'support')?.url,
      'sqlite:/srv/support.db',
    );

    const both = loadConfig({
      ...base,
      STEWARD_SYSTEMS_FILE: yaml,
      STEWARD_SYSTEM_CRM_URL: 'mariadb://other@h/crm',
    });
    assert.equal(systemSettingsFor(both, 'crm')?.url, 'mariadb://other@h/crm');
    assert.equal(systemSettingsFor(both, 'shop')?.url, SHOP_URL);
  });

  test('a secrets file other users can read or change stops start-up, saying chmod 600, without its content', () => {
    for (const mode of [0o644, 0o604, 0o666, 0o602]) {
      const path = secretsFile(`open-${mode.toString(8)}.yaml`, `shop: { url: '${SHOP_URL}' }\n`, mode);
      const message = problemsOf({ STEWARD_SYSTEMS_FILE: path });
      assert.match(message, new RegExp(`chmod 600 ${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
      assert.match(message, /STEWARD_SYSTEMS_FILE/);
      assert.doesNotMatch(message, /Sup3r-s3cret/);
    }
    // Readable by its group only: not refused.
    const group = secretsFile('group.yaml', `shop: { url: '${SHOP_URL}' }\n`, 0o640);
    assert.equal(
      systemSettingsFor(loadConfig({ ...base, STEWARD_SYSTEMS_FILE: group }), 'shop')?.url,
      SHOP_URL,
    );
  });

  test('bad settings are refused with the variable or file and line named, never the URL', () => {
    const badVariable = problemsOf({
      STEWARD_SYSTEM_SHOP_URL: 'shop_reader:Sup3r-s3cret@db.internal.example',
    });
    assert.match(badVariable, /STEWARD_SYSTEM_SHOP_URL is not a connection URL/);
    assert.doesNotMatch(badVariable, /Sup3r-s3cret/);

    const broken = secretsFile('broken.yaml', `shop:\n  url: ${SHOP_URL}\n bad: [Sup3r-s3cret\n`, 0o600);
    const syntax = problemsOf({ STEWARD_SYSTEMS_FILE: broken });
    assert.match(syntax, /is not valid YAML or JSON at line \d/);
    assert.doesNotMatch(syntax, /Sup3r-s3cret/);

    const extra = secretsFile('extra.yaml', `shop: { url: '${SHOP_URL}', password: Sup3r-s3cret }\n`, 0o600);
    const unknown = problemsOf({ STEWARD_SYSTEMS_FILE: extra });
    assert.match(unknown, /at shop: unknown key password/);
    assert.doesNotMatch(unknown, /Sup3r-s3cret/);

    const badUrl = secretsFile('bad-url.yaml', `shop: { url: 'db.internal.example/Sup3r-s3cret' }\n`, 0o600);
    const url = problemsOf({ STEWARD_SYSTEMS_FILE: badUrl });
    assert.match(url, /the url of "shop" in .* is not a connection URL/);
    assert.doesNotMatch(url, /Sup3r-s3cret/);

    assert.match(problemsOf({ STEWARD_SYSTEMS_FILE: join(dir, 'missing.yaml') }), /does not exist/);
  });
});

describe('worker settings', () => {
  test('a request step’s lease is STEWARD_STEP_LEASE_SECONDS, a minute unless set, and a lease shorter than 2 s is refused', () => {
    assert.equal(loadConfig(base).stepLeaseMs, 60_000);
    assert.equal(loadConfig({ ...base, STEWARD_STEP_LEASE_SECONDS: '5' }).stepLeaseMs, 5_000);
    assert.match(problemsOf({ STEWARD_STEP_LEASE_SECONDS: '1' }), /STEWARD_STEP_LEASE_SECONDS/);
    assert.match(
      problemsOf({ STEWARD_STEP_LEASE_SECONDS: 'soon' }),
      /STEWARD_STEP_LEASE_SECONDS must be a number of seconds/,
    );
  });
});
