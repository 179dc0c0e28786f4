/** Bookkeeping: a chart of accounts, customers and suppliers, invoices, payments, journal entries. */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const ledger: CorpusSchema = {
  name: 'ledger',
  description: 'bookkeeping ledger, invoices and payments',
  ddl: `
CREATE TABLE chart_of_accounts (
  account_no INTEGER PRIMARY KEY,                   -- -
  name TEXT NOT NULL,                               -- -
  type TEXT NOT NULL,                               -- -
  vat_code TEXT                                     -- -
);
CREATE TABLE bookkeepers (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  username TEXT NOT NULL UNIQUE,                    -- user.account.username
  full_name TEXT NOT NULL,                          -- user.name
  email TEXT NOT NULL,                              -- user.contact.email
  password_hash TEXT NOT NULL,                      -- user.credentials.password
  totp_secret TEXT,                                 -- user.credentials
  last_login_ip TEXT                                -- user.device.ip_address
);
CREATE TABLE customers (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  customer_no TEXT NOT NULL UNIQUE,                 -- user.unique_id
  name TEXT NOT NULL,                               -- user.name
  vat_no TEXT,                                      -- -
  email TEXT,                                       -- user.contact.email
  phone TEXT,                                       -- user.contact.phone_number
  street TEXT,                                      -- user.contact.address
  zip TEXT,                                         -- user.contact.address
  city TEXT,                                        -- user.contact.address
  country TEXT,                                     -- user.contact.address
  payment_terms_days INTEGER NOT NULL DEFAULT 30,   -- -
  credit_limit NUMERIC,                             -- user.financial.credit
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE suppliers (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  org_number TEXT,                                  -- -
  contact_person TEXT,                              -- user.name
  contact_email TEXT,                               -- user.contact.email
  phone TEXT,                                       -- -
  bankgiro TEXT,                                    -- -
  iban TEXT,                                        -- -
  address TEXT                                      -- -
);
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,                           -- -
  invoice_no TEXT NOT NULL UNIQUE,                  -- -
  customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE RESTRICT, -- user.unique_id
  issue_date TEXT NOT NULL,                         -- -
  due_date TEXT NOT NULL,                           -- -
  total_ex_vat NUMERIC NOT NULL,                    -- -
  vat_amount NUMERIC NOT NULL,                      -- -
  total NUMERIC NOT NULL,                           -- -
  currency TEXT NOT NULL,                           -- -
  ocr TEXT,                                         -- -
  billing_name TEXT NOT NULL,                       -- user.name
  billing_address TEXT,                             -- user.contact.address
  billing_email TEXT,                               -- user.contact.email
  status TEXT NOT NULL,                             -- -
  pdf_sha256 TEXT                                   -- -
);
CREATE TABLE invoice_lines (
  id INTEGER PRIMARY KEY,                           -- -
  invoice_id INTEGER NOT NULL REFERENCES invoices(id) ON DELETE CASCADE, -- -
  description TEXT NOT NULL,                        -- -
  quantity NUMERIC NOT NULL,                        -- -
  unit_price NUMERIC NOT NULL,                      -- -
  vat_rate NUMERIC NOT NULL,                        -- -
  account_no INTEGER REFERENCES chart_of_accounts(account_no) -- -
);
CREATE TABLE payments (
  id INTEGER PRIMARY KEY,                           -- -
  invoice_id INTEGER REFERENCES invoices(id) ON DELETE RESTRICT, -- -
  amount NUMERIC NOT NULL,                          -- -
  paid_on TEXT NOT NULL,                            -- -
  method TEXT NOT NULL,                             -- -
  payer_name TEXT,                                  -- user.name
  payer_account TEXT,                               -- user.financial
  bank_reference TEXT                               -- -
);
CREATE TABLE journal_entries (
  id INTEGER PRIMARY KEY,                           -- -
  entry_date TEXT NOT NULL,                         -- -
  voucher_no TEXT NOT NULL,                         -- -
  description TEXT,                                 -- -
  created_by INTEGER REFERENCES bookkeepers(id)     -- user.unique_id
);
CREATE TABLE journal_lines (
  id INTEGER PRIMARY KEY,                           -- -
  entry_id INTEGER NOT NULL REFERENCES journal_entries(id) ON DELETE CASCADE, -- -
  account_no INTEGER NOT NULL REFERENCES chart_of_accounts(account_no), -- -
  debit NUMERIC NOT NULL DEFAULT 0,                 -- -
  credit NUMERIC NOT NULL DEFAULT 0,                -- -
  customer_id INTEGER REFERENCES customers(id) ON DELETE SET NULL -- user.unique_id
);
CREATE TABLE exchange_rates (
  currency TEXT PRIMARY KEY,                        -- -
  rate NUMERIC NOT NULL,                            -- -
  on_date TEXT NOT NULL                             -- -
);
`,
  rows(f) {
    const chart_of_accounts = [
      { account_no: 1510, name: 'Kundfordringar', type: 'asset', vat_code: null },
      { account_no: 1930, name: 'Företagskonto', type: 'asset', vat_code: null },
      { account_no: 2440, name: 'Leverantörsskulder', type: 'liability', vat_code: null },
      { account_no: 2611, name: 'Utgående moms 25%', type: 'liability', vat_code: 'MP1' },
      { account_no: 3001, name: 'Försäljning 25%', type: 'revenue', vat_code: 'MP1' },
      { account_no: 4010, name: 'Inköp material', type: 'expense', vat_code: 'I' },
      { account_no: 6212, name: 'Mobiltelefon', type: 'expense', vat_code: 'I' },
    ];
    const bookkeepers = times(6, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        username: `${first.toLowerCase().slice(0, 3)}${last.toLowerCase().slice(0, 3)}`
          .normalize('NFKD')
          .replace(/\p{M}/gu, ''),
        full_name: `${first} ${last}`,
        email: f.workEmail(first, last, 'Kompass Redovisning'),
        password_hash: f.passwordHash(),
        totp_secret: f.alnum(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'),
        last_login_ip: f.ip(),
      };
    });
    const customers = times(120, (i) => {
      const person = f.chance(0.7);
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        customer_no: `K${String(1000 + i)}`,
        name: person ? `${first} ${last}` : f.company(),
        vat_no: person ? null : `SE${f.digits(10)}01`,
        email: person ? f.email(first, last) : `faktura@${f.pick(['acme', 'granit', 'kvarn'])}.example`,
        phone: f.phone(),
        street: f.street(),
        zip: f.postcode('SE'),
        city: f.city(),
        country: f.country(),
        payment_terms_days: f.pick([10, 15, 30]),
        credit_limit: f.int(0, 100) * 1000,
        created_at: f.recent(),
      };
    });
    const suppliers = times(30, (i) => ({
      id: i + 1,
      name: f.company(),
      org_number: `${f.digits(6)}-${f.digits(4)}`,
      contact_person: f.fullName(),
      contact_email: f.workEmail(),
      phone: f.phone(),
      bankgiro: `${f.digits(3)}-${f.digits(4)}`,
      iban: f.iban('SE'),
      address: `${f.street()}, ${f.postcode('SE')} ${f.city()}`,
    }));
    const invoices = times(400, (i) => {
      const net = f.int(100, 50000);
      return {
        id: i + 1,
        invoice_no: String(20250001 + i),
        customer_id: f.int(1, 120),
        issue_date: f.recentDate(),
        due_date: f.recentDate(),
        total_ex_vat: net.toFixed(2),
        vat_amount: (net * 0.25).toFixed(2),
        total: (net * 1.25).toFixed(2),
        currency: f.pick(['SEK', 'EUR']),
        ocr: `${f.digits(10)}`,
        billing_name: f.fullName(),
        billing_address: `${f.street()}, ${f.postcode('SE')} ${f.city()}`,
        billing_email: f.email(),
        status: f.pick(['draft', 'sent', 'paid', 'overdue']),
        pdf_sha256: f.sha256(),
      };
    });
    const invoice_lines = times(900, (i) => ({
      id: i + 1,
      invoice_id: f.int(1, 400),
      description: f.pick(['Konsulttimmar', 'Licens, månad', 'Frakt', 'Installation']),
      quantity: f.int(1, 40),
      unit_price: f.amount(2000),
      vat_rate: f.pick([0.25, 0.12, 0.06]),
      account_no: 3001,
    }));
    const payments = times(350, (i) => ({
      id: i + 1,
      invoice_id: f.int(1, 400),
      amount: f.amount(60000),
      paid_on: f.recentDate(),
      method: f.pick(['bankgiro', 'swish', 'card', 'transfer']),
      payer_name: f.fullName(),
      payer_account: f.iban(),
      bank_reference: f.alnum(12),
    }));
    const journal_entries = times(300, (i) => ({
      id: i + 1,
      entry_date: f.recentDate(),
      voucher_no: `V${i + 1}`,
      description: f.pick(['Kundfaktura', 'Inbetalning', 'Leverantörsfaktura', 'Lön']),
      created_by: f.int(1, 6),
    }));
    const journal_lines = times(900, (i) => ({
      id: i + 1,
      entry_id: f.int(1, 300),
      account_no: f.pick([1510, 1930, 2440, 2611, 3001, 4010]),
      debit: f.chance(0.5) ? f.amount(20000) : 0,
      credit: f.chance(0.5) ? f.amount(20000) : 0,
      customer_id: f.chance(0.4) ? f.int(1, 120) : null,
    }));
    const exchange_rates = ['EUR', 'USD', 'DKK', 'NOK', 'GBP'].map((currency) => ({
      currency,
      rate: (f.next() * 12).toFixed(4),
      on_date: f.recentDate(),
    }));
    return {
      chart_of_accounts,
      bookkeepers,
      customers,
      suppliers,
      invoices,
      invoice_lines,
      payments,
      journal_entries,
      journal_lines,
      exchange_rates,
    };
  },
};
