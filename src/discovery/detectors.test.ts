import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ibanRemainder,
  isCardNumber,
  isCoordinate,
  isCoordinatePair,
  isEmail,
  isIban,
  isIccid,
  isImei,
  isIpAddress,
  isMacAddress,
  isMaskedCardNumber,
  isMsisdn,
  isOrganisationName,
  isRoleMailbox,
  isPostalCode,
  isProse,
  isSentence,
  isSocialProfileUrl,
  jsonKeys,
  luhnValid,
  parseDate,
  personNameShape,
  phoneShape,
  plausibleBirthDates,
} from './detectors.js';

describe('discovery detectors', () => {
  test('Luhn accepts valid numbers and rejects one changed digit', () => {
    for (const n of ['79927398713', '4111111111111111', '5555555555554444', '378282246310005'])
      assert.equal(luhnValid(n), true, n);
    for (const n of ['79927398710', '4111111111111112', '1234567812345678', '12a4'])
      assert.equal(luhnValid(n), false, n);
  });

  test('card numbers need a network prefix, its length and the Luhn check', () => {
    for (const n of ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '6011111111111117'])
      assert.equal(isCardNumber(n), true, n);
    assert.equal(isCardNumber('4111111111111112'), false, 'Luhn fails');
    assert.equal(isCardNumber('9111111111111111'), false, 'no network starts with 9');
    assert.equal(isCardNumber('37828224631000'), false, 'American Express numbers have 15 digits');
    // An EAN-13 that passes Luhn by chance, and an ISBN-13: product codes, not cards.
    const ean = Array.from({ length: 10 }, (_, i) => `400638133393${i}`).find((x) => luhnValid(x))!;
    assert.equal(isCardNumber(ean), false, 'a 13-digit code starting with 4');
    assert.equal(isCardNumber('9780306406157'), false, 'ISBN-13');
    assert.equal(isCardNumber('1234.56'), false);
  });

  test('IBANs: country length and mod-97 check digits', () => {
    for (const iban of [
      'GB82 WEST 1234 5698 7654 32',
      'DE89370400440532013000',
      'SE4550000000058398257466',
      'nl91abna0417164300',
    ])
      assert.equal(isIban(iban), true, iban);
    assert.equal(ibanRemainder('GB82WEST12345698765432'), 1);
    assert.equal(isIban('GB83 WEST 1234 5698 7654 32'), false, 'check digits off by one');
    assert.equal(isIban('DE8937040044053201300'), false, 'one character short for Germany');
    assert.equal(isIban('SE45 5000 0000 0583 9825 746X'), false);
    assert.equal(isIban('hello world'), false);
  });

  test('emails', () => {
    for (const e of ['anna.svensson@example.se', "o'brien+news@mail.co.uk", 'X_Y@sub.domain.museum'])
      assert.equal(isEmail(e), true, e);
    for (const e of [
      'anna@',
      '@example.com',
      'a@b',
      'two@@example.com',
      'with space@example.com',
      '<id@mail.example.com>',
    ])
      assert.equal(isEmail(e), false, e);
  });

  test('phones: E.164, international and national formats; ids, dates and amounts are not phones', () => {
    for (const p of [
      '+46701234567',
      '+46 70 123 45 67',
      '070-123 45 67',
      '(555) 123-4567',
      '0044 20 7946 0000',
      '+49 30 1234567',
    ])
      assert.equal(phoneShape(p), 'strong', p);
    assert.equal(phoneShape('0701234567'), 'digits', 'bare digits with a trunk 0 need a column name');
    for (const p of [
      '12345',
      '2024-01-05',
      '05.01.2024',
      '12345.67',
      '0000012345',
      '123456789',
      '+0123456789',
      '12-34-56',
    ])
      assert.equal(phoneShape(p), false, p);
  });

  test('IP addresses through node:net, with a port or a prefix length', () => {
    for (const ip of ['81.2.69.160', '2001:db8::1', '::1', '10.0.0.1:8080', '192.168.0.0/24'])
      assert.equal(isIpAddress(ip), true, ip);
    for (const ip of ['999.1.1.1', '1.2.3', 'v1.2.3.4', '1.2.3.4.5'])
      assert.equal(isIpAddress(ip), false, ip);
  });

  test('postal codes of common EEA, UK and US formats', () => {
    for (const p of [
      'SW1A 1AA',
      'EC1V 9HX',
      '114 55',
      '11455',
      '10115',
      '1012 AB',
      '00-950',
      '1000-001',
      'D02 X285',
      '2100',
      '90210-1234',
      'SE-114 55',
    ])
      assert.equal(isPostalCode(p), true, p);
    for (const p of ['hello', '123', '1234567', 'SKU-12345']) assert.equal(isPostalCode(p), false, p);
  });

  test('person names: a common given name, or two capitalised words', () => {
    assert.equal(personNameShape('Anna Svensson'), 'given');
    assert.equal(personNameShape('Jürgen Müller'), 'given');
    assert.equal(personNameShape('Søren'), 'given');
    assert.equal(personNameShape('Xanthippe Quorn'), 'shape');
    assert.equal(personNameShape('order #12'), false);
    assert.equal(personNameShape('anna@example.se'), false);
    assert.equal(personNameShape('spinning'), false);
  });

  test('dates of birth: plausible ages, not recent timestamps', () => {
    const now = new Date('2025-06-01T00:00:00Z');
    assert.equal(parseDate('1984-02-29')?.getUTCDate(), 29, '1984 was a leap year');
    assert.equal(parseDate('1985-02-29'), undefined, '1985 was not');
    assert.equal(parseDate('2024-13-01'), undefined);
    assert.ok(parseDate('12.03.1980'));
    assert.ok(parseDate('19800312'));
    assert.ok(parseDate('2024-05-01T10:00:00.000Z'));
    const births = ['1980-03-12', '1955-11-02', '2001-07-30', '1992-01-15'].map((d) => parseDate(d)!);
    assert.equal(plausibleBirthDates(births, now), true);
    const created = ['2025-03-12', '2024-11-02', '2025-01-30'].map((d) => parseDate(d)!);
    assert.equal(plausibleBirthDates(created, now), false);
    assert.equal(plausibleBirthDates([parseDate('1880-01-01')!, ...births], now), false, 'no one is 145');
  });

  test('JSON: keys and strings of objects, two levels down; other text is not JSON', () => {
    const inside = jsonKeys('{"contact":{"email":"a@b.se","phone":"+46701234567"},"tags":["x"]}');
    assert.deepEqual(inside?.keys.sort(), ['contact', 'email', 'phone', 'tags']);
    assert.ok(inside?.strings.includes('a@b.se'));
    assert.equal(jsonKeys('plain text'), undefined);
    assert.equal(jsonKeys('{not json'), undefined);
    assert.equal(jsonKeys('42'), undefined);
  });
  test('social profile URLs: a person’s page on a network, not a company page, an event or a post', () => {
    for (const url of [
      'https://www.linkedin.com/in/anna-berg-1a2b3c',
      'https://x.com/annaberg',
      'https://twitter.com/anna_berg/',
      'https://www.instagram.com/anna.berg/',
      'https://facebook.com/anna.berg.77',
      'https://github.com/annaberg',
      'https://mastodon.social/@anna',
      'linkedin.com/in/anna',
    ])
      assert.equal(isSocialProfileUrl(url), true, url);
    for (const url of [
      'https://www.linkedin.com/company/acme',
      'https://www.facebook.com/events/123456789012345/',
      'https://x.com/annaberg/status/1790000000000000000',
      'https://www.instagram.com/p/C7xYz/',
      'https://www.linkedin.com/',
      'https://example.com/anna',
      'https://github.com/acme/steward/issues/12',
      'not a url',
    ])
      assert.equal(isSocialProfileUrl(url), false, url);
  });

  test('prose: phrases of several words, not codes or single words', () => {
    for (const v of ['Not enough experience with Kubernetes', 'Rupture conventionnelle', 'Fin de CDD'])
      assert.equal(isProse(v), true, v);
    for (const v of ['duplicate', 'FRAUD_SUSPECTED', 'other', 'R-104', '12 34', 'no show'])
      assert.equal(isProse(v), false, v);
  });

  test('IMEIs: 15 digits with a Luhn check digit, grouped or not; not a card, not one digit off', () => {
    for (const v of ['352099001761481', '35-209900-176148-1', '35 209900 176148 1', '490154203237518'])
      assert.equal(isImei(v), true, v);
    assert.equal(isImei('352099001761482'), false, 'check digit off by one');
    assert.equal(isImei('378282246310005'), false, 'an American Express card of the same length');
    assert.equal(isImei('35209900176148'), false, '14 digits');
    assert.equal(isImei('3520990017614810'), false, '16 digits (an IMEISV has no check digit)');
  });

  test('ICCIDs: 19 or 20 digits starting 89, Luhn-valid, a trailing F allowed', () => {
    assert.equal(isIccid('8946000000000000003'), luhnValid('8946000000000000003'));
    const valid = Array.from({ length: 10 }, (_, d) => `894601234567890123${d}`).find((x) => luhnValid(x))!;
    assert.equal(isIccid(valid), true);
    assert.equal(isIccid(`${valid}F`), true);
    assert.equal(isIccid(`${valid.slice(0, -1)}${(Number(valid.slice(-1)) + 1) % 10}`), false);
    assert.equal(isIccid(`79${valid.slice(2)}`), false, 'not the telecom prefix');
  });

  test('MSISDNs: a country calling code and that country’s number length, with or without +', () => {
    for (const v of [
      '46701234567',
      '+46701234567',
      '351912345678',
      '420601234567',
      '4915112345678',
      '447700900123',
    ])
      assert.equal(isMsisdn(v), true, v);
    assert.equal(isMsisdn('4670123456789'), false, 'too long for Sweden');
    assert.equal(isMsisdn('3510912345678'), false, 'a trunk 0 after the country code');
    assert.equal(isMsisdn('8612345678901'), false, 'a code outside the table');
    assert.equal(isMsisdn('+46 70 123 45 67'), false, 'grouped numbers are phoneShape’s');
    assert.equal(phoneShape('46701234567'), 'digits', 'an MSISDN needs a name to back it');
  });

  test('MAC addresses: six hex pairs or three groups of four; not all zeros or ones', () => {
    for (const v of ['3c:22:fb:12:9a:0e', '3C-22-FB-12-9A-0E', '3c22.fb12.9a0e'])
      assert.equal(isMacAddress(v), true, v);
    for (const v of [
      '00:00:00:00:00:00',
      'ff:ff:ff:ff:ff:ff',
      '3c:22:fb:12:9a',
      '3c:22-fb:12:9a:0e',
      'fe80::1',
      '3c22fb129a0e',
    ])
      assert.equal(isMacAddress(v), false, v);
  });

  test('coordinates: pairs, WKT and GeoJSON points within range; single decimals only as one coordinate', () => {
    for (const v of [
      '59.3293, 18.0686',
      '(48.8566;2.3522)',
      'POINT(18.0686 59.3293)',
      '{"type":"Point","coordinates":[18.0686,59.3293]}',
    ])
      assert.equal(isCoordinatePair(v), true, v);
    for (const v of ['59.3, 18.1', '123.4567, 18.0686', 'POINT(18.0686 95.3293)', '12.50, 3.99', '59.3293'])
      assert.equal(isCoordinatePair(v), false, v);
    assert.equal(isCoordinate('-9.1393'), true);
    assert.equal(isCoordinate('35000'), false);
    assert.equal(isCoordinate('181.2345'), false);
  });

  test('role mailboxes: the local part is a function (support, no-reply, kundservice2), not a person', () => {
    for (const v of [
      'support@shop.example',
      'no-reply@x.se',
      'kundservice2@butik.se',
      'customer.service@a.eu',
      'reservas@hotel.pt',
    ])
      assert.equal(isRoleMailbox(v), true, v);
    for (const v of ['anna.svensson@example.se', 'jsmith@acme.example', 'info', 'support@'])
      assert.equal(isRoleMailbox(v), false, v);
  });

  test('masked card numbers: first digits and the last four around a mask', () => {
    for (const v of ['411111******1111', '5555 XXXX XXXX 4444', '•••• •••• •••• 4242', '411111XXXXXX1111'])
      assert.equal(isMaskedCardNumber(v), true, v);
    for (const v of ['4111111111111111', '****', 'ABC******1234', '12**34', '2024-01-01'])
      assert.equal(isMaskedCardNumber(v), false, v);
  });

  test('organisation names: legal forms at either end and institution words, not people', () => {
    for (const v of [
      'Autohaus Weber GmbH & Co. KG',
      'Rossi S.p.A.',
      'Nordlys AB',
      'SA Dubois',
      'Lycée Victor Hugo',
      'Praxis am Dom',
      'Szpital Miejski',
      'Downtown Branch',
    ])
      assert.ok(isOrganisationName(v), v);
    for (const v of ['Anna Müller', 'João Sá', 'Maria Rossi', 'GmbH', 'kontakt@firma.example.de', ''])
      assert.equal(isOrganisationName(v), false, v);
  });

  test('sentences: four words or more with lower-case words, not labels or codes', () => {
    assert.ok(isSentence('Beim Ausparken habe ich das Fahrzeug touchiert.'));
    assert.ok(isSentence('Travail sérieux, bons résultats ce trimestre'));
    assert.equal(isSentence('POS PURCHASE AT STORE 12'), false);
    assert.equal(isSentence('in Prüfung'), false);
    assert.equal(isSentence('SKU-12345 A B C'), false);
  });
});
