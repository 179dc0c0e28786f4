/**
 * A held-out schema written for the sixth round (issue 11, the learned scorer) and never tuned on:
 * a Finnish municipality's library and early-childhood-education system in Finnish snake_case
 * (`asiakas`, `henkilotunnus`, `sukunimi`, `etunimet`, `lahiosoite`, `postitoimipaikka`,
 * `matkapuhelin`, `huoltaja`, `lapsi`, `erityisruokavalio`). Library patrons with their card
 * number and PIN, loans and fines, guardians and children in day care with allergies and care
 * hours, staff; branches, the catalogue of items, groups and fee classes are the hard negatives (a
 * branch's phone and address, an item's ISBN, a fee class's amount). Labelled by hand before the
 * classifier first ran on it. Do not tune on it.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { letters } from './fake.js';

export const kunta: CorpusSchema = {
  name: 'kunta',
  description: 'Finnish municipal library and day care, Finnish snake_case (held out, never tuned on)',
  heldOut: true,
  ddl: `
CREATE TABLE toimipiste (
  toimipiste_id INTEGER PRIMARY KEY,               -- -
  nimi TEXT NOT NULL,                              -- -
  katuosoite TEXT,                                 -- -
  postinumero TEXT,                                -- -
  puhelin TEXT,                                    -- -
  aukioloajat TEXT,                                -- -
  tyyppi TEXT NOT NULL                             -- -
);
CREATE TABLE nide (
  nide_id INTEGER PRIMARY KEY,                     -- -
  nimeke TEXT NOT NULL,                            -- -
  tekija TEXT,                                     -- -
  isbn TEXT,                                       -- -
  hyllyluokka TEXT,                                -- -
  viivakoodi TEXT NOT NULL UNIQUE,                 -- -
  toimipiste_id INTEGER REFERENCES toimipiste(toimipiste_id), -- -
  hankintahinta NUMERIC                            -- -
);
CREATE TABLE asiakas (
  asiakas_id INTEGER PRIMARY KEY,                  -- user.unique_id
  kirjastokortti TEXT NOT NULL UNIQUE,             -- user.unique_id
  henkilotunnus TEXT,                              -- user.unique_id
  sukunimi TEXT NOT NULL,                          -- user.name
  etunimet TEXT NOT NULL,                          -- user.name
  kutsumanimi TEXT,                                -- user.name
  syntymaaika TEXT,                                -- user.demographic.age
  aidinkieli TEXT,                                 -- user.demographic
  lahiosoite TEXT,                                 -- user.contact.address
  postinumero TEXT,                                -- user.contact.address
  postitoimipaikka TEXT,                           -- user.contact.address
  matkapuhelin TEXT,                               -- user.contact.phone_number
  sahkoposti TEXT,                                 -- user.contact.email
  pin_tiiviste TEXT,                               -- user.credentials.password
  turvakielto INTEGER NOT NULL DEFAULT 0,          -- user
  markkinointilupa INTEGER NOT NULL DEFAULT 0,     -- user.consent
  kotikirjasto INTEGER REFERENCES toimipiste(toimipiste_id), -- -
  luotu TEXT NOT NULL                              -- -
);
CREATE TABLE laina (
  laina_id INTEGER PRIMARY KEY,                    -- -
  asiakas_id INTEGER NOT NULL REFERENCES asiakas(asiakas_id), -- user.unique_id
  nide_id INTEGER NOT NULL REFERENCES nide(nide_id), -- -
  lainattu TEXT NOT NULL,                          -- -
  erapaiva TEXT NOT NULL,                          -- -
  palautettu TEXT,                                 -- -
  uusintakerrat INTEGER NOT NULL DEFAULT 0         -- -
);
CREATE TABLE maksu (
  maksu_id INTEGER PRIMARY KEY,                    -- -
  asiakas_id INTEGER NOT NULL REFERENCES asiakas(asiakas_id), -- user.unique_id
  syy TEXT NOT NULL,                               -- -
  summa NUMERIC NOT NULL,                          -- user.financial
  maksettu TEXT,                                   -- -
  viitenumero TEXT                                 -- -
);
CREATE TABLE maksuluokka (
  luokka TEXT PRIMARY KEY,                         -- -
  kuvaus TEXT NOT NULL,                            -- -
  kuukausimaksu NUMERIC NOT NULL,                  -- -
  tuloraja NUMERIC                                 -- -
);
CREATE TABLE ryhma (
  ryhma_id INTEGER PRIMARY KEY,                    -- -
  ryhman_nimi TEXT NOT NULL,                       -- -
  toimipiste_id INTEGER NOT NULL REFERENCES toimipiste(toimipiste_id), -- -
  ikaryhma TEXT NOT NULL,                          -- -
  paikkoja INTEGER NOT NULL                        -- -
);
CREATE TABLE huoltaja (
  huoltaja_id INTEGER PRIMARY KEY,                 -- user.unique_id
  henkilotunnus TEXT NOT NULL,                     -- user.unique_id
  sukunimi TEXT NOT NULL,                          -- user.name
  etunimi TEXT NOT NULL,                           -- user.name
  osoite TEXT,                                     -- user.contact.address
  puhelin TEXT,                                    -- user.contact.phone_number
  sahkoposti TEXT,                                 -- user.contact.email
  tyonantaja TEXT,                                 -- user.workplace
  bruttotulot_kk NUMERIC,                          -- user.financial
  tilinumero TEXT                                  -- user.financial
);
CREATE TABLE lapsi (
  lapsi_id INTEGER PRIMARY KEY,                    -- user.unique_id
  henkilotunnus TEXT,                              -- user.unique_id
  sukunimi TEXT NOT NULL,                          -- user.name
  etunimet TEXT NOT NULL,                          -- user.name
  syntymaaika TEXT NOT NULL,                       -- user.demographic.age
  huoltaja1_id INTEGER NOT NULL REFERENCES huoltaja(huoltaja_id), -- user.unique_id
  huoltaja2_id INTEGER REFERENCES huoltaja(huoltaja_id), -- user.unique_id
  ryhma_id INTEGER REFERENCES ryhma(ryhma_id),     -- -
  maksuluokka TEXT REFERENCES maksuluokka(luokka), -- user.financial
  erityisruokavalio TEXT,                          -- user.health
  allergiat TEXT,                                  -- user.health
  tuen_tarve TEXT,                                 -- user.health
  hoitoaika_viikko INTEGER,                        -- user.behavior
  aloituspaiva TEXT NOT NULL                       -- -
);
CREATE TABLE poissaolo (
  poissaolo_id INTEGER PRIMARY KEY,                -- -
  lapsi_id INTEGER NOT NULL REFERENCES lapsi(lapsi_id), -- user.unique_id
  alkaa TEXT NOT NULL,                             -- -
  paattyy TEXT NOT NULL,                           -- -
  syy TEXT,                                        -- user.health
  ilmoittaja TEXT                                  -- user.name
);
CREATE TABLE henkilosto (
  tyontekija_nro TEXT PRIMARY KEY,                 -- user.unique_id
  nimi TEXT NOT NULL,                              -- user.name
  nimike TEXT,                                     -- user.job_title
  tyopuhelin TEXT,                                 -- user.contact.phone_number
  sahkoposti TEXT,                                 -- user.contact.email
  toimipiste_id INTEGER REFERENCES toimipiste(toimipiste_id), -- -
  kayttajatunnus TEXT NOT NULL UNIQUE              -- user.account.username
);
`,
  rows(f) {
    const puhelin = () => `0${f.pick(['40', '44', '45', '50'])} ${f.digits(3)} ${f.digits(4)}`;
    const paikat = [
      ['33100', 'TAMPERE'],
      ['33500', 'TAMPERE'],
      ['33720', 'TAMPERE'],
      ['33400', 'TAMPERE'],
      ['33950', 'PIRKKALA'],
    ] as const;
    const katu = () =>
      `${f.pick(['Hämeenkatu', 'Satakunnankatu', 'Pispalan valtatie', 'Kalevantie', 'Sammonkatu', 'Koivistontie'])} ${f.int(1, 80)}${f.chance(0.5) ? ` ${f.pick(['A', 'B', 'C'])} ${f.int(1, 40)}` : ''}`;
    const hetu = (syntyma: string) => {
      const [y, m, d] = syntyma.split('-');
      const sep = Number(y) >= 2000 ? 'A' : '-';
      return `${d}${m}${y!.slice(2)}${sep}${f.digits(3)}${f.alnum(1, '0123456789ABCDEFHJKLMNPRSTUVWXY')}`;
    };
    const toimipiste = times(8, (i) => ({
      toimipiste_id: i + 1,
      nimi: f.pick([
        'Pääkirjasto Metso',
        'Hervannan kirjasto',
        'Kalevan kirjasto',
        'Päiväkoti Sammonkatu',
        'Päiväkoti Satakieli',
        'Lielahden kirjasto',
      ]),
      katuosoite: katu(),
      postinumero: f.pick(paikat)[0],
      puhelin: `03 565 ${f.digits(5)}`,
      aukioloajat: f.pick(['ma-pe 8-20, la 10-16', 'ma-to 10-19, pe 10-16', 'ma-pe 6.30-17']),
      tyyppi: i < 5 ? 'kirjasto' : 'päiväkoti',
    }));
    const nide = times(200, (i) => ({
      nide_id: i + 1,
      nimeke: f.pick([
        'Tuntematon sotilas',
        'Seitsemän veljestä',
        'Muumipeikko ja pyrstötähti',
        'Puhdistus',
        'Sinuhe egyptiläinen',
        'Kalevala',
      ]),
      tekija: f.pick([
        'Linna, Väinö',
        'Kivi, Aleksis',
        'Jansson, Tove',
        'Oksanen, Sofi',
        'Waltari, Mika',
        null,
      ]),
      isbn: f.chance(0.9) ? f.isbn13() : null,
      hyllyluokka: f.pick(['84.2', '85.1', '99.1', '1.42', '69.3']),
      viivakoodi: `4${f.digits(11)}`,
      toimipiste_id: f.int(1, 5),
      hankintahinta: f.amount(60),
    }));
    const etuN = ['Aino', 'Emilia', 'Helmi', 'Sofia', 'Aada', 'Ilona', 'Venla', 'Kerttu'];
    const etuM = ['Eino', 'Väinö', 'Onni', 'Leevi', 'Juho', 'Veeti', 'Mikko', 'Antti'];
    const suku = [
      'Korhonen',
      'Virtanen',
      'Mäkinen',
      'Nieminen',
      'Mäkelä',
      'Hämäläinen',
      'Laine',
      'Heikkinen',
      'Koskinen',
      'Järvinen',
    ];
    const asiakas = times(220, (i) => {
      const nainen = f.chance(0.5);
      const e1 = f.pick(nainen ? etuN : etuM);
      const e2 = f.pick(nainen ? etuN : etuM);
      const sn = f.pick(suku);
      const synt = f.birthDate(7, 88);
      const [pno, tp] = f.pick(paikat);
      return {
        asiakas_id: i + 1,
        kirjastokortti: `2${f.digits(9)}`,
        henkilotunnus: f.chance(0.8) ? hetu(synt) : null,
        sukunimi: sn,
        etunimet: `${e1} ${e2}`,
        kutsumanimi: f.chance(0.3) ? e2 : null,
        syntymaaika: synt.split('-').reverse().join('.'),
        aidinkieli: f.pick(['fi', 'fi', 'fi', 'sv', 'ru', 'et', 'so']),
        lahiosoite: katu(),
        postinumero: pno,
        postitoimipaikka: tp,
        matkapuhelin: f.chance(0.85) ? puhelin() : null,
        sahkoposti: f.chance(0.7)
          ? `${letters(e1)}.${letters(sn)}@${f.pick(['gmail.com', 'elisanet.fi', 'outlook.com', 'kolumbus.fi'])}`
          : null,
        pin_tiiviste: f.sha256(),
        turvakielto: f.chance(0.02),
        markkinointilupa: f.chance(0.4),
        kotikirjasto: f.int(1, 5),
        luotu: f.recent(),
      };
    });
    const laina = times(500, (i) => ({
      laina_id: i + 1,
      asiakas_id: f.int(1, 220),
      nide_id: f.int(1, 200),
      lainattu: f.recentDate(),
      erapaiva: f.recentDate(),
      palautettu: f.chance(0.7) ? f.recentDate() : null,
      uusintakerrat: f.int(0, 5),
    }));
    const maksu = times(120, (i) => ({
      maksu_id: i + 1,
      asiakas_id: f.int(1, 220),
      syy: f.pick(['myöhästymismaksu', 'kadonnut aineisto', 'varausmaksu', 'uusi kortti']),
      summa: f.pick(['0.50', '1.00', '2.50', '6.00', '24.90']),
      maksettu: f.chance(0.6) ? f.recentDate() : null,
      viitenumero: f.chance(0.5) ? `RF${f.digits(2)}${f.digits(10)}` : null,
    }));
    const maksuluokka = ['A', 'B', 'C', 'D', 'E'].map((luokka, i) => ({
      luokka,
      kuvaus: `Maksuluokka ${luokka}`,
      kuukausimaksu: ['0.00', '95.00', '180.00', '255.00', '311.00'][i],
      tuloraja: [null, '3874', '4500', '5200', '6300'][i],
    }));
    const ryhma = times(12, (i) => ({
      ryhma_id: i + 1,
      ryhman_nimi: f.pick(['Oravat', 'Siilit', 'Kettuset', 'Pöllöt', 'Nallet', 'Tiitiäiset']),
      toimipiste_id: f.int(6, 8),
      ikaryhma: f.pick(['1-3 v', '3-5 v', 'esiopetus']),
      paikkoja: f.int(12, 24),
    }));
    const huoltaja = times(140, (i) => {
      const nainen = f.chance(0.55);
      const e = f.pick(nainen ? etuN : etuM);
      const sn = f.pick(suku);
      const [pno, tp] = f.pick(paikat);
      return {
        huoltaja_id: i + 1,
        henkilotunnus: hetu(f.birthDate(22, 50)),
        sukunimi: sn,
        etunimi: e,
        osoite: `${katu()}, ${pno} ${tp}`,
        puhelin: puhelin(),
        sahkoposti: f.chance(0.9)
          ? `${letters(e)}${letters(sn)}${f.int(1, 99)}@${f.pick(['gmail.com', 'hotmail.com', 'luukku.com'])}`
          : null,
        tyonantaja: f.chance(0.8)
          ? f.pick([
              'Tampereen kaupunki',
              'Nokia Oyj',
              'Pirkanmaan hyvinvointialue',
              'K-Citymarket',
              'Valmet Oyj',
            ])
          : null,
        bruttotulot_kk: f.chance(0.7) ? String(f.int(1800, 7500)) : null,
        tilinumero: f.chance(0.6) ? f.iban('FI') : null,
      };
    });
    const lapsi = times(160, (i) => {
      const synt = f.birthDate(1, 6);
      return {
        lapsi_id: i + 1,
        henkilotunnus: f.chance(0.95) ? hetu(synt) : null,
        sukunimi: f.pick(suku),
        etunimet: `${f.pick([...etuN, ...etuM])} ${f.pick([...etuN, ...etuM])}`,
        syntymaaika: synt,
        huoltaja1_id: f.int(1, 140),
        huoltaja2_id: f.chance(0.6) ? f.int(1, 140) : null,
        ryhma_id: f.chance(0.95) ? f.int(1, 12) : null,
        maksuluokka: f.pick(['A', 'B', 'C', 'D', 'E']),
        erityisruokavalio: f.chance(0.2)
          ? f.pick(['laktoositon', 'gluteeniton', 'kasvis', 'sianlihaton'])
          : null,
        allergiat: f.chance(0.15) ? f.pick(['pähkinä', 'kananmuna', 'kala', 'siitepöly, astma']) : null,
        tuen_tarve: f.chance(0.08)
          ? f.pick(['puheterapia', 'tehostettu tuki, keskittymisvaikeudet', 'erityinen tuki'])
          : null,
        hoitoaika_viikko: f.pick([20, 25, 30, 35, 40, 45]),
        aloituspaiva: f.recentDate(),
      };
    });
    const poissaolo = times(200, (i) => ({
      poissaolo_id: i + 1,
      lapsi_id: f.int(1, 160),
      alkaa: f.recentDate(),
      paattyy: f.recentDate(),
      syy: f.chance(0.7) ? f.pick(['sairas', 'kuume', 'vatsatauti', 'loma', 'korvatulehdus']) : null,
      ilmoittaja: f.chance(0.8) ? `${f.pick([...etuN, ...etuM])} ${f.pick(suku)}` : null,
    }));
    const henkilosto = times(30, (i) => {
      const e = f.pick([...etuN, ...etuM]);
      const sn = f.pick(suku);
      return {
        tyontekija_nro: `T${String(1000 + i)}`,
        nimi: `${sn} ${e}`,
        nimike: f.pick([
          'kirjastovirkailija',
          'informaatikko',
          'varhaiskasvatuksen opettaja',
          'lastenhoitaja',
          'päiväkodin johtaja',
        ]),
        tyopuhelin: f.chance(0.8) ? puhelin() : null,
        sahkoposti: `${letters(e)}.${letters(sn)}@tampere.fi`,
        toimipiste_id: f.int(1, 8),
        kayttajatunnus: `${letters(e).slice(0, 3)}${letters(sn).slice(0, 4)}${i}`,
      };
    });
    return {
      toimipiste,
      nide,
      asiakas,
      laina,
      maksu,
      maksuluokka,
      ryhma,
      huoltaja,
      lapsi,
      poissaolo,
      henkilosto,
    };
  },
};
