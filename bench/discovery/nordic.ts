/**
 * A gym chain's member register with Swedish tables, a German and a Danish customer table from its
 * subsidiaries: Scandinavian and German column names, some with their letters (ö, ä, ß).
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const nordic: CorpusSchema = {
  name: 'nordic',
  description: 'Swedish, German and Danish column names',
  ddl: `
CREATE TABLE medlemmar (
  medlems_id INTEGER PRIMARY KEY,                   -- user.unique_id
  medlemsnummer TEXT NOT NULL UNIQUE,               -- user.unique_id
  personnummer TEXT,                                -- user.unique_id
  fornamn TEXT NOT NULL,                            -- user.name
  efternamn TEXT NOT NULL,                          -- user.name
  "födelsedatum" TEXT,                              -- user.demographic.age
  kon TEXT,                                         -- user.demographic
  epost TEXT,                                       -- user.contact.email
  mobilnummer TEXT,                                 -- user.contact.phone_number
  gatuadress TEXT,                                  -- user.contact.address
  postnr TEXT,                                      -- user.contact.address
  ort TEXT,                                         -- user.contact.address
  samtycke_nyhetsbrev INTEGER NOT NULL DEFAULT 0,   -- user.consent
  medlemstyp TEXT NOT NULL,                         -- -
  skapad TEXT NOT NULL,                             -- -
  anteckningar TEXT                                 -- user.content.communication
);
CREATE TABLE instruktorer (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  fornamn TEXT NOT NULL,                            -- user.name
  efternamn TEXT NOT NULL,                          -- user.name
  epost TEXT NOT NULL,                              -- user.contact.email
  telefon TEXT,                                     -- user.contact.phone_number
  timlon NUMERIC                                    -- user.financial
);
CREATE TABLE anlaggningar (
  id INTEGER PRIMARY KEY,                           -- -
  namn TEXT NOT NULL,                               -- -
  adress TEXT NOT NULL,                             -- -
  telefon TEXT,                                     -- -
  oppettider TEXT                                   -- -
);
CREATE TABLE pass (
  pass_id INTEGER PRIMARY KEY,                      -- -
  namn TEXT NOT NULL,                               -- -
  instruktor_id INTEGER REFERENCES instruktorer(id) ON DELETE SET NULL, -- user.unique_id
  anlaggning_id INTEGER REFERENCES anlaggningar(id), -- -
  starttid TEXT NOT NULL,                           -- -
  max_deltagare INTEGER NOT NULL                    -- -
);
CREATE TABLE bokningar (
  bokning_id INTEGER PRIMARY KEY,                   -- -
  medlems_id INTEGER NOT NULL REFERENCES medlemmar(medlems_id) ON DELETE CASCADE, -- user.unique_id
  pass_id INTEGER NOT NULL REFERENCES pass(pass_id) ON DELETE CASCADE, -- -
  bokad_tid TEXT NOT NULL,                          -- -
  incheckad INTEGER NOT NULL DEFAULT 0,             -- -
  kommentar TEXT                                    -- user.content.communication
);
CREATE TABLE betalningar (
  id INTEGER PRIMARY KEY,                           -- -
  medlems_id INTEGER NOT NULL REFERENCES medlemmar(medlems_id) ON DELETE RESTRICT, -- user.unique_id
  belopp NUMERIC NOT NULL,                          -- -
  betald_datum TEXT NOT NULL,                       -- -
  betalsatt TEXT NOT NULL,                          -- -
  swish_nummer TEXT,                                -- user.contact.phone_number|user.financial.payment
  kortnummer_sista4 TEXT                            -- user.financial.payment
);
CREATE TABLE kunden (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  kundennummer TEXT NOT NULL,                       -- user.unique_id
  anrede TEXT,                                      -- user.name|user.demographic
  vorname TEXT NOT NULL,                            -- user.name
  nachname TEXT NOT NULL,                           -- user.name
  geburtsdatum TEXT,                                -- user.demographic.age
  "straße" TEXT,                                    -- user.contact.address
  hausnummer TEXT,                                  -- user.contact.address
  plz TEXT,                                         -- user.contact.address
  stadt TEXT,                                       -- user.contact.address
  telefon TEXT,                                     -- user.contact.phone_number
  email_adresse TEXT,                               -- user.contact.email
  iban TEXT,                                        -- user.financial
  erstellt_am TEXT NOT NULL                         -- -
);
CREATE TABLE kunder (
  kunde_nr TEXT PRIMARY KEY,                        -- user.unique_id
  fornavn TEXT NOT NULL,                            -- user.name
  efternavn TEXT NOT NULL,                          -- user.name
  cpr_nummer TEXT,                                  -- user.unique_id
  telefon_nr TEXT,                                  -- user.contact.phone_number
  adresse TEXT,                                     -- user.contact.address
  postnummer TEXT,                                  -- user.contact.address
  by TEXT,                                          -- user.contact.address
  email TEXT,                                       -- user.contact.email
  kontonummer TEXT,                                 -- user.financial
  oprettet TEXT NOT NULL                            -- -
);
`,
  rows(f) {
    const medlemmar = times(150, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      const birth = f.birthDate(16, 80);
      return {
        medlems_id: i + 1,
        medlemsnummer: `M-${String(10000 + i)}`,
        personnummer: `${birth.replace(/-/g, '').slice(2)}-${f.digits(4)}`,
        fornamn: first,
        efternamn: last,
        födelsedatum: birth,
        kon: f.pick(['K', 'M', 'A']),
        epost: f.email(first, last),
        mobilnummer: f.swedishMobile(),
        gatuadress: f.street(),
        postnr: f.postcode('SE'),
        ort: f.city(),
        samtycke_nyhetsbrev: f.chance(0.4),
        medlemstyp: f.pick(['guld', 'silver', 'student', 'senior']),
        skapad: f.recent(),
        anteckningar: f.chance(0.2)
          ? f.pick(['Vill pausa medlemskapet i sommar.', 'Har knäskada, undvik hopp.'])
          : null,
      };
    });
    const instruktorer = times(15, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        fornamn: first,
        efternamn: last,
        epost: f.workEmail(first, last, 'Polar Gym'),
        telefon: f.swedishMobile(),
        timlon: f.int(180, 420),
      };
    });
    const anlaggningar = times(6, (i) => ({
      id: i + 1,
      namn: `Polar Gym ${f.city()}`,
      adress: `${f.street()}, ${f.postcode('SE')} ${f.city()}`,
      telefon: `0${f.int(8, 90)}-${f.digits(6)}`,
      oppettider: 'Mån–Fre 06–22, Lör–Sön 08–20',
    }));
    const pass = times(60, (i) => ({
      pass_id: i + 1,
      namn: f.pick(['Spinning', 'Yoga', 'Cirkelträning', 'Box', 'Pilates']),
      instruktor_id: f.int(1, 15),
      anlaggning_id: f.int(1, 6),
      starttid: f.recent(),
      max_deltagare: f.pick([12, 20, 25]),
    }));
    const bokningar = times(500, (i) => ({
      bokning_id: i + 1,
      medlems_id: f.int(1, 150),
      pass_id: f.int(1, 60),
      bokad_tid: f.recent(),
      incheckad: f.chance(0.7),
      kommentar: f.chance(0.1) ? f.pick(['Kommer 10 min sent', 'Första gången!']) : null,
    }));
    const betalningar = times(300, (i) => ({
      id: i + 1,
      medlems_id: f.int(1, 150),
      belopp: f.pick(['399.00', '499.00', '299.00']),
      betald_datum: f.recentDate(),
      betalsatt: f.pick(['kort', 'swish', 'autogiro']),
      swish_nummer: f.chance(0.4) ? f.swedishMobile() : null,
      kortnummer_sista4: f.chance(0.5) ? f.digits(4) : null,
    }));
    const kunden = times(80, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        kundennummer: `KD${f.digits(6)}`,
        anrede: f.pick(['Herr', 'Frau', 'Divers']),
        vorname: first,
        nachname: last,
        geburtsdatum: f.birthDate(18, 85).split('-').reverse().join('.'),
        straße: f.pick(['Hauptstraße', 'Lindenweg', 'Gartenstraße']),
        hausnummer: String(f.int(1, 120)),
        plz: f.postcode('DE'),
        stadt: f.pick(['Berlin', 'Hamburg', 'München', 'Köln']),
        telefon: `+49 ${f.int(30, 89)} ${f.digits(7)}`,
        email_adresse: f.email(first, last),
        iban: f.iban('DE'),
        erstellt_am: f.recent(),
      };
    });
    const kunder = times(70, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        kunde_nr: `DK${String(5000 + i)}`,
        fornavn: first,
        efternavn: last,
        cpr_nummer: `${f.digits(6)}-${f.digits(4)}`,
        telefon_nr: `+45 ${f.digits(2)} ${f.digits(2)} ${f.digits(2)} ${f.digits(2)}`,
        adresse: f.pick(['Nørregade 12', 'Vesterbrogade 88', 'Østergade 3']),
        postnummer: f.postcode('DK'),
        by: f.pick(['København', 'Aarhus', 'Odense', 'Aalborg']),
        email: f.email(first, last),
        kontonummer: `${f.digits(4)} ${f.digits(10)}`,
        oprettet: f.recent(),
      };
    });
    return { medlemmar, instruktorer, anlaggningar, pass, bokningar, betalningar, kunden, kunder };
  },
};
