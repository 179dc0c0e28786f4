import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { minimalDeclaration } from '../../test/fixtures/minimal-declaration.js';
import { PolicyModel } from './model.js';
import { readFileSync } from 'node:fs';
import { referenceDeclaration, smallShopDeclaration } from '../../test/support/paths.js';
import { messageKeys, messages } from '../i18n/messages.js';
import { describeRetentionPeriod } from './describe.js';
import { lintSource } from './lint.js';
import { describeDuration, describeTrigger, renderNotice } from './render-notice.js';
import { buildRopa, renderRopa } from './ropa.js';
import type { DeclarationInput, RetentionRule } from './schema.js';
import { declarationSchema } from './schema.js';

function modelOf(input: DeclarationInput = minimalDeclaration()): PolicyModel {
  return new PolicyModel(declarationSchema.parse(input));
}

function html(input?: DeclarationInput, language?: string): string {
  return renderNotice(modelOf(input), { format: 'html', ...(language === undefined ? {} : { language }) });
}

/** The HTML of one `<section id="…">`, nested sections included. */
function sectionOf(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}"`);
  assert.ok(start >= 0, `section ${id} is present`);
  const tag = /<section\b|<\/section>/g;
  tag.lastIndex = start + 1;
  let depth = 1;
  for (let m = tag.exec(page); m !== null; m = tag.exec(page)) {
    depth += m[0] === '</section>' ? -1 : 1;
    if (depth === 0) return page.slice(start, m.index + m[0].length);
  }
  assert.fail(`section ${id} is not closed`);
}

