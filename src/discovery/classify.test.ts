import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IntrospectedTable, Introspection } from '../connectors/contract.js';
import type { ColumnClassification } from './classify.js';
import { classifySchema, sampleStats, tableRoles } from './classify.js';
import { luhnValid } from './detectors.js';
import { nameParts, typeKind } from './names.js';

const now = new Date('2025-06-01T00:00:00Z');

type ColumnSpec = string | { name: string; type?: string; nullable?: boolean };

/** A table of the given columns (TEXT unless said), `id` as primary key when present. */
function table(
  name: string,
  columns: readonly ColumnSpec[],
  extra: Partial<Omit<IntrospectedTable, 'name' | 'columns'>> = {},
): IntrospectedTable {
  const cols = columns.map((c) =>
    typeof c === 'string'
      ? { name: c, type: 'TEXT', nullable: true }
      : { type: 'TEXT', nullable: true, ...c },
  );
  return {
    name,
    kind: 'table',
    columns: cols,
    primaryKey: cols.some((c) => c.name === 'id') ? ['id'] : [],
    foreignKeys: [],
    uniques: [],
    triggers: [],
    ...extra,
  };
}

const schema = (...tables: IntrospectedTable[]): Introspection => ({
  system: 'test',
  kind: 'sqlite',
  server: 'SQLite 3',
  tables,
});

/** Classifies a schema; `samples` maps `table.column` to sampled values. */
function classify(
  introspection: Introspection,
  samples: Record<string, readonly string[]> = {},
): (at: string) => ColumnClassification {
  const result = classifySchema(introspection, (t, c) => samples[`${t.name}.${c.name}`], now);
  return (at) => {
    const [t, c] = at.split('.');
    const found = result.find((r) => r.table.name === t)?.columns.find((x) => x.column.name === c);
    if (found === undefined) throw new Error(`no column ${at}`);
    return found.verdict;
  };
}

const repeat = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

