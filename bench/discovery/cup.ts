/**
 * A held-out schema written for the fifth round (issue 11, the generalisation round) and never
 * tuned on: an Italian regional health booking centre (CUP) in abbreviated Italian snake_case, the
 * way such systems are written (`anag_paz`, `cod_fisc`, `cogn`, `dt_nasc`, `tel_cell`, `ind_res`,
 * `quesito_diag`, `nre`). Patients with tax code and health card, family doctors, bookings with
 * the prescription's number and diagnostic question, medical reports, ticket exemptions, PagoPA
 * payments, portal logins and the call centre's operators; facilities, the catalogue of services,
 * agendas and exemption codes are the hard negatives (a facility's phone and PEC address, a
 * service's tariff). Labelled by hand before the classifier first ran on it. Tuned on (the learned scorer is trained on it) since the sixth round.
 */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';
import { letters } from './fake.js';

export const cup: CorpusSchema = {
  name: 'cup',
  description:
    'Italian health booking centre, abbreviated Italian snake_case (held out, tuned on since the sixth round)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE strutture (
  id_strutt INTEGER PRIMARY KEY,                    -- -
  cod_asl TEXT NOT NULL,                            -- -
  denom TEXT NOT NULL,                              -- -
  ind TEXT,                                         -- -
  cap TEXT,                                         -- -
  comune TEXT,                                      -- -
  tel_centralino TEXT,                              -- -
  pec TEXT                                          -- -
);
CREATE TABLE prestazioni (
  cod_prest TEXT PRIMARY KEY,                       -- -
  descr TEXT NOT NULL,                              -- -
  branca TEXT NOT NULL,                             -- -
  tariffa NUMERIC NOT NULL,                         -- -
  durata_min INTEGER NOT NULL                       -- -
);
CREATE TABLE cod_esenzioni (
  cod_esenz TEXT PRIMARY KEY,                       -- -
  descr TEXT NOT NULL,                              -- -
  tipo TEXT NOT NULL                                -- -
);
CREATE TABLE medici (
  id_med INTEGER PRIMARY KEY,                       -- user.unique_id
  cod_reg TEXT NOT NULL,                            -- user.unique_id
  cogn TEXT NOT NULL,                               -- user.name
  nome TEXT NOT NULL,                               -- user.name
  spec TEXT,                                        -- user.job_title
  tel_studio TEXT,                                  -- user.contact.phone_number
  email_pec TEXT,                                   -- user.contact.email
  id_strutt INTEGER REFERENCES strutture(id_strutt) -- -
);
CREATE TABLE anag_paz (
  id_paz INTEGER PRIMARY KEY,                       -- user.unique_id
  cod_fisc TEXT UNIQUE,                             -- user.unique_id
  cogn TEXT NOT NULL,                               -- user.name
  nome TEXT NOT NULL,                               -- user.name
  sesso TEXT,                                       -- user.demographic
  dt_nasc TEXT,                                     -- user.demographic.age
  com_nasc TEXT,                                    -- user.demographic
  cittad TEXT,                                      -- user.demographic
  ind_res TEXT,                                     -- user.contact.address
  civ TEXT,                                         -- user.contact.address
  cap_res TEXT,                                     -- user.contact.address
  com_res TEXT,                                     -- user.contact.address
  prov_res TEXT,                                    -- user.contact.address
  tel_cell TEXT,                                    -- user.contact.phone_number
  tel_ab TEXT,                                      -- user.contact.phone_number
  mail TEXT,                                        -- user.contact.email
  tess_sanit TEXT,                                  -- user.unique_id|user.health
  id_med_curante INTEGER REFERENCES medici(id_med), -- user.unique_id|user.health
  flg_consenso_fse INTEGER NOT NULL DEFAULT 0,      -- user.consent
  flg_consenso_sms INTEGER NOT NULL DEFAULT 0,      -- user.consent
  dt_ins TEXT NOT NULL,                             -- -
  utente_ins TEXT                                   -- -
);
CREATE TABLE esenzioni_paz (
  id_paz INTEGER NOT NULL REFERENCES anag_paz(id_paz), -- user.unique_id
  cod_esenz TEXT NOT NULL REFERENCES cod_esenzioni(cod_esenz), -- user.health|user.financial
  dt_inizio TEXT NOT NULL,                          -- -
  dt_fine TEXT,                                     -- -
  PRIMARY KEY (id_paz, cod_esenz)
);
CREATE TABLE agende (
  id_agenda INTEGER PRIMARY KEY,                    -- -
  id_strutt INTEGER NOT NULL REFERENCES strutture(id_strutt), -- -
  cod_prest TEXT NOT NULL REFERENCES prestazioni(cod_prest), -- -
  giorno_sett INTEGER NOT NULL,                     -- -
  ora_inizio TEXT NOT NULL,                         -- -
  slot_disp INTEGER NOT NULL                        -- -
);
CREATE TABLE prenotazioni (
  id_pren INTEGER PRIMARY KEY,                      -- -
  cod_pren TEXT NOT NULL UNIQUE,                    -- -
  id_paz INTEGER NOT NULL REFERENCES anag_paz(id_paz), -- user.unique_id
  cod_prest TEXT NOT NULL REFERENCES prestazioni(cod_prest), -- -
  id_agenda INTEGER REFERENCES agende(id_agenda),   -- -
  nre TEXT,                                         -- user.health|user.unique_id
  quesito_diag TEXT,                                -- user.health
  classe_prio TEXT,                                 -- -
  dt_pren TEXT NOT NULL,                            -- -
  dt_appunt TEXT NOT NULL,                          -- -
  stato TEXT NOT NULL,                              -- -
  imp_ticket NUMERIC,                               -- -
  note_operatore TEXT                               -- user.content.communication|user.health
);
CREATE TABLE referti (
  id_ref INTEGER PRIMARY KEY,                       -- -
  id_pren INTEGER NOT NULL REFERENCES prenotazioni(id_pren), -- -
  testo_ref TEXT,                                   -- user.health
  esito TEXT,                                       -- user.health
  id_med_firma INTEGER REFERENCES medici(id_med),   -- user.unique_id
  dt_firma TEXT,                                    -- -
  pdf_path TEXT                                     -- user.health|user.content
);
CREATE TABLE pagamenti (
  id_pag INTEGER PRIMARY KEY,                       -- -
  id_pren INTEGER NOT NULL REFERENCES prenotazioni(id_pren), -- -
  iuv TEXT NOT NULL,                                -- -
  importo NUMERIC NOT NULL,                         -- -
  canale TEXT NOT NULL,                             -- -
  ult4_carta TEXT,                                  -- user.financial.payment
  intestatario TEXT,                                -- user.name
  dt_pag TEXT                                       -- -
);
CREATE TABLE utenti_portale (
  id_ut INTEGER PRIMARY KEY,                        -- -
  id_paz INTEGER NOT NULL REFERENCES anag_paz(id_paz), -- user.unique_id
  usr TEXT NOT NULL,                                -- user.account.username
  pwd_hash TEXT NOT NULL,                           -- user.credentials.password
  spid_cod TEXT,                                    -- user.unique_id
  ult_accesso TEXT,                                 -- -
  ip_ult_accesso TEXT                               -- user.device.ip_address
);
CREATE TABLE operatori (
  matr TEXT PRIMARY KEY,                            -- user.unique_id
  cogn_nome TEXT NOT NULL,                          -- user.name
  ruolo TEXT NOT NULL,                              -- user.job_title
  interno TEXT,                                     -- user.contact.phone_number
  attivo INTEGER NOT NULL DEFAULT 1                 -- -
);
`,
  rows(f) {
    const comuni = [
      ['00185', 'Roma', 'RM'],
      ['20121', 'Milano', 'MI'],
      ['40121', 'Bologna', 'BO'],
      ['50122', 'Firenze', 'FI'],
      ['80133', 'Napoli', 'NA'],
      ['10121', 'Torino', 'TO'],
    ] as const;
    const via = () =>
      `${f.pick(['Via', 'Viale', 'Piazza', 'Corso', 'Vicolo'])} ${f.pick(['Garibaldi', 'Roma', 'Mazzini', 'Dante Alighieri', 'della Repubblica', 'dei Mille', 'XX Settembre'])}`;
    const fisso = () => `0${f.pick(['6', '2', '51', '55', '81', '11'])} ${f.digits(7)}`;
    const cell = () =>
      f.pick([
        `3${f.int(20, 99)} ${f.digits(7)}`,
        `+39 3${f.int(20, 99)} ${f.digits(7)}`,
        `3${f.int(20, 99)}${f.digits(7)}`,
      ]);
    const strutture = times(10, (i) => {
      const [cap, comune] = f.pick(comuni);
      return {
        id_strutt: i + 1,
        cod_asl: `${f.int(100, 320)}${f.digits(3)}`,
        denom: `${f.pick(['Poliambulatorio', 'Ospedale', 'Casa della Salute', 'Presidio'])} ${f.pick(['San Giovanni', 'Santa Maria Nuova', 'Sant\u2019Orsola', 'del Mare', 'Centro'])}`,
        ind: `${via()} ${f.int(1, 200)}`,
        cap,
        comune,
        tel_centralino: fisso(),
        pec: `protocollo.${f.pick(['asl', 'ausl', 'ao'])}${i + 1}@pec.example.it`,
      };
    });
    const prestazioni = [
      ['89.7', 'Visita generale', 'Medicina generale', 23.0, 20],
      ['89.7A.3', 'Prima visita cardiologica', 'Cardiologia', 23.0, 30],
      ['88.72.3', 'Ecocolordoppler cardiaca', 'Cardiologia', 59.6, 30],
      ['95.02', 'Visita oculistica', 'Oculistica', 23.0, 20],
      ['87.44.1', 'RX torace', 'Radiologia', 15.75, 15],
      ['88.95.5', 'RM encefalo con contrasto', 'Radiologia', 180.6, 45],
      ['90.62.2', 'Emocromo completo', 'Laboratorio', 3.95, 5],
      ['89.13', 'Visita neurologica', 'Neurologia', 23.0, 30],
    ].map(([cod_prest, descr, branca, tariffa, durata_min]) => ({
      cod_prest,
      descr,
      branca,
      tariffa,
      durata_min,
    }));
    const cod_esenzioni = [
      ['E01', 'Età inferiore a 6 anni o superiore a 65 con reddito familiare basso', 'reddito'],
      ['E02', 'Disoccupati e familiari a carico', 'reddito'],
      ['013', 'Diabete mellito', 'patologia'],
      ['031', 'Ipertensione arteriosa', 'patologia'],
      ['048', 'Soggetti affetti da patologie neoplastiche maligne', 'patologia'],
      ['C01', 'Invalidi civili al 100%', 'invalidità'],
    ].map(([cod_esenz, descr, tipo]) => ({ cod_esenz, descr, tipo }));
    const medici = times(35, (i) => ({
      id_med: i + 1,
      cod_reg: `${f.digits(6)}`,
      cogn: f.pick(itLast).toUpperCase(),
      nome: f.pick([...itFirstF, ...itFirstM]).toUpperCase(),
      spec: f.pick([
        'Medicina generale',
        'Cardiologia',
        'Radiologia',
        'Oculistica',
        'Neurologia',
        'Pediatria',
      ]),
      tel_studio: f.chance(0.8) ? fisso() : null,
      email_pec: f.chance(0.7)
        ? `${f.pick(['dott', 'dr', 'studio'])}.${letters(f.pick(itLast))}@pec.omceo.example.it`
        : null,
      id_strutt: f.chance(0.6) ? f.int(1, 10) : null,
    }));
    const anag_paz = times(260, (i) => {
      const donna = f.chance(0.52);
      const nome = f.pick(donna ? itFirstF : itFirstM);
      const cogn = f.pick(itLast);
      const [cap, comune, prov] = f.pick(comuni);
      const dtNasc = f.birthDate(0, 95);
      return {
        id_paz: 700000 + i,
        cod_fisc: f.chance(0.97) ? codiceFiscale(f, cogn, nome, dtNasc, donna) : null,
        cogn: cogn.toUpperCase(),
        nome: nome.toUpperCase(),
        sesso: donna ? 'F' : 'M',
        dt_nasc: dtNasc.split('-').reverse().join('/'),
        com_nasc: f.pick(['ROMA', 'NAPOLI', 'PALERMO', 'BARI', 'MILANO', 'TIRANA', 'BUCAREST']),
        cittad: f.pick(['ITA', 'ITA', 'ITA', 'ITA', 'ROU', 'ALB', 'MAR']),
        ind_res: via(),
        civ: `${f.int(1, 220)}${f.chance(0.15) ? f.pick(['/A', '/B', ' bis']) : ''}`,
        cap_res: cap,
        com_res: comune.toUpperCase(),
        prov_res: prov,
        tel_cell: f.chance(0.85) ? cell() : null,
        tel_ab: f.chance(0.35) ? fisso() : null,
        mail: f.chance(0.6)
          ? `${letters(nome)}${f.pick(['.', '_', ''])}${letters(cogn)}${f.chance(0.3) ? f.int(60, 99) : ''}@${f.pick(['libero.it', 'gmail.com', 'virgilio.it', 'tiscali.it', 'alice.it'])}`
          : null,
        tess_sanit: f.chance(0.9) ? `80380${f.digits(15)}` : null,
        id_med_curante: f.chance(0.9) ? f.int(1, 35) : null,
        flg_consenso_fse: f.chance(0.7),
        flg_consenso_sms: f.chance(0.5),
        dt_ins: f.recent(),
        utente_ins: f.pick(['CUP01', 'CUP02', 'WEB', 'FARMACIA', 'MIGRAZ']),
      };
    });
    const esenzioni_paz = times(90, (i) => ({
      id_paz: anag_paz[i * 2]!.id_paz,
      cod_esenz: f.pick(cod_esenzioni).cod_esenz,
      dt_inizio: f.recentDate(),
      dt_fine: f.chance(0.4) ? f.recentDate() : null,
    }));
    const agende = times(40, (i) => ({
      id_agenda: i + 1,
      id_strutt: f.int(1, 10),
      cod_prest: f.pick(prestazioni).cod_prest,
      giorno_sett: f.int(1, 6),
      ora_inizio: f.pick(['08:00', '08:30', '09:00', '14:00', '15:30']),
      slot_disp: f.int(4, 24),
    }));
    const quesiti = [
      'Dolore toracico da sforzo, sospetta cardiopatia ischemica',
      'Cefalea persistente da tre mesi, escludere lesioni',
      'Controllo diabete mellito tipo 2',
      'Calo del visus occhio destro',
      'Tosse persistente in paziente fumatore',
      'Follow-up post intervento carcinoma mammario',
    ];
    const prenotazioni = times(450, (i) => ({
      id_pren: i + 1,
      cod_pren: `${f.pick(['RM', 'MI', 'BO'])}${f.int(2024, 2025)}${f.digits(8)}`,
      id_paz: f.pick(anag_paz).id_paz,
      cod_prest: f.pick(prestazioni).cod_prest,
      id_agenda: f.chance(0.9) ? f.int(1, 40) : null,
      nre: f.chance(0.85) ? `${f.int(1, 2)}${f.digits(2)}0A${f.digits(10)}` : null,
      quesito_diag: f.chance(0.85) ? f.pick(quesiti) : null,
      classe_prio: f.pick(['U', 'B', 'D', 'P']),
      dt_pren: f.recent(),
      dt_appunt: `${f.recentDate()} ${f.pick(['08:00', '09:20', '11:40', '15:00'])}`,
      stato: f.pick(['prenotata', 'erogata', 'disdetta', 'non presentato']),
      imp_ticket: f.chance(0.6) ? f.pick(['23.00', '36.15', '15.75', '0.00', '46.15']) : null,
      note_operatore: f.chance(0.25)
        ? f.pick([
            'Paziente in carrozzina, serve accesso senza barriere.',
            'Richiamare la figlia per conferma, la paziente non sente bene.',
            'Portare esami precedenti e lettera di dimissione.',
          ])
        : null,
    }));
    const referti = times(300, (i) => ({
      id_ref: i + 1,
      id_pren: i + 1,
      testo_ref: f.pick([
        'Ritmo sinusale, FC 72 bpm. Non alterazioni della ripolarizzazione.',
        'Lieve ipertrofia ventricolare sinistra. Si consiglia controllo tra 12 mesi.',
        'Non lesioni focali parenchimali. Sistema ventricolare in asse.',
        'Addensamento basale destro compatibile con processo flogistico.',
        'Hb 11,2 g/dl, lieve anemia microcitica.',
      ]),
      esito: f.pick(['negativo', 'positivo', 'da approfondire', 'nella norma']),
      id_med_firma: f.int(1, 35),
      dt_firma: f.recent(),
      pdf_path: `/archivio/referti/${f.int(2024, 2025)}/${f.digits(2)}/${f.hex(24)}.pdf`,
    }));
    const pagamenti = times(260, (i) => {
      const carta = f.chance(0.6);
      return {
        id_pag: i + 1,
        id_pren: f.int(1, 450),
        iuv: `RF${f.digits(2)}${f.digits(15)}`,
        importo: f.pick(['23.00', '36.15', '15.75', '46.15', '59.60']),
        canale: carta ? f.pick(['POS', 'pagoPA carta']) : f.pick(['contanti', 'bonifico', 'pagoPA app']),
        ult4_carta: carta ? f.digits(4) : null,
        intestatario: carta ? `${f.pick([...itFirstF, ...itFirstM])} ${f.pick(itLast)}` : null,
        dt_pag: f.chance(0.95) ? f.recent() : null,
      };
    });
    const utenti_portale = times(150, (i) => {
      const p = anag_paz[i]!;
      return {
        id_ut: i + 1,
        id_paz: p.id_paz,
        usr: f.pick([
          `${letters(p.nome)}.${letters(p.cogn)}`,
          p.cod_fisc ?? `${letters(p.cogn)}${f.int(1, 99)}`,
          `${letters(p.nome)[0]}${letters(p.cogn)}${f.int(1, 99)}`,
        ]),
        pwd_hash: f.passwordHash(),
        spid_cod: f.chance(0.6) ? `TINIT-${p.cod_fisc ?? f.alnum(16)}` : null,
        ult_accesso: f.chance(0.9) ? f.recent() : null,
        ip_ult_accesso: f.chance(0.9) ? f.ip() : null,
      };
    });
    const operatori = times(25, (i) => ({
      matr: `OP${String(i + 1).padStart(4, '0')}`,
      cogn_nome: `${f.pick(itLast).toUpperCase()} ${f.pick([...itFirstF, ...itFirstM]).toUpperCase()}`,
      ruolo: f.pick(['operatore CUP', 'coordinatore', 'operatore front office', 'supervisore']),
      interno: f.chance(0.8) ? `${f.int(2, 4)}${f.digits(3)}` : null,
      attivo: f.chance(0.9),
    }));
    return {
      strutture,
      prestazioni,
      cod_esenzioni,
      medici,
      anag_paz,
      esenzioni_paz,
      agende,
      prenotazioni,
      referti,
      pagamenti,
      utenti_portale,
      operatori,
    };
  },
};

const MONTHS = 'ABCDEHLMPRST';

/** A codice fiscale of the right shape (surname and name consonants, birth year, month, day, place, a check letter). */
function codiceFiscale(
  f: { pick<T>(items: readonly T[]): T; digits(n: number): string; alnum(n: number, a?: string): string },
  cogn: string,
  nome: string,
  dtNasc: string,
  donna: boolean,
): string {
  const part = (s: string) => {
    const up = letters(s).toUpperCase();
    const cons = up.replace(/[AEIOU]/g, '');
    const vow = up.replace(/[^AEIOU]/g, '');
    return `${cons}${vow}XXX`.slice(0, 3);
  };
  const [y, m, d] = dtNasc.split('-');
  const day = Number(d) + (donna ? 40 : 0);
  return `${part(cogn)}${part(nome)}${y!.slice(2)}${MONTHS[Number(m) - 1]}${String(day).padStart(2, '0')}${f.pick(['H501', 'F839', 'G273', 'A662', 'F205', 'Z100'])}${f.alnum(1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')}`;
}

// prettier-ignore
const itFirstF = ['Giulia', 'Francesca', 'Chiara', 'Alessandra', 'Rosaria', 'Giuseppina', 'Elena', 'Martina', 'Sofia', 'Antonella'];
// prettier-ignore
const itFirstM = ['Giuseppe', 'Marco', 'Luca', 'Salvatore', 'Antonio', 'Davide', 'Francesco', 'Vincenzo', 'Matteo', 'Gennaro'];
// prettier-ignore
const itLast = ['Esposito', 'Russo', 'Romano', 'Colombo', 'Ricci', 'Marino', 'Greco', 'Bruno', 'Gallo', 'Conti', 'De Luca', 'Costa', 'Mancini', 'Lombardi'];
