/**
 * A held-out schema written after the fourth round of rule changes and never tuned on: a German
 * motor and household insurer's policy and claims system in PascalCase German with the
 * abbreviations German schemas use (`VersNehmer`, `VnNr`, `GebDatum`, `TelMobil`, `SteuerIdNr`).
 * Policyholders, named drivers, insured cars, claims with third parties and medical reports,
 * payouts, portal logins and correspondence; brokers, partner garages and tariffs are the hard
 * negatives. Labelled before the classifier first ran on it. Do not tune on it; write a new
 * held-out schema instead.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { ibanOf, letters } from './fake.js';

export const insurance: CorpusSchema = {
  name: 'insurance',
  description: 'motor and household insurer, German PascalCase names (held out, since tuned on)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE Makler (
  MaklerId INTEGER PRIMARY KEY,                     -- -
  Firmenname TEXT NOT NULL,                         -- -
  Strasse TEXT,                                     -- -
  PLZ TEXT,                                         -- -
  Ort TEXT,                                         -- -
  Telefon TEXT,                                     -- -
  EMail TEXT,                                       -- -
  Vermittlernummer TEXT NOT NULL,                   -- -
  AnsprechpartnerName TEXT,                         -- user.name
  AnsprechpartnerTel TEXT                           -- user.contact.phone_number
);
CREATE TABLE Tarif (
  TarifId INTEGER PRIMARY KEY,                      -- -
  Bezeichnung TEXT NOT NULL,                        -- -
  Sparte TEXT NOT NULL,                             -- -
  Grundbeitrag NUMERIC NOT NULL,                    -- -
  Selbstbeteiligung NUMERIC                         -- -
);
CREATE TABLE VersNehmer (
  VnNr INTEGER PRIMARY KEY,                         -- user.unique_id
  Anrede TEXT,                                      -- user.name|user.demographic
  Titel TEXT,                                       -- user.name|user.job_title|user.demographic
  Vorname TEXT NOT NULL,                            -- user.name
  Nachname TEXT NOT NULL,                           -- user.name
  GebDatum TEXT,                                    -- user.demographic.age
  GebOrt TEXT,                                      -- user.demographic
  Familienstand TEXT,                               -- user.demographic
  StrasseHausnr TEXT,                               -- user.contact.address
  PLZ TEXT,                                         -- user.contact.address
  Wohnort TEXT,                                     -- user.contact.address
  TelPrivat TEXT,                                   -- user.contact.phone_number
  TelMobil TEXT,                                    -- user.contact.phone_number
  EMail TEXT,                                       -- user.contact.email
  SteuerIdNr TEXT,                                  -- user.unique_id
  Beruf TEXT,                                       -- user.job_title
  Arbeitgeber TEXT,                                 -- user.workplace
  IBAN TEXT,                                        -- user.financial
  Kontoinhaber TEXT,                                -- user.name
  SchufaScore INTEGER,                              -- user.financial.credit
  WerbeEinwilligung INTEGER NOT NULL DEFAULT 0,     -- user.consent
  MaklerId INTEGER REFERENCES Makler(MaklerId),     -- -
  AngelegtAm TEXT NOT NULL                          -- -
);
CREATE TABLE Vertrag (
  VertragId INTEGER PRIMARY KEY,                    -- -
  VnNr INTEGER NOT NULL REFERENCES VersNehmer(VnNr), -- user.unique_id
  TarifId INTEGER NOT NULL REFERENCES Tarif(TarifId), -- -
  PolicenNr TEXT NOT NULL UNIQUE,                   -- -
  Beginn TEXT NOT NULL,                             -- -
  Ablauf TEXT,                                      -- -
  Jahresbeitrag NUMERIC NOT NULL,                   -- -
  Zahlweise TEXT NOT NULL,                          -- -
  Status TEXT NOT NULL                              -- -
);
CREATE TABLE VersObjektKfz (
  ObjektId INTEGER PRIMARY KEY,                     -- -
  VertragId INTEGER NOT NULL REFERENCES Vertrag(VertragId), -- -
  Kennzeichen TEXT NOT NULL,                        -- user.unique_id
  FIN TEXT,                                         -- user.unique_id
  Hersteller TEXT,                                  -- -
  Modell TEXT,                                      -- -
  Erstzulassung TEXT,                               -- -
  Jahresfahrleistung INTEGER                        -- -
);
CREATE TABLE Fahrer (
  FahrerId INTEGER PRIMARY KEY,                     -- user.unique_id
  VertragId INTEGER NOT NULL REFERENCES Vertrag(VertragId), -- -
  Name TEXT NOT NULL,                               -- user.name
  GebDatum TEXT,                                    -- user.demographic.age
  FuehrerscheinSeit TEXT                            -- user|user.demographic
);
CREATE TABLE Schaden (
  SchadenId INTEGER PRIMARY KEY,                    -- -
  VertragId INTEGER NOT NULL REFERENCES Vertrag(VertragId), -- -
  SchadenNr TEXT NOT NULL,                          -- -
  SchadenDatum TEXT NOT NULL,                       -- -
  SchadenOrt TEXT,                                  -- user.location.imprecise|user.location|user.contact.address
  Hergang TEXT,                                     -- user.content.communication
  Verletzte INTEGER,                                -- -
  Schadenhoehe NUMERIC,                             -- -
  Gutachter TEXT,                                   -- user.name
  Status TEXT NOT NULL,                             -- -
  GemeldetAm TEXT NOT NULL                          -- -
);
CREATE TABLE Geschaedigter (
  GeschId INTEGER PRIMARY KEY,                      -- user.unique_id
  SchadenId INTEGER NOT NULL REFERENCES Schaden(SchadenId), -- -
  Name TEXT NOT NULL,                               -- user.name
  Anschrift TEXT,                                   -- user.contact.address
  Telefon TEXT,                                     -- user.contact.phone_number
  Kennzeichen TEXT,                                 -- user.unique_id
  Verletzung TEXT                                   -- user.health
);
CREATE TABLE ArztBericht (
  BerichtId INTEGER PRIMARY KEY,                    -- -
  SchadenId INTEGER NOT NULL REFERENCES Schaden(SchadenId), -- -
  GeschId INTEGER REFERENCES Geschaedigter(GeschId), -- user.unique_id
  Diagnose TEXT,                                    -- user.health
  ArbeitsunfaehigBis TEXT,                          -- user.health
  Praxis TEXT                                       -- -
);
CREATE TABLE Auszahlung (
  AuszahlungId INTEGER PRIMARY KEY,                 -- -
  SchadenId INTEGER NOT NULL REFERENCES Schaden(SchadenId), -- -
  Empfaenger TEXT NOT NULL,                         -- user.name|user.workplace
  EmpfaengerIBAN TEXT NOT NULL,                     -- user.financial
  Betrag NUMERIC NOT NULL,                          -- -
  Verwendungszweck TEXT,                            -- -
  AusgezahltAm TEXT                                 -- -
);
CREATE TABLE Werkstatt (
  WerkstattId INTEGER PRIMARY KEY,                  -- -
  Name TEXT NOT NULL,                               -- -
  Strasse TEXT,                                     -- -
  PLZ TEXT,                                         -- -
  Ort TEXT,                                         -- -
  Telefon TEXT,                                     -- -
  IBAN TEXT                                         -- -
);
CREATE TABLE PortalLogin (
  LoginId INTEGER PRIMARY KEY,                      -- -
  VnNr INTEGER NOT NULL REFERENCES VersNehmer(VnNr), -- user.unique_id
  Benutzername TEXT NOT NULL,                       -- user.account.username
  PasswortHash TEXT NOT NULL,                       -- user.credentials.password
  LetzterLogin TEXT,                                -- -
  LetzteIP TEXT                                     -- user.device.ip_address
);
CREATE TABLE Korrespondenz (
  KorrId INTEGER PRIMARY KEY,                       -- -
  VnNr INTEGER REFERENCES VersNehmer(VnNr),         -- user.unique_id
  Richtung TEXT NOT NULL,                           -- -
  Betreff TEXT,                                     -- user.content.communication
  Inhalt TEXT,                                      -- user.content.communication
  Datum TEXT NOT NULL                               -- -
);
`,
  rows(f) {
    const orte = [
      ['10115', 'Berlin'],
      ['20095', 'Hamburg'],
      ['50667', 'Köln'],
      ['80331', 'München'],
      ['04109', 'Leipzig'],
      ['70173', 'Stuttgart'],
    ] as const;
    const strasse = () =>
      `${f.pick(['Hauptstraße', 'Bahnhofstraße', 'Lindenallee', 'Schulweg', 'Am Markt', 'Goethestraße'])} ${f.int(1, 160)}${f.chance(0.2) ? 'a' : ''}`;
    const telefon = () => `0${f.pick(['30', '40', '221', '89', '341', '711'])} ${f.digits(7)}`;
    const mobil = () =>
      f.pick([
        `01${f.pick(['51', '52', '60', '70', '76'])} ${f.digits(8)}`,
        `+49 1${f.pick(['51', '60', '76'])} ${f.digits(8)}`,
      ]);
    const name = () => `${f.pick([...deFirstF, ...deFirstM])} ${f.pick(deLast)}`;
    const kennzeichen = () =>
      `${f.pick(['B', 'HH', 'K', 'M', 'L', 'S'])}-${f.alnum(2, 'ABCDEFGHJKLMNPRSTUVWXYZ')} ${f.int(1, 9999)}`;
    const Makler = times(12, (i) => {
      const [plz, ort] = f.pick(orte);
      return {
        MaklerId: i + 1,
        Firmenname: `${f.pick(['Finanzkontor', 'Versicherungsbüro', 'Assekuranz'])} ${f.pick(deLast)} GmbH`,
        Strasse: strasse(),
        PLZ: plz,
        Ort: ort,
        Telefon: telefon(),
        EMail: `${f.pick(['info', 'kontakt', 'service'])}@makler${i + 1}.example.de`,
        Vermittlernummer: `D-${f.alnum(4)}-${f.alnum(5)}-${f.digits(2)}`,
        AnsprechpartnerName: name(),
        AnsprechpartnerTel: mobil(),
      };
    });
    const Tarif = times(8, (i) => ({
      TarifId: i + 1,
      Bezeichnung: f.pick([
        'Kfz Basis',
        'Kfz Komfort',
        'Hausrat Plus',
        'Haftpflicht Single',
        'Haftpflicht Familie',
      ]),
      Sparte: f.pick(['Kfz', 'Hausrat', 'Haftpflicht']),
      Grundbeitrag: f.amount(900),
      Selbstbeteiligung: f.pick([0, 150, 300, 500]),
    }));
    const VersNehmer = times(180, (i) => {
      const female = f.chance(0.5);
      const vorname = f.pick(female ? deFirstF : deFirstM);
      const nachname = f.pick(deLast);
      const [plz, ort] = f.pick(orte);
      return {
        VnNr: 4000000 + i,
        Anrede: female ? 'Frau' : 'Herr',
        Titel: f.chance(0.1) ? f.pick(['Dr.', 'Prof. Dr.', 'Dipl.-Ing.']) : null,
        Vorname: vorname,
        Nachname: nachname,
        GebDatum: f.birthDate(18, 88).split('-').reverse().join('.'),
        GebOrt: f.chance(0.7)
          ? f.pick(['Dresden', 'Bremen', 'Hannover', 'Kassel', 'Ankara', 'Krakau'])
          : null,
        Familienstand: f.pick(['ledig', 'verheiratet', 'geschieden', 'verwitwet']),
        StrasseHausnr: strasse(),
        PLZ: plz,
        Wohnort: ort,
        TelPrivat: f.chance(0.5) ? telefon() : null,
        TelMobil: f.chance(0.8) ? mobil() : null,
        EMail: f.chance(0.85)
          ? `${letters(vorname)}.${letters(nachname)}@${f.pick(['web.de', 'gmx.de', 't-online.de', 'gmail.com'])}`
          : null,
        SteuerIdNr: f.chance(0.6) ? `${f.int(1, 9)}${f.digits(10)}` : null,
        Beruf: f.chance(0.7)
          ? f.pick(['Lehrerin', 'Elektriker', 'Krankenpfleger', 'Softwareentwicklerin', 'Rentner', 'Beamter'])
          : null,
        Arbeitgeber: f.chance(0.5)
          ? f.pick(['Siemens AG', 'Stadt Köln', 'Deutsche Bahn AG', 'Uniklinik Leipzig'])
          : null,
        IBAN: ibanOf('DE', f.digits(18)),
        Kontoinhaber: `${vorname} ${nachname}`,
        SchufaScore: f.chance(0.7) ? f.int(70, 99) : null,
        WerbeEinwilligung: f.chance(0.3),
        MaklerId: f.chance(0.4) ? f.int(1, 12) : null,
        AngelegtAm: f.recent(),
      };
    });
    const Vertrag = times(260, (i) => ({
      VertragId: i + 1,
      VnNr: f.pick(VersNehmer).VnNr,
      TarifId: f.int(1, 8),
      PolicenNr: `${f.pick(['KF', 'HR', 'HP'])}-${f.digits(9)}`,
      Beginn: f.recentDate(),
      Ablauf: f.chance(0.3) ? f.recentDate() : null,
      Jahresbeitrag: f.amount(1400),
      Zahlweise: f.pick(['jährlich', 'halbjährlich', 'monatlich']),
      Status: f.pick(['aktiv', 'gekündigt', 'ruhend']),
    }));
    const VersObjektKfz = times(140, (i) => ({
      ObjektId: i + 1,
      VertragId: f.int(1, 260),
      Kennzeichen: kennzeichen(),
      FIN: `W${f.pick(['VW', 'BA', 'DB', 'AU'])}${f.alnum(14, 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789')}`,
      Hersteller: f.pick(['Volkswagen', 'BMW', 'Mercedes-Benz', 'Audi', 'Opel']),
      Modell: f.pick(['Golf', '320d', 'A-Klasse', 'A4', 'Corsa']),
      Erstzulassung: `${String(f.int(1, 12)).padStart(2, '0')}/${f.int(2008, 2025)}`,
      Jahresfahrleistung: f.pick([6000, 9000, 12000, 15000, 20000]),
    }));
    const Fahrer = times(120, (i) => ({
      FahrerId: i + 1,
      VertragId: f.int(1, 260),
      Name: name(),
      GebDatum: f.birthDate(18, 80).split('-').reverse().join('.'),
      FuehrerscheinSeit: f.chance(0.8) ? `${f.int(1975, 2024)}` : null,
    }));
    const Schaden = times(150, (i) => ({
      SchadenId: i + 1,
      VertragId: f.int(1, 260),
      SchadenNr: `S-${f.int(2023, 2025)}-${f.digits(6)}`,
      SchadenDatum: f.recentDate(),
      SchadenOrt: f.chance(0.8)
        ? `${f.pick(['Kreuzung', 'Parkplatz', 'Autobahn A'])} ${f.pick(['Hauptstraße/Ringstraße', 'Edeka', '7 bei Kassel'])}, ${f.pick(orte)[1]}`
        : null,
      Hergang: f.pick([
        'Beim Ausparken habe ich das hinter mir stehende Fahrzeug touchiert.',
        'Wasserschaden in der Küche durch eine geplatzte Leitung der Spülmaschine.',
        'Der Unfallgegner ist mir an der Ampel aufgefahren, ich stand bei Rot.',
      ]),
      Verletzte: f.chance(0.2) ? f.int(1, 3) : 0,
      Schadenhoehe: f.amount(25000),
      Gutachter: f.chance(0.5) ? `Dipl.-Ing. ${name()}` : null,
      Status: f.pick(['gemeldet', 'in Prüfung', 'reguliert', 'abgelehnt']),
      GemeldetAm: f.recent(),
    }));
    const Geschaedigter = times(70, (i) => {
      const [plz, ort] = f.pick(orte);
      return {
        GeschId: i + 1,
        SchadenId: f.int(1, 150),
        Name: name(),
        Anschrift: `${strasse()}, ${plz} ${ort}`,
        Telefon: f.chance(0.8) ? mobil() : null,
        Kennzeichen: f.chance(0.7) ? kennzeichen() : null,
        Verletzung: f.chance(0.3)
          ? f.pick(['HWS-Schleudertrauma', 'Prellung am Knie', 'Schnittwunde am Unterarm'])
          : null,
      };
    });
    const ArztBericht = times(30, (i) => ({
      BerichtId: i + 1,
      SchadenId: f.int(1, 150),
      GeschId: f.chance(0.8) ? f.int(1, 70) : null,
      Diagnose: f.pick([
        'S13.4 Verstauchung der Halswirbelsäule',
        'S80.0 Prellung des Knies',
        'S51.9 Offene Wunde des Unterarmes',
      ]),
      ArbeitsunfaehigBis: f.chance(0.6) ? f.recentDate() : null,
      Praxis: `${f.pick(['Praxis', 'MVZ', 'Gemeinschaftspraxis'])} ${f.pick(['am Dom', 'Mitte', 'Nord'])}`,
    }));
    const Werkstatt = times(15, (i) => {
      const [plz, ort] = f.pick(orte);
      return {
        WerkstattId: i + 1,
        Name: `Autohaus ${f.pick(deLast)} GmbH & Co. KG`,
        Strasse: strasse(),
        PLZ: plz,
        Ort: ort,
        Telefon: telefon(),
        IBAN: ibanOf('DE', f.digits(18)),
      };
    });
    const Auszahlung = times(120, (i) => {
      const anWerkstatt = f.chance(0.5);
      return {
        AuszahlungId: i + 1,
        SchadenId: f.int(1, 150),
        Empfaenger: anWerkstatt ? f.pick(Werkstatt).Name : name(),
        EmpfaengerIBAN: ibanOf('DE', f.digits(18)),
        Betrag: f.amount(20000),
        Verwendungszweck: `Schadenregulierung ${f.pick(Schaden).SchadenNr}`,
        AusgezahltAm: f.chance(0.9) ? f.recentDate() : null,
      };
    });
    const PortalLogin = times(140, (i) => {
      const vn = VersNehmer[i]!;
      return {
        LoginId: i + 1,
        VnNr: vn.VnNr,
        Benutzername: f.pick([
          `${letters(vn.Vorname)}.${letters(vn.Nachname)}`,
          `${letters(vn.Nachname)}${f.int(1, 99)}`,
        ]),
        PasswortHash: f.passwordHash(),
        LetzterLogin: f.chance(0.9) ? f.recent() : null,
        LetzteIP: f.chance(0.9) ? f.ip() : null,
      };
    });
    const Korrespondenz = times(200, (i) => ({
      KorrId: i + 1,
      VnNr: f.chance(0.95) ? f.pick(VersNehmer).VnNr : null,
      Richtung: f.pick(['eingehend', 'ausgehend']),
      Betreff: f.pick([
        'Kündigung zum Jahresende',
        'Rückfrage zum Schaden',
        'Adressänderung',
        'Beitragsanpassung',
      ]),
      Inhalt: f.pick([
        'Hiermit kündige ich meinen Vertrag fristgerecht zum 31.12.',
        'Bitte teilen Sie mir mit, wann die Reparatur bezahlt wird.',
        'Wir sind umgezogen, die neue Anschrift lautet Lindenallee 4.',
      ]),
      Datum: f.recent(),
    }));
    return {
      Makler,
      Tarif,
      VersNehmer,
      Vertrag,
      VersObjektKfz,
      Fahrer,
      Schaden,
      Geschaedigter,
      ArztBericht,
      Auszahlung,
      Werkstatt,
      PortalLogin,
      Korrespondenz,
    };
  },
};

// prettier-ignore
const deFirstF = ['Anna', 'Julia', 'Sabine', 'Katrin', 'Ursula', 'Lena', 'Sophie', 'Marie', 'Claudia', 'Petra'];
// prettier-ignore
const deFirstM = ['Thomas', 'Michael', 'Andreas', 'Stefan', 'Jürgen', 'Lukas', 'Felix', 'Jonas', 'Klaus', 'Dieter'];
// prettier-ignore
const deLast = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter'];