describe('discovery classification', () => {
  test('names split by case, separators, digits and diacritics', () => {
    assert.deepEqual(nameParts('customerEMail').tokens, ['customer', 'e', 'mail']);
    assert.deepEqual(nameParts('IPAddress').tokens, ['ip', 'address']);
    assert.deepEqual(nameParts('address_line1').tokens, ['address', 'line', '1']);
    assert.deepEqual(nameParts('Födelsedatum').tokens, ['fodelsedatum']);
    assert.deepEqual(nameParts('Straße').tokens, ['strasse']);
    assert.equal(typeKind('character varying(255)'), 'text');
    assert.equal(typeKind('jsonb'), 'json');
    assert.equal(typeKind('tinyint(1)'), 'boolean');
    assert.equal(typeKind(''), 'unknown');
  });

  test('a `name` is a person’s in customers, not in products or cities', () => {
    const at = classify(
      schema(
        table('customers', ['id', 'name', 'email']),
        table('products', ['id', 'name']),
        table('cities', ['id', 'name']),
      ),
    );
    assert.equal(at('customers.name').category, 'user.name');
    assert.equal(at('products.name').category, undefined);
    assert.equal(at('cities.name').category, undefined);
    assert.equal(at('customers.id').category, 'user.unique_id');
    assert.equal(at('customers.id').identity, 'customer');
    assert.equal(at('products.id').category, undefined);
  });

  test('contact details of organisations are left out; a contact person’s are not', () => {
    const at = classify(
      schema(
        table('stores', ['id', 'name', 'phone', 'email', 'street']),
        table('suppliers', ['id', 'name', 'vat_number', 'contact_person', 'contact_email', 'phone']),
        table('accounts', ['id', 'name', 'industry', 'website', 'phone']),
      ),
    );
    for (const c of [
      'stores.phone',
      'stores.email',
      'stores.street',
      'suppliers.phone',
      'accounts.phone',
      'accounts.name',
    ]) {
      assert.equal(at(c).category, undefined, c);
    }
    assert.ok(at('stores.phone').review, 'the reviewer is told');
    assert.equal(at('suppliers.contact_person').category, 'user.name');
    assert.equal(at('suppliers.contact_email').category, 'user.contact.email');
  });

  test('flags and timestamps about a field are not the field', () => {
    const at = classify(
      schema(
        table('users', [
          'id',
          'email',
          { name: 'email_verified', type: 'BOOLEAN' },
          'email_verified_at',
          'phone_type',
          'address_id',
          'last_name_changed_at',
          'password_changed_at',
          'created_at',
        ]),
      ),
    );
    assert.equal(at('users.email').category, 'user.contact.email');
    for (const c of [
      'email_verified',
      'email_verified_at',
      'phone_type',
      'address_id',
      'last_name_changed_at',
      'password_changed_at',
      'created_at',
    ])
      assert.equal(at(`users.${c}`).category, undefined, c);
  });

  test('column names in Swedish, Danish, German and in camelCase', () => {
    const at = classify(
      schema(
        table('medlemmar', [
          'id',
          'fornamn',
          'efternamn',
          'födelsedatum',
          'personnummer',
          'epost',
          'mobilnummer',
          'postnr',
          'ort',
        ]),
        table('kunden', [
          'id',
          'vorname',
          'nachname',
          'geburtsdatum',
          'straße',
          'plz',
          'telefon',
          'kundennummer',
          'iban',
        ]),
        table('kunder', ['id', 'fornavn', 'efternavn', 'cpr_nummer', 'by', 'kontonummer']),
        table('users', ['id', 'displayName', 'lastLoginIp', 'passwordHash', 'mfaSecret', 'timeZone']),
      ),
    );
    const expected: Record<string, string> = {
      'medlemmar.fornamn': 'user.name',
      'medlemmar.efternamn': 'user.name',
      'medlemmar.födelsedatum': 'user.demographic.age',
      'medlemmar.personnummer': 'user.unique_id',
      'medlemmar.epost': 'user.contact.email',
      'medlemmar.mobilnummer': 'user.contact.phone_number',
      'medlemmar.postnr': 'user.contact.address',
      'medlemmar.ort': 'user.contact.address',
      'kunden.vorname': 'user.name',
      'kunden.geburtsdatum': 'user.demographic.age',
      'kunden.straße': 'user.contact.address',
      'kunden.plz': 'user.contact.address',
      'kunden.telefon': 'user.contact.phone_number',
      'kunden.kundennummer': 'user.unique_id',
      'kunden.iban': 'user.financial',
      'kunder.cpr_nummer': 'user.unique_id',
      'kunder.by': 'user.contact.address',
      'kunder.kontonummer': 'user.financial',
      'users.displayName': 'user.name',
      'users.lastLoginIp': 'user.device.ip_address',
      'users.passwordHash': 'user.credentials.password',
      'users.mfaSecret': 'user.credentials',
      'users.timeZone': 'user.location.imprecise',
    };
    for (const [column, category] of Object.entries(expected))
      assert.equal(at(column).category, category, column);
    assert.equal(at('medlemmar.epost').identity, 'email');
    assert.equal(at('kunden.telefon').identity, 'phone');
  });

  test('values decide where names do not: phones, emails, cards and IBANs under other names', () => {
    const phones = repeat(20, (i) => `+46 70 ${100 + i} 45 67`);
    const emails = repeat(20, (i) => `person${i}@example.se`);
    const cards = [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '4012888888881881',
    ];
    const ibans = [
      'DE89370400440532013000',
      'GB82WEST12345698765432',
      'SE4550000000058398257466',
      'NL91ABNA0417164300',
      'FR1420041010050500013M02606',
    ];
    const at = classify(
      schema(table('contacts', ['id', 'first_name', 'direct_dial', 'to_address', 'ref_code', 'remit_to'])),
      {
        'contacts.direct_dial': phones,
        'contacts.to_address': emails,
        'contacts.ref_code': cards,
        'contacts.remit_to': ibans,
      },
    );
    assert.equal(at('contacts.direct_dial').category, 'user.contact.phone_number');
    assert.equal(
      at('contacts.to_address').category,
      'user.contact.email',
      'the values overrule the name "address"',
    );
    assert.equal(at('contacts.ref_code').category, 'user.financial.payment');
    assert.equal(at('contacts.remit_to').category, 'user.financial');
    assert.ok(at('contacts.direct_dial').reasons.some((r) => r.startsWith('values:phone')));
  });

  test('decoys: EANs, ISBNs, order totals, SKUs, hashes, timestamps and server addresses', () => {
    const eans = repeat(20, (i) => {
      const body = `40063813${String(3390 + i).padStart(4, '0')}`;
      let sum = 0;
      for (let k = 0; k < 12; k++) sum += Number(body[k]) * (k % 2 === 0 ? 1 : 3);
      return body + String((10 - (sum % 10)) % 10);
    });
    const at = classify(
      schema(
        table('products', ['id', 'ean', 'isbn', 'sku', 'checksum', 'created_at']),
        table('orders', ['id', 'customer_id', 'total', 'tracking_code', 'placed_at']),
        table('servers', ['id', 'hostname', 'ip_address']),
      ),
      {
        'products.ean': eans,
        'products.isbn': repeat(10, (i) => `97803064061${String(50 + i)}`),
        'products.sku': repeat(10, (i) => `SKU-${48210 + i}`),
        'products.checksum': repeat(10, (i) => `${i}f`.padEnd(64, 'a')),
        'products.created_at': repeat(10, (i) => `2025-0${1 + (i % 5)}-1${i}T10:00:00Z`),
        'orders.total': repeat(10, (i) => `${1200 + i * 37}.50`),
        'orders.tracking_code': repeat(10, (i) => `00340434${String(100000 + i)}`),
        'orders.placed_at': repeat(10, (i) => `2024-1${i % 3}-0${1 + i}`),
        'servers.ip_address': repeat(10, (i) => `10.0.0.${i + 1}`),
      },
    );
    for (const c of [
      'products.ean',
      'products.isbn',
      'products.sku',
      'products.checksum',
      'products.created_at',
      'orders.total',
      'orders.tracking_code',
      'orders.placed_at',
      'servers.ip_address',
    ])
      assert.equal(at(c).category, undefined, c);
    assert.equal(
      at('orders.customer_id').category,
      'user.unique_id',
      'a person key by name, without a foreign key',
    );
  });

  test('a date of birth is checked against the values; record dates are not births', () => {
    const at = classify(schema(table('patients', ['id', 'first_name', 'birth_date', 'dob'])), {
      'patients.birth_date': ['1980-03-12', '1955-11-02', '2001-07-30', '1992-01-15', '1970-05-05'],
      'patients.dob': ['2025-03-12', '2025-04-02', '2025-01-30', '2025-02-15', '2025-05-05'],
    });
    assert.equal(at('patients.birth_date').category, 'user.demographic.age');
    assert.ok(at('patients.birth_date').confidence > 0.9);
    assert.equal(at('patients.dob').category, 'user.demographic.age', 'the name still says so');
    assert.ok(at('patients.dob').confidence < 0.65, 'but less sure');
    assert.ok(at('patients.dob').review);
  });

  test('JSON columns: personal keys inside make the column personal; a product’s attributes do not', () => {
    const at = classify(
      schema(table('web_forms', ['id', 'contact_id', 'payload']), table('products', ['id', 'attributes'])),
      {
        'web_forms.payload': repeat(10, (i) =>
          JSON.stringify({ firstName: 'Anna', email: `a${i}@example.se`, message: 'hi' }),
        ),
        'products.attributes': repeat(10, () =>
          JSON.stringify({ color: 'red', size: 'M', material: 'wool' }),
        ),
      },
    );
    assert.equal(at('web_forms.payload').category, 'user.contact.email');
    assert.ok(at('web_forms.payload').reasons.some((r) => r.startsWith('json-keys:')));
    assert.equal(at('products.attributes').category, undefined);
  });

  test('table roles: from names, organisation columns and foreign keys to people', () => {
    const fk = (column: string, target: string) => ({
      columns: [column],
      references: { table: target, columns: ['id'] },
      onDelete: 'cascade' as const,
    });
    const roles = tableRoles(
      schema(
        table('kunder', ['id', 'namn']),
        table('accounts', ['id', 'name', 'industry', 'website']),
        table('members_x', ['id', 'first_name', 'last_name']),
        table('user_settings', ['id', 'user_id', 'settings'], { foreignKeys: [fk('user_id', 'kunder')] }),
        table('widgets', ['id', 'label']),
      ),
    );
    assert.equal(roles.get('kunder')?.role, 'person');
    assert.equal(roles.get('accounts')?.role, 'thing');
    assert.equal(roles.get('members_x')?.role, 'person');
    assert.equal(
      roles.get('user_settings')?.role,
      'record',
      'a settings table pointing at a person holds their rows',
    );
    assert.equal(roles.get('user_settings')?.owned, true);
    assert.equal(roles.get('widgets')?.role, 'unknown');
  });

  test('reasons name rules and counts, never values', () => {
    const values = repeat(10, (i) => `zz.unique${i}@example.se`);
    const at = classify(schema(table('users', ['id', 'login_mail'])), { 'users.login_mail': values });
    const text = JSON.stringify(at('users.login_mail'));
    for (const v of values) assert.ok(!text.includes(v));
    assert.match(text, /values:email 10\/10/);
  });
});

