/** A clinic's booking system: clinics, practitioners, patients, appointments, prescriptions, invoices, SMS reminders. */
import type { CorpusSchema } from './corpus.js';
import { times } from './corpus.js';

export const clinic: CorpusSchema = {
  name: 'clinic',
  description: 'clinic booking system with health data',
  ddl: `
CREATE TABLE clinics (
  id INTEGER PRIMARY KEY,                           -- -
  name TEXT NOT NULL,                               -- -
  address TEXT NOT NULL,                            -- -
  city TEXT NOT NULL,                               -- -
  phone TEXT,                                       -- -
  email TEXT,                                       -- -
  org_number TEXT                                   -- -
);
CREATE TABLE practitioners (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  clinic_id INTEGER REFERENCES clinics(id),         -- -
  title TEXT,                                       -- user.job_title|user.name
  first_name TEXT NOT NULL,                         -- user.name
  last_name TEXT NOT NULL,                          -- user.name
  specialty TEXT,                                   -- user.job_title
  license_number TEXT,                              -- user.unique_id
  work_email TEXT,                                  -- user.contact.email
  active INTEGER NOT NULL DEFAULT 1                 -- -
);
CREATE TABLE patients (
  id INTEGER PRIMARY KEY,                           -- user.unique_id
  mrn TEXT NOT NULL UNIQUE,                         -- user.unique_id
  personnummer TEXT,                                -- user.unique_id
  given_name TEXT NOT NULL,                         -- user.name
  family_name TEXT NOT NULL,                        -- user.name
  birth_date TEXT NOT NULL,                         -- user.demographic.age
  sex TEXT,                                         -- user.demographic
  phone_mobile TEXT,                                -- user.contact.phone_number
  email TEXT,                                       -- user.contact.email
  street_address TEXT,                              -- user.contact.address
  postcode TEXT,                                    -- user.contact.address
  town TEXT,                                        -- user.contact.address
  emergency_contact_name TEXT,                      -- user.name
  emergency_contact_phone TEXT,                     -- user.contact.phone_number
  insurance_provider TEXT,                          -- -
  insurance_policy_no TEXT,                         -- user.unique_id|user.financial|user.health
  allergies TEXT,                                   -- user.health
  created_at TEXT NOT NULL                          -- -
);
CREATE TABLE appointments (
  id INTEGER PRIMARY KEY,                           -- -
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE RESTRICT, -- user.unique_id
  practitioner_id INTEGER NOT NULL REFERENCES practitioners(id), -- user.unique_id
  clinic_id INTEGER NOT NULL REFERENCES clinics(id), -- -
  starts_at TEXT NOT NULL,                          -- -
  ends_at TEXT NOT NULL,                            -- -
  status TEXT NOT NULL,                             -- -
  chief_complaint TEXT,                             -- user.health|user.content.communication
  notes TEXT,                                       -- user.health|user.content.communication
  booked_via TEXT,                                  -- -
  reminder_sms_sent INTEGER NOT NULL DEFAULT 0      -- -
);
CREATE TABLE prescriptions (
  id INTEGER PRIMARY KEY,                           -- -
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE RESTRICT, -- user.unique_id
  practitioner_id INTEGER NOT NULL REFERENCES practitioners(id), -- user.unique_id
  medication TEXT NOT NULL,                         -- user.health
  dosage TEXT,                                      -- user.health
  issued_on TEXT NOT NULL                           -- -
);
CREATE TABLE invoices (
  id INTEGER PRIMARY KEY,                           -- -
  patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE RESTRICT, -- user.unique_id
  appointment_id INTEGER REFERENCES appointments(id) ON DELETE SET NULL, -- -
  invoice_number TEXT NOT NULL UNIQUE,              -- -
  amount NUMERIC NOT NULL,                          -- -
  vat NUMERIC NOT NULL,                             -- -
  due_date TEXT NOT NULL,                           -- -
  paid INTEGER NOT NULL DEFAULT 0,                  -- -
  payer_iban TEXT,                                  -- user.financial
  ocr_reference TEXT NOT NULL                       -- -
);
CREATE TABLE sms_reminders (
  id INTEGER PRIMARY KEY,                           -- -
  appointment_id INTEGER NOT NULL REFERENCES appointments(id) ON DELETE CASCADE, -- -
  to_number TEXT NOT NULL,                          -- user.contact.phone_number
  body TEXT NOT NULL,                               -- user.content.communication|user.health
  provider_message_id TEXT,                         -- -
  sent_at TEXT NOT NULL                             -- -
);
CREATE TABLE staff_logins (
  id INTEGER PRIMARY KEY,                           -- -
  practitioner_id INTEGER NOT NULL REFERENCES practitioners(id) ON DELETE CASCADE, -- user.unique_id
  ip TEXT NOT NULL,                                 -- user.device.ip_address
  user_agent TEXT,                                  -- user.device.browser
  logged_in_at TEXT NOT NULL                        -- -
);
`,
  rows(f) {
    const clinics = times(5, (i) => ({
      id: i + 1,
      name: `${f.city()} ${f.pick(['Vårdcentral', 'Health Centre', 'Praxis'])}`,
      address: f.street(),
      city: f.city(),
      phone: f.phone(),
      email: `reception${i + 1}@clinic.example`,
      org_number: `${f.digits(6)}-${f.digits(4)}`,
    }));
    const practitioners = times(25, (i) => {
      const first = f.firstName();
      const last = f.lastName();
      return {
        id: i + 1,
        clinic_id: f.int(1, 5),
        title: f.pick(['Dr', 'RN', 'Leg. läk.', 'Prof.']),
        first_name: first,
        last_name: last,
        specialty: f.pick(['General practice', 'Paediatrics', 'Dermatology', 'Physiotherapy']),
        license_number: `${f.digits(7)}`,
        work_email: f.workEmail(first, last, 'Vega Care'),
        active: true,
      };
    });
    const patients = times(150, (i) => {
      const birth = f.birthDate(0, 95);
      return {
        id: i + 1,
        mrn: `MRN${f.digits(8)}`,
        personnummer: `${birth.replace(/-/g, '')}-${f.digits(4)}`,
        given_name: f.firstName(),
        family_name: f.lastName(),
        birth_date: birth,
        sex: f.pick(['F', 'M', 'X']),
        phone_mobile: f.phone(),
        email: f.chance(0.8) ? f.email() : null,
        street_address: f.street(),
        postcode: f.postcode('SE'),
        town: f.city(),
        emergency_contact_name: f.fullName(),
        emergency_contact_phone: f.phone(),
        insurance_provider: f.pick(['Folksam', 'If', 'Länsförsäkringar', 'Trygg-Hansa']),
        insurance_policy_no: `${f.alnum(2, 'ABCDEFGHJK')}${f.digits(8)}`,
        allergies: f.chance(0.3) ? f.pick(['penicillin', 'nuts', 'latex', 'pollen']) : null,
        created_at: f.recent(),
      };
    });
    const appointments = times(400, (i) => ({
      id: i + 1,
      patient_id: f.int(1, 150),
      practitioner_id: f.int(1, 25),
      clinic_id: f.int(1, 5),
      starts_at: f.recent(),
      ends_at: f.recent(),
      status: f.pick(['booked', 'attended', 'cancelled', 'no-show']),
      chief_complaint: f.pick(['back pain', 'sore throat', 'rash on arm', 'follow-up blood pressure']),
      notes: f.chance(0.5) ? f.sentence() : null,
      booked_via: f.pick(['web', 'phone', 'app']),
      reminder_sms_sent: f.chance(0.8),
    }));
    const prescriptions = times(200, (i) => ({
      id: i + 1,
      patient_id: f.int(1, 150),
      practitioner_id: f.int(1, 25),
      medication: f.pick(['Amoxicillin', 'Ibuprofen', 'Levothyroxine', 'Metformin']),
      dosage: f.pick(['500 mg three times daily', '1 tablet morning', '400 mg as needed']),
      issued_on: f.recentDate(),
    }));
    const invoices = times(300, (i) => ({
      id: i + 1,
      patient_id: f.int(1, 150),
      appointment_id: f.int(1, 400),
      invoice_number: `F-${2025000 + i}`,
      amount: f.amount(1500),
      vat: f.amount(300),
      due_date: f.recentDate(),
      paid: f.chance(0.8),
      payer_iban: f.chance(0.5) ? f.iban() : null,
      ocr_reference: `7${f.digits(12)}`,
    }));
    const sms_reminders = times(300, (i) => ({
      id: i + 1,
      appointment_id: f.int(1, 400),
      to_number: f.phone(),
      body: `Reminder: your appointment at ${f.city()} on ${f.recentDate()}. Reply C to cancel.`,
      provider_message_id: `SM${f.hex(32)}`,
      sent_at: f.recent(),
    }));
    const staff_logins = times(200, (i) => ({
      id: i + 1,
      practitioner_id: f.int(1, 25),
      ip: f.ip(),
      user_agent: f.userAgent(),
      logged_in_at: f.recent(),
    }));
    return {
      clinics,
      practitioners,
      patients,
      appointments,
      prescriptions,
      invoices,
      sms_reminders,
      staff_logins,
    };
  },
};
