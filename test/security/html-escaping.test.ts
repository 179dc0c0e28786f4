/**
 * Server HTML escapes by default: a declaration whose names and texts are markup (`<script>`, a
 * quote that would close an attribute and add `onmouseover=`, `javascript:` URLs), and the same
 * values typed into every form and put into every path, render through every TSX page as inert
 * text: no script element beyond the page's own same-origin ones, no event-handler attribute, no
 * `javascript:` link, form action or source. The tags are read as a browser would tokenise the
 * markup React writes (quoted attributes, `"` escaped inside them). Rendering does not depend on
 * the database, so one dialect (SQLite) is enough.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse, stringify } from 'yaml';
import { preferencesUrl } from '../../src/consent/mailer.js';
import { heldAddress } from '../../src/consent/send-preference-link.js';
import { renderRopa } from '../../src/policy/ropa.js';
import type { TestApp } from '../support/app.js';
import { referenceDeclaration, startTestApp } from '../support/app.js';

const H = `<script>alert(1)</script>" onmouseover="alert(2)" x='javascript:alert(3)`;
const SHOWN = '&lt;script&gt;alert(1)&lt;/script&gt;';
/** The scripts a page may load: Steward's own, same origin, and the demo's gated tag. */
const allowedScripts = [/^\/web\/v1\/steward\.js$/, /^\/privacy-centre\/centre-[0-9a-f]{12}\.js$/];

type Localised = string | Record<string, string>;
const hostile = (id: string): Localised => ({ en: `${H} ${id}`, sv: `${H} ${id}` });