describe('discovery classification: HR, social profiles, free text and more languages', () => {
  const fk = (column: string, target: string, references = 'id') => ({
    columns: [column],
    references: { table: target, columns: [references] },
    onDelete: 'cascade' as const,
  });

  test('employee tables in Italian, French, Spanish, Polish, Finnish, Dutch, Portuguese and Czech', () => {
    const at = classify(
      schema(
        table('dipendenti', ['id', 'matricola', 'nome', 'cognome', 'qualifica', 'ral', 'cellulare', 'note']),
        table('employes', ['id', 'matricule', 'civilite', 'prenom', 'emploi', 'rib', 'salaire_brut']),
        table('empleados', [
          'id',
          'nif',
          'primer_apellido',
          'domicilio',
          'puesto',
          'sueldo',
          'observaciones',
        ]),
        table('pracownicy', ['id', 'imie', 'pesel', 'ulica', 'stanowisko', 'wynagrodzenie', 'uwagi']),
        table('tyontekijat', [
          'id',
          'sukunimi',
          'lahiosoite',
          'tehtavanimike',
          'kuukausipalkka',
          'lisatiedot',
        ]),
        table('medewerkers', ['id', 'achternaam', 'woonplaats', 'functie', 'salaris', 'opmerkingen']),
        table('funcionarios', ['id', 'nome', 'morada', 'cidade', 'cargo', 'salario']),
        table('zamestnanci', ['id', 'jmeno', 'prijmeni', 'rodne_cislo', 'mesto', 'plat']),
      ),
    );
    const expected: Record<string, string> = {
      'dipendenti.id': 'user.unique_id',
      'dipendenti.matricola': 'user.unique_id',
      'dipendenti.cognome': 'user.name',
      'dipendenti.qualifica': 'user.job_title',
      'dipendenti.ral': 'user.financial',
      'dipendenti.cellulare': 'user.contact.phone_number',
      'dipendenti.note': 'user.content.communication',
      'employes.id': 'user.unique_id',
      'employes.matricule': 'user.unique_id',
      'employes.civilite': 'user.name',
      'employes.emploi': 'user.job_title',
      'employes.rib': 'user.financial',
      'employes.salaire_brut': 'user.financial',
      'empleados.nif': 'user.unique_id',
      'empleados.domicilio': 'user.contact.address',
      'empleados.puesto': 'user.job_title',
      'empleados.sueldo': 'user.financial',
      'empleados.observaciones': 'user.content.communication',
      'pracownicy.pesel': 'user.unique_id',
      'pracownicy.ulica': 'user.contact.address',
      'pracownicy.stanowisko': 'user.job_title',
      'pracownicy.wynagrodzenie': 'user.financial',
      'pracownicy.uwagi': 'user.content.communication',
      'tyontekijat.lahiosoite': 'user.contact.address',
      'tyontekijat.tehtavanimike': 'user.job_title',
      'tyontekijat.kuukausipalkka': 'user.financial',
      'tyontekijat.lisatiedot': 'user.content.communication',
      'medewerkers.woonplaats': 'user.contact.address',
      'medewerkers.functie': 'user.job_title',
      'medewerkers.salaris': 'user.financial',
      'medewerkers.opmerkingen': 'user.content.communication',
      'funcionarios.morada': 'user.contact.address',
      'funcionarios.cidade': 'user.contact.address',
      'funcionarios.cargo': 'user.job_title',
      'funcionarios.salario': 'user.financial',
      'zamestnanci.prijmeni': 'user.name',
      'zamestnanci.rodne_cislo': 'user.unique_id',
      'zamestnanci.mesto': 'user.contact.address',
      'zamestnanci.plat': 'user.financial',
    };
    for (const [column, category] of Object.entries(expected))
      assert.equal(at(column).category, category, column);
  });

  test('place-of-residence words in the EEA’s languages are a person’s address, not an office’s', () => {
    const words = [
      'woonplaats',
      'wohnort',
      'ville',
      'citta',
      'ciudad',
      'miasto',
      'kaupunki',
      'by',
      'ort',
      'bopæl',
      'cidade',
      'localidad',
      'comune',
      'residenza',
    ];
    const at = classify(
      schema(table('kunden', ['id', 'vorname', ...words]), table('offices', ['id', 'name', ...words])),
    );
    for (const w of words) {
      assert.equal(at(`kunden.${w}`).category, 'user.contact.address', w);
      assert.equal(at(`offices.${w}`).category, undefined, `offices.${w}`);
    }
  });

  test('place and name at birth are not dates of birth', () => {
    const at = classify(
      schema(
        table('salaries', [
          'id',
          'nom',
          'prenom',
          'nom_de_naissance',
          'lieu_de_naissance',
          'date_de_naissance',
          'luogo_nascita',
          'geburtsort',
        ]),
      ),
    );
    assert.equal(at('salaries.nom_de_naissance').category, 'user.name');
    assert.equal(at('salaries.lieu_de_naissance').category, 'user.demographic');
    assert.equal(at('salaries.luogo_nascita').category, 'user.demographic');
    assert.equal(at('salaries.geburtsort').category, 'user.demographic');
    assert.equal(at('salaries.date_de_naissance').category, 'user.demographic.age');
  });

  test('`epost` inside `code_postal` or `intitule_poste` is not an email', () => {
    const at = classify(
      schema(table('clients', ['id', 'nom', 'code_postal', 'intitule_poste', 'epost', 'epostadress'])),
    );
    assert.equal(at('clients.code_postal').category, 'user.contact.address');
    assert.equal(at('clients.intitule_poste').category, 'user.job_title');
    assert.equal(at('clients.epost').category, 'user.contact.email');
    assert.equal(at('clients.epostadress').category, 'user.contact.email');
  });

  test('short postcode words (`cap`, `cp`) count only when the values are postcodes', () => {
    const at = classify(
      schema(table('clienti', ['id', 'nome', 'cap']), table('utenti', ['id', 'nome', 'cap'])),
      {
        'clienti.cap': repeat(10, (i) => `${20100 + i}`),
        'utenti.cap': repeat(10, (i) => `${i % 2 === 0 ? 'monthly' : 'weekly'} limit ${i}`),
      },
    );
    assert.equal(at('clienti.cap').category, 'user.contact.address');
    assert.equal(at('utenti.cap').category, undefined, 'a cap that is not a postcode');
    assert.ok(at('utenti.cap').review);
  });

  test('social profiles: network names, LinkedIn in camelCase and handles are a person’s, not a login', () => {
    const at = classify(
      schema(
        table('members', [
          'id',
          'firstName',
          'twitterHandle',
          'githubUsername',
          'xHandle',
          'LinkedInProfile',
          'instagram_url',
          'facebook',
          'personalWebsite',
          'username',
        ]),
        table('posts', ['id', 'author_id', 'author_twitter', 'share_url'], {
          foreignKeys: [fk('author_id', 'members')],
        }),
      ),
    );
    for (const c of [
      'twitterHandle',
      'githubUsername',
      'xHandle',
      'LinkedInProfile',
      'instagram_url',
      'facebook',
      'personalWebsite',
    ])
      assert.equal(at(`members.${c}`).category, 'user.social', c);
    assert.equal(at('members.username').category, 'user.account.username');
    assert.equal(at('posts.author_twitter').category, 'user.social', 'a person word says whose');
  });

  test('social links of organisations, venues and events are not a person’s', () => {
    const at = classify(
      schema(
        table('sponsors', [
          'id',
          'companyName',
          'linkedinPage',
          'twitterUrl',
          'contactPerson',
          'contactEmail',
        ]),
        table('venues', ['id', 'name', 'instagramHandle']),
        table('events', ['id', 'organizer_id', 'title', 'facebookEventUrl', 'coverImageUrl', 'socialLinks'], {
          foreignKeys: [fk('organizer_id', 'members')],
        }),
        table('members', ['id', 'first_name', 'last_name']),
      ),
      {
        'events.socialLinks': repeat(10, (i) =>
          JSON.stringify({
            twitter: '@ourclub',
            instagram: 'https://www.instagram.com/ourclub/',
            hashtag: `#club${i}`,
          }),
        ),
      },
    );
    for (const c of [
      'sponsors.id',
      'sponsors.companyName',
      'sponsors.linkedinPage',
      'sponsors.twitterUrl',
      'venues.instagramHandle',
      'events.facebookEventUrl',
      'events.coverImageUrl',
      'events.socialLinks',
    ])
      assert.equal(at(c).category, undefined, c);
    assert.equal(at('sponsors.contactPerson').category, 'user.name');
    assert.equal(at('sponsors.contactEmail').category, 'user.contact.email');
  });

  test('profile URLs in the values of a people table are social; company pages are not', () => {
    const at = classify(schema(table('candidates', ['id', 'first_name', 'profile_link', 'other_link'])), {
      'candidates.profile_link': repeat(10, (i) => `https://www.linkedin.com/in/anna-berg-${i}`),
      'candidates.other_link': repeat(10, (i) => `https://www.linkedin.com/company/acme-${i}`),
    });
    assert.equal(at('candidates.profile_link').category, 'user.social');
    assert.equal(at('candidates.other_link').category, undefined);
  });

  test('pay: salaries of people, payslip amounts and fees are financial; salary bands, runs and order totals are not', () => {
    const at = classify(
      schema(
        table('employees', [
          'id',
          'first_name',
          'last_name',
          'gross_annual_salary',
          'tax_rate',
          'hourly_rate',
          'bonus',
        ]),
        table('payslips', ['id', 'employee_id', 'period', 'gross', 'net', 'withholding'], {
          foreignKeys: [fk('employee_id', 'employees')],
        }),
        table('salary_bands', ['id', 'grade', 'description', 'salary_min', 'salary_max']),
        table('fasce_retributive', ['id', 'livello', 'stipendio_minimo', 'stipendio_massimo']),
        table('payroll_runs', ['id', 'period', 'total_gross', 'started_by'], {
          foreignKeys: [fk('started_by', 'employees')],
        }),
        table('orders', ['id', 'customer_id', 'gross', 'net', 'tax_rate', 'payment_method']),
        table('speakers', ['id', 'full_name', 'speaker_fee']),
      ),
    );
    for (const c of [
      'employees.gross_annual_salary',
      'employees.tax_rate',
      'employees.hourly_rate',
      'employees.bonus',
      'payslips.gross',
      'payslips.net',
      'payslips.withholding',
      'speakers.speaker_fee',
    ])
      assert.equal(at(c).category, 'user.financial', c);
    for (const c of [
      'salary_bands.salary_min',
      'salary_bands.salary_max',
      'salary_bands.description',
      'fasce_retributive.stipendio_minimo',
      'fasce_retributive.stipendio_massimo',
      'payroll_runs.total_gross',
      'orders.gross',
      'orders.net',
      'orders.tax_rate',
      'orders.payment_method',
    ])
      assert.equal(at(c).category, undefined, c);
  });

  test('a salary in an offer on a candidate’s application: ownership follows records', () => {
    const introspection = schema(
      table('candidates', ['id', 'first_name', 'last_name']),
      table('applications', ['id', 'candidate_id'], { foreignKeys: [fk('candidate_id', 'candidates')] }),
      table('offers', ['id', 'application_id', 'gross_annual_salary'], {
        foreignKeys: [fk('application_id', 'applications')],
      }),
      table('vacancies', ['id', 'title', 'salary']),
    );
    const roles = tableRoles(introspection);
    assert.equal(roles.get('offers')?.owned, true);
    assert.equal(roles.get('offers')?.role, 'record');
    assert.equal(roles.get('vacancies')?.owned, false);
    const at = classify(introspection);
    assert.equal(at('offers.gross_annual_salary').category, 'user.financial');
    assert.equal(at('vacancies.salary').category, undefined, 'a vacancy is nobody’s');
  });

  test('free text about a person: letters, reasons in words, bios and claims; codes and catalogue text are not', () => {
    const at = classify(
      schema(
        table('candidates', [
          'id',
          'first_name',
          'cover_letter',
          'bio',
          'about_me',
          'avatar_url',
          'motivation',
        ]),
        table('applications', ['id', 'candidate_id', 'rejection_reason', 'withdrawal_reason'], {
          foreignKeys: [fk('candidate_id', 'candidates')],
        }),
        table('expense_claims', ['id', 'candidate_id', 'description', 'amount'], {
          foreignKeys: [fk('candidate_id', 'candidates')],
        }),
        table('products', ['id', 'name', 'description', 'image_url', 'bio']),
        table('email_templates', ['id', 'body', 'cover_letter']),
      ),
      {
        'applications.rejection_reason': repeat(10, (i) => `Not enough experience with Kubernetes (${i})`),
        'applications.withdrawal_reason': repeat(10, (i) => ['duplicate', 'fraud', 'other'][i % 3]!),
      },
    );
    assert.equal(at('candidates.cover_letter').category, 'user.content.communication');
    assert.equal(at('candidates.motivation').category, 'user.content.communication');
    assert.equal(at('candidates.bio').category, 'user.content.public');
    assert.equal(at('candidates.about_me').category, 'user.content.public');
    assert.equal(at('candidates.avatar_url').category, 'user.content.public');
    assert.equal(at('applications.rejection_reason').category, 'user.content.communication');
    assert.equal(at('applications.withdrawal_reason').category, undefined, 'reason codes are not free text');
    assert.equal(at('expense_claims.description').category, 'user.content.communication');
    assert.equal(at('expense_claims.amount').category, undefined);
    for (const c of [
      'products.description',
      'products.image_url',
      'products.bio',
      'email_templates.body',
      'email_templates.cover_letter',
    ])
      assert.equal(at(c).category, undefined, c);
  });

  test('health, demographics and preferences in more words: sick notes, diets, pronouns, mother tongue, sizes', () => {
    const at = classify(
      schema(
        table('members', [
          'id',
          'first_name',
          'dietary_needs',
          'pronouns',
          'aidinkieli',
          'mother_tongue',
          'tshirt_size',
        ]),
        table('assenze', ['id', 'dipendente_id', 'certificato_medico', 'medico_id'], {
          foreignKeys: [fk('dipendente_id', 'members')],
        }),
        table('menu_items', ['id', 'name', 'diet', 'size']),
      ),
    );
    assert.equal(at('members.dietary_needs').category, 'user.health');
    assert.equal(at('members.pronouns').category, 'user.demographic');
    assert.equal(at('members.aidinkieli').category, 'user.demographic');
    assert.equal(at('members.mother_tongue').category, 'user.demographic');
    assert.equal(at('members.tshirt_size').category, 'user.preferences');
    assert.equal(at('assenze.certificato_medico').category, 'user.health');
    assert.equal(at('assenze.medico_id').category, undefined, 'a key is not a diagnosis');
    assert.equal(at('menu_items.diet').category, undefined);
    assert.equal(at('menu_items.size').category, undefined);
  });

  test('organisations in other languages are things; a server’s address is not a person’s', () => {
    const at = classify(
      schema(
        table('societa', ['id', 'ragione_sociale', 'partita_iva', 'indirizzo_sede', 'pec', 'telefono']),
        table('sedi', ['id', 'nome', 'indirizzo', 'citta', 'telefono', 'email']),
        table('elaborazioni', ['id', 'periodo', 'server', 'host_ip']),
        table('push_devices', ['id', 'member_id', 'platform']),
        table('listings', ['id', 'member_id', 'platform']),
      ),
      {
        'societa.pec': repeat(5, (i) => `amministrazione${i}@pec.example.it`),
        'societa.telefono': repeat(5, (i) => `+39 02 1234 56${i}0`),
        'elaborazioni.server': repeat(10, (i) => `10.0.3.${i + 1}`),
        'elaborazioni.host_ip': repeat(10, (i) => `10.0.4.${i + 1}`),
      },
    );
    for (const c of [
      'societa.indirizzo_sede',
      'societa.pec',
      'societa.telefono',
      'sedi.nome',
      'sedi.indirizzo',
      'sedi.citta',
      'sedi.telefono',
      'sedi.email',
      'elaborazioni.server',
      'elaborazioni.host_ip',
      'listings.platform',
    ])
      assert.equal(at(c).category, undefined, c);
    assert.equal(
      at('push_devices.platform').category,
      'user.device.browser',
      'a registered device’s platform',
    );
  });
});

