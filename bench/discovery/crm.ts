/** A B2B CRM: company accounts, the people at them, sales reps, deals, activities, email logs, web forms. */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const crm: CorpusSchema = {
  name: 'crm',
  description: 'B2B CRM with abbreviations',
  ddl: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  full_name TEXT NOT NULL,                          -- user.name
  email TEXT NOT NULL UNIQUE,                       -- user.contact.email
  role TEXT NOT NULL,                               -- -
  team TEXT,                                        -- -
  is_active INTEGER NOT NULL DEFAULT 1              -- -
);
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  industry TEXT,                                    -- -
  website TEXT,                                     -- -
  phone TEXT,                                       -- -
  billing_street TEXT,                              -- -
  billing_city TEXT,                                -- -
  billing_country TEXT,                             -- -
  vat_number TEXT,                                  -- -
  annual_revenue NUMERIC,                           -- -
  employees INTEGER,                                -- -
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL -- user.unique_id
);
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL, -- -
  salutation TEXT,                                  -- user.name|user.demographic
  fname TEXT NOT NULL,                              -- user.name
  lname TEXT NOT NULL,                              -- user.name
  job_title TEXT,                                   -- user.job_title
  dept TEXT,                                        -- user.workplace
  e_mail TEXT,                                      -- user.contact.email
  direct_dial TEXT,                                 -- user.contact.phone_number
  mobile TEXT,                                      -- user.contact.phone_number
  linkedin_url TEXT,                                -- user.social
  mailing_city TEXT,                                -- user.contact.address
  lead_source TEXT,                                 -- -
  do_not_call INTEGER NOT NULL DEFAULT 0,           -- user.consent
  gdpr_consent_date TEXT,                           -- user.consent
  owner_id INTEGER REFERENCES users(id) ON DELETE SET NULL, -- user.unique_id
  last_activity_at TEXT,                            -- -
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE deals (
  id INTEGER PRIMARY KEY,                           -- -
  account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE, -- -
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, -- user.unique_id
  name TEXT NOT NULL,                               -- -
  amount NUMERIC,                                   -- -
  stage TEXT NOT NULL,                              -- -
  close_date TEXT,                                  -- -
  owner_id INTEGER REFERENCES users(id),            -- user.unique_id
  probability INTEGER                               -- -
);
CREATE TABLE activities (
  id INTEGER PRIMARY KEY,                           -- -
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, -- user.unique_id
  user_id INTEGER REFERENCES users(id),             -- user.unique_id
  type TEXT NOT NULL,                               -- -
  subject TEXT,                                     -- user.content.communication
  notes TEXT,                                       -- user.content.communication
  duration_minutes INTEGER,                         -- -
  occurred_at TEXT NOT NULL                         -- -
);
CREATE TABLE email_log (
  id INTEGER PRIMARY KEY,                           -- -
  contact_id INTEGER REFERENCES contacts(id) ON DELETE CASCADE, -- user.unique_id
  to_address TEXT NOT NULL,                         -- user.contact.email
  from_address TEXT NOT NULL,                       -- user.contact.email
  subject TEXT,                                     -- user.content.communication
  opened INTEGER NOT NULL DEFAULT 0,                -- -
  message_id TEXT NOT NULL,                         -- -
  sent_at TEXT NOT NULL                             -- -
);
CREATE TABLE tags (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  color TEXT                                        -- -
);
CREATE TABLE contact_tags (
  contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE, -- user.unique_id
  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE, -- -
  PRIMARY KEY (contact_id, tag_id)
);
CREATE TABLE web_forms (
  id INTEGER PRIMARY KEY,                           -- -
  contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL, -- user.unique_id
  form_name TEXT NOT NULL,                          -- -
  payload TEXT NOT NULL,                            -- user.contact.email|user.contact.phone_number|user.name|user.content.communication|user.workplace
  submitted_ip TEXT,                                -- user.device.ip_address
  submitted_at TEXT NOT NULL                        -- -
);
`,
  rows(f) {
    const users = times(12, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        full_name: `${first} ${last}`,
        email: f.workEmail(first, last, 'Lumen Sales'),
        role: f.pick(['admin', 'sales', 'support']),
        team: f.pick(['Nordics', 'DACH', 'UK & Ireland']),
        is_active: true,
      };
    });
    const accounts = times(60, (i) => ({
      id: i + 1,
      name: f.company(),
      industry: f.pick(['Manufacturing', 'Retail', 'Software', 'Logistics', 'Healthcare']),
      website: `https://www.${f.pick(['nordlys', 'granit', 'kvarn', 'fjord', 'lumen'])}${i}.example`,
      phone: f.phone(),
      billing_street: f.street(),
      billing_city: f.city(),
      billing_country: f.country(),
      vat_number: `SE${f.digits(10)}01`,
      annual_revenue: f.int(1, 500) * 1_000_000,
      employees: f.int(5, 5000),
      owner_id: f.int(1, 12),
    }));
    const contacts = times(150, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        account_id: f.int(1, 60),
        salutation: f.pick(['Mr', 'Ms', 'Dr', 'Mx']),
        fname: first,
        lname: last,
        job_title: f.pick(['Head of Procurement', 'CFO', 'IT Manager', 'Buyer', 'Operations Lead']),
        dept: f.pick(['Finance', 'IT', 'Purchasing', 'Operations']),
        e_mail: f.workEmail(first, last),
        direct_dial: f.phone(),
        mobile: f.chance(0.7) ? f.phone() : null,
        linkedin_url: `https://www.linkedin.com/in/${first.toLowerCase()}-${f.hex(6)}`,
        mailing_city: f.city(),
        lead_source: f.pick(['webinar', 'trade fair', 'referral', 'cold call']),
        do_not_call: f.chance(0.1),
        gdpr_consent_date: f.chance(0.6) ? f.recentDate() : null,
        owner_id: f.int(1, 12),
        last_activity_at: f.recent(),
        created_at: f.recent(),
      };
    });
    const deals = times(90, (i) => ({
      id: i + 1,
      account_id: f.int(1, 60),
      contact_id: f.int(1, 150),
      name: `${f.company().split(' ')[0]} ${f.pick(['renewal', 'expansion', 'pilot', 'upsell'])} ${f.int(2024, 2026)}`,
      amount: f.int(5, 400) * 1000,
      stage: f.pick(['qualified', 'proposal', 'negotiation', 'won', 'lost']),
      close_date: f.recentDate(),
      owner_id: f.int(1, 12),
      probability: f.pick([10, 25, 50, 75, 90]),
    }));
    const activities = times(300, (i) => ({
      id: i + 1,
      contact_id: f.int(1, 150),
      user_id: f.int(1, 12),
      type: f.pick(['call', 'email', 'meeting']),
      subject: f.pick(['Intro call', 'Follow-up on quote', 'Demo', 'Contract questions']),
      notes: f.sentence(),
      duration_minutes: f.int(5, 90),
      occurred_at: f.recent(),
    }));
    const email_log = times(250, (i) => ({
      id: i + 1,
      contact_id: f.int(1, 150),
      to_address: f.workEmail(),
      from_address: f.workEmail(undefined, undefined, 'Lumen Sales'),
      subject: f.pick(['Your quote', 'Meeting next week', 'Webinar invitation', 'Re: pricing']),
      opened: f.chance(0.5),
      message_id: `<${f.hex(16)}.${f.hex(8)}@mail.lumen.example>`,
      sent_at: f.recent(),
    }));
    const tags = times(10, (i) => ({
      id: i + 1,
      name: f.pick(['VIP', 'churn risk', 'partner', 'newsletter', 'event 2025']),
      color: f.pick(['#ff0000', '#00aa00', '#0000ff']),
    }));
    const seen = new Set<string>();
    const contact_tags = times(200, () => ({ contact_id: f.int(1, 150), tag_id: f.int(1, 10) })).filter(
      (r) => {
        const key = `${r.contact_id}.${r.tag_id}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      },
    );
    const web_forms = times(80, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        contact_id: f.chance(0.6) ? f.int(1, 150) : null,
        form_name: f.pick(['contact-us', 'demo-request', 'whitepaper']),
        payload: {
          firstName: first,
          lastName: last,
          email: f.workEmail(first, last),
          company: f.company(),
          phone: f.phone(),
          message: f.sentence(),
        },
        submitted_ip: f.ip(),
        submitted_at: f.recent(),
      };
    });
    return { users, accounts, contacts, deals, activities, email_log, tags, contact_tags, web_forms };
  },
};