/** The reference declaration with markup in every name and text a page shows. */
function hostileDeclaration(dir: string): string {
  const d = parse(readFileSync(referenceDeclaration, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  d['title'] = hostile('title');
  d['controller'].name = `${H} controller`;
  d['controller'].shortName = `${H} short`;
  for (const s of d['services']) {
    s.name = `${H} ${s.id}`;
    s.description = hostile(s.id);
  }
  for (const p of d['purposes']) {
    p.name = hostile(p.id);
    p.description = hostile(p.id);
  }
  for (const c of d['communications']) {
    c.name = hostile(c.id);
    c.description = hostile(c.id);
    c.sender = `${H} sender`;
  }
  for (const c of d['cookies'].categories) c.name = hostile(c.id);
  const file = join(dir, 'hostile.yaml');
  writeFileSync(file, stringify(d));
  return file;
}

const decode = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** Every start tag of a page with its attributes, read as a browser tokenises React's markup. */
function tags(html: string): { name: string; attributes: [string, string][] }[] {
  const found: { name: string; attributes: [string, string][] }[] = [];
  // Text and attribute values hold no raw `<` (React escapes it), so each `<letter` starts a tag.
  // Inside <style> there is none either; TrustedStyle refuses `</style`.
  for (const m of html.matchAll(/<([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attributes: [string, string][] = [];
    for (const a of (m[2] ?? '').matchAll(/\s+([^\s=/>]+)(?:="([^"]*)")?/g))
      attributes.push([(a[1] ?? '').toLowerCase(), decode(a[2] ?? '')]);
    found.push({ name: (m[1] ?? '').toLowerCase(), attributes });
  }
  return found;
}

/** Fails when a page could run anything but its own scripts. */
function assertInert(label: string, html: string): void {
  assert.ok(!html.includes('<script>alert'), `${label}: a hostile script element`);
  // Every `<` that is not a tag is escaped, so no tag can hide in the tokenising above.
  const rawTags = (html.match(/<[a-zA-Z!/]/g) ?? []).length;
  const read = tags(html).length + (html.match(/<\/[a-zA-Z][\w-]*>/g) ?? []).length;
  const doctype = html.startsWith('<!doctype html>') ? 1 : 0;
  assert.equal(rawTags, read + doctype, `${label}: markup that is not a well-formed tag`);
  for (const tag of tags(html)) {
    for (const [name, value] of tag.attributes) {
      assert.ok(!name.startsWith('on'), `${label}: an event handler attribute ${name} on <${tag.name}>`);
      if (['href', 'src', 'action', 'formaction', 'data'].includes(name))
        assert.ok(!/^\s*javascript:/i.test(value), `${label}: a javascript: URL in ${name}`);
    }
    if (tag.name === 'script') {
      const src = tag.attributes.find(([n]) => n === 'src')?.[1];
      const type = tag.attributes.find(([n]) => n === 'type')?.[1];
      assert.ok(
        type === 'text/plain' || (src !== undefined && allowedScripts.some((p) => p.test(src))),
        `${label}: a script that is not the page's own (${src ?? 'inline'})`,
      );
    }
  }
}

describe('every server page escapes hostile values by default', () => {
  let app: TestApp;
  let dir: string;
  const form = (fields: Record<string, string>) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
  const page = async (label: string, options: Parameters<TestApp['request']>[0], shows = false) => {
    const res = await app.request(options);
    assert.match(String(res.headers['content-type']), /text\/html/, `${label}: ${res.statusCode}`);
    assertInert(label, res.body);
    if (shows) assert.ok(res.body.includes(SHOWN), `${label}: the hostile value is shown as text`);
    return res.body;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steward-escaping-'));
    app = await startTestApp('sqlite', { declarations: [hostileDeclaration(dir)] });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the check itself catches a handler, a script and a javascript: link', () => {
    assert.throws(() => assertInert('x', '<p onmouseover="x">a</p>'));
    assert.throws(() => assertInert('x', '<p>a</p><script>alert(1)</script>'));
    assert.throws(() => assertInert('x', '<a href="javascript:alert(1)">a</a>'));
    assert.throws(() => assertInert('x', '<input value="a" onfocus=alert(1)>'));
    assert.doesNotThrow(() =>
      assertInert('x', `<p title="${'&quot; onmouseover=&quot;x'}">&lt;script&gt;</p>`),
    );
  });

  test('values from the declaration: notice index, versions, privacy centre, link form, demo site, RoPA', async () => {
    await page('notice index', { method: 'GET', url: '/privacy' }, true);
    await page('versions', { method: 'GET', url: '/privacy/sncn-general/versions' });
    await page('privacy centre', { method: 'GET', url: '/privacy-centre' }, true);
    await page('privacy centre (sv)', { method: 'GET', url: '/privacy-centre?lang=sv' }, true);
    await page('link form', { method: 'GET', url: '/preferences' }, true);
    for (const url of ['/', '/products?view=compare', '/newsletter', '/contact', '/search?q=alert'])
      await page(`demo ${url}`, { method: 'GET', url }, true);
    const active = app.ctx.policies.get('sncn-general');
    assert.ok(active);
    const ropa = renderRopa(active.model, 'html');
    assertInert('RoPA', ropa);
    assert.ok(ropa.includes(SHOWN));
  });

  test('values from the request: form fields, queries and paths', async () => {
    const fields = {
      email: H,
      name: H,
      details: H,
      grounds: H,
      'fix-field-1': H,
      'fix-value-1': H,
      type: 'access',
      declaration: H,
      service: H,
    };
    await page('request form re-shown', { method: 'POST', url: '/privacy-centre', ...form(fields) }, true);
    await page('link form re-shown', { method: 'POST', url: '/preferences', ...form({ email: H }) }, true);
    await page('link form, hostile declaration', {
      method: 'GET',
      url: `/preferences?declaration=${encodeURIComponent(H)}`,
    });
    const path = encodeURIComponent(H);
    for (const url of [
      `/privacy-centre/requests/${path}`,
      `/privacy-centre/results/${path}`,
      `/u/${path}`,
      `/confirm/${path}`,
      `/preferences/${path}`,
      `/privacy-centre?lang=${path}`,
    ])
      await page(`path ${url}`, { method: 'GET', url });
    await page('demo search', { method: 'GET', url: `/search?q=${path}` }, true);
    await page('demo newsletter', { method: 'POST', url: '/newsletter', ...form({ email: H }) }, true);
    await page(
      'demo contact',
      { method: 'POST', url: '/contact', ...form({ name: H, email: H, message: H }) },
      true,
    );
  });

  test('a real preference centre for a hostile declaration, before and after an action', async () => {
    const email = 'escaping.person@example.org';
    const lists = Object.fromEntries(
      app.ctx.policies
        .get('sncn-general')!
        .model.declaration.communications.filter((c) =>
          (c.collectionPoints ?? []).includes('newsletter_form'),
        )
        .map((c) => [`list-${c.id}`, 'yes']),
    );
    const signUp = await app.request({ method: 'POST', url: '/newsletter', ...form({ email, ...lists }) });
    assert.equal(signUp.statusCode, 201, signUp.body);
    const address = await heldAddress(app.ctx, { email });
    assert.ok(address, 'the sign-up holds the address');
    const url = new URL(preferencesUrl(app.ctx, address.identifierId, 'sncn-general'));
    await page('preference centre', { method: 'GET', url: url.pathname, headers: { 'sec-gpc': '1' } }, true);
    await page(
      'preference centre after an action',
      { method: 'POST', url: url.pathname, ...form({ action: `subscribe:${H}` }) },
      true,
    );
  });
});
