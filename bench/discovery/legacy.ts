/**
 * A held-out schema written for the fifth round (issue 11, the generalisation round) and never
 * tuned on: a US credit union's legacy core system in upper-case snake_case with the cryptic
 * abbreviations of COBOL-era schemas (`CUST_MSTR`, `CUST_NM`, `ADDR_LN1`, `DOB`, `SSN_LAST4`,
 * `HM_PH`, `EML_ADDR`, `EMPLR_NM`, `ANNL_INC`). Members, their accounts and balances, transaction
 * history, debit cards with the embossed name, loan applications, collection notes, online banking
 * users, staff and branch managers; branches, states, product codes, merchants, GL accounts and
 * batch jobs are the hard negatives (a branch's address and phone, a routing number, a merchant's
 * category code, a batch's operator code). Labelled by hand before the classifier first ran on it.
 * Tuned on (the learned scorer is trained on it) since the sixth round.
 */
import type { CorpusSchema } from './corpus.js';
import { luhnAppend, letters } from './fake.js';
import { times } from './corpus.js';

export const legacy: CorpusSchema = {
  name: 'legacy',
  description:
    'credit union core system, upper-case cryptic abbreviations (held out, tuned on since the sixth round)',
  heldOut: true,
  tunedOn: true,
  ddl: `
CREATE TABLE ST_CD_REF (
  ST_CD TEXT PRIMARY KEY,                           -- -
  ST_NM TEXT NOT NULL,                              -- -
  TAX_RT NUMERIC                                    -- -
);
CREATE TABLE PROD_CD_REF (
  PROD_CD TEXT PRIMARY KEY,                         -- -
  PROD_DESC TEXT NOT NULL,                          -- -
  INT_RT NUMERIC,                                   -- -
  MIN_BAL NUMERIC                                   -- -
);
CREATE TABLE BRNCH (
  BR_ID INTEGER PRIMARY KEY,                        -- -
  BR_NM TEXT NOT NULL,                              -- -
  ADDR_LN1 TEXT,                                    -- -
  CITY_NM TEXT,                                     -- -
  ST_CD TEXT REFERENCES ST_CD_REF(ST_CD),           -- -
  ZIP_CD TEXT,                                      -- -
  PH_NO TEXT,                                       -- -
  RTNG_NO TEXT NOT NULL,                            -- -
  MGR_NM TEXT                                       -- user.name
);
CREATE TABLE EMP (
  EMP_ID INTEGER PRIMARY KEY,                       -- user.unique_id
  EMP_NM TEXT NOT NULL,                             -- user.name
  TTL_CD TEXT,                                      -- user.job_title
  BR_ID INTEGER REFERENCES BRNCH(BR_ID),            -- -
  EXT_NO TEXT,                                      -- user.contact.phone_number
  HIRE_DT TEXT,                                     -- -
  TERM_DT TEXT                                      -- -
);
CREATE TABLE CUST_MSTR (
  CUST_NO INTEGER PRIMARY KEY,                      -- user.unique_id
  CUST_FNM TEXT NOT NULL,                           -- user.name
  CUST_MI TEXT,                                     -- user.name
  CUST_LNM TEXT NOT NULL,                           -- user.name
  CUST_NM TEXT NOT NULL,                            -- user.name
  DOB TEXT,                                         -- user.demographic.age
  SSN_LAST4 TEXT,                                   -- user.unique_id
  TIN_ENC TEXT,                                     -- user.unique_id
  GNDR_CD TEXT,                                     -- user.demographic
  ADDR_LN1 TEXT,                                    -- user.contact.address
  ADDR_LN2 TEXT,                                    -- user.contact.address
  CITY_NM TEXT,                                     -- user.contact.address
  ST_CD TEXT REFERENCES ST_CD_REF(ST_CD),           -- user.contact.address
  ZIP_CD TEXT,                                      -- user.contact.address
  HM_PH TEXT,                                       -- user.contact.phone_number
  WK_PH TEXT,                                       -- user.contact.phone_number
  CELL_PH TEXT,                                     -- user.contact.phone_number
  EML_ADDR TEXT,                                    -- user.contact.email
  EMPLR_NM TEXT,                                    -- user.workplace
  OCCP_DESC TEXT,                                   -- user.job_title
  ANNL_INC NUMERIC,                                 -- user.financial
  CR_SCR INTEGER,                                   -- user.financial.credit
  MKT_OPT_IN TEXT,                                  -- user.consent
  MBR_SINCE_DT TEXT,                                -- -
  STAT_CD TEXT NOT NULL,                            -- -
  BR_ID INTEGER REFERENCES BRNCH(BR_ID),            -- -
  LST_UPD_TS TEXT NOT NULL,                         -- -
  LST_UPD_USR TEXT                                  -- -
);
CREATE TABLE ACCT (
  ACCT_NO TEXT PRIMARY KEY,                         -- user.financial|user.unique_id
  CUST_NO INTEGER NOT NULL REFERENCES CUST_MSTR(CUST_NO), -- user.unique_id
  JNT_CUST_NO INTEGER REFERENCES CUST_MSTR(CUST_NO), -- user.unique_id
  PROD_CD TEXT NOT NULL REFERENCES PROD_CD_REF(PROD_CD), -- -
  OPEN_DT TEXT NOT NULL,                            -- -
  CLS_DT TEXT,                                      -- -
  CUR_BAL NUMERIC NOT NULL,                         -- user.financial
  AVL_BAL NUMERIC NOT NULL,                         -- user.financial
  OD_LMT NUMERIC,                                   -- user.financial|user.financial.credit
  STMT_CYC_CD TEXT,                                 -- -
  ACCT_STAT TEXT NOT NULL                           -- -
);
CREATE TABLE MRCH_REF (
  MRCH_ID INTEGER PRIMARY KEY,                      -- -
  MRCH_NM TEXT NOT NULL,                            -- -
  MCC TEXT NOT NULL,                                -- -
  CITY_NM TEXT,                                     -- -
  CNTRY_CD TEXT                                     -- -
);
CREATE TABLE TXN_HIST (
  TXN_ID INTEGER PRIMARY KEY,                       -- -
  ACCT_NO TEXT NOT NULL REFERENCES ACCT(ACCT_NO),   -- user.financial|user.unique_id
  TXN_DT TEXT NOT NULL,                             -- -
  POST_DT TEXT,                                     -- -
  TXN_CD TEXT NOT NULL,                             -- -
  TXN_AMT NUMERIC NOT NULL,                         -- -
  MRCH_ID INTEGER REFERENCES MRCH_REF(MRCH_ID),     -- -
  TXN_DESC TEXT,                                    -- -
  CHNL_CD TEXT                                      -- -
);
CREATE TABLE DBT_CARD (
  CARD_ID INTEGER PRIMARY KEY,                      -- -
  ACCT_NO TEXT NOT NULL REFERENCES ACCT(ACCT_NO),   -- user.financial|user.unique_id
  PAN TEXT NOT NULL,                                -- user.financial.payment
  EXP_MMYY TEXT NOT NULL,                           -- user.financial.payment
  EMBSS_NM TEXT NOT NULL,                           -- user.name
  CARD_STAT TEXT NOT NULL,                          -- -
  ISS_DT TEXT NOT NULL                              -- -
);
CREATE TABLE LN_APPL (
  APPL_ID INTEGER PRIMARY KEY,                      -- -
  CUST_NO INTEGER NOT NULL REFERENCES CUST_MSTR(CUST_NO), -- user.unique_id
  LN_TYP TEXT NOT NULL,                             -- -
  REQ_AMT NUMERIC NOT NULL,                         -- user.financial
  MTHLY_DEBT NUMERIC,                               -- user.financial
  EMPLMT_YRS INTEGER,                               -- user.workplace|user.financial
  DCSN_CD TEXT,                                     -- -
  DCSN_RSN TEXT,                                    -- user.financial.credit|user.content.communication
  LN_OFCR_ID INTEGER REFERENCES EMP(EMP_ID),        -- user.unique_id
  APPL_DT TEXT NOT NULL                             -- -
);
CREATE TABLE COLL_NOTE (
  NOTE_ID INTEGER PRIMARY KEY,                      -- -
  CUST_NO INTEGER NOT NULL REFERENCES CUST_MSTR(CUST_NO), -- user.unique_id
  NOTE_TXT TEXT NOT NULL,                           -- user.content.communication
  PTP_AMT NUMERIC,                                  -- user.financial
  PTP_DT TEXT,                                      -- -
  ENTRD_BY INTEGER REFERENCES EMP(EMP_ID),          -- user.unique_id
  ENTRD_TS TEXT NOT NULL                            -- -
);
CREATE TABLE OLB_USR (
  USR_ID INTEGER PRIMARY KEY,                       -- -
  CUST_NO INTEGER NOT NULL REFERENCES CUST_MSTR(CUST_NO), -- user.unique_id
  LGN_ID TEXT NOT NULL,                             -- user.account.username
  PWD_HSH TEXT NOT NULL,                            -- user.credentials.password
  SEC_Q_ANS TEXT,                                   -- user.credentials
  MFA_PH TEXT,                                      -- user.contact.phone_number
  LST_LGN_TS TEXT,                                  -- -
  LST_LGN_IP TEXT,                                  -- user.device.ip_address
  FAIL_CNT INTEGER NOT NULL DEFAULT 0               -- -
);
CREATE TABLE GL_ACCT (
  GL_NO TEXT PRIMARY KEY,                           -- -
  GL_DESC TEXT NOT NULL,                            -- -
  GL_TYP TEXT NOT NULL,                             -- -
  BR_ID INTEGER REFERENCES BRNCH(BR_ID)             -- -
);
CREATE TABLE BATCH_JOB_LOG (
  JOB_ID INTEGER PRIMARY KEY,                       -- -
  JOB_NM TEXT NOT NULL,                             -- -
  RUN_DT TEXT NOT NULL,                             -- -
  REC_CNT INTEGER,                                  -- -
  RTN_CD TEXT,                                      -- -
  OPR_CD TEXT                                       -- -
);
`,
  rows(f) {
    const states = [
      ['OH', 'OHIO', '5.75'],
      ['PA', 'PENNSYLVANIA', '6.00'],
      ['MI', 'MICHIGAN', '6.00'],
      ['IN', 'INDIANA', '7.00'],
      ['KY', 'KENTUCKY', '6.00'],
    ] as const;
    const cities: Record<string, readonly (readonly [string, string])[]> = {
      OH: [
        ['COLUMBUS', '432'],
        ['DAYTON', '454'],
        ['TOLEDO', '436'],
      ],
      PA: [
        ['PITTSBURGH', '152'],
        ['ERIE', '165'],
      ],
      MI: [
        ['DETROIT', '482'],
        ['LANSING', '489'],
      ],
      IN: [
        ['FORT WAYNE', '468'],
        ['INDIANAPOLIS', '462'],
      ],
      KY: [
        ['LOUISVILLE', '402'],
        ['LEXINGTON', '405'],
      ],
    };
    const street = () =>
      `${f.int(10, 9899)} ${f.pick(['N', 'S', 'E', 'W', ''])} ${f.pick(['MAIN', 'HIGH', 'OAK', 'MAPLE', 'BROAD', 'LINCOLN', '5TH', 'WASHINGTON'])} ${f.pick(['ST', 'AVE', 'RD', 'BLVD', 'DR', 'LN'])}`.replace(
        /\s+/g,
        ' ',
      );
    const phone = () =>
      f.pick([
        `(${f.int(201, 989)}) ${f.digits(3)}-${f.digits(4)}`,
        `${f.int(201, 989)}-${f.digits(3)}-${f.digits(4)}`,
        `${f.int(201, 989)}${f.digits(7)}`,
      ]);
    const ST_CD_REF = states.map(([ST_CD, ST_NM, TAX_RT]) => ({ ST_CD, ST_NM, TAX_RT }));
    const PROD_CD_REF = [
      ['SHR', 'SHARE SAVINGS', '0.25', '5.00'],
      ['CHK', 'SHARE DRAFT CHECKING', '0.00', '0.00'],
      ['MMA', 'MONEY MARKET', '1.10', '2500.00'],
      ['CD12', '12 MO SHARE CERTIFICATE', '4.15', '500.00'],
      ['IRA', 'TRADITIONAL IRA', '2.00', '0.00'],
    ].map(([PROD_CD, PROD_DESC, INT_RT, MIN_BAL]) => ({ PROD_CD, PROD_DESC, INT_RT, MIN_BAL }));
    const BRNCH = times(9, (i) => {
      const [st] = f.pick(states);
      const [city, zip3] = f.pick(cities[st]!);
      return {
        BR_ID: i + 1,
        BR_NM: `${city} ${f.pick(['MAIN', 'NORTH', 'EAST', 'MALL', 'DOWNTOWN'])} BRANCH`,
        ADDR_LN1: street(),
        CITY_NM: city,
        ST_CD: st,
        ZIP_CD: `${zip3}${f.digits(2)}`,
        PH_NO: phone(),
        RTNG_NO: `2${f.digits(8)}`,
        MGR_NM: `${f.pick(usFirst)} ${f.pick(usLast)}`.toUpperCase(),
      };
    });
    const EMP = times(45, (i) => ({
      EMP_ID: 9000 + i,
      EMP_NM: `${f.pick(usLast)}, ${f.pick(usFirst)}`.toUpperCase(),
      TTL_CD: f.pick(['TLR', 'MSR', 'LNOF', 'BRMGR', 'COLL', 'IT']),
      BR_ID: f.int(1, 9),
      EXT_NO: f.chance(0.8) ? `X${f.digits(4)}` : null,
      HIRE_DT: `${f.int(1988, 2024)}${String(f.int(1, 12)).padStart(2, '0')}${String(f.int(1, 28)).padStart(2, '0')}`,
      TERM_DT: f.chance(0.15) ? `${f.int(2015, 2025)}${String(f.int(1, 12)).padStart(2, '0')}15` : null,
    }));
    const CUST_MSTR = times(260, (i) => {
      const fnm = f.pick(usFirst).toUpperCase();
      const lnm = f.pick(usLast).toUpperCase();
      const mi = f.chance(0.6) ? f.alnum(1, 'ABCDEFGHJKLMNPRSTW') : null;
      const [st] = f.pick(states);
      const [city, zip3] = f.pick(cities[st]!);
      const dob = f.birthDate(18, 92).replace(/-/g, '');
      return {
        CUST_NO: 1000000 + i * 7,
        CUST_FNM: fnm,
        CUST_MI: mi,
        CUST_LNM: lnm,
        CUST_NM: `${lnm}, ${fnm}${mi ? ` ${mi}` : ''}`,
        DOB: f.chance(0.95) ? dob : null,
        SSN_LAST4: f.chance(0.9) ? f.digits(4) : null,
        TIN_ENC: f.chance(0.9) ? `ENC:${f.hex(32).toUpperCase()}` : null,
        GNDR_CD: f.pick(['M', 'F', 'U']),
        ADDR_LN1: street(),
        ADDR_LN2: f.chance(0.2)
          ? f.pick([`APT ${f.int(1, 40)}`, `UNIT ${f.int(100, 999)}`, `PO BOX ${f.int(10, 9999)}`])
          : null,
        CITY_NM: city,
        ST_CD: st,
        ZIP_CD: f.chance(0.3) ? `${zip3}${f.digits(2)}-${f.digits(4)}` : `${zip3}${f.digits(2)}`,
        HM_PH: f.chance(0.5) ? phone() : null,
        WK_PH: f.chance(0.25) ? phone() : null,
        CELL_PH: f.chance(0.8) ? phone() : null,
        EML_ADDR: f.chance(0.7)
          ? `${letters(fnm)}${f.pick(['.', '', '_'])}${letters(lnm)}${f.chance(0.4) ? f.int(1, 99) : ''}@${f.pick(['aol.com', 'yahoo.com', 'gmail.com', 'att.net', 'comcast.net'])}`.toUpperCase()
          : null,
        EMPLR_NM: f.chance(0.6)
          ? f.pick([
              'HONDA OF AMERICA MFG',
              'OHIO STATE UNIV',
              'KROGER CO',
              'CITY OF DAYTON',
              'SELF EMPLOYED',
              'RETIRED',
            ])
          : null,
        OCCP_DESC: f.chance(0.5)
          ? f.pick(['NURSE', 'MACHINIST', 'TEACHER', 'TRUCK DRIVER', 'ACCOUNTANT', 'STUDENT'])
          : null,
        ANNL_INC: f.chance(0.6) ? String(f.int(18, 180) * 1000) : null,
        CR_SCR: f.chance(0.7) ? f.int(480, 840) : null,
        MKT_OPT_IN: f.pick(['Y', 'N', 'N']),
        MBR_SINCE_DT: `${f.int(1975, 2025)}${String(f.int(1, 12)).padStart(2, '0')}01`,
        STAT_CD: f.pick(['A', 'A', 'A', 'D', 'C']),
        BR_ID: f.int(1, 9),
        LST_UPD_TS: f.recent().replace('T', '-').slice(0, 19),
        LST_UPD_USR: f.pick(['BATCH', 'TLR014', 'MSR007', 'CONV98']),
      };
    });
    const ACCT = times(420, () => {
      const cust = f.pick(CUST_MSTR);
      const cur = f.int(0, 4_000_000) / 100;
      return {
        ACCT_NO: `${f.int(10, 99)}${f.digits(8)}`,
        CUST_NO: cust.CUST_NO,
        JNT_CUST_NO: f.chance(0.15) ? f.pick(CUST_MSTR).CUST_NO : null,
        PROD_CD: f.pick(PROD_CD_REF).PROD_CD,
        OPEN_DT: `${f.int(1990, 2025)}${String(f.int(1, 12)).padStart(2, '0')}${String(f.int(1, 28)).padStart(2, '0')}`,
        CLS_DT: f.chance(0.1) ? `${f.int(2020, 2025)}0630` : null,
        CUR_BAL: cur.toFixed(2),
        AVL_BAL: Math.max(0, cur - f.int(0, 500)).toFixed(2),
        OD_LMT: f.chance(0.4) ? f.pick(['250.00', '500.00', '1000.00']) : null,
        STMT_CYC_CD: f.pick(['M01', 'M15', 'Q01']),
        ACCT_STAT: f.pick(['OPEN', 'OPEN', 'DORM', 'CLSD', 'FRZN']),
      };
    });
    const MRCH_REF = times(40, (i) => ({
      MRCH_ID: i + 1,
      MRCH_NM:
        f.pick([
          'KROGER #',
          'SHELL OIL ',
          'WAL-MART #',
          'AMAZON MKTPLACE ',
          'MCDONALDS F',
          'SPEEDWAY ',
          'CVS/PHARMACY #',
        ]) + String(f.int(100, 9999)),
      MCC: f.pick(['5411', '5541', '5311', '5942', '5814', '5912']),
      CITY_NM: f.pick(['COLUMBUS', 'DAYTON', 'SEATTLE', 'DETROIT', 'LOUISVILLE']),
      CNTRY_CD: 'US',
    }));
    const TXN_HIST = times(900, (i) => ({
      TXN_ID: 50000000 + i,
      ACCT_NO: f.pick(ACCT).ACCT_NO,
      TXN_DT: f.recentDate().replace(/-/g, ''),
      POST_DT: f.chance(0.9) ? f.recentDate().replace(/-/g, '') : null,
      TXN_CD: f.pick(['POS', 'ACH', 'ATM', 'DEP', 'FEE', 'XFR', 'DIV']),
      TXN_AMT: f.amount(1500),
      MRCH_ID: f.chance(0.6) ? f.int(1, 40) : null,
      TXN_DESC: f.pick([
        'POS PURCHASE',
        'ACH DEBIT',
        'ATM WITHDRAWAL',
        'SHARE DIVIDEND',
        'TRANSFER TO SHR',
        'NSF FEE',
        'PAYROLL DEPOSIT',
      ]),
      CHNL_CD: f.pick(['BR', 'OLB', 'MOB', 'ATM', 'ACH']),
    }));
    const DBT_CARD = times(200, (i) => {
      const acct = f.pick(ACCT);
      const cust = CUST_MSTR.find((c) => c.CUST_NO === acct.CUST_NO)!;
      return {
        CARD_ID: i + 1,
        ACCT_NO: acct.ACCT_NO,
        PAN: luhnAppend(`4${f.digits(14)}`),
        EXP_MMYY: `${String(f.int(1, 12)).padStart(2, '0')}${f.int(25, 30)}`,
        EMBSS_NM: `${cust.CUST_FNM} ${cust.CUST_MI ? `${cust.CUST_MI} ` : ''}${cust.CUST_LNM}`,
        CARD_STAT: f.pick(['ACTV', 'ACTV', 'LOST', 'EXPD', 'HOT']),
        ISS_DT: `${f.int(2021, 2025)}${String(f.int(1, 12)).padStart(2, '0')}01`,
      };
    });
    const LN_APPL = times(110, (i) => ({
      APPL_ID: 300000 + i,
      CUST_NO: f.pick(CUST_MSTR).CUST_NO,
      LN_TYP: f.pick(['AUTO', 'HELOC', 'SIG', 'MTG', 'VISA']),
      REQ_AMT: String(f.int(10, 400) * 500),
      MTHLY_DEBT: f.chance(0.8) ? f.amount(4000) : null,
      EMPLMT_YRS: f.chance(0.8) ? f.int(0, 40) : null,
      DCSN_CD: f.pick(['APPR', 'DECL', 'PEND', 'CNTR', null]),
      DCSN_RSN: f.chance(0.5)
        ? f.pick([
            'DTI TOO HIGH - MEMBER HAS 3 OPEN AUTO LOANS',
            'RECENT BANKRUPTCY CH7 DISCHARGED 2022',
            'INSUFFICIENT INCOME VERIFIED, PAYSTUBS SHOW REDUCED HOURS',
            'APPROVED AT TIER B, COSIGNER REQUIRED',
          ])
        : null,
      LN_OFCR_ID: f.chance(0.9) ? 9000 + f.int(0, 44) : null,
      APPL_DT: f.recentDate().replace(/-/g, ''),
    }));
    const COLL_NOTE = times(160, (i) => ({
      NOTE_ID: i + 1,
      CUST_NO: f.pick(CUST_MSTR).CUST_NO,
      NOTE_TXT: f.pick([
        'CALLED MBR ON CELL, LEFT VM RE PAST DUE AUTO PMT',
        'MBR STATES LOST JOB IN MARCH, WIFE IN HOSPITAL. WILL PAY FRI',
        'SPOKE W/ MBR, PROMISED 250 ON 15TH. SKIP TRACE NOT NEEDED',
        'MAIL RETURNED UNDELIVERABLE, NEW ADDR UNKNOWN',
        'MBR DISPUTES NSF FEE, ESCALATED TO BR MGR',
      ]),
      PTP_AMT: f.chance(0.4) ? f.amount(800) : null,
      PTP_DT: f.chance(0.4) ? f.recentDate().replace(/-/g, '') : null,
      ENTRD_BY: 9000 + f.int(0, 44),
      ENTRD_TS: f.recent(),
    }));
    const OLB_USR = times(190, (i) => {
      const c = CUST_MSTR[i]!;
      return {
        USR_ID: i + 1,
        CUST_NO: c.CUST_NO,
        LGN_ID: f.pick([
          `${letters(c.CUST_FNM)}${letters(c.CUST_LNM)}`,
          `${letters(c.CUST_FNM)[0]}${letters(c.CUST_LNM)}${f.int(1, 99)}`,
          `${letters(c.CUST_LNM)}${f.int(1950, 2005)}`,
        ]),
        PWD_HSH: f.chance(0.7) ? f.passwordHash() : f.hex(32).toUpperCase(),
        SEC_Q_ANS: f.chance(0.7)
          ? f.pick(['FLUFFY', 'MAPLE ST', 'SMITH', 'BUICK', 'ROVER', 'ST MARYS'])
          : null,
        MFA_PH: f.chance(0.6) ? phone() : null,
        LST_LGN_TS: f.chance(0.9) ? f.recent() : null,
        LST_LGN_IP: f.chance(0.9) ? f.ipv4() : null,
        FAIL_CNT: f.pick([0, 0, 0, 1, 2, 5]),
      };
    });
    const GL_ACCT = times(30, (i) => ({
      GL_NO: `${f.pick(['1', '2', '3', '4', '5'])}${f.digits(2)}-${f.digits(2)}-${String(i).padStart(3, '0')}`,
      GL_DESC: f.pick([
        'CASH IN VAULT',
        'SHARE DRAFTS',
        'LOANS - AUTO',
        'INTEREST INCOME',
        'NSF FEE INCOME',
        'ACCRUED DIVIDENDS',
      ]),
      GL_TYP: f.pick(['A', 'L', 'E', 'I', 'X']),
      BR_ID: f.chance(0.7) ? f.int(1, 9) : null,
    }));
    const BATCH_JOB_LOG = times(120, (i) => ({
      JOB_ID: i + 1,
      JOB_NM: f.pick(['EOD_POST', 'STMT_GEN', 'ACH_IN', 'ACH_OUT', 'DIV_CALC', 'OFAC_SCAN']),
      RUN_DT: f.recentDate().replace(/-/g, ''),
      REC_CNT: f.int(0, 250000),
      RTN_CD: f.pick(['0000', '0000', '0004', '0008', '0012']),
      OPR_CD: f.pick(['OPR1', 'OPR2', 'SYS', 'NIGHT']),
    }));
    return {
      ST_CD_REF,
      PROD_CD_REF,
      BRNCH,
      EMP,
      CUST_MSTR,
      ACCT,
      MRCH_REF,
      TXN_HIST,
      DBT_CARD,
      LN_APPL,
      COLL_NOTE,
      OLB_USR,
      GL_ACCT,
      BATCH_JOB_LOG,
    };
  },
};

// prettier-ignore
const usFirst = ['James', 'Mary', 'Robert', 'Patricia', 'Michael', 'Linda', 'William', 'Barbara', 'David', 'Jennifer', 'Tyler', 'Brittany', 'DeShawn', 'Tamika', 'Cody'];
// prettier-ignore
const usLast = ['Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Thompson', 'Kowalczyk', 'Schultz', 'Washington', 'Hernandez', 'Yoder'];