/** Visible text of some HTML: tags dropped, entities decoded, spaces collapsed. */
function textOf(fragment: string): string {
  return fragment
    .replace(/<\/dt>/g, ':')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

const cookies: DeclarationInput['cookies'] = {
  categories: [
    { id: 'necessary', name: 'Strictly necessary', description: 'Keeps the site working.', required: true },
    {
      id: 'analytics',
      name: 'Analytics',
      description: 'Counts visits to improve the site.',
      purposes: ['customer-support'],
      gpcOptOut: true,
    },
  ],
  items: [
    {
      name: 'steward_consent',
      provider: 'Example Systems',
      firstParty: true,
      category: 'necessary',
      purpose: 'customer-support',
      lifetime: 'P6M',
    },
    {
      name: '_stats_id',
      provider: 'Stats Vendor Ltd',
      firstParty: false,
      category: 'analytics',
      purpose: 'customer-support',
      lifetime: 'P13M',
    },
    {
      name: 'session_token',
      provider: 'Example Systems',
      firstParty: true,
      category: 'necessary',
      purpose: 'customer-support',
      lifetime: 'session',
      kind: 'session_storage',
    },
  ],
};

describe('privacy notice', () => {
  test('C1.1 controller, parent, establishment, contacts and supervisory authority appear in the notice', () => {
    const controller = textOf(sectionOf(html(), 'controller'));
    assert.match(controller, /Example Systems B\.V\., Swedish branch is the controller/);
    assert.match(
      controller,
      /Part of: Example Systems B\.V\. \(B\.V\.\), Netherlands, registration number 12345678/,
    );
    assert.match(controller, /Establishment: Exempelgatan 1, 111 22 Stockholm, Sweden/);
    assert.match(
      controller,
      /Web form: https:\/\/example\.com\/privacy\/contact \(general questions and requests about your rights\)/,
    );
    assert.match(controller, /Post: Example Systems, Box 1, 111 22 Stockholm, Sweden/);
    assert.match(controller, /We have not appointed a data protection officer/);
    assert.match(
      sectionOf(html(), 'controller'),
      /<a href="mailto:privacy@example\.com">privacy@example\.com<\/a>/,
    );

    const complaints = sectionOf(html(), 'complaints');
    assert.match(textOf(complaints), /Integritetsskyddsmyndigheten \(IMY\), Sweden/);
    assert.match(complaints, /<a href="https:\/\/www\.imy\.se\/">/);

    const withDpo = minimalDeclaration();
    withDpo.controller.dpo = { name: 'Dana Officer', email: 'dpo@example.com' };
    const dpo = textOf(sectionOf(html(withDpo), 'controller'));
    assert.match(dpo, /Data protection officer: Dana Officer, dpo@example\.com/);
    assert.doesNotMatch(dpo, /have not appointed/);
  });

  test('C2.1 the notice has a glossary naming every legal basis the declaration uses', () => {
    const glossary = textOf(sectionOf(html(), 'glossary'));
    for (const term of [
      'Personal data:',
      'Processing:',
      'Data subject:',
      'Controller:',
      'Processor:',
      'Purpose:',
      'Legal basis:',
      'Legitimate interest:',
      'Consent:',
      'Recipient:',
      'Transfer:',
      'Supervisory authority:',
    ]) {
      assert.ok(glossary.includes(term), `glossary defines ${term}`);
    }
    assert.match(glossary, /Consent \(Art\. 6\(1\)\(a\)\):/);
    assert.match(glossary, /Contract \(Art\. 6\(1\)\(b\)\):/);
    assert.match(glossary, /Legitimate interests \(Art\. 6\(1\)\(f\)\):/);
    assert.match(glossary, /Legal obligation \(Art\. 6\(1\)\(c\)\):/);
    assert.doesNotMatch(glossary, /\(Art\. 6\(1\)\(d\)\)/, 'an unused basis (vital interests) is not listed');
    assert.match(glossary, /covers these groups: Customer contacts and Newsletter subscribers/);
    assert.match(glossary, /here, Example Systems B\.V\., Swedish branch/);

    const withObligation = minimalDeclaration();
    withObligation.purposes[0]!.legalBasis = 'legal_obligation';
    withObligation.purposes[0]!.statutoryObligation = 'Bookkeeping Act';
    const changed = textOf(sectionOf(html(withObligation), 'glossary'));
    assert.match(changed, /Legal obligation \(Art\. 6\(1\)\(c\)\):/);
    assert.doesNotMatch(changed, /Contract \(Art\. 6\(1\)\(b\)\):/);
  });

  test('C6.1 a US recipient under SCCs appears in the transfers section with country and mechanism', () => {
    const transfers = sectionOf(html(), 'transfers');
    const row = textOf(transfers);
    assert.match(
      row,
      /Helpdesk Cloud Inc\. United States \(US\) Standard contractual clauses \(Art\. 46\(2\)\(c\) GDPR\); EU SCC 2021\/914, module 2/,
    );
    assert.match(transfers, /<a href="https:\/\/example\.com\/privacy\/scc">/);
    // The purpose that uses the recipient names the transfer too.
    assert.match(
      textOf(sectionOf(html(), 'purpose-customer-support')),
      /Transfers outside the EEA: Helpdesk Cloud Inc\., United States: Standard contractual clauses/,
    );
    assert.doesNotMatch(textOf(sectionOf(html(), 'purpose-newsletter')), /Transfers outside the EEA/);

    const adequateAndEea = minimalDeclaration();
    adequateAndEea.recipients![0]!.countries = ['JP', 'SE'];
    delete adequateAndEea.recipients![0]!.transfer;
    const adequate = textOf(sectionOf(html(adequateAndEea), 'transfers'));
    assert.match(adequate, /Japan \(JP\) Adequacy decision of the European Commission/);
    assert.doesNotMatch(adequate, /Sweden/);

    const domestic = minimalDeclaration();
    domestic.recipients![0]!.countries = ['SE'];
    assert.match(textOf(sectionOf(html(domestic), 'transfers')), /We do not transfer personal data/);
  });

  test('C9.7 the notice names the supervisory authority and the right to complain', () => {
    const complaints = textOf(sectionOf(html(), 'complaints'));
    assert.match(complaints, /right to complain to a supervisory authority/);
    assert.match(complaints, /Authority: Integritetsskyddsmyndigheten \(IMY\), Sweden/);
    assert.match(complaints, /Website: https:\/\/www\.imy\.se/);
    assert.match(complaints, /Email: imy@imy\.se/);
    assert.match(complaints, /Telephone: \+46 8 657 61 00/);
    assert.match(complaints, /including a refusal, names this authority/);
  });

  test('C8.1 the cookie notice lists each cookie with provider, party, purpose and lifetime', () => {
    const page = html(minimalDeclaration({ cookies }));
    const section = textOf(sectionOf(page, 'cookies'));
    assert.match(
      section,
      /steward_consent Example Systems \(Sweden\) First party Customer support 6 months Cookie/,
    );
    assert.match(section, /_stats_id Stats Vendor Ltd Third party Customer support 13 months Cookie/);
    assert.match(
      section,
      /session_token Example Systems \(Sweden\) First party Customer support Until you close the browser Session storage/,
    );
    assert.match(textOf(sectionOf(page, 'cookies-necessary')), /Always on/);
    const analytics = textOf(sectionOf(page, 'cookies-analytics'));
    assert.match(analytics, /Used only with your consent/);
    assert.match(analytics, /Global Privacy Control signal switches this category off/);
    assert.match(section, /We honour Global Privacy Control/);

    const noGpc = textOf(
      sectionOf(html(minimalDeclaration({ cookies, gpc: { honoured: false } })), 'cookies'),
    );
    assert.match(noGpc, /We do not act on Global Privacy Control signals/);
    assert.doesNotMatch(noGpc, /switches this category off/);

    assert.match(textOf(sectionOf(html(), 'cookies')), /We do not use cookies/);
  });

  test('every purpose appears with its stable anchor, in the contents and in both formats', () => {
    const page = html();
    const md = renderNotice(modelOf(), { format: 'md' });
    for (const id of ['customer-support', 'newsletter']) {
      assert.match(page, new RegExp(`<section id="purpose-${id}" aria-labelledby="purpose-${id}-heading">`));
      assert.match(page, new RegExp(`<nav[^]*<a href="#purpose-${id}">[^]*</nav>`));
      assert.match(md, new RegExp(`<a id="purpose-${id}"></a>\\n\\n### `));
      assert.match(md, new RegExp(`\\]\\(#purpose-${id}\\)`));
    }
    const support = textOf(sectionOf(page, 'purpose-customer-support'));
    assert.match(support, /Customer support Answering questions and fixing problems/);
    assert.match(support, /Personal data: Name, Email address, Messages and support correspondence/);
    assert.match(support, /Recipients: Helpdesk Cloud Inc\. \(Processor acting on our instructions\)/);
    assert.match(
      support,
      /How long we keep it: 7 years after the contract ends, then deleted \(legal requirement: Bookkeeping Act/,
    );
    assert.match(support, /Obligation to provide it: Yes, a contract with you requires it/);
  });

  test('C4a.1 a purpose with a basis per jurisdiction shows each one with its Art. 6(1) letter and the interest pursued', () => {
    const newsletter = textOf(sectionOf(html(), 'purpose-newsletter'));
    assert.match(
      newsletter,
      /Legal basis: Sweden: Legitimate interests \(Art\. 6\(1\)\(f\) GDPR\); Everywhere else: Consent \(Art\. 6\(1\)\(a\) GDPR\)/,
    );
    assert.match(
      newsletter,
      /Legitimate interest we pursue: Telling existing business contacts about products/,
    );
    assert.match(newsletter, /Where we ask for consent: Newsletter sign-up form/);
    assert.match(newsletter, /This is direct marketing\. You can object to it at any time/);
    assert.match(
      textOf(sectionOf(html(), 'purpose-customer-support')),
      /Legal basis: Contract \(Art\. 6\(1\)\(b\) GDPR\)/,
    );
  });

  test('retention is stated per purpose and category, in words, with the law that requires it', () => {
    const input = minimalDeclaration();
    input.purposes[0]!.retention = {
      default: 'after-contract',
      categories: { 'user.contact.email': 'two-years' },
    };
    const retention = textOf(sectionOf(html(input), 'retention'));
    assert.match(
      retention,
      /Customer support Name 7 years after the contract ends, then deleted Bookkeeping Act \(SFS 1999:1078\)/,
    );
    assert.match(
      retention,
      /Customer support Email address 2 years after the last interaction, then deleted — Contacts who have not engaged/,
    );
    assert.match(retention, /Product newsletter Email address 2 years after the last interaction/);
  });

  test('the rights section includes the absolute marketing objection and withdrawal without effect on earlier processing', () => {
    const rights = textOf(sectionOf(html(), 'rights'));
    for (const right of [
      'Access (Art. 15)',
      'Rectification (Art. 16)',
      'Erasure (Art. 17)',
      'Restriction (Art. 18)',
      'Portability (Art. 20)',
    ]) {
      assert.ok(rights.includes(right), right);
    }
    assert.match(
      rights,
      /Objection to direct marketing .*This right is absolute: we stop at once.* Applies to: Product newsletter/,
    );
    assert.match(rights, /withdrawal does not make the processing before it unlawful/);
    assert.match(rights, /Withdrawal of consent .* Applies to: Product newsletter Automated/);
    assert.match(rights, /We answer within 1 month\. .* extend this by up to 2 months/);
    assert.match(rights, /The first copy of your data is free\./);
  });

  test('C3b.1 sources say whether they are publicly accessible', () => {
    const input = minimalDeclaration();
    input.sources.push({
      id: 'registry',
      name: 'Company registry',
      type: 'public',
      organisation: 'Bolagsverket',
    });
    input.purposes[0]!.sources = ['web-forms', 'registry'];
    const page = html(input);
    const sources = textOf(sectionOf(page, 'sources'));
    assert.match(sources, /Forms on our website From you No/);
    assert.match(sources, /Company registry From a publicly accessible source Yes Bolagsverket/);
    assert.match(sources, /we tell you within one month/);
    assert.match(
      textOf(sectionOf(page, 'purpose-customer-support')),
      /Sources: Forms on our website, Company registry \(publicly accessible\)/,
    );
  });

  test('C1.3 related notices are listed, and processor services point to their Provider', () => {
    const input = minimalDeclaration({
      services: [
        { id: 'hosted-shop', name: 'Hosted Shop', role: 'processor', provider: { kind: 'customer' } },
        { id: 'partner-portal', name: 'Partner Portal', role: 'controller', declaration: 'partner' },
        { id: 'webshop', name: 'Webshop', role: 'controller' },
      ],
      relatedDeclarations: [
        { id: 'partner', title: 'Partner programme notice', url: 'https://example.com/partner-privacy' },
      ],
    });
    const page = html(input);
    const services = textOf(sectionOf(page, 'processor-services'));
    assert.match(services, /we act only as a processor/);
    assert.match(services, /Please contact your Provider about your data/);
    assert.match(services, /Hosted Shop The organisation that gives you access to the service/);
    assert.match(
      services,
      /We are the controller for these services, and this notice covers them: Webshop\./,
    );
    const related = sectionOf(page, 'related-notices');
    assert.match(
      related,
      /<a href="https:\/\/example\.com\/partner-privacy">Partner programme notice<\/a> \(Covers: Partner Portal\)/,
    );
    assert.ok(!html().includes('id="processor-services"'), 'no services, no section');
  });

  test('C4a.6 C4a.10 communications are listed with how to unsubscribe, and service messages cannot be switched off', () => {
    const input = minimalDeclaration({
      communications: [
        {
          id: 'product-news',
          name: 'Product news',
          kind: 'marketing',
          channel: 'email',
          purpose: 'newsletter',
          sender: 'Example Systems B.V.',
          permission: { SE: 'opt_out', default: 'opt_in' },
          doubleOptIn: true,
          collectionPoints: ['signup-form'],
          frequency: 'monthly',
        },
        {
          id: 'tickets',
          name: 'Ticket updates',
          kind: 'transactional',
          channel: 'email',
          purpose: 'customer-support',
          sender: 'Example Systems B.V.',
          permission: 'not_applicable',
        },
      ],
    });
    const section = textOf(sectionOf(html(input), 'communications'));
    assert.match(
      section,
      /Product news \( Product newsletter \) Marketing Email Example Systems B\.V\. Sweden: Unless you have objected; Everywhere else: Only with your consent \(you confirm your address first\) monthly/,
    );
    assert.match(section, /one click on the unsubscribe link stops that message to that address at once/);
    assert.match(section, /object to all marketing from us/);
    assert.match(section, /Ticket updates .* Service message .* As part of the service/);
    assert.match(section, /cannot be switched off while you use it/);
  });

  test('C12.1 the notice states the age threshold for children', () => {
    assert.match(textOf(sectionOf(html(), 'children')), /not aimed at children under 16/);
    const input = minimalDeclaration({ children: { ageThreshold: 13, knowinglyCollects: true } });
    assert.match(textOf(sectionOf(html(input), 'children')), /concerns children under 13/);
  });

  test('automated decisions (Art. 22) are described, or their absence is stated', () => {
    assert.match(
      textOf(sectionOf(html(), 'automated-decisions')),
      /We make no decisions about you based solely on automated processing/,
    );
    const input = minimalDeclaration();
    input.purposes[0]!.automatedDecisions = {
      logic: 'A score from payment history',
      significance: 'Decides whether you may pay by invoice',
      consequences: 'You may be asked to pay by card',
    };
    const section = textOf(sectionOf(html(input), 'automated-decisions'));
    assert.match(section, /How the decision is made: A score from payment history/);
    assert.match(section, /What may follow: You may be asked to pay by card/);
    assert.match(section, /ask for a person to review such a decision/);
  });

  test('CV.1 the notice shows its version, effective date, content hash and archive link', () => {
    const page = renderNotice(modelOf(), {
      format: 'html',
      versionInfo: {
        version: '3',
        effectiveDate: '2025-01-31',
        contentHash: 'ab12cd',
        archiveUrl: '/privacy/example-web/versions',
      },
    });
    const version = sectionOf(page, 'version');
    assert.match(
      textOf(version),
      /Version: 3 In effect from: 2025-01-31 Content fingerprint \(SHA-256\): ab12cd/,
    );
    assert.match(version, /<a href="\/privacy\/example-web\/versions">Read earlier versions<\/a>/);
    assert.match(page, /<p class="meta">Version 3, in effect from 2025-01-31\.<\/p>/);
    assert.match(textOf(sectionOf(html(), 'version')), /Version: 1\.0\.0 In effect from: 2024-05-01/);
  });

  test('the HTML page is a complete accessible document without scripts', () => {
    const page = html();
    assert.match(page, /^<!doctype html>\n<html lang="en">/);
    assert.match(page, /<title>Privacy notice<\/title>/);
    assert.equal(page.match(/<h1>/g)?.length, 1);
    assert.match(page, /<main id="main">[^]*<\/main>/);
    assert.match(page, /<nav aria-labelledby="contents-heading">/);
    assert.match(page, /<th scope="col">Purpose<\/th>/);
    assert.match(page, /<th scope="row"><a href="#purpose-customer-support">Customer support<\/a><\/th>/);
    assert.match(page, /<caption>Purposes and legal bases<\/caption>/);
    assert.match(page, /<style>/);
    assert.doesNotMatch(page, /<script/i);
    // Headings go h1 → h2 → h3 without skipping a level.
    const levels = [...page.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]));
    levels.forEach((level, i) =>
      assert.ok(i === 0 || level <= levels[i - 1]! + 1, `h${level} after h${levels[i - 1]}`),
    );
  });

  test('HTML escapes declaration values: a <script> in a purpose name stays text, unsafe URLs are not linked', () => {
    const input = minimalDeclaration();
    input.purposes[0]!.name = '<script>alert("x")</script> & support';
    input.controller.contacts.push({ channel: 'web', value: 'javascript:alert(1)' });
    const page = html(input);
    assert.doesNotMatch(page, /<script/i);
    assert.match(page, /&lt;script&gt;alert\(&quot;x&quot;\)&lt;\/script&gt; &amp; support/);
    assert.doesNotMatch(page, /href="javascript:/i);
    assert.match(textOf(sectionOf(page, 'controller')), /Web form: javascript:alert\(1\)/);
  });

  test('no declaration text can add markup: HTML keeps to its own tags, Markdown to its own anchors', () => {
    const allowedTag =
      /^<\/?(html|head|meta|title|style|body|main|nav|section|h[1-6]|p|ol|ul|li|dl|div|dt|dd|table|caption|thead|tbody|tr|th|td|a)[\s>]/;
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        const input = minimalDeclaration({ cookies });
        input.controller.name = a;
        input.purposes[0]!.name = { en: b };
        input.purposes[0]!.description = `${a}${b}`;
        input.cookies!.items![0]!.name = b;
        input.retention[0]!.statutory = a;
        const page = html(input);
        for (const tag of page.match(/<[^!][^>]*>?/g) ?? []) {
          assert.match(tag, allowedTag);
          assert.doesNotMatch(tag, /\son[a-z]+=/i);
        }
        const md = renderNotice(modelOf(input), { format: 'md' });
        for (const tag of md.match(/(?<!\\)<[^>]*>?/g) ?? [])
          assert.match(tag, /^<a id="[a-z0-9_-]+">$|^<\/a>$/);
      }),
      { numRuns: 40 },
    );
  });

  test('Markdown has the same sections with tables, and escapes | and HTML in values', () => {
    const input = minimalDeclaration();
    input.purposes[0]!.name = 'Support | <b>help</b>';
    const md = renderNotice(modelOf(input), { format: 'md' });
    assert.match(md, /^# Privacy notice\n/);
    assert.match(md, /\| Purpose \| Legal basis \|\n\| --- \| --- \|\n/);
    assert.match(
      md,
      /\| \[Support \\\| \\<b\\>help\\<\/b\\>\]\(#purpose-customer-support\) \| Contract \(Art\. 6\(1\)\(b\) GDPR\) \|/,
    );
    assert.doesNotMatch(md, /<b>/);
    assert.match(md, /## Transfers outside the EEA/);
    assert.match(md, /\[https:\/\/example\.com\/privacy\/scc\]\(https:\/\/example\.com\/privacy\/scc\)/);
    for (const line of md.split('\n').filter((l) => l.startsWith('| '))) {
      assert.ok(line.endsWith(' |'), `table row is closed: ${line}`);
    }
  });

  test('Swedish rendering uses Swedish headings, texts and durations', () => {
    const input = minimalDeclaration({ languages: ['sv', 'en'] });
    const page = html(input);
    assert.match(page, /<html lang="sv">/);
    assert.match(page, /<h2 id="rights-heading">Dina rättigheter<\/h2>/);
    assert.match(page, /<h2 id="controller-heading">Vem som ansvarar för dina uppgifter<\/h2>/);
    assert.match(page, /<h2 id="contents-heading">Innehåll<\/h2>/);
    assert.match(page, /<h3 id="purpose-customer-support-heading">Kundsupport<\/h3>/);
    assert.doesNotMatch(page, /Your rights/);
    const support = textOf(sectionOf(page, 'purpose-customer-support'));
    assert.match(support, /Rättslig grund: Avtal \(artikel 6\.1 b GDPR\)/);
    assert.match(support, /Personuppgifter: Namn, E-postadress, Meddelanden och supportärenden/);
    assert.match(support, /7 år efter att avtalet har upphört, raderas därefter/);
    assert.match(textOf(sectionOf(page, 'purpose-newsletter')), /Sverige: Berättigat intresse/);
    assert.match(textOf(sectionOf(page, 'transfers')), /USA \(US\) Standardavtalsklausuler/);
    assert.match(textOf(sectionOf(page, 'glossary')), /Samtycke \(artikel 6\.1 a\):/);

    // An explicit language wins over the declaration's first; one without a catalog is refused.
    assert.match(html(input, 'en'), /<h2 id="rights-heading">Your rights<\/h2>/);
    assert.throws(() => html(minimalDeclaration(), 'ja'), { name: 'MessageError', code: 'i18n.no_catalog' });
  });
});

describe('notice wording from the catalogs', () => {
  test('a declaration’s override replaces a message in its notice, and placeholders still fill', () => {
    const input = {
      ...minimalDeclaration(),
      messages: {
        en: {
          'notice.headings.rights': 'What you can ask of us',
          'notice.meta': 'Edition {version} (from {date})',
        },
      },
    } as DeclarationInput;
    const page = html(input);
    assert.match(page, /<h2 id="rights-heading">What you can ask of us<\/h2>/);
    assert.match(page, /<p class="meta">Edition [^<]+ \(from \d{4}-\d{2}-\d{2}\)<\/p>/);
    assert.doesNotMatch(page, /Your rights/);
  });

  test('a notice shown in place of another language says so, in HTML and Markdown', () => {
    const model = modelOf();
    const page = renderNotice(model, { format: 'html', language: 'en', fallbackFrom: 'da' });
    assert.match(
      page,
      /<p class="fallback" role="note">This notice is not available in Danish, so it is shown in English\.<\/p>/,
    );
    const md = renderNotice(model, { format: 'md', language: 'en', fallbackFrom: 'da' });
    assert.match(md, /^> This notice is not available in Danish, so it is shown in English\.$/m);
    assert.doesNotMatch(renderNotice(model, { format: 'html' }), /class="fallback"/);
  });

  test('a Swedish notice of both examples has no English fixed wording left', () => {
    for (const file of [referenceDeclaration, smallShopDeclaration]) {
      const declaration = lintSource(readFileSync(file, 'utf8')).declaration;
      assert.ok(declaration !== undefined);
      const page = textOf(renderNotice(new PolicyModel(declaration), { format: 'html', language: 'sv' }));
      // Whole English sentences and labels (no placeholders), where Swedish says it differently.
      const english = messageKeys
        .filter((k) => k.startsWith('notice.') || k.startsWith('describe.'))
        .filter((k) => messages('en').text(k) !== messages('sv').text(k))
        .map((k) => messages('en').text(k))
        .filter((text) => !text.includes('{') && text.length > 12);
      assert.ok(english.length > 100, 'the check has English to look for');
      for (const text of english) assert.ok(!page.includes(text), `"${text}" is not in the Swedish notice`);
    }
  });

  test('the HTML writer escapes every declaration text (React escapes by default)', () => {
    const input = minimalDeclaration();
    input.purposes![0]!['name'] = '<img src=x onerror=alert(1)> & "quotes"' as never;
    const page = html(input);
    assert.doesNotMatch(page, /<img src=x/);
    assert.match(page, /&lt;img src=x onerror=alert\(1\)&gt; &amp; &quot;quotes&quot;/);
  });
});

describe('durations and triggers in words', () => {
  test('describeDuration writes ISO 8601 durations in English', () => {
    assert.equal(describeDuration('P2Y', 'en'), '2 years');
    assert.equal(describeDuration('P1Y', 'en'), '1 year');
    assert.equal(describeDuration('P1Y6M', 'en'), '1 year and 6 months');
    assert.equal(describeDuration('P30D', 'en'), '30 days');
    assert.equal(describeDuration('P1Y2M3D', 'en'), '1 year, 2 months and 3 days');
    assert.equal(describeDuration('P2W', 'en'), '2 weeks');
    assert.equal(describeDuration('PT36H', 'en'), '36 hours');
    assert.equal(describeDuration('P1DT12H30M', 'en'), '1 day, 12 hours and 30 minutes');
    assert.equal(describeDuration('P0D', 'en'), '0 days');
  });

  test('describeDuration writes Swedish, and refuses a language without a catalog', () => {
    assert.equal(describeDuration('P2Y', 'sv'), '2 år');
    assert.equal(describeDuration('P30D', 'sv'), '30 dagar');
    assert.equal(describeDuration('P1M', 'sv'), '1 månad');
    assert.equal(describeDuration('P1Y6M', 'sv'), '1 år och 6 månader');
    assert.equal(describeDuration('P1W1D', 'sv-FI'), '1 vecka och 1 dag');
    assert.throws(() => describeDuration('P6M', 'ja'), { name: 'MessageError', code: 'i18n.no_catalog' });
  });

  test('describeDuration refuses what is not a duration', () => {
    for (const bad of ['2Y', 'P', 'PT', 'P2', 'P1Y2Y', '']) {
      assert.throws(() => describeDuration(bad, 'en'), RangeError, bad);
    }
  });

  test('describeTrigger completes a retention period', () => {
    assert.equal(
      `${describeDuration('P2Y', 'en')} ${describeTrigger('last_interaction', 'en')}`,
      '2 years after the last interaction',
    );
    assert.equal(describeTrigger('contract_end', 'en'), 'after the contract ends');
    assert.equal(describeTrigger('contract_end', 'sv'), 'efter att avtalet har upphört');
    assert.equal(describeTrigger('consent_withdrawn', 'sv'), 'efter att samtycket har återkallats');
  });
});

describe('C10.1 retention clocks in words', () => {
  const shop = (): PolicyModel =>
    new PolicyModel(lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration!);

  test('C10.1 the notice and the RoPA name the event a period counts from, in English and Swedish', () => {
    const model = shop();
    const en = textOf(renderNotice(model, { format: 'html', language: 'en' }));
    const sv = textOf(renderNotice(model, { format: 'html', language: 'sv' }));
    assert.match(en, /3 years after delivery, then deleted/);
    assert.match(sv, /3 år efter leverans, raderas därefter/);
    const accounting =
      /7 years from the end of the calendar year in which the financial year of collection ended, then deleted/;
    assert.match(en, accounting);
    assert.match(
      sv,
      /7 år från utgången av det kalenderår då räkenskapsåret för insamlingen avslutades, raderas därefter/,
    );
    const ropa = buildRopa(model, 'en').find((row) => row.purposeId === 'orders');
    assert.ok(ropa?.retention.some((r) => r.text === '3 years after delivery, then deleted'));
    for (const page of [en, sv, renderRopa(model, 'csv')]) {
      assert.doesNotMatch(page, /\b0 days after|\b0 dagar efter|the event|händelse som/);
    }
  });

  test('C10.1 each trigger and anchor is worded as the declaration means it', () => {
    const d = shop().declaration;
    const words = { ...d, financialYear: { startMonth: 7 } };
    const rule = (extra: Partial<RetentionRule>): RetentionRule => ({
      id: 'r',
      duration: 'P2Y',
      trigger: 'collected',
      action: 'delete',
      rationale: 'why',
      ...extra,
    });
    const en = (r: RetentionRule) => describeRetentionPeriod(r, 'en', words);
    const sv = (r: RetentionRule) => describeRetentionPeriod(r, 'sv', words);
    assert.equal(
      en(rule({ trigger: 'account_closed', duration: 'P30D' })),
      '30 days after the account is closed, then deleted',
    );
    assert.equal(
      en(rule({ trigger: 'event', event: 'delivered', action: 'anonymise' })),
      '2 years after delivery, then anonymised',
    );
    assert.equal(
      en(rule({ anchor: 'financial_year', duration: 'P5Y' })),
      '5 years from the end of the financial year (July to June) of collection, then deleted',
    );
    assert.equal(
      sv(rule({ anchor: 'financial_year', duration: 'P5Y' })),
      '5 år från utgången av det räkenskapsår (juli–juni) då insamlingen skedde, raderas därefter',
    );
    assert.equal(
      en(rule({ trigger: 'last_interaction', anchor: 'month', duration: 'P1M' })),
      '1 month from the end of the month of the last interaction, then deleted',
    );
    assert.equal(
      sv(rule({ trigger: 'event', event: 'delivered', anchor: 'quarter' })),
      '2 år från utgången av det kvartal då leverans skedde, raderas därefter',
    );
    assert.equal(
      en(rule({ trigger: 'contract_end', anchor: 'year', duration: 'P10Y' })),
      '10 years from the end of the calendar year of the end of the contract, then deleted',
    );
    // A period of nothing ends at the moment itself: never "0 days after".
    assert.equal(
      en(rule({ trigger: 'event', event: 'delivered', duration: 'P0D' })),
      'until delivery, then deleted',
    );
    assert.equal(
      sv(rule({ trigger: 'contract_end', duration: 'P0D' })),
      'till avtalets upphörande, raderas därefter',
    );
    assert.equal(
      en(rule({ trigger: 'consent_withdrawn', duration: 'PT0S', anchor: 'quarter' })),
      'until the end of the quarter of the withdrawal of consent, then deleted',
    );
    // A built-in event the declaration names gets that name.
    const named = {
      ...words,
      lifecycleEvents: [
        {
          id: 'contract_end',
          name: { en: 'the last delivery under the contract', sv: 'den sista leveransen enligt avtalet' },
          about: 'subject' as const,
          source: ['api' as const],
        },
      ],
    };
    assert.equal(
      describeRetentionPeriod(rule({ trigger: 'contract_end', duration: 'P1Y' }), 'sv', named),
      '1 år efter den sista leveransen enligt avtalet, raderas därefter',
    );
  });
});

describe('privacy notice: where the data is stored', () => {
  const withSystems = (): DeclarationInput =>
    minimalDeclaration({
      languages: ['en', 'sv'],
      systems: [
        {
          id: 'helpdesk-db',
          name: { en: 'Helpdesk database', sv: 'Helpdeskens databas' },
          description: { en: 'Support tickets.', sv: 'Supportärenden.' },
          kind: 'postgres',
          operator: 'helpdesk',
          purposes: ['customer-support'],
          hosting: { country: 'US' },
        },
        {
          id: 'mailing-list',
          name: 'Mailing list',
          kind: 'sqlite',
          operator: 'self',
          purposes: ['newsletter', 'customer-support'],
          hosting: { country: 'SE', provider: 'Rack AB' },
        },
        {
          id: 'hosted-app-db',
          name: 'Hosted app database',
          kind: 'postgres',
          role: 'processor',
          services: ['hosted-app'],
          hosting: { country: 'SE' },
        },
      ],
      services: [{ id: 'hosted-app', name: 'Hosted app', role: 'processor', provider: { kind: 'customer' } }],
    });

  test('C1.1 each system says where its data is stored, who runs it and for which purposes, in English', () => {
    const page = html(withSystems(), 'en');
    const text = textOf(sectionOf(page, 'systems'));
    assert.match(text, /Where the data is stored/);
    assert.match(
      text,
      /Helpdesk database — Support tickets\. United States Helpdesk Cloud Inc\. Customer support/,
    );
    assert.match(
      text,
      /Mailing list Sweden Example Systems B\.V\., Swedish branch, on servers provided by Rack AB Customer support ?, Product newsletter/,
    );
    // A processor-role system holds the Providers' data: not this notice's business.
    assert.doesNotMatch(text, /Hosted app database/);
    // Each purpose names where its data is kept, linking from the table to the purpose.
    assert.match(sectionOf(page, 'systems'), /href="#purpose-newsletter"/);
    assert.match(
      textOf(sectionOf(page, 'purpose-customer-support')),
      /Stored in: Helpdesk database \(United States\), Mailing list \(Sweden\)/,
    );
    assert.match(textOf(sectionOf(page, 'purpose-newsletter')), /Stored in: Mailing list \(Sweden\)/);
  });

  test('C1.1 and in Swedish', () => {
    const text = textOf(sectionOf(html(withSystems(), 'sv'), 'systems'));
    assert.match(text, /Var uppgifterna lagras/);
    assert.match(text, /Helpdeskens databas — Supportärenden\. USA Helpdesk Cloud Inc\./);
    assert.match(text, /på servrar hos Rack AB/);
    assert.match(text, /Lagras i/);
  });

  test('without systems the section is left out, and Markdown carries the same table', () => {
    assert.doesNotMatch(html(minimalDeclaration(), 'en'), /id="systems"/);
    const md = renderNotice(modelOf(withSystems()), { format: 'md', language: 'en' });
    assert.match(md, /## Where the data is stored/);
    assert.match(md, /\| System \| Stored in \| Run by \| Purposes \|/);
    assert.match(md, /\| Helpdesk database — Support tickets\. \| United States \| Helpdesk Cloud Inc\. \|/);
  });
});

describe('privacy notice: the facts of an ordinary shop', () => {
  const shop = (): PolicyModel =>
    new PolicyModel(lintSource(readFileSync(smallShopDeclaration, 'utf8')).declaration!);
  const page = (model: PolicyModel, language: string) =>
    textOf(renderNotice(model, { format: 'html', language }));

  test('the notice says who the company sells to', () => {
    const model = shop();
    assert.match(page(model, 'en'), /We sell our products and services to consumers\./);
    assert.match(page(model, 'sv'), /Vi säljer våra produkter och tjänster till konsumenter\./);
    const reference = new PolicyModel(lintSource(readFileSync(referenceDeclaration, 'utf8')).declaration!);
    assert.match(page(reference, 'en'), /to businesses and other organisations, not to consumers\./);
  });

  test('C4a.1 the notice says who may get an opt-out message without consent (soft opt-in), and what it may offer', () => {
    const communications = sectionOf(
      renderNotice(shop(), { format: 'html', language: 'en' }),
      'communications',
    );
    assert.match(
      textOf(communications),
      /Sweden: Unless you have objected; Everywhere else: Only with your consent\. Without asking first only if we collected your address for “Orders and delivery” less than 24 months ago and you could refuse then; everyone else receives it only with their consent\. What it may offer: Coffee, tea and brewing gear like what you bought\./,
    );
    assert.match(
      textOf(sectionOf(renderNotice(shop(), { format: 'html', language: 'sv' }), 'communications')),
      /Utan att fråga först bara om vi fick din adress för ”Beställningar och leveranser” för mindre än 24 månader sedan/,
    );
  });

  test('C6.1 a transfer lists its fallback mechanism after the first, and only mechanisms valid for the country', () => {
    const model = shop();
    const transfers = textOf(sectionOf(renderNotice(model, { format: 'html', language: 'en' }), 'transfers'));
    assert.match(
      transfers,
      /United States \(US\) EU–US Data Privacy Framework certification \(adequacy decision, Art\. 45 GDPR\); if that no longer applies: Standard contractual clauses \(Art\. 46\(2\)\(c\) GDPR\)/,
    );
    // The same fallbacks for a recipient in a country the framework does not cover: only the clauses.
    const d = structuredClone(model.declaration);
    const psp = d.recipients.find((r) => r.transfer?.fallbacks !== undefined)!;
    (psp as { countries: string[] }).countries = ['IN'];
    (psp as { transfer: unknown }).transfer = {
      mechanism: 'scc',
      fallbacks: [{ mechanism: 'dpf' }, { mechanism: 'bcr', reference: 'BCR-7' }],
    };
    const other = textOf(
      sectionOf(renderNotice(new PolicyModel(d), { format: 'html', language: 'en' }), 'transfers'),
    );
    assert.match(
      other,
      /India \(IN\) Standard contractual clauses \(Art\. 46\(2\)\(c\) GDPR\); if that no longer applies: Binding corporate rules[^;]*; BCR-7/,
    );
    assert.doesNotMatch(other, /India[^|]*Data Privacy Framework/);
  });

  test('the cookie table names each provider’s country, and cookieless measurement is described when used', () => {
    const en = renderNotice(shop(), { format: 'html', language: 'en' });
    assert.match(textOf(sectionOf(en, 'cookies')), /nk_cart Nordkust Kaffe AB \(Sweden\) First party/);
    const d = structuredClone(shop().declaration);
    const counted = /count visits without cookies and without any identifier/;
    assert.equal(
      counted.test(textOf(en)),
      d.analytics.events.some((e) => e.exempt),
    );
    (d.analytics as { events: unknown[] }).events = [
      ...d.analytics.events,
      { type: 'page_view', purpose: d.purposes[0]!.id, category: d.cookies.categories[0]!.id, exempt: true },
    ];
    assert.match(textOf(renderNotice(new PolicyModel(d), { format: 'html', language: 'en' })), counted);
  });

  test('the notice lists the data reduced before it is stored', () => {
    const data = textOf(sectionOf(renderNotice(shop(), { format: 'html', language: 'en' }), 'personal-data'));
    assert.match(
      data,
      /Some data is reduced before we store it: Messages and support correspondence: at most 4,000 characters are stored/,
    );
    const d = structuredClone(shop().declaration);
    (d as { minimisation: unknown[] }).minimisation = [
      { category: 'user.device.ip_address', rule: 'truncate_ip' },
      { category: 'user.demographic.date_of_birth', rule: 'year_only' },
    ];
    const reduced = textOf(renderNotice(new PolicyModel(d), { format: 'html', language: 'sv' }));
    assert.match(
      reduced,
      /Vissa uppgifter minskas innan vi sparar dem: [^:]+: förkortas innan den sparas[^:]+: bara året sparas/,
    );
  });

  test('C9.2 “Your rights” names the purposes exempt from erasure and the conditions that defer or refuse it, with when they end', () => {
    const rights = textOf(sectionOf(renderNotice(shop(), { format: 'html', language: 'en' }), 'rights'));
    assert.match(
      rights,
      /Orders and delivery ?: You have an order that has not been delivered yet, and we need the details to deliver it\. We erase the data once the order is delivered\./,
    );
    assert.match(rights, /We cannot erase the data until the payment is settled: ask us again then\./);
    assert.match(
      rights,
      /Bookkeeping ?: we keep this data even if you ask us to erase it\. Accounting law requires the vouchers to be kept for seven years\./,
    );
    const sv = textOf(sectionOf(renderNotice(shop(), { format: 'html', language: 'sv' }), 'rights'));
    assert.match(sv, /Vi raderar uppgifterna när ordern har levererats\./);
  });
});
