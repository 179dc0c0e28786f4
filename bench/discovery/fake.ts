/**
 * Deterministic fake data for the discovery corpus: names, emails, phones in several national
 * formats, IBANs with valid check digits, Luhn-valid card numbers, IPs, postcodes, and the decoys
 * that look like them (EAN and ISBN numbers, SKUs, tracking numbers, hashes, order totals).
 * Its name lists are its own, not the classifier's, so the detector meets names it does not know.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../support.js';

export class Fake {
  private readonly rnd: () => number;
  private counter = 0;

  constructor(seed: number) {
    this.rnd = seededRandom(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.rnd();
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.rnd() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }

  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(this.int(i === 0 ? 1 : 0, 9));
    return out;
  }

  alnum(n: number, alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }

  firstName(): string {
    return this.pick(firstNames);
  }

  lastName(): string {
    return this.pick(lastNames);
  }

  fullName(): string {
    return `${this.firstName()} ${this.lastName()}`;
  }

  company(): string {
    return `${this.pick(companyStems)} ${this.pick(['AB', 'GmbH', 'A/S', 'Ltd', 'BV', 'Oy', 'AS', 'SAS', 'Group', 'Partners'])}`;
  }

  email(first = this.firstName(), last = this.lastName()): string {
    const local = this.pick([
      `${first}.${last}`,
      `${first[0]}${last}`,
      `${first}${this.int(1, 99)}`,
      `${last}.${first[0]}`,
      `${first}_${last}`,
    ]);
    return `${ascii(local).toLowerCase()}@${this.pick(mailDomains)}`;
  }

  workEmail(first = this.firstName(), last = this.lastName(), company = this.company()): string {
    const domain = ascii(company.split(' ')[0]!).toLowerCase();
    return `${ascii(`${first}.${last}`).toLowerCase()}@${domain}.${this.pick(['com', 'se', 'de', 'dk', 'eu', 'io'])}`;
  }

  /** A phone number in one of several national or international formats. */
  phone(): string {
    const f = this.int(0, 9);
    switch (f) {
      case 0:
        return `+46 70 ${this.digits(3)} ${this.digits(2)} ${this.digits(2)}`;
      case 1:
        return `07${this.int(0, 9)}-${this.digits(3)} ${this.digits(2)} ${this.digits(2)}`;
      case 2:
        return `+49 30 ${this.digits(7)}`;
      case 3:
        return `+4915${this.int(1, 9)}${this.digits(7)}`;
      case 4:
        return `+45 ${this.digits(2)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)}`;
      case 5:
        return `(${this.int(201, 989)}) ${this.digits(3)}-${this.digits(4)}`;
      case 6:
        return `+44 20 7946 ${this.digits(4)}`;
      case 7:
        return `0044 7700 ${this.digits(6)}`;
      case 8:
        return `+33 6 ${this.digits(2)} ${this.digits(2)} ${this.digits(2)} ${this.digits(2)}`;
      default:
        return `+358 40 ${this.digits(7)}`;
    }
  }

  /** A Swedish mobile number as people type it. */
  swedishMobile(): string {
    return `07${this.int(0, 9)}-${this.digits(3)} ${this.digits(2)} ${this.digits(2)}`;
  }

  /** An IBAN with valid check digits, for one of several EEA countries and the UK. */
  iban(country = this.pick(['SE', 'DE', 'DK', 'NL', 'FR', 'GB', 'FI', 'NO', 'ES'])): string {
    const bban = (() => {
      switch (country) {
        case 'SE':
          return this.digits(20);
        case 'DE':
          return this.digits(18);
        case 'DK':
        case 'FI':
          return this.digits(14);
        case 'NL':
          return `${this.pick(['ABNA', 'INGB', 'RABO'])}${this.digits(10)}`;
        case 'FR':
          return `${this.digits(10)}${this.alnum(11, '0123456789')}${this.digits(2)}`;
        case 'GB':
          return `${this.pick(['NWBK', 'BARC', 'LOYD'])}${this.digits(14)}`;
        case 'NO':
          return this.digits(11);
        default:
          return this.digits(20);
      }
    })();
    const check = 98 - mod97(`${bban}${country}00`);
    const iban = `${country}${String(check).padStart(2, '0')}${bban}`;
    return this.chance(0.4) ? iban.replace(/(.{4})/g, '$1 ').trim() : iban;
  }

  /** A Luhn-valid card number of a real network's prefix and length. */
  cardNumber(): string {
    const [prefix, length] = this.pick<[string, number]>([
      ['4', 16],
      [String(this.int(51, 55)), 16],
      [this.pick(['34', '37']), 15],
      ['6011', 16],
    ]);
    const body = prefix + this.digits(length - prefix.length - 1).replace(/^./, (d) => d);
    const number = body + luhnDigit(body);
    return this.chance(0.3) ? number.replace(/(\d{4})(?=\d)/g, '$1 ') : number;
  }

  ipv4(): string {
    return `${this.pick([81, 85, 90, 94, 145, 176, 185, 193, 212, 217])}.${this.int(0, 255)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  ipv6(): string {
    return `2001:db8:${this.int(0, 0xffff).toString(16)}:${this.int(0, 0xffff).toString(16)}::${this.int(1, 0xfff).toString(16)}`;
  }

  ip(): string {
    return this.chance(0.8) ? this.ipv4() : this.ipv6();
  }

  /** A private server address, as a decoy for the IP detector in a table of servers. */
  serverIp(): string {
    return `10.${this.int(0, 20)}.${this.int(0, 255)}.${this.int(1, 254)}`;
  }

  postcode(country = this.pick(['SE', 'DE', 'GB', 'NL', 'DK', 'US'])): string {
    switch (country) {
      case 'SE':
        return `${this.int(100, 984)} ${this.digits(2)}`;
      case 'DE':
        return String(this.int(10115, 99998)).padStart(5, '0');
      case 'GB':
        return `${this.pick(['SW', 'N', 'E', 'EC', 'M', 'B', 'LS'])}${this.int(1, 20)} ${this.int(1, 9)}${this.alnum(2, 'ABDEFGHJLNPQRSTUWXYZ')}`;
      case 'NL':
        return `${this.int(1000, 9999)} ${this.alnum(2, 'ABCDEFGHJKLMNPRSTVWXZ')}`;
      case 'DK':
        return String(this.int(1000, 9990));
      default:
        return String(this.int(10001, 99950));
    }
  }

  street(): string {
    const n = this.int(1, 140);
    return this.pick([
      `${this.pick(['Storgatan', 'Drottninggatan', 'Kungsgatan', 'Södra vägen', 'Ringvägen'])} ${n}`,
      `${this.pick(['Hauptstraße', 'Lindenweg', 'Bahnhofstr.', 'Gartenstraße'])} ${n}`,
      `${n} ${this.pick(['High Street', 'Church Road', 'Station Road', 'Victoria Street'])}`,
      `${this.pick(['Nørregade', 'Vesterbrogade', 'Østergade'])} ${n}`,
      `${this.pick(['Keizersgracht', 'Dorpsstraat', 'Kerkstraat'])} ${n}`,
    ]);
  }

  city(): string {
    return this.pick(cities);
  }

  country(): string {
    return this.pick(['SE', 'DE', 'DK', 'NO', 'FI', 'NL', 'GB', 'FR', 'US']);
  }

  /** A date of birth of someone between 18 and 90 years old, as ISO text. */
  birthDate(minAge = 18, maxAge = 90): string {
    const year = 2025 - this.int(minAge, maxAge);
    return `${year}-${pad(this.int(1, 12))}-${pad(this.int(1, 28))}`;
  }

  /** A timestamp within the last two years, ISO 8601 UTC. */
  recent(): string {
    const ms = Date.UTC(2024, 0, 1) + Math.floor(this.rnd() * 700 * 86_400_000);
    return new Date(ms).toISOString();
  }

  recentDate(): string {
    return this.recent().slice(0, 10);
  }

  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  hex(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += this.int(0, 15).toString(16);
    return out;
  }

  sha256(): string {
    return createHash('sha256').update(`corpus-${this.counter++}-${this.rnd()}`).digest('hex');
  }

  passwordHash(): string {
    return `$argon2id$v=19$m=65536,t=3,p=4$${this.alnum(22, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/')}$${this.alnum(43, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/')}`;
  }

  /** An EAN-13 with a valid check digit (the decoy of card numbers: 13 digits, often starting with 4). */
  ean13(): string {
    const body = `${this.pick(['400', '401', '540', '570', '730', '871'])}${this.digits(9)}`;
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
    return body + String((10 - (sum % 10)) % 10);
  }

  isbn13(): string {
    const body = `978${this.digits(9)}`;
    let sum = 0;
    for (let i = 0; i < 12; i++) sum += Number(body[i]) * (i % 2 === 0 ? 1 : 3);
    return body + String((10 - (sum % 10)) % 10);
  }

  sku(): string {
    return this.pick([
      `SKU-${this.digits(5)}`,
      `${this.alnum(3, 'ABCDEFGHJKLMNPRSTUVWXYZ')}-${this.digits(4)}-${this.alnum(2)}`,
    ]);
  }

  trackingNumber(): string {
    return this.pick([
      `1Z${this.alnum(16)}`,
      `JJD${this.digits(18)}`,
      `RR${this.digits(9)}SE`,
      this.digits(12),
    ]);
  }

  amount(max = 5000): string {
    return (this.int(100, max * 100) / 100).toFixed(2);
  }

  userAgent(): string {
    return this.pick([
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
    ]);
  }

  sentence(): string {
    return this.pick(sentences);
  }
}

const pad = (n: number) => String(n).padStart(2, '0');

function ascii(text: string): string {
  return text
    .replace(/[åä]/gi, 'a')
    .replace(/[öø]/gi, 'o')
    .replace(/æ/gi, 'ae')
    .replace(/ü/gi, 'u')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]/g, '');
}

/** `body` followed by its Luhn check digit (cards, IMEIs and ICCIDs carry one). */
export function luhnAppend(body: string): string {
  return body + luhnDigit(body);
}

/** The IBAN of `country` around `bban`, with valid check digits, unspaced. */
export function ibanOf(country: string, bban: string): string {
  return `${country}${String(98 - mod97(`${bban}${country}00`)).padStart(2, '0')}${bban}`;
}

/** Letters only, without diacritics, in lower case: "João" → "joao", for the local part of an email. */
export function letters(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();
}

function mod97(digitsAndLetters: string): number {
  let r = 0;
  for (const ch of digitsAndLetters) {
    const code = ch.charCodeAt(0);
    const n = code >= 65 ? code - 55 : code - 48;
    r = n >= 10 ? (r * 100 + n) % 97 : (r * 10 + n) % 97;
  }
  return r;
}

function luhnDigit(body: string): string {
  let sum = 0;
  let double = true;
  for (let i = body.length - 1; i >= 0; i--) {
    let d = Number(body[i]);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return String((10 - (sum % 10)) % 10);
}

// prettier-ignore
const firstNames = [
  'Åsa', 'Björn', 'Ylva', 'Torbjörn', 'Malin', 'Dagny', 'Sigrid', 'Ulrika', 'Göran', 'Linnéa',
  'Jürgen', 'Wiebke', 'Gudrun', 'Hauke', 'Frauke', 'Søren', 'Mette', 'Bodil', 'Thorkild', 'Oona',
  'Saoirse', 'Eoin', 'Jaroslav', 'Xenia', 'Renée', 'Zoë', 'Anna', 'Erik', 'Maria', 'Lars', 'Emma',
  'Johan', 'Karin', 'Mikael', 'Sofia', 'Peter', 'Julia', 'Thomas', 'Laura', 'Andreas', 'Hanna',
  'Oliver', 'Lucía', 'Matteo', 'Camille', 'Bram', 'Femke', 'Aleksi', 'Veera', 'Kasper', 'Ingrid',
  'Stellan', 'Rut', 'Edvard', 'Henrike', 'Maximilian', 'Priya', 'Ahmed', 'Fatima', 'Mehmet', 'Yusuf',
];

// prettier-ignore
const lastNames = [
  'Andersson', 'Lindqvist', 'Bergström', 'Nyström', 'Öberg', 'Sjögren', 'Müller', 'Schmidt', 'Becker',
  'Hoffmann', 'Jensen', 'Nielsen', 'Kristensen', 'Sørensen', 'Hansen', 'Berg', 'Haugen', 'de Vries',
  'van Dijk', 'Janssen', 'Murphy', "O'Brien", 'Kowalski', 'Nowak', 'Virtanen', 'Korhonen', 'Rossi',
  'Bianchi', 'García', 'Martin', 'Dubois', 'Smith', 'Taylor', 'Svensson', 'Karlsson', 'Nilsson',
  'Eriksson', 'Larsen', 'Fischer', 'Weber', 'Yılmaz', 'Khan', 'Novák',
];

// prettier-ignore
const companyStems = [
  'Nordlys', 'Acme', 'Granit', 'Kvarn', 'Blåbär', 'Fjord', 'Hafen', 'Lumen', 'Vinter', 'Ekorre',
  'Polar', 'Brygga', 'Kompass', 'Tundra', 'Alder', 'Sjöfart', 'Vega', 'Orion', 'Stella', 'Mølle',
];

const mailDomains = [
  'gmail.com',
  'outlook.com',
  'hotmail.se',
  'web.de',
  'gmx.de',
  'yahoo.co.uk',
  'icloud.com',
  'telia.com',
  'proton.me',
  'live.dk',
];

// prettier-ignore
const cities = [
  'Stockholm', 'Göteborg', 'Malmö', 'Uppsala', 'Umeå', 'Berlin', 'Hamburg', 'München', 'Köln',
  'København', 'Aarhus', 'Odense', 'Oslo', 'Bergen', 'Helsinki', 'Tampere', 'Amsterdam', 'Utrecht',
  'London', 'Manchester', 'Paris', 'Lyon', 'Madrid', 'Dublin', 'Wien',
];

// prettier-ignore
const sentences = [
  'Hi, my parcel has not arrived yet, could you check the delivery?',
  'Please change the delivery address on my last order.',
  'I would like a refund for the damaged item.', 'Thanks for the quick help yesterday!',
  'Can I move my appointment to next week?',
  'The invoice shows the wrong amount, please send a corrected one.',
  'Called about renewal, wants a quote by Friday.',
  'Met at the trade fair, interested in the premium plan.',
  'Allergic reaction after the last visit, mild rash.',
  'Customer asked to be contacted only by email.', 'Kan vi flytta passet till torsdag?',
  'Bitte rufen Sie mich morgen zurück.',
];
