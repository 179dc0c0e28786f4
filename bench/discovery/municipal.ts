/**
 * A held-out schema written for the fifth round (issue 11, the generalisation round) and never
 * tuned on: a Dutch municipality's shared services and water utility in Dutch snake_case
 * (`inwoners`, `bsn`, `tussenvoegsel`, `huisnr_toevoeging`, `e_mailadres`, `meldingen_openbare_ruimte`).
 * Residents with their citizen service number, water connections with EAN codes and meter
 * readings, local tax assessments, remission requests with income, public-space reports with the
 * reporter's contact details and coordinates, parking permits with number plates, and the portal's
 * logins; districts, streets, waste containers, tariffs and staff departments are the hard
 * negatives (a container's chip code, a district's population, a meter's serial number).
 * Labelled by hand before the classifier first ran on it. Tuned on (the learned scorer is trained on it) since the sixth round.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { ibanOf, letters } from './fake.js';

export const municipal: CorpusSchema = {
  name: 'municipal',
  description:
    'Dutch municipality and water utility, Dutch snake_case (held out, tuned on since the sixth round)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE wijken (
  wijk_code TEXT PRIMARY KEY,                       -- -
  wijk_naam TEXT NOT NULL,                          -- -
  aantal_inwoners INTEGER,                          -- -
  oppervlakte_ha NUMERIC                            -- -
);
CREATE TABLE straten (
  straat_id INTEGER PRIMARY KEY,                    -- -
  straatnaam TEXT NOT NULL,                         -- -
  wijk_code TEXT REFERENCES wijken(wijk_code),      -- -
  postcode_van TEXT,                                -- -
  postcode_tot TEXT                                 -- -
);
CREATE TABLE tarieven (
  tarief_id INTEGER PRIMARY KEY,                    -- -
  omschrijving TEXT NOT NULL,                       -- -
  belastingjaar INTEGER NOT NULL,                   -- -
  bedrag_per_eenheid NUMERIC NOT NULL,              -- -
  eenheid TEXT NOT NULL                             -- -
);
CREATE TABLE afdelingen (
  afdeling_id INTEGER PRIMARY KEY,                  -- -
  naam TEXT NOT NULL,                               -- -
  telefoon TEXT,                                    -- -
  email TEXT                                        -- -
);
CREATE TABLE medewerkers (
  medewerker_id INTEGER PRIMARY KEY,                -- user.unique_id
  personeelsnummer TEXT NOT NULL,                   -- user.unique_id
  voorletters TEXT,                                 -- user.name
  achternaam TEXT NOT NULL,                         -- user.name
  functie TEXT,                                     -- user.job_title
  afdeling_id INTEGER REFERENCES afdelingen(afdeling_id), -- -
  werk_email TEXT,                                  -- user.contact.email
  in_dienst_sinds TEXT                              -- -
);
CREATE TABLE inwoners (
  inwoner_id INTEGER PRIMARY KEY,                   -- user.unique_id
  bsn TEXT UNIQUE,                                  -- user.unique_id
  voornamen TEXT NOT NULL,                          -- user.name
  tussenvoegsel TEXT,                               -- user.name
  achternaam TEXT NOT NULL,                         -- user.name
  geboortedatum TEXT,                               -- user.demographic.age
  geslacht TEXT,                                    -- user.demographic
  straat_id INTEGER REFERENCES straten(straat_id),  -- user.contact.address
  huisnummer INTEGER,                               -- user.contact.address
  huisnr_toevoeging TEXT,                           -- user.contact.address
  postcode TEXT,                                    -- user.contact.address
  woonplaats TEXT,                                  -- user.contact.address
  telefoonnummer TEXT,                              -- user.contact.phone_number
  e_mailadres TEXT,                                 -- user.contact.email
  rekeningnummer TEXT,                              -- user.financial
  digitale_post INTEGER NOT NULL DEFAULT 0,         -- user.consent|user.preferences
  overleden INTEGER NOT NULL DEFAULT 0,             -- user|user.demographic
  ingeschreven_op TEXT NOT NULL                     -- -
);
CREATE TABLE aansluitingen (
  aansluiting_id INTEGER PRIMARY KEY,               -- -
  ean_code TEXT NOT NULL UNIQUE,                    -- -
  inwoner_id INTEGER REFERENCES inwoners(inwoner_id), -- user.unique_id
  meternummer TEXT,                                 -- -
  aansluit_type TEXT NOT NULL,                      -- -
  capaciteit TEXT,                                  -- -
  actief INTEGER NOT NULL DEFAULT 1,                -- -
  aangelegd_op TEXT                                 -- -
);
CREATE TABLE meterstanden (
  meterstand_id INTEGER PRIMARY KEY,                -- -
  aansluiting_id INTEGER NOT NULL REFERENCES aansluitingen(aansluiting_id), -- -
  stand_m3 NUMERIC NOT NULL,                        -- user.telemetry|user.behavior
  opgenomen_op TEXT NOT NULL,                       -- -
  bron TEXT NOT NULL                                -- -
);
CREATE TABLE aanslagen (
  aanslag_id INTEGER PRIMARY KEY,                   -- -
  aanslagnummer TEXT NOT NULL UNIQUE,               -- -
  inwoner_id INTEGER NOT NULL REFERENCES inwoners(inwoner_id), -- user.unique_id
  tarief_id INTEGER REFERENCES tarieven(tarief_id), -- -
  belastingjaar INTEGER NOT NULL,                   -- -
  bedrag NUMERIC NOT NULL,                          -- -
  vervaldatum TEXT NOT NULL,                        -- -
  status TEXT NOT NULL                              -- -
);
CREATE TABLE kwijtscheldingen (
  verzoek_id INTEGER PRIMARY KEY,                   -- -
  inwoner_id INTEGER NOT NULL REFERENCES inwoners(inwoner_id), -- user.unique_id
  netto_inkomen NUMERIC,                            -- user.financial
  vermogen NUMERIC,                                 -- user.financial
  huishouden_grootte INTEGER,                       -- user.demographic
  toelichting TEXT,                                 -- user.content.communication|user.financial
  besluit TEXT,                                     -- -
  behandelaar_id INTEGER REFERENCES medewerkers(medewerker_id), -- user.unique_id
  ingediend_op TEXT NOT NULL                        -- -
);
CREATE TABLE meldingen_openbare_ruimte (
  melding_id INTEGER PRIMARY KEY,                   -- -
  categorie TEXT NOT NULL,                          -- -
  omschrijving TEXT,                                -- user.content.communication
  breedtegraad NUMERIC,                             -- user.location
  lengtegraad NUMERIC,                              -- user.location
  melder_naam TEXT,                                 -- user.name
  melder_telefoon TEXT,                             -- user.contact.phone_number
  melder_email TEXT,                                -- user.contact.email
  foto_url TEXT,                                    -- user.content
  afgehandeld INTEGER NOT NULL DEFAULT 0,           -- -
  gemeld_op TEXT NOT NULL                           -- -
);
CREATE TABLE afvalcontainers (
  container_id INTEGER PRIMARY KEY,                 -- -
  chipcode TEXT NOT NULL,                           -- -
  fractie TEXT NOT NULL,                            -- -
  volume_liter INTEGER NOT NULL,                    -- -
  breedtegraad NUMERIC,                             -- -
  lengtegraad NUMERIC,                              -- -
  laatst_geleegd TEXT                               -- -
);
CREATE TABLE parkeervergunningen (
  vergunning_id INTEGER PRIMARY KEY,                -- -
  inwoner_id INTEGER NOT NULL REFERENCES inwoners(inwoner_id), -- user.unique_id
  kenteken TEXT NOT NULL,                           -- user.unique_id
  vergunning_type TEXT NOT NULL,                    -- -
  geldig_van TEXT NOT NULL,                         -- -
  geldig_tot TEXT NOT NULL,                         -- -
  kosten NUMERIC NOT NULL                           -- -
);
CREATE TABLE portaal_accounts (
  account_id INTEGER PRIMARY KEY,                   -- -
  inwoner_id INTEGER REFERENCES inwoners(inwoner_id), -- user.unique_id
  gebruikersnaam TEXT NOT NULL,                     -- user.account.username
  wachtwoord_hash TEXT NOT NULL,                    -- user.credentials.password
  laatste_login TEXT,                               -- -
  ip_adres TEXT,                                    -- user.device.ip_address
  taal TEXT NOT NULL                                -- user.preferences|user.account.settings
);
`,
  rows(f) {
    const plaatsen = ['Utrecht', 'Zeist', 'Nieuwegein', 'Houten', 'De Bilt'];
    const wijken = times(8, (i) => ({
      wijk_code: `WK03440${i}`,
      wijk_naam: f.pick([
        'Binnenstad',
        'Oost',
        'Noordwest',
        'Overvecht',
        'Leidsche Rijn',
        'Zuilen',
        'Vleuten',
        'Lunetten',
      ]),
      aantal_inwoners: f.int(8000, 45000),
      oppervlakte_ha: f.int(300, 4000),
    }));
    const straatnamen = [
      'Dorpsstraat',
      'Kerkstraat',
      'Oudegracht',
      'Biltstraat',
      'Amsterdamsestraatweg',
      'Vleutenseweg',
      'Lange Nieuwstraat',
      'Wittevrouwenkade',
      'Tolsteegsingel',
      'Mauritsstraat',
    ];
    const straten = straatnamen.map((straatnaam, i) => {
      const base = f.int(3500, 3590);
      return {
        straat_id: i + 1,
        straatnaam,
        wijk_code: f.pick(wijken).wijk_code,
        postcode_van: `${base} AA`,
        postcode_tot: `${base} ZZ`,
      };
    });
    const tarieven = times(6, (i) => ({
      tarief_id: i + 1,
      omschrijving: f.pick([
        'Afvalstoffenheffing eenpersoons',
        'Afvalstoffenheffing meerpersoons',
        'Rioolheffing gebruikers',
        'OZB woningen',
        'Vastrecht water',
        'Waterverbruik per m3',
      ]),
      belastingjaar: f.pick([2024, 2025]),
      bedrag_per_eenheid: f.amount(400),
      eenheid: f.pick(['huishouden', 'm3', 'perceel', 'jaar']),
    }));
    const afdelingen = ['Burgerzaken', 'Belastingen', 'Openbare Ruimte', 'Klantcontact', 'Waterbedrijf'].map(
      (naam, i) => ({
        afdeling_id: i + 1,
        naam,
        telefoon: `14 030`,
        email: `${letters(naam)}@gemeente.example.nl`,
      }),
    );
    const medewerkers = times(40, (i) => {
      const achternaam = f.pick(nlLast);
      const voornaam = f.pick([...nlFirstF, ...nlFirstM]);
      return {
        medewerker_id: i + 1,
        personeelsnummer: `P${f.digits(6)}`,
        voorletters: `${voornaam[0]}.${f.chance(0.4) ? `${f.pick(['J', 'M', 'A', 'H'])}.` : ''}`,
        achternaam,
        functie: f.pick([
          'Medewerker belastingen',
          'Handhaver',
          'Klantcontactmedewerker',
          'Beleidsadviseur',
          'Teamleider',
        ]),
        afdeling_id: f.int(1, 5),
        werk_email: `${letters(voornaam)[0]}.${letters(achternaam)}@gemeente.example.nl`,
        in_dienst_sinds: `${f.int(1995, 2024)}-${String(f.int(1, 12)).padStart(2, '0')}-01`,
      };
    });
    const inwoners = times(250, (i) => {
      const vrouw = f.chance(0.5);
      const voornaam = f.pick(vrouw ? nlFirstF : nlFirstM);
      const tweede = f.chance(0.5) ? ` ${f.pick(vrouw ? nlFirstF : nlFirstM)}` : '';
      const tussen = f.chance(0.35) ? f.pick(['van', 'de', 'van der', 'van den', 'ter']) : null;
      const achternaam = f.pick(nlLast);
      const straat = f.pick(straten);
      return {
        inwoner_id: 100000 + i,
        bsn: f.chance(0.95) ? bsn(f) : null,
        voornamen: `${voornaam}${tweede}`,
        tussenvoegsel: tussen,
        achternaam,
        geboortedatum: f.birthDate(18, 95),
        geslacht: vrouw ? 'V' : 'M',
        straat_id: straat.straat_id,
        huisnummer: f.int(1, 240),
        huisnr_toevoeging: f.chance(0.2) ? f.pick(['A', 'B', 'bis', '2-hoog', 'zw']) : null,
        postcode: `${straat.postcode_van.slice(0, 4)} ${f.alnum(2, 'ABCDEGHJKLMNPRSTVWXZ')}`,
        woonplaats: f.pick(plaatsen),
        telefoonnummer: f.chance(0.8)
          ? f.pick([
              `06-${f.digits(8)}`,
              `+31 6 ${f.digits(8)}`,
              `030-${f.digits(7)}`,
              `06 ${f.digits(2)} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)}`,
            ])
          : null,
        e_mailadres: f.chance(0.75)
          ? `${letters(voornaam)}${f.pick(['.', '_', ''])}${letters(tussen ?? '')}${letters(achternaam)}@${f.pick(['ziggo.nl', 'kpnmail.nl', 'gmail.com', 'hotmail.com', 'xs4all.nl'])}`
          : null,
        rekeningnummer: f.chance(0.7)
          ? ibanOf('NL', `${f.pick(['ABNA', 'INGB', 'RABO', 'SNSB'])}0${f.digits(9)}`)
          : null,
        digitale_post: f.chance(0.6),
        overleden: f.chance(0.02),
        ingeschreven_op: f.recentDate(),
      };
    });
    const aansluitingen = times(220, (i) => ({
      aansluiting_id: i + 1,
      ean_code: `8716${f.digits(14)}`,
      inwoner_id: inwoners[i]!.inwoner_id,
      meternummer: `${f.pick(['W', 'ELS', 'KAM'])}${f.digits(8)}`,
      aansluit_type: f.pick(['huishoudelijk', 'zakelijk', 'bouwaansluiting']),
      capaciteit: f.pick(['Qn 1,5', 'Qn 2,5', 'Qn 6']),
      actief: f.chance(0.95),
      aangelegd_op: f.chance(0.8) ? `${f.int(1965, 2023)}-${String(f.int(1, 12)).padStart(2, '0')}-15` : null,
    }));
    const meterstanden = times(500, (i) => ({
      meterstand_id: i + 1,
      aansluiting_id: f.int(1, 220),
      stand_m3: f.int(10, 3500),
      opgenomen_op: f.recentDate(),
      bron: f.pick(['klant', 'monteur', 'schatting', 'slimme meter']),
    }));
    const aanslagen = times(400, (i) => ({
      aanslag_id: i + 1,
      aanslagnummer: `${f.pick([2024, 2025])}.${f.digits(7)}`,
      inwoner_id: f.pick(inwoners).inwoner_id,
      tarief_id: f.int(1, 6),
      belastingjaar: f.pick([2024, 2025]),
      bedrag: f.amount(1200),
      vervaldatum: f.recentDate(),
      status: f.pick(['openstaand', 'betaald', 'in termijnen', 'bezwaar', 'kwijtgescholden']),
    }));
    const kwijtscheldingen = times(60, (i) => ({
      verzoek_id: i + 1,
      inwoner_id: f.pick(inwoners).inwoner_id,
      netto_inkomen: f.chance(0.9) ? f.amount(2200) : null,
      vermogen: f.chance(0.7) ? f.amount(3000) : null,
      huishouden_grootte: f.int(1, 6),
      toelichting: f.chance(0.7)
        ? f.pick([
            'Ik heb sinds maart een bijstandsuitkering en kan de aanslag niet betalen.',
            'Mijn man is overleden en ik moet rondkomen van alleen de AOW.',
            'Door ziekte ben ik mijn baan kwijtgeraakt, graag een regeling.',
            'Wij hebben schulden en zitten in de schuldhulpverlening.',
          ])
        : null,
      besluit: f.pick(['toegekend', 'afgewezen', 'gedeeltelijk toegekend', null]),
      behandelaar_id: f.chance(0.8) ? f.int(1, 40) : null,
      ingediend_op: f.recent(),
    }));
    const meldingen_openbare_ruimte = times(180, (i) => {
      const anoniem = f.chance(0.3);
      const voornaam = f.pick([...nlFirstF, ...nlFirstM]);
      const achternaam = f.pick(nlLast);
      return {
        melding_id: i + 1,
        categorie: f.pick([
          'straatverlichting',
          'zwerfafval',
          'losliggende tegel',
          'overhangend groen',
          'geluidsoverlast',
        ]),
        omschrijving: f.pick([
          'Lantaarnpaal voor nummer 12 is al een week kapot.',
          'Er ligt grofvuil naast de container bij de speeltuin.',
          'Tegels liggen los op de stoep, mijn moeder is bijna gevallen.',
          'De buren draaien elke nacht harde muziek tot 3 uur.',
        ]),
        breedtegraad: Number((52.05 + f.next() * 0.07).toFixed(6)),
        lengtegraad: Number((5.07 + f.next() * 0.1).toFixed(6)),
        melder_naam: anoniem ? null : `${voornaam} ${achternaam}`,
        melder_telefoon: anoniem || f.chance(0.4) ? null : `06-${f.digits(8)}`,
        melder_email: anoniem
          ? null
          : `${letters(voornaam)}.${letters(achternaam)}@${f.pick(['gmail.com', 'ziggo.nl', 'outlook.com'])}`,
        foto_url: f.chance(0.5) ? `https://meldingen.example.nl/foto/${f.hex(20)}.jpg` : null,
        afgehandeld: f.chance(0.6),
        gemeld_op: f.recent(),
      };
    });
    const afvalcontainers = times(120, (i) => ({
      container_id: i + 1,
      chipcode: f.hex(16).toUpperCase(),
      fractie: f.pick(['restafval', 'gft', 'papier', 'glas', 'pmd']),
      volume_liter: f.pick([140, 240, 3000, 5000]),
      breedtegraad: Number((52.05 + f.next() * 0.07).toFixed(6)),
      lengtegraad: Number((5.07 + f.next() * 0.1).toFixed(6)),
      laatst_geleegd: f.chance(0.9) ? f.recent() : null,
    }));
    const parkeervergunningen = times(150, (i) => ({
      vergunning_id: i + 1,
      inwoner_id: f.pick(inwoners).inwoner_id,
      kenteken: f.pick([
        `${f.alnum(2, 'BDFGHJKLNPRSTVXZ')}-${f.digits(3)}-${f.alnum(1, 'BDFGHJKLNPRSTVXZ')}`,
        `${f.digits(1)}-${f.alnum(3, 'BDFGHJKLNPRSTVXZ')}-${f.digits(2)}`,
        `${f.alnum(3, 'BDFGHJKLNPRSTVXZ')}-${f.digits(2)}-${f.alnum(1, 'BDFGHJKLNPRSTVXZ')}`,
      ]),
      vergunning_type: f.pick(['bewoner', 'tweede auto', 'bezoekers', 'mantelzorg']),
      geldig_van: '2025-01-01',
      geldig_tot: '2025-12-31',
      kosten: f.pick(['61.80', '123.60', '31.20']),
    }));
    const portaal_accounts = times(170, (i) => {
      const inw = inwoners[i]!;
      return {
        account_id: i + 1,
        inwoner_id: inw.inwoner_id,
        gebruikersnaam: f.pick([
          `${letters(inw.voornamen.split(' ')[0]!)}${letters(inw.achternaam)}`,
          `${letters(inw.achternaam)}${f.int(1, 99)}`,
        ]),
        wachtwoord_hash: f.passwordHash(),
        laatste_login: f.chance(0.85) ? f.recent() : null,
        ip_adres: f.chance(0.85) ? f.ip() : null,
        taal: f.pick(['nl', 'nl', 'nl', 'en']),
      };
    });
    return {
      wijken,
      straten,
      tarieven,
      afdelingen,
      medewerkers,
      inwoners,
      aansluitingen,
      meterstanden,
      aanslagen,
      kwijtscheldingen,
      meldingen_openbare_ruimte,
      afvalcontainers,
      parkeervergunningen,
      portaal_accounts,
    };
  },
};

/** A nine-digit citizen service number that passes the eleven test. */
function bsn(f: { digits(n: number): string }): string {
  for (;;) {
    const d = f.digits(8);
    let sum = 0;
    for (let i = 0; i < 8; i++) sum += Number(d[i]) * (9 - i);
    const last = sum % 11;
    if (last <= 9) return d + String(last);
  }
}

// prettier-ignore
const nlFirstF = ['Anouk', 'Sanne', 'Fleur', 'Lotte', 'Maartje', 'Ingrid', 'Wilma', 'Ria', 'Noor', 'Esmee', 'Fatma', 'Saskia'];
// prettier-ignore
const nlFirstM = ['Jeroen', 'Sander', 'Bas', 'Ruud', 'Kees', 'Wouter', 'Thijs', 'Daan', 'Hendrik', 'Mohamed', 'Pieter', 'Joost'];
// prettier-ignore
const nlLast = ['Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker', 'Brouwer', 'Dijkstra', 'El Amrani', 'Kuipers'];