describe('discovery classification: telecom and device identifiers, abbreviations, head words', () => {
  const fk = (column: string, target: string, references = 'id') => ({
    columns: [column],
    references: { table: target, columns: [references] },
    onDelete: 'cascade' as const,
  });
  /** `body` followed by its Luhn check digit. */
  const withLuhn = (body: string): string => {
    for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
    throw new Error('unreachable');
  };
  const imeis = repeat(20, (i) => withLuhn(`35209900${String(176100 + i * 7)}`));
  /** The same numbers with the check digit off by one: 15 digits that are no IMEI. */
  const notImeis = imeis.map((v) => `${v.slice(0, 14)}${(Number(v[14]) + 1) % 10}`);

  test('IMEIs are found by their Luhn check digit under any name; one digit off, they are not', () => {
    const at = classify(schema(table('call_records', ['id', 'handset', 'ref_number'])), {
      'call_records.handset': imeis,
      'call_records.ref_number': notImeis,
    });
    assert.equal(at('call_records.handset').category, 'user.device.device_id');
    assert.ok(at('call_records.handset').reasons.includes('values:imei 20/20'));
    assert.equal(at('call_records.ref_number').category, undefined);
  });

  test('a column named IMEI is supported by Luhn-valid values and doubted without them', () => {
    const at = classify(schema(table('subscriptions', ['id', 'imei', 'device_imei'])), {
      'subscriptions.imei': imeis,
      'subscriptions.device_imei': notImeis,
    });
    assert.equal(at('subscriptions.imei').category, 'user.device.device_id');
    assert.ok(at('subscriptions.imei').confidence >= 0.95);
    assert.ok(at('subscriptions.device_imei').confidence < 0.65, 'no value passes the check');
    assert.notEqual(at('subscriptions.device_imei').review, undefined);
  });

  test('MSISDNs: E.164 numbers with or without the plus, checked against the country’s number length', () => {
    const bare = repeat(20, (i) => `4670${String(1234500 + i)}`);
    const wrongLength = repeat(20, (i) => `4670${String(12345000 + i)}`);
    const plus = repeat(20, (i) => `+3519${String(12345600 + i)}`);
    const at = classify(
      schema(table('subscriptions', ['id', 'msisdn', 'a_number', 'b_party', 'counter_value'])),
      {
        'subscriptions.msisdn': bare,
        'subscriptions.a_number': plus,
        'subscriptions.b_party': bare,
        'subscriptions.counter_value': wrongLength,
      },
    );
    assert.equal(at('subscriptions.msisdn').category, 'user.contact.phone_number');
    assert.equal(at('subscriptions.msisdn').identity, 'phone');
    assert.ok(at('subscriptions.msisdn').reasons.includes('values:phone 20/20'));
    assert.equal(at('subscriptions.a_number').category, 'user.contact.phone_number', 'E.164 with +');
    // Bare digits alone are too like ids to decide without a name.
    assert.equal(at('subscriptions.b_party').category, undefined);
    assert.equal(at('subscriptions.counter_value').category, undefined);
  });

  test('MAC addresses are a person’s device in their records, not a router’s in the network’s tables', () => {
    const macs = repeat(20, (i) => `3c:22:fb:${(16 + i).toString(16)}:9a:0e`);
    const at = classify(
      schema(
        table('wifi_sessions', ['id', 'user_id', 'station', 'mac_address']),
        table('routers', ['id', 'hostname', 'hw']),
      ),
      {
        'wifi_sessions.station': macs,
        'wifi_sessions.mac_address': macs.map((m) => m.toUpperCase().replace(/:/g, '-')),
        'routers.hw': macs,
      },
    );
    assert.equal(at('wifi_sessions.station').category, 'user.device.device_id');
    assert.equal(at('wifi_sessions.mac_address').category, 'user.device.device_id');
    assert.equal(at('routers.hw').category, undefined);
  });

  test('an ICCID is a device identifier as a key and as a reference; a cell is a place in a call record only', () => {
    const iccids = repeat(20, (i) => withLuhn(`893510${String(100000000000 + i * 13)}`));
    const at = classify(
      schema(
        table('sim_cards', [{ name: 'iccid' }, 'imsi', 'status'], { primaryKey: ['iccid'] }),
        table('cells', ['cell_id', 'site_name', 'latitude'], { primaryKey: ['cell_id'] }),
        table('subscriptions', ['id', 'customer_id', 'iccid'], {
          foreignKeys: [fk('iccid', 'sim_cards', 'iccid')],
        }),
        table('call_records', ['id', 'caller_msisdn', 'cell_id'], {
          foreignKeys: [fk('cell_id', 'cells', 'cell_id')],
        }),
        table('network_alarms', ['id', 'cell_id', 'message'], {
          foreignKeys: [fk('cell_id', 'cells', 'cell_id')],
        }),
      ),
      { 'sim_cards.iccid': iccids },
    );
    assert.equal(at('sim_cards.iccid').category, 'user.device.device_id');
    assert.ok(at('sim_cards.iccid').reasons.includes('values:iccid 20/20'));
    assert.equal(at('sim_cards.imsi').category, 'user.device.device_id');
    assert.equal(at('subscriptions.iccid').category, 'user.device.device_id');
    assert.equal(at('call_records.cell_id').category, 'user.location.imprecise');
    for (const c of ['cells.cell_id', 'cells.latitude', 'network_alarms.cell_id', 'network_alarms.message'])
      assert.equal(at(c).category, undefined, c);
  });

  test('coordinate pairs are a place; single decimals are not, and `lon` with whole numbers is a salary', () => {
    const pairs = repeat(20, (i) => `59.${3290 + i}, 18.${686 + i}`);
    const at = classify(schema(table('anstallda', ['id', 'fornamn', 'last_seen', 'lon', 'score'])), {
      'anstallda.last_seen': pairs,
      'anstallda.lon': repeat(20, (i) => String(32000 + i * 500)),
      'anstallda.score': repeat(20, (i) => `0.${4321 + i}`),
    });
    assert.equal(at('anstallda.last_seen').category, 'user.location');
    assert.equal(at('anstallda.lon').category, 'user.financial');
    assert.equal(at('anstallda.score').category, undefined);
  });

  test('an email column of function mailboxes (support@, noreply@) is an organisation’s', () => {
    const at = classify(schema(table('customers', ['id', 'email', 'reply_to'])), {
      'customers.email': repeat(10, (i) => `anna.${i}@example.se`),
      'customers.reply_to': repeat(
        10,
        (i) => ['support', 'no-reply', 'kundservice2', 'info'][i % 4] + '@shop.example',
      ),
    });
    assert.equal(at('customers.email').category, 'user.contact.email');
    assert.equal(at('customers.reply_to').category, undefined);
  });

  test('abbreviations are written out: cust_nm, usrEml, empl_tel_nbr, dt_nasc, addr', () => {
    const at = classify(
      schema(
        table('orders', ['id', 'cust_nm', 'usrEml', 'empl_tel_nbr', 'ship_addr']),
        table('clientes', ['id', 'dt_nasc', 'tlm']),
      ),
    );
    assert.equal(at('orders.cust_nm').category, 'user.name');
    assert.equal(at('orders.usrEml').category, 'user.contact.email');
    assert.equal(at('orders.empl_tel_nbr').category, 'user.contact.phone_number');
    assert.equal(at('orders.ship_addr').category, 'user.contact.address');
    assert.equal(at('clientes.dt_nasc').category, 'user.demographic.age');
    assert.equal(at('clientes.tlm').category, 'user.contact.phone_number');
  });

  test('a table word naming a referenced table qualifies the head word: a store’s employees, customers’ orders', () => {
    const at = classify(
      schema(
        table('lojas', ['id', 'nome', 'telefone']),
        table('funcionarios_loja', ['id', 'loja_id', 'nome', 'email'], {
          foreignKeys: [fk('loja_id', 'lojas')],
        }),
        table('klienci', ['id', 'imie', 'nazwisko']),
        table('zamowienia_klientow', ['id', 'klient_id', 'nazwa'], {
          foreignKeys: [fk('klient_id', 'klienci')],
        }),
      ),
    );
    assert.equal(at('funcionarios_loja.id').category, 'user.unique_id');
    assert.equal(at('funcionarios_loja.nome').category, 'user.name');
    assert.equal(at('lojas.telefone').category, undefined);
    assert.equal(at('zamowienia_klientow.id').category, undefined, 'an order’s key, not a person’s');
    assert.equal(at('zamowienia_klientow.klient_id').category, 'user.unique_id');
  });

  test('masked card numbers, vital signs, a device referenced by its identifier, company customers', () => {
    const masked = repeat(10, (i) => `${411111 + i}******${String(1000 + i)}`);
    const at = classify(
      schema(
        table('accts', ['acct_id', 'usr_email', 'pwd_hash'], { primaryKey: ['acct_id'] }),
        table('devices', ['dev_id', 'owner_id', 'serial_no'], {
          primaryKey: ['dev_id'],
          foreignKeys: [fk('owner_id', 'accts', 'acct_id')],
        }),
        table('readings', ['id', 'dev_id', 'temp_c'], { foreignKeys: [fk('dev_id', 'devices', 'dev_id')] }),
        table('wearable_samples', ['id', 'acct_id', 'hr_bpm', 'spo2', 'steps'], {
          foreignKeys: [fk('acct_id', 'accts', 'acct_id')],
        }),
        table('pagamentos', ['id', 'acct_id', 'nr_cartao_mascarado', 'ref_pan', 'chave_pix'], {
          foreignKeys: [fk('acct_id', 'accts', 'acct_id')],
        }),
        table('klienci', ['id', 'nazwa_firmy', 'nip', 'regon', 'osoba_kontaktowa', 'email_faktury']),
        table('hospedagens', ['id', 'acct_id', 'placa_veiculo'], {
          foreignKeys: [fk('acct_id', 'accts', 'acct_id')],
        }),
        table('pojazdy', ['id', 'nr_rejestracyjny', 'vin']),
      ),
      { 'pagamentos.nr_cartao_mascarado': masked, 'pagamentos.ref_pan': masked },
    );
    assert.equal(at('pagamentos.nr_cartao_mascarado').category, 'user.financial.payment');
    assert.equal(at('pagamentos.ref_pan').category, 'user.financial.payment');
    assert.equal(at('pagamentos.chave_pix').category, 'user.financial');
    assert.equal(at('devices.dev_id').category, 'user.device.device_id');
    assert.equal(at('devices.serial_no').category, 'user.device.device_id');
    assert.equal(at('readings.dev_id').category, 'user.device.device_id', 'a reference to a person’s device');
    assert.equal(at('readings.temp_c').category, undefined);
    for (const c of ['hr_bpm', 'spo2', 'steps'])
      assert.equal(at(`wearable_samples.${c}`).category, 'user.health', c);
    // A table named for customers whose columns are a company's: an organisation, its contact person’s name aside.
    assert.equal(at('klienci.id').category, undefined);
    assert.equal(at('klienci.email_faktury').category, undefined);
    assert.equal(at('klienci.osoba_kontaktowa').category, 'user.name');
    assert.equal(at('hospedagens.placa_veiculo').category, 'user.unique_id', 'a guest’s car');
    assert.equal(at('pojazdy.nr_rejestracyjny').category, undefined, 'a fleet’s own vehicle');
  });

  describe('what generalises beyond the words the rules list', () => {
    const fk = (column: string, target: string, onDelete: 'cascade' | 'set_null' = 'cascade') => ({
      columns: [column],
      references: { table: target, columns: ['id'] },
      onDelete,
    });
    const people = [
      'Anna Weber',
      'Lukas Becker',
      'Maria Rossi',
      'Jonas Schmidt',
      'Sofia Nilsson',
      'Erik Berg',
    ];

    test('values make a table an organisation’s or people’s where its name says nothing', () => {
      const introspection = schema(
        table('Werkstatt', ['id', 'Name', 'Strasse', 'Telefon']),
        table('Geschaedigter', ['id', 'Name', 'Telefon']),
      );
      const samples = {
        'Werkstatt.Name': repeat(6, (i) => `Autohaus ${['Weber', 'Koch', 'Meyer'][i % 3]} GmbH`),
        'Werkstatt.Telefon': repeat(6, (i) => `030 123456${i}`),
        'Geschaedigter.Name': repeat(6, (i) => people[i]!),
        'Geschaedigter.Telefon': repeat(6, (i) => `+49 151 2345678${i}`),
      };
      const roles = tableRoles(introspection, (t, c) => {
        const values = samples[`${t.name}.${c.name}` as keyof typeof samples];
        return values === undefined ? undefined : sampleStats(values, now);
      });
      assert.equal(roles.get('Werkstatt')?.role, 'thing');
      assert.equal(roles.get('Geschaedigter')?.role, 'person');
      const at = classify(introspection, samples);
      assert.equal(at('Werkstatt.Telefon').category, undefined, 'a garage’s phone');
      assert.equal(at('Geschaedigter.Telefon').category, 'user.contact.phone_number');
      assert.equal(at('Geschaedigter.id').category, 'user.unique_id');
    });

    test('what people’s rows point at is an organisation; a table named after a person by a qualifier is their record', () => {
      const roles = tableRoles(
        schema(
          table('etablissements', ['id', 'adresse', 'telephone', 'courriel']),
          table('enseignants', ['id', 'nom', 'prenom', 'etablissementId'], {
            foreignKeys: [fk('etablissementId', 'etablissements')],
          }),
          table('ArztBericht', ['id', 'enseignantId', 'Diagnose'], {
            foreignKeys: [fk('enseignantId', 'enseignants')],
          }),
        ),
      );
      assert.equal(roles.get('enseignants')?.role, 'person');
      assert.equal(roles.get('etablissements')?.role, 'thing');
      assert.equal(roles.get('ArztBericht')?.role, 'record');
      assert.equal(roles.get('ArztBericht')?.owned, true);
    });

    test('dates are no login, name or address; they stay a consent’s or a birth’s', () => {
      const at = classify(
        schema(table('customers', ['id', 'first_name', 'LetzterLogin', 'consented_at', 'birth_date'])),
        {
          'customers.LetzterLogin': repeat(10, (i) => `2025-0${(i % 9) + 1}-12T08:15:00Z`),
          'customers.consented_at': repeat(10, (i) => `2025-0${(i % 9) + 1}-12T08:15:00Z`),
          'customers.birth_date': repeat(10, (i) => `19${60 + i}-03-14`),
        },
      );
      assert.equal(at('customers.LetzterLogin').category, undefined);
      assert.ok(at('customers.LetzterLogin').reasons.some((r) => r.startsWith('values:dates')));
      assert.equal(at('customers.consented_at').category, 'user.consent');
      assert.equal(at('customers.birth_date').category, 'user.demographic.age');
    });

    test('sentences in a row that cannot exist without its person are theirs; in a row that may point at one they are not', () => {
      const sentences = repeat(8, (i) => `Beim Ausparken habe ich das Auto Nummer ${i} touchiert.`);
      const at = classify(
        schema(
          table('customers', ['id', 'first_name']),
          table('claims', ['id', { name: 'customer_id', nullable: false }, 'Hergang'], {
            foreignKeys: [fk('customer_id', 'customers')],
          }),
          table('happenings', ['id', 'organiser_id', 'Hergang'], {
            foreignKeys: [fk('organiser_id', 'customers', 'set_null')],
          }),
        ),
        { 'claims.Hergang': sentences, 'happenings.Hergang': sentences },
      );
      assert.equal(at('claims.Hergang').category, 'user.content.communication');
      assert.equal(at('happenings.Hergang').category, undefined);
    });

    test('abbreviations and umlauts written out find the rule the words as written miss', () => {
      const at = classify(schema(table('customers', ['id', 'first_name', 'emplr', 'Fuehrerschein'])));
      assert.equal(at('customers.emplr').category, 'user.workplace');
      assert.ok(at('customers.emplr').reasons.includes('name:abbreviation'));
      assert.equal(at('customers.Fuehrerschein').category, 'user.unique_id');
    });
  });
});
