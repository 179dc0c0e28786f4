/**
 * What column and table names say, in the languages and styles databases use: snake_case,
 * camelCase, PascalCase, abbreviations (`fname`, `tel`, `dob`), and English, Swedish, Danish,
 * Norwegian, German, Dutch, Finnish, French, Spanish, Italian, Portuguese, Polish and Czech words.
 * Rules are pattern families (a concept and the words for it), never single known column names.
 */
import type { IdentityKind } from '../connectors/dataset.js';
import { expandAbbreviation } from './abbreviations.js';
import { fold } from './detectors.js';

/**
 * A name split into lower-case words without diacritics, abbreviations written out (`usr` →
 * `user`, `nm` → `name`), and those words run together.
 */
export interface NameParts {
  readonly tokens: readonly string[];
  readonly joined: string;
}

/**
 * Abbreviations that column names use for the words the families list, written out before
 * matching: `cust_nm`, `usrEml`, `empl_tel_nbr`, `dt_nasc`. Only forms that mean one thing in
 * column names; `str` (string or Straße), `ph` (pH), `dir` (directory or dirección) and `adr`
 * (a hotel's average daily rate) are left.
 */
// prettier-ignore
const abbreviations: ReadonlyMap<string, string> = new Map([
  ['usr', 'user'], ['usrs', 'users'], ['cstmr', 'customer'], ['custmr', 'customer'], ['cust', 'customer'],
  ['clnt', 'client'], ['empl', 'employee'], ['mbr', 'member'], ['memb', 'member'], ['pax', 'passenger'],
  ['addr', 'address'], ['addrs', 'address'], ['adrs', 'address'], ['phn', 'phone'],
  ['phon', 'phone'], ['fone', 'phone'], ['tfno', 'phone'], ['tlfno', 'phone'], ['tlm', 'phone'],
  ['puh', 'phone'], ['mob', 'mobile'], ['mbl', 'mobile'], ['eml', 'email'], ['nm', 'name'], ['nme', 'name'],
  ['bdate', 'birthdate'], ['dte', 'date'], ['nbr', 'number'], ['nro', 'number'], ['numb', 'number'],
  ['acct', 'account'], ['accnt', 'account'], ['ctry', 'country'], ['cntry', 'country'], ['cty', 'city'],
  ['pcode', 'postcode'], ['natl', 'national'], ['desc', 'description'], ['descr', 'description'],
  ['loc', 'location'], ['hnr', 'housenumber'], ['cod', 'code'], ['obs', 'observations'],
  ['subj', 'subject'], ['cmt', 'comment'], ['rmk', 'remark'], ['ver', 'version'], ['fw', 'firmware'],
]);

const partsCache = new Map<string, NameParts>();

/** "customerEMail" → [customer, e, mail]; "IPAddress" → [ip, address]; "address_line1" → [address, line, 1]. */
export function nameParts(name: string): NameParts {
  const cached = partsCache.get(name);
  if (cached !== undefined) return cached;
  const parts = splitName(name);
  // Column names and JSON keys repeat across tables and samples; the cache stays small.
  if (partsCache.size >= 10_000) partsCache.clear();
  partsCache.set(name, parts);
  return parts;
}

function splitName(name: string): NameParts {
  const spaced = name
    .replace(/([\p{Ll}\d])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\d)/gu, '$1 $2')
    .replace(/(\d)(\p{L})/gu, '$1 $2');
  const tokens = fold(spaced)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0)
    .map((t) => abbreviations.get(t) ?? t);
  return { tokens, joined: tokens.join('') };
}

/** Which value detector backs a family up. */
export type DetectorId =
  | 'email'
  | 'phone'
  | 'ip'
  | 'iban'
  | 'card'
  | 'postcode'
  | 'person_name'
  | 'birth_date'
  | 'social'
  | 'prose'
  | 'imei'
  | 'iccid'
  | 'mac'
  | 'coordinates'
  | 'coordinate';

/**
 * How a family depends on the table it is found in:
 * - `intrinsic`: personal in any table (a date of birth, a national id number, a diagnosis);
 * - `contact`: personal in tables about people or their records, not in an organisation's or a
 *   catalogue's row (a store's phone number, a supplier's email) unless a person word qualifies it;
 * - `contextual`: only where the table is about people or their records (`city`, `notes`, `title`).
 */
export type Reach = 'intrinsic' | 'contact' | 'contextual';

export interface NameFamily {
  /** Named in the classification's reasons (`name:email`). */
  readonly id: string;
  readonly category: string;
  readonly identity?: IdentityKind;
  readonly reach: Reach;
  readonly detector?: DetectorId;
  /** Types the family fits; other types rule it out. Default: text. */
  readonly types?: readonly TypeKind[];
  /** Words that turn the name into something else (`email_verified`, `phone_type`); default: `modifiers`. */
  readonly blockedBy?: ReadonlySet<string>;
  /**
   * Context only some tables give: `person`, a table about people (a bare `name` or `title`);
   * `owned`, that or a table whose rows point at a person (their settings, their language).
   */
  readonly needs?: 'person' | 'owned';
  /** Stems one of the table name's words must begin with (`url` only means a visited page in `page_views`). */
  readonly tables?: readonly string[];
  /**
   * A detector the sampled values must satisfy (three in ten or more) for the name to count: for
   * names that also mean something else (`cap` a postcode or a limit, `reason` free text or a code).
   */
  readonly needsValues?: DetectorId;
  /**
   * The category when the detector turns down a full sample (a `numero_cc` that holds no card
   * numbers is a Portuguese citizen card's number, not a credit card's).
   */
  readonly otherwise?: string;
  /**
   * The name counts on a table's key or a reference too: the value itself is a person's device
   * or place (`sim_cards.iccid`, `calls.cell_id` referencing `cells`), whatever the row is.
   */
  readonly keys?: boolean;
  match(n: NameParts): boolean;
}

/** The kinds of column types the rules distinguish. */
export type TypeKind = 'text' | 'numeric' | 'boolean' | 'date' | 'datetime' | 'json' | 'binary' | 'unknown';

/** "character varying(255)" → text, "INTEGER" → numeric, "jsonb" → json, "" (SQLite untyped) → unknown. */
export function typeKind(type: string): TypeKind {
  const t = type.toLowerCase();
  if (t.trim() === '') return 'unknown';
  if (/json/.test(t)) return 'json';
  if (/bool|^bit\b|tinyint\(1\)/.test(t)) return 'boolean';
  if (/timestamp|datetime/.test(t)) return 'datetime';
  if (/^date\b/.test(t)) return 'date';
  if (/blob|bytea|binary|^image/.test(t)) return 'binary';
  if (/char|text|clob|string|uuid|citext|inet|cidr|macaddr|enum|^set\b|xml/.test(t)) return 'text';
  if (/int|serial|num|dec|real|float|double|money/.test(t)) return 'numeric';
  if (/^time\b|interval/.test(t)) return 'datetime';
  return 'unknown';
}

const sets = new Map<string, ReadonlySet<string>>();
/** Whitespace-separated words as a set, built once per literal (rules call this on every match). */
const set = (words: string): ReadonlySet<string> => {
  let found = sets.get(words);
  if (found === undefined) {
    found = new Set(words.split(/\s+/).filter((w) => w.length > 0));
    sets.set(words, found);
  }
  return found;
};
/** Whitespace-separated words as a list. */
const words = (text: string): readonly string[] => text.split(/\s+/).filter((w) => w.length > 0);

/**
 * Words that make a contact-like name into metadata about it: a flag, a count, a timestamp, a
 * type or a key of another row (`email_verified`, `phone_type`, `address_id`, `name_changed_at`).
 */
export const modifiers = set(`
  verified confirmed validated valid validity enabled disabled active inactive required visible public
  bounced bounce bounces status state type kind template format provider domain length source
  is has changed updated sent opened clicked delivered failed count cnt counter attempts tries
  at on time timestamp ts datetime when id ids uuid key fk ref sequence seq order position sort
  min max minimum maximum limit default label hint placeholder regex pattern mask masked
  minimo massimo maximo minimal maximal minimaal maksimi mindest hochst
  hotline helpdesk noc switchboard support
`);
const timeAndCount = set(
  'at on time timestamp ts datetime when count cnt counter attempts tries changed updated sent',
);
const flagsAndTimes = set(
  [...timeAndCount, 'verified', 'confirmed', 'is', 'has', 'type', 'kind', 'status'].join(' '),
);
const none: ReadonlySet<string> = new Set();

const has = (n: NameParts, words: ReadonlySet<string>): boolean => n.tokens.some((t) => words.has(t));
const seq = (n: NameParts, ...words: string[]): boolean =>
  n.tokens.some((_, i) => words.every((w, j) => n.tokens[i + j] === w));
const stem = (n: NameParts, stems: readonly string[]): boolean => stems.some((s) => n.joined.includes(s));
const startsWithAny = (n: NameParts, prefixes: readonly string[]): boolean =>
  n.tokens.some((t) => prefixes.some((p) => t.startsWith(p)));

/** Birth, abbreviated as column names write it beside a date or a place (`dt_nasc`, `GebOrt`, `lieu_naiss`). */
const abbreviatedBirth = set('nasc nac naiss nais geb fod fodd syn naroz nar urodz ur');

/** A date of birth, or birth beside another word (`birth_place`, `nom_de_naissance`). */
function birthWord(n: NameParts): boolean {
  return (
    has(
      n,
      set('dob birthday birthdate birthdates bday born birth fodd geboren geburtstag fodselsdag fodelsedag'),
    ) ||
    stem(n, [
      'birth',
      'geburt',
      'fodelse',
      'fodsel',
      'syntyma',
      'naissance',
      'nacimiento',
      'nascimento',
      'nascita',
      'geboorte',
      'urodzeni',
      'narozeni',
      'bornon',
    ]) ||
    // Abbreviated beside a date word: `dt_nasc`, `fecha_nac`, `date_naiss`, `geb_datum`, `dat_nar`.
    (has(n, set('date dt data datum dato fecha fec pvm')) &&
      (has(n, abbreviatedBirth) || has(n, set('gebdat'))))
  );
}

/** Stems of tables of pay: payslips, salary lines, wage statements, in the EEA's languages. */
const payTables = words(`
  payslip paystub paycheck salary salari wage earning remunera compensation cedolin busta buste
  nomina$ paie$ lohn gehalt lonespec lonebesked lonseddel lonnslipp palkka loonstrook salaris
  wynagrodz pasek vyplat mzd
`);

/** Words for a place (`place_of_birth`, `luogo_nascita`, `lieu_de_naissance`). */
const placeWords = set(
  'place lieu luogo lugar local ort plats sted paikka plaats miejsce misto city town ville citta ciudad cidade comune municipio country pays paese pais land maa kraj stad stadt concelho freguesia obec miasto mesto',
);

/**
 * Words for people: one before `name`, `email` or `phone` makes it a person's (`contact_name`,
 * `owner_email`), even in an organisation's row.
 */
export const personWords = set(`
  customer cust client user member contact guest patient person employee emp staff recipient sender
  holder cardholder owner buyer author applicant driver passenger traveller traveler student parent
  guardian emergency kin spouse partner doctor physician nurse manager rep agent attendee participant
  subscriber visitor donor reviewer beneficiary payee payer debtor invitee inviter requester assignee
  kund kunde kunden gast gaest medlem mitglied anstalld kontakt kontaktperson benutzer anvandare
  bruger bruker asiakas potilas klant ansprechpartner
  cliente clienti clientes utente usuario utilisateur dipendente empleado employe salarie pracownik
  tyontekija werknemer medewerker paziente paciente pacjent candidato candidat speaker
  contacto contato contatto titular titulaire inhaber innehavare haltija wlasciciel majitel
  seller vendedor venditore vendeur verkaufer saljare salesperson hospede huesped ospite gosc
  passageiro pasajero passeggero passager fahrgast pasazer cestujici matkustaja motorista autista
  chauffeur kierowca ridic kuljettaja destinatario destinataire empfanger mottagare modtager
  mottaker odbiorca prijemce vastaanottaja ontvanger remetente remitente mittente expediteur
  absender avsandare afsender avsender nadawca odesilatel lahettaja afzender consignee
  zakaznik klient pessoa personne osoba henkilo inquilino arrendatario locataire mieter hyresgast
  funcionario colaborador empregado trabalhador lavoratore kontaktowy kontaktowa kontaktni
`);

/** Words of a party to a transaction: a person's where the row is a person's order, not in an organisation's row. */
export const partyWords = set(
  'billing bill shipping ship delivery invoice home personal private mobile work',
);

/** Words of things a name can belong to instead of a person (`product_name`, `city_name`, `bank_name`). */
export const thingWords = set(`
  product produkt item article artikel vara sku variant category kategori brand city stad stadt country
  land region state company firma foretag organisation organization org business supplier vendor
  leverantor lieferant bank file filename host hostname server domain table column schema database db
  template plan tier campaign event page site store shop warehouse lager hotel room clinic branch
  office department team project group role feature tag label currency tax course book device app
  application service street display screen
  produto producto prodotto produit tuote artigo articulo articolo empresa azienda entreprise
  unternehmen bedrijf spolecnost yritys loja tienda negozio magasin sklep obchod kauppa butik
  cidade ciudad citta ville miasto mesto pais paese pays kraj banco banca banque quarto habitacion
  chambre zimmer pokoj huone vehicle veiculo vehiculo veicolo vehicule fahrzeug fordon vozidlo
  pojazd ajoneuvo voertuig truck depot armazem almacen magazzino sklad route rota ruta trasa
  sensor gateway firmware model modelo network rede cell carrier transportadora transportista
  vettore transporteur spediteur dopravce przewoznik tarifa tarif tariff plano alojamento
  alojamiento alloggio hebergement unterkunft property propriedade imovel
`);

/** Stems of tables of reviews, in the EEA's languages: what is written there is made public. */
export const reviewTableStems = words(`
  review rating post$ forum recension bewertung avaliac resena recension recensie recenz arvostel
  anmeldelse omdome opini hodnocen avis$ valoracion valutazion
`);

/** Social networks and code forges whose names say a column holds a profile there. */
const socialNetworks = set(`
  twitter linkedin facebook instagram tiktok github gitlab mastodon xing bluesky bsky threads youtube
  snapchat pinterest reddit telegram discord stackoverflow dribbble behance
`);

/** Words for a card (payment, loyalty or identity card), in the EEA's languages. */
const cardWords = set(
  'card cards kort karte karten carta tarjeta cartao carte karta karty kortti kaart cc credit',
);

/** Words for "last", as in a card's last four digits. */
const lastWords = set(
  'last ultimos ultimas ultimi ultime derniers dernier letzte sista sidste siste laatste ostatnie posledni viimeiset',
);

const emailWords = set(
  'email emails mail epost eposti courriel correo correio mejl sahkoposti emailaddress emailadresse mailadresse emailadres',
);
const phoneWords = set(`
  phone phones telephone tel tlf tfn telno telnr tlfnr phoneno phonenumber mobile mobil mobilnr mobilnummer
  cell cellphone cellular handy handynummer fax msisdn gsm puhelin puhelinnumero telefon telefoon telefone telefono
  telefonnummer telefonnr whatsapp sms cellulare celular movil telemovel komorka kannykka mobiel
  mobilni movel cellulaire ramal durchwahl anknytning toestelnummer
`);

/**
 * The families, most specific first: the first that matches (and is not blocked) wins. Each
 * lists the words of one concept across languages; compound words (Swedish `efternamn`, German
 * `geburtsdatum`) are matched as stems of the joined name.
 */
export const nameFamilies: readonly NameFamily[] = [
  {
    id: 'consent',
    category: 'user.consent',
    reach: 'contextual',
    types: ['boolean', 'numeric', 'text', 'datetime', 'date', 'unknown'],
    blockedBy: set('id fk ref'),
    match: (n) =>
      has(
        n,
        set(
          'consent consents consented optin opted optout unsubscribed unsubscribe gdpr rgpd dsgvo samtycke einwilligung samtykke suostumus toestemming nyhetsbrev newsletter consenso souhlas zgoda zgody zustimmung',
        ),
      ) ||
      // Marketing or a newsletter beside a word of agreeing, in any of the languages.
      (has(
        n,
        set(
          'marketing newsletter promo promotions publicidade publicidad pubblicita publicite werbung reklama reklamy mainonta',
        ),
      ) &&
        has(
          n,
          set(
            'accept accepts accepted allow allowed ok aceita aceite acepta aceptado accetta accettato accepte autoriza autorizza autorise akzeptiert erlaubt godkand godkendt tillat hyvaksytty zgoda souhlas',
          ),
        )) ||
      seq(n, 'opt', 'in') ||
      seq(n, 'opt', 'out') ||
      // The right to one's image, granted or not: droit_image, diritto_immagine, Bildrechte.
      (has(n, set('image immagine imagen imagem bild beeld obraz kuva foto photo picture portrait')) &&
        has(
          n,
          set(
            'droit droits right rights derecho diritto direito recht rechte permission autorisation autorizzazione autorizacion autorizacao toestemming zgoda souhlas lupa',
          ),
        )) ||
      stem(n, ['bildrecht', 'fotorecht', 'beeldrecht']) ||
      seq(n, 'accepts', 'marketing') ||
      seq(n, 'marketing', 'allowed') ||
      seq(n, 'do', 'not', 'contact') ||
      seq(n, 'do', 'not', 'call') ||
      seq(n, 'allow', 'marketing') ||
      stem(n, ['samtyck', 'einwillig', 'newsletter', 'nyhetsbrev', 'consent', 'toestemm', 'suostum']),
  },
  {
    id: 'password',
    category: 'user.credentials.password',
    reach: 'contact',
    types: ['text', 'binary', 'unknown'],
    blockedBy: flagsAndTimes,
    match: (n) =>
      has(
        n,
        set(
          'password passwd pwd pw passcode passphrase passwort kennwort losenord losen adgangskode passord salasana wachtwoord contrasena senha haslo heslo motdepasse pin pincode pin1 pin2',
        ),
      ) ||
      stem(n, ['password', 'passwort', 'kennwort', 'losenord', 'adgangskode', 'wachtwoord', 'motdepasse']) ||
      seq(n, 'mot', 'de', 'passe') ||
      (has(n, set('pass')) && has(n, set('hash digest word crypt'))),
  },
  {
    id: 'credential',
    category: 'user.credentials',
    reach: 'contact',
    types: ['text', 'binary', 'unknown'],
    blockedBy: flagsAndTimes,
    match: (n) =>
      (has(n, set('otp totp mfa twofactor 2fa recovery reset remember refresh access api auth bearer')) &&
        has(n, set('secret token key code codes seed'))) ||
      // A SIM's unblocking key, issued to its holder.
      has(n, set('puk pukcode puk1 puk2')) ||
      seq(n, 'two', 'factor') ||
      seq(n, 'session', 'token') ||
      seq(n, 'security', 'question') ||
      seq(n, 'security', 'answer'),
  },
  {
    // The token of a registered push channel identifies the device, not a login.
    id: 'push_token_row',
    category: 'user.device.device_id',
    reach: 'contextual',
    tables: ['push', 'fcm', 'apns'],
    types: ['text', 'binary', 'unknown'],
    blockedBy: flagsAndTimes,
    match: (n) => has(n, set('token')),
  },
  {
    id: 'credential_row',
    category: 'user.credentials',
    reach: 'contextual',
    tables: ['token', 'credential', 'apikey', 'api', 'secret', 'key$', 'passkey', 'webauthn'],
    types: ['text', 'binary', 'unknown'],
    blockedBy: flagsAndTimes,
    match: (n) => has(n, set('hash digest secret token key value ciphertext')),
  },
  {
    id: 'national_id',
    category: 'user.unique_id',
    reach: 'intrinsic',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: flagsAndTimes,
    match: (n) =>
      has(
        n,
        set(
          'ssn personnummer personnr personnumer fodselsnummer fodselsnr cpr cprnr henkilotunnus hetu bsn burgerservicenummer dni nie nif nir nss naf niss pesel passport passportno pasaporte passaporte passaporto paspoort paszport reisepass nino ppsn amka cnp egn oib svnr ahv insee cpf curp cni insz pis pasep cnh rijksregisternummer personalausweis ausweisnummer fuhrerschein korkort korekort forerkort ajokortti rijbewijs',
        ),
      ) ||
      stem(n, [
        'personnummer',
        'socialsecurity',
        'nationalid',
        'nationalidentity',
        'fodselsnummer',
        'henkilotunnus',
        'passportnumber',
        'codicefiscale',
        'steueridentifikation',
        'identitycard',
        'idcard',
        'drivinglicen',
        'driverslicen',
        'driverlicen',
        'identitetsnummer',
        'samordningsnummer',
        'securitesociale',
        'seguridadsocial',
        'segurancasocial',
        'sicurezzasociale',
        'afiliacion',
        'sozialversicherung',
        'socialeverzekering',
        'sofinummer',
        'rodnecislo',
        'dowodosobist',
        'obcanskyprukaz',
        'cartaocidadao',
        'cartaodecidadao',
        'cartaidentita',
        'cartadidentita',
        'carteidentite',
        'cartedidentite',
        'documentoidentidad',
        'identiteitskaart',
        'henkilokortti',
        'idkort',
        'personalausweis',
        'permisconduire',
        'permisdeconduire',
        'carnetconducir',
        'carnetdeconducir',
        'permisoconducir',
        'cartaconducao',
        'cartadeconducao',
        'patenteguida',
        'prawojazdy',
        'prawajazdy',
        'ridicskyprukaz',
        'fuhrerschein',
        'passnummer',
        'codfisc',
      ]) ||
      seq(n, 'social', 'security') ||
      seq(n, 'tax', 'id') ||
      seq(n, 'steuer', 'id') ||
      // Passports, identity cards and driving licences, in any inflection (`numer_paszportu`, `korkortsnummer`).
      startsWithAny(n, [
        'passport',
        'paszport',
        'passaport',
        'pasaport',
        'paspoort',
        'reisepass',
        'korkort',
        'korekort',
        'forerkort',
        'ajokortti',
        'rijbewijs',
        'fuhrerschein',
      ]) ||
      (has(n, set('numer nr seria')) && has(n, set('dowodu dowod'))) ||
      (has(n, set('cislo')) && has(n, set('pasu op obcanskeho'))) ||
      seq(n, 'personal', 'number') ||
      seq(n, 'personal', 'id') ||
      seq(n, 'personal', 'identity'),
  },
  {
    // A handset's or a SIM's identity in a mobile network: the subscriber's device, wherever stored.
    id: 'imei',
    category: 'user.device.device_id',
    reach: 'contact',
    keys: true,
    detector: 'imei',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind count at status prefix tac range allocation model brand'),
    match: (n) => has(n, set('imei imeisv meid esn')),
  },
  {
    id: 'iccid',
    category: 'user.device.device_id',
    reach: 'contact',
    keys: true,
    detector: 'iccid',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind count at status batch range prefix'),
    match: (n) =>
      has(n, set('iccid iccids simnumber simno simserial')) ||
      (has(n, set('sim esim usim')) && has(n, set('number no nr serial numero cislo nummer'))),
  },
  {
    id: 'imsi',
    category: 'user.device.device_id',
    reach: 'contact',
    keys: true,
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind count at status range prefix'),
    match: (n) => has(n, set('imsi supi')),
  },
  {
    id: 'msisdn',
    category: 'user.contact.phone_number',
    identity: 'phone',
    reach: 'contact',
    keys: true,
    detector: 'phone',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set([...modifiers, 'range', 'prefix', 'pool', 'block'].join(' ')),
    match: (n) => has(n, set('msisdn msisdns mdn')),
  },
  {
    id: 'mac_address',
    category: 'user.device.device_id',
    reach: 'contact',
    keys: true,
    detector: 'mac',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind count at vendor oui prefix range os version'),
    match: (n) =>
      has(n, set('macaddress macaddr macadresse macadres hwaddr hwaddress')) ||
      (has(n, set('mac')) &&
        (n.tokens.length === 1 ||
          has(
            n,
            set(
              'address adresse adres adresa osoite indirizzo direccion endereco wifi wlan bluetooth bt ethernet eth device',
            ),
          ))),
  },
  {
    // A person's wireless network, by its name or its access point's address.
    id: 'wifi_network',
    category: 'user.device.device_id',
    reach: 'contact',
    types: ['text', 'unknown'],
    match: (n) =>
      has(n, set('ssid bssid essid')) ||
      (has(n, set('wifi wlan')) && has(n, set('name network netzwerk verkko siec sit'))),
  },
  {
    // A serial number in a table of devices a person owns (a thermostat, a tracker), not of stock.
    id: 'device_serial',
    category: 'user.device.device_id',
    reach: 'contextual',
    needs: 'owned',
    tables: [
      'device',
      'geraet',
      'gerat',
      'dispositiv',
      'urzadzen',
      'zarizen',
      'laite',
      'laitte',
      'apparaat',
      'appareil',
      'enhet',
      'enhed',
      'sensor',
      'meter',
      'tracker',
      'wearable',
      'handset',
      'thermostat',
    ],
    types: ['text', 'unknown'],
    blockedBy: set('type kind count at'),
    match: (n) =>
      has(
        n,
        set(
          'serial serialno serialnumber sn seriennummer serienummer serienr sarjanumero numerseryjny numeroserie',
        ),
      ) ||
      seq(n, 'numero', 'serie') ||
      seq(n, 'numer', 'seryjny') ||
      seq(n, 'vyrobni', 'cislo'),
  },
  {
    // Width and length in Polish, Czech, German and Finnish are also latitude and longitude: values decide.
    id: 'coordinate_word',
    category: 'user.location',
    reach: 'contact',
    detector: 'coordinate',
    needsValues: 'coordinate',
    types: ['numeric', 'text', 'unknown'],
    match: (n) =>
      n.tokens.length <= 2 && has(n, set('szerokosc dlugosc sirka delka breite lange leveys pituus')),
  },
  {
    // The network cell a call or a session went through: where the person was, roughly.
    id: 'cell_location',
    category: 'user.location.imprecise',
    reach: 'contextual',
    keys: true,
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind count at technology name status'),
    match: (n) =>
      has(n, set('cellid cgi ecgi ncgi')) ||
      seq(n, 'serving', 'cell') ||
      (has(n, set('cell celda cella celula bunka tower antenna bts enodeb gnodeb basestation')) &&
        has(n, set('id identifier code ref'))),
  },
  {
    id: 'birth_place',
    category: 'user.demographic',
    reach: 'intrinsic',
    types: ['text', 'unknown'],
    blockedBy: set('id code'),
    match: (n) =>
      (birthWord(n) || (has(n, abbreviatedBirth) && has(n, placeWords))) &&
      (has(n, placeWords) ||
        stem(n, ['geburtsort', 'fodelseort', 'fodested', 'syntymapaik', 'geboorteplaats', 'birthplace'])),
  },
  {
    id: 'birth_name',
    category: 'user.name',
    reach: 'contact',
    detector: 'person_name',
    match: (n) =>
      (birthWord(n) && has(n, set('name nom nome nombre namn navn nimi naam nazwisko jmeno'))) ||
      stem(n, ['geburtsname', 'syntymanimi', 'meisjesnaam', 'flicknamn', 'pigenavn', 'pikenavn']) ||
      seq(n, 'nazwisko', 'rodowe'),
  },
  {
    id: 'birth_date',
    category: 'user.demographic.age',
    reach: 'intrinsic',
    detector: 'birth_date',
    types: ['date', 'datetime', 'text', 'numeric', 'unknown'],
    blockedBy: none,
    match: (n) => birthWord(n),
  },
  {
    id: 'age',
    category: 'user.demographic.age',
    reach: 'contextual',
    types: ['numeric', 'text', 'unknown'],
    blockedBy: set('min max minimum maximum limit required restriction rating'),
    match: (n) =>
      has(n, set('age alder leeftijd edad ika idade wiek vek alter lebensalter')) ||
      seq(n, 'age', 'group') ||
      seq(n, 'age', 'range'),
  },
  {
    id: 'health',
    category: 'user.health',
    reach: 'intrinsic',
    types: ['text', 'json', 'unknown', 'numeric', 'boolean'],
    blockedBy: timeAndCount,
    match: (n) =>
      has(
        n,
        set(
          'diagnosis diagnoses diagnos diagnose icd icd10 allergy allergies allergi allergien allergier medication medications medicine medicines medikament medicin lakemedel medicamento medicamentos medicament medicaments farmaco farmaci leki dosage dose dosering symptom symptoms sintoma sintomas sintomi symptome objawy oireet disability disabilities handicap deficiencia discapacidad disabilita behinderung niepelnosprawnosc postizeni pregnancy pregnant gravidez embarazo gravidanza grossesse schwangerschaft graviditet raskaus vaccination vaccinations vaccine vacina vacuna vaccino impfung bloodtype anamnesis anamnes',
        ),
      ) ||
      stem(n, [
        'diagnos',
        'allerg',
        'alerg',
        'medicat',
        'bloodtype',
        'bloodgroup',
        'blutgruppe',
        'blodgrupp',
        'medicalhistory',
        'healthcondition',
        'chronic',
      ]) ||
      seq(n, 'blood', 'type') ||
      seq(n, 'blood', 'group') ||
      has(
        n,
        set(
          'sick sickness illness ill malattia enfermedad maladie krankheit sjukdom sygdom sykdom ziekte choroba sairaus nemoc doenca doencas',
        ),
      ) ||
      // Injuries and incapacity for work, in the EEA's languages.
      has(
        n,
        set(
          'injury injuries verletzung verletzungen letsel blessure blessures lesione lesioni lesion lesiones lesao lesoes uraz urazy zraneni vamma vammat',
        ),
      ) ||
      stem(n, [
        'arbeitsunfah',
        'arbeidsongeschikt',
        'arbetsoformag',
        'uarbejdsdygtig',
        'arbeidsufor',
        'incapacit',
        'inabilit',
        'niezdolnosc',
        'neschopnost',
        'tyokyvyttom',
      ]) ||
      stem(n, [
        'krankmeld',
        'sjukskriv',
        'sjukfranvaro',
        'sygemeld',
        'sykemeld',
        'ziekmeld',
        'sickleave',
        'sicknote',
      ]) ||
      (has(
        n,
        set(
          'medical clinical health halsa gesundheit medico medica medicale medicaux medizinisch medisch medisinsk medicinsk medyczne medyczny lekarskie zdravotni sanitario sanitaria terveys saude salud salute sante zdrowie zdravi',
        ),
      ) &&
        !has(
          n,
          set(
            'insurance provider plan id assicurazione versicherung seguro mutuelle forsakring forsikring verzekering ubezpieczenie vakuutus',
          ),
        )),
  },
  {
    id: 'dietary',
    category: 'user.health',
    reach: 'contextual',
    needs: 'owned',
    types: ['text', 'json', 'unknown'],
    match: (n) =>
      has(n, set('diet dietary dieta diat dieet ruokavalio dietetique alimentaire')) ||
      stem(n, ['dietary', 'dietrestriction', 'specialdiet', 'erahrungsweise']) ||
      seq(n, 'food', 'allergy') ||
      seq(n, 'food', 'requirements'),
  },
  {
    id: 'body',
    category: 'user.health',
    reach: 'contextual',
    needs: 'owned',
    types: ['numeric', 'text', 'unknown'],
    match: (n) =>
      has(n, set('bmi weight height vikt langd gewicht groesse grosse')) &&
      !has(n, set('package parcel shipping product net gross')),
  },
  {
    // Vital signs and activity a wearable or a clinic records about a person.
    id: 'vitals',
    category: 'user.health',
    reach: 'contextual',
    needs: 'owned',
    types: ['numeric', 'text', 'json', 'unknown'],
    blockedBy: set('id type kind count completed done remaining next sensor unit units'),
    match: (n) =>
      has(
        n,
        set(
          'heartrate pulse puls pulso tetno syke hartslag bpm spo2 systolic diastolic bloodpressure blutdruck blodtryck verenpaine bloeddruk glucose glukos glucosa glicemia glykemie blutzucker blodsocker verensokeri hrv vo2max ecg ekg steps schritte steg pasos passi kroki kroky askeleet stappen sleep schlaf somn sueno sonno sommeil spanek slaap calories kalorien kalorier calorias kcal menstrual menstruation ovulation fertility',
        ),
      ) ||
      (has(n, set('hr')) && has(n, set('bpm rate resting avg max min'))) ||
      seq(n, 'heart', 'rate') ||
      seq(n, 'spo', '2') ||
      seq(n, 'vo', '2', 'max') ||
      seq(n, 'blood', 'pressure') ||
      seq(n, 'body', 'temperature'),
  },
  {
    id: 'card_number',
    category: 'user.financial.payment',
    // A card number that is not a payment card's (a loyalty card, a citizen card) still identifies.
    otherwise: 'user.unique_id',
    reach: 'intrinsic',
    detector: 'card',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set(
      [
        ...set(
          'type brand kind status count network issuer country scheme last4 lastfour digits masked mascarado mascarada enmascarado mascherato masque maskiert maskerad maskeret gemaskeerd maskowany maskovany expiry exp expires expiration cvv cvc holder token fingerprint bin',
        ),
        ...lastWords,
      ].join(' '),
    ),
    match: (n) =>
      (has(n, cardWords) && has(n, set('number no nr num pan numero numer cislo nummer numro'))) ||
      has(n, set('pan cardnumber cardno ccnumber ccnum creditcard kortnummer kartennummer')) ||
      stem(n, ['cardnumber', 'creditcard', 'kortnummer', 'kartennummer']),
  },
  {
    id: 'card_detail',
    category: 'user.financial.payment',
    reach: 'intrinsic',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type brand kind status count network issuer country scheme'),
    match: (n) =>
      ((has(n, cardWords) || stem(n, ['kortnummer', 'kartennummer', 'cardnumber', 'creditcard'])) &&
        (has(
          n,
          set(
            'last4 lastfour digits pan token fingerprint expiry exp expires expiration validade caducidad scadenza ablauf cvv cvc holder masked mascarado mascarada enmascarado mascherato masque maskiert maskerad maskeret gemaskeerd maskowany maskovany',
          ),
        ) ||
          has(n, lastWords))) ||
      has(n, set('last4 cvv cvc maskedpan')) ||
      // "Last four" in any of the languages: `ultimos4`, `letzte_4`, `last_four`.
      (has(n, lastWords) &&
        has(n, set('4 four quatro cuatro quattro quatre vier fyra fire nelja cztery ctyri'))) ||
      // A stored payment method's reference; `payment_method` alone is a kind (card, swish).
      (seq(n, 'payment', 'method') && has(n, set('id token ref reference fingerprint'))),
  },
  {
    id: 'bank_account',
    category: 'user.financial',
    reach: 'contact',
    detector: 'iban',
    types: ['text', 'numeric', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'iban bic swift kontonummer kontonr konto clearing clearingnr clearingnummer bankgiro plusgiro sortcode routing aba rekeningnummer rekening tilinumero bankaccount bankkonto bankverbindung payout nib',
        ),
      ) ||
      stem(n, [
        'iban',
        'kontonummer',
        'bankaccount',
        'bankkonto',
        'bankgiro',
        'plusgiro',
        'clearingnummer',
        'rekeningnummer',
      ]) ||
      seq(n, 'sort', 'code') ||
      seq(n, 'routing', 'number') ||
      (has(n, set('account acct')) &&
        has(n, set('number no nr holder')) &&
        has(n, set('bank payout iban'))) ||
      has(n, set('rib nrb')) ||
      // "Account" in the EEA's languages beside "bank" or "number": cuenta bancaria, numer rachunku.
      (has(n, set('cuenta conto conta compte rachunek rachunku ucet uctu tili konta bankrekening')) &&
        has(
          n,
          set(
            'bank bancaria bancario bancaire banque banca bankowy bankowego bankovni numer numero cislo nr no number nummer corrente courant',
          ),
        )),
  },
  {
    id: 'financial',
    category: 'user.financial',
    reach: 'contextual',
    needs: 'owned',
    types: ['numeric', 'text', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'salary salaries income wage wages gehalt salaris palkka earnings networth compensation remuneration salario salarios salaire salaires sueldo sueldos stipendio stipendi retribuzione retribucion remuneracion remunerazione wynagrodzenie pensja lohn loon mzda plat ral ctc bonus',
        ),
      ) ||
      seq(n, 'pay', 'rate') ||
      seq(n, 'pay', 'grade') ||
      seq(n, 'base', 'pay') ||
      seq(n, 'hourly', 'rate') ||
      // A rate per hour in the EEA's languages: stawka_godzinowa, sazba_hodinova, tarifa_hora.
      (has(n, set('rate stawka sazba tarifa tariffa tarif satz tasa taxa')) &&
        has(
          n,
          set('hourly hour godzinowa hodinova oraria horaire horaria hora stunde timme time tunti uur'),
        )) ||
      has(n, set('stundensatz uurloon uurtarief tuntipalkka tuntihinta timpris')) ||
      seq(n, 'day', 'rate') ||
      seq(n, 'daily', 'rate') ||
      stem(n, [
        'salary',
        'salari',
        'salaire',
        'palkka',
        'gehalt',
        'lohn',
        'wynagrodz',
        'retribu',
        'remunera',
        'stipendi',
        'manadslon',
        'timlon',
        'arslon',
        'grundlon',
        'bruttolon',
        'nettolon',
        'manedsloen',
        'timeloen',
        'stundenlohn',
        'monatslohn',
        'bruttogehalt',
      ]) ||
      seq(n, 'annual', 'income') ||
      seq(n, 'net', 'worth'),
  },
  {
    id: 'pay_amount',
    category: 'user.financial',
    reach: 'contextual',
    needs: 'owned',
    tables: payTables,
    types: ['numeric', 'text', 'unknown'],
    blockedBy: set('id uuid ref fk at on date period code currency count type status'),
    match: (n) =>
      has(
        n,
        set(
          'gross net amount brutto netto lordo bruto neto brut importo importe montant betrag belopp bedrag kwota summa total deduction deductions trattenute ritenute retenciones withholding tax taxes irpef irpf overtime allowance pay',
        ),
      ),
  },
  {
    id: 'person_money',
    category: 'user.financial',
    reach: 'contextual',
    needs: 'person',
    types: ['numeric', 'text', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'fee fees honorarium honorar honoraire honorario onorario compenso palkkio arvode gage stipend withholding irpef irpf steuerklasse skatteklasse skattetabell skattesats commission commissions comissao comision commissione provision provize prowizja provisio',
        ),
      ) ||
      stem(n, ['veroprosent', 'steuerklasse', 'skattetabell', 'taxbracket']) ||
      seq(n, 'tax', 'rate') ||
      seq(n, 'tax', 'code') ||
      seq(n, 'tax', 'class') ||
      seq(n, 'tax', 'bracket'),
  },
  {
    id: 'credit',
    category: 'user.financial.credit',
    reach: 'contextual',
    needs: 'owned',
    blockedBy: set('id at count'),
    types: ['numeric', 'text', 'unknown'],
    match: (n) =>
      seq(n, 'credit', 'score') ||
      seq(n, 'credit', 'limit') ||
      seq(n, 'credit', 'rating') ||
      has(n, set('creditscore creditworthiness bonitat bonitet kreditupplysning')),
  },
  {
    id: 'purchase_history',
    category: 'user.financial.purchase_history',
    reach: 'contextual',
    needs: 'owned',
    blockedBy: none,
    types: ['numeric', 'text', 'json', 'unknown'],
    match: (n) =>
      seq(n, 'total', 'spent') ||
      seq(n, 'lifetime', 'value') ||
      seq(n, 'purchase', 'history') ||
      seq(n, 'order', 'history') ||
      seq(n, 'orders', 'count') ||
      seq(n, 'order', 'count') ||
      seq(n, 'last', 'order') ||
      seq(n, 'last', 'purchase') ||
      has(n, set('ltv clv purchases')),
  },
  {
    id: 'ip_location',
    category: 'user.location.imprecise',
    reach: 'contextual',
    types: ['text', 'unknown'],
    blockedBy: set('id'),
    match: (n) =>
      // A place the person was detected in: by their IP, while roaming, at their last login.
      (has(n, set('ip geo geoip roaming visited current detected serving login session')) &&
        has(n, set('country city region land ort pais paese pays kraj maa stadt ville cidade ciudad'))) ||
      has(n, set('geocountry geocity geoip')),
  },
  {
    id: 'ip',
    category: 'user.device.ip_address',
    reach: 'contact',
    detector: 'ip',
    types: ['text', 'numeric', 'binary', 'unknown'],
    blockedBy: set(
      'version type kind count allowlist whitelist blocklist range ranges server host hostname node gateway proxy router nas instance cluster',
    ),
    match: (n) =>
      has(n, set('ip ipaddress ipaddr ipv4 ipv6 ip4 ip6 ipadresse ipadress xff')) ||
      seq(n, 'remote', 'addr') ||
      seq(n, 'remote', 'address') ||
      seq(n, 'forwarded', 'for') ||
      has(n, set('remoteaddr remoteaddress')) ||
      // Only at a word's start: `shipaddress` runs `ipaddr` together too.
      startsWithAny(n, ['ipaddr', 'ipadress', 'ipadres']),
  },
  {
    id: 'device_id',
    category: 'user.device.device_id',
    reach: 'contact',
    types: ['text', 'unknown', 'binary'],
    blockedBy: set('type kind model name os version count at'),
    match: (n) =>
      (has(
        n,
        set(
          'device geraet gerat geraete gerate enhet enhets enhed laite apparaat appareil dispositivo urzadzenie urzadzenia zarizeni installation install hardware push fcm apns',
        ),
      ) &&
        has(
          n,
          set('id token uuid identifier key serial identificador identifiant kennung tunniste identyfikator'),
        )) ||
      has(n, set('deviceid idfa idfv gaid aaid imei udid macaddress macaddr devicetoken pushtoken')) ||
      seq(n, 'advertising', 'id') ||
      seq(n, 'ad', 'id') ||
      seq(n, 'mac', 'address') ||
      seq(n, 'mac', 'addr'),
  },
  {
    id: 'cookie_id',
    category: 'user.device.cookie_id',
    reach: 'contact',
    types: ['text', 'unknown'],
    blockedBy: set('type kind name count at expires expiry duration'),
    match: (n) =>
      has(n, set('cookie cookieid visitorid anonymousid anonid fingerprint browserfingerprint')) ||
      (has(
        n,
        set('visitor anonymous anon browser session distinct tracking ga amplitude mixpanel segment'),
      ) &&
        has(n, set('id uuid identifier key'))) ||
      seq(n, 'ga', 'client', 'id'),
  },
  {
    id: 'browser',
    category: 'user.device.browser',
    reach: 'contextual',
    types: ['text', 'unknown'],
    blockedBy: set('id count type'),
    match: (n) =>
      seq(n, 'user', 'agent') ||
      has(
        n,
        set(
          'useragent ua browser os operatingsystem navigateur navegador przegladarka prohlizec selain webblasare nettleser webbrowser',
        ),
      ) ||
      seq(n, 'operating', 'system') ||
      seq(n, 'screen', 'resolution') ||
      seq(n, 'device', 'model') ||
      seq(n, 'device', 'name'),
  },
  {
    // The platform of a registered device (ios, android); of an order or a listing it is a channel.
    id: 'device_platform',
    category: 'user.device.browser',
    reach: 'contextual',
    tables: ['device', 'push', 'install', 'session', 'login', 'token'],
    types: ['text', 'unknown'],
    blockedBy: set('id count type at'),
    match: (n) => has(n, set('platform plattform piattaforma plataforma plateforme alusta')),
  },
  {
    id: 'email',
    category: 'user.contact.email',
    identity: 'email',
    reach: 'contact',
    detector: 'email',
    match: (n) =>
      has(n, emailWords) ||
      seq(n, 'e', 'mail') ||
      seq(n, 'e', 'post') ||
      seq(n, 'posta', 'elettronica') ||
      // `epost` only begins a word: `code_postal` and `intitule_poste` run it together too.
      startsWithAny(n, ['epost']) ||
      stem(n, ['email', 'mailadress', 'sahkoposti', 'courriel']),
  },
  {
    id: 'phone',
    category: 'user.contact.phone_number',
    identity: 'phone',
    reach: 'contact',
    detector: 'phone',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set([...modifiers, 'app', 'model', 'os', 'carrier', 'prefix'].join(' ')),
    match: (n) =>
      has(n, phoneWords) ||
      stem(n, ['phone', 'telefon', 'mobilnummer', 'puhelin', 'telefoon', 'handynummer']),
  },
  {
    // A person's alias in a payment scheme (PIX, Swish, Vipps, MobilePay, MB WAY, Bizum, BLIK): their
    // phone, email or tax number standing in for an account.
    id: 'payment_alias',
    category: 'user.financial',
    reach: 'contact',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind status count at enabled active'),
    match: (n) => has(n, set('pix swish vipps mobilepay mbway bizum blik satispay twint payconiq paypal')),
  },
  {
    // Before `username`: a `twitter_handle` is a profile elsewhere, not this system's login.
    id: 'social',
    category: 'user.social',
    reach: 'contact',
    needs: 'person',
    types: ['text', 'json', 'unknown'],
    blockedBy: set(
      [
        ...modifiers,
        'page',
        'pages',
        'event',
        'events',
        'company',
        'group',
        'groups',
        'business',
        'brand',
        'share',
        'followers',
        'likes',
      ].join(' '),
    ),
    match: (n) =>
      has(n, socialNetworks) ||
      seq(n, 'linked', 'in') ||
      (n.tokens[0] === 'x' && has(n, set('handle url profile username account link'))) ||
      seq(n, 'social', 'profile') ||
      seq(n, 'social', 'links') ||
      seq(n, 'social', 'media') ||
      has(n, set('socials sociallinks socialmedia')) ||
      (has(n, set('personal own private my')) && has(n, set('website homepage blog site url web'))),
  },
  {
    id: 'username',
    category: 'user.account.username',
    identity: 'account',
    reach: 'contact',
    match: (n) =>
      has(
        n,
        set(
          'username usernames login loginname handle nickname nick screenname alias anvandarnamn benutzername brugernavn brukernavn kayttajatunnus gebruikersnaam identifiant',
        ),
      ) ||
      seq(n, 'user', 'name') ||
      seq(n, 'screen', 'name') ||
      seq(n, 'login', 'name') ||
      // "User name" in the languages that put the name first: nome_utilizador, nombre_usuario.
      (has(n, set('nome nombre nom naam nazwa jmeno')) &&
        has(n, set('utilizador usuario utente utilisateur gebruiker uzytkownika uzivatele'))) ||
      seq(n, 'prihlasovaci', 'jmeno') ||
      stem(n, ['username', 'anvandarnamn', 'benutzername', 'brugernavn', 'brukernavn', 'gebruikersnaam']),
  },
  {
    id: 'person_name',
    category: 'user.name',
    reach: 'contact',
    detector: 'person_name',
    match: (n) =>
      has(
        n,
        set(
          'fname lname firstname lastname givenname familyname surname surnames forename forenames fullname middlename maidenname initials vorname vornamen nachname familienname vollername fornamn efternamn mellannamn fornavn efternavn etternavn mellemnavn etunimi etunimet sukunimi voornaam voornamen achternaam tussenvoegsel prenom prenoms apellido apellidos apelido apelidos sobrenome cognome nazwisko imie imiona jmeno prijmeni',
        ),
      ) ||
      seq(n, 'first', 'name') ||
      seq(n, 'last', 'name') ||
      seq(n, 'given', 'name') ||
      seq(n, 'family', 'name') ||
      seq(n, 'middle', 'name') ||
      seq(n, 'full', 'name') ||
      seq(n, 'maiden', 'name') ||
      seq(n, 'display', 'name') ||
      // A name word beside "full" or "family" in the languages that put it first: nome_completo, nom_famille.
      (has(n, set('nome nombre nom naam navn namn nimi name')) &&
        has(
          n,
          set(
            'completo completa complet complete vollstandig volledige fuld fullt kokonimi cele pelne famille familia famiglia',
          ),
        )) ||
      seq(n, 'krestni', 'jmeno') ||
      has(n, set('displayname')) ||
      stem(n, [
        'firstname',
        'lastname',
        'surname',
        'fullname',
        'givenname',
        'fornamn',
        'efternamn',
        'fornavn',
        'efternavn',
        'etternavn',
        'vorname',
        'nachname',
        'voornaam',
        'achternaam',
        'etunimi',
        'sukunimi',
      ]) ||
      has(
        n,
        set(
          'salutation anrede honorific courtesy civilite civility aanhef tratamiento kontaktperson ansprechpartner contactpersoon yhteyshenkilo',
        ),
      ) ||
      seq(n, 'contact', 'person') ||
      // "Contact person" where the adjective follows: osoba_kontaktowa, pessoa_contato, persona_contacto.
      (has(n, set('osoba osoby pessoa persona personne person')) &&
        has(n, set('kontaktowa kontaktowy kontaktni contacto contato contatto contact referente'))),
  },
  {
    id: 'qualified_name',
    category: 'user.name',
    reach: 'contact',
    detector: 'person_name',
    match: (n) =>
      has(n, set('name namn navn nimi naam nom nombre nome')) &&
      (has(n, personWords) || has(n, partyWords)) &&
      !has(n, thingWords),
  },
  {
    id: 'bare_name',
    category: 'user.name',
    reach: 'contextual',
    needs: 'person',
    detector: 'person_name',
    match: (n) =>
      n.tokens.length <= 2 &&
      has(n, set('name namn navn nimi naam nom nombre nome contact kontakt kontaktperson')) &&
      !has(n, thingWords) &&
      // The name of a place (`nm_bairro`, `nome_cidade`) is an address.
      !has(n, placeWords) &&
      !has(n, set('bairro barrio district distrito suburb')),
  },
  {
    id: 'postcode',
    category: 'user.contact.address',
    reach: 'contact',
    detector: 'postcode',
    types: ['text', 'numeric', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'zip zipcode postcode postalcode postnr postnummer postleitzahl plz postinumero postcodigo cep eircode postnumber',
        ),
      ) ||
      seq(n, 'postal', 'code') ||
      (n.tokens.length === 1 && n.tokens[0] === 'postal') ||
      seq(n, 'post', 'code') ||
      seq(n, 'zip', 'code') ||
      seq(n, 'codigo', 'postal') ||
      seq(n, 'code', 'postal') ||
      seq(n, 'codice', 'postale') ||
      seq(n, 'cod', 'postal') ||
      seq(n, 'kod', 'pocztowy') ||
      seq(n, 'kod', 'pocztowe') ||
      stem(n, ['zipcode', 'postcode', 'postalcode', 'postnummer', 'postleitzahl', 'postinumero', 'pocztow']),
  },
  {
    // Short forms that also mean other things (`cap` a limit, `cp` a checkpoint): values decide.
    id: 'postcode_abbreviation',
    category: 'user.contact.address',
    reach: 'contact',
    detector: 'postcode',
    needsValues: 'postcode',
    types: ['text', 'numeric', 'unknown'],
    match: (n) => n.tokens.length <= 2 && has(n, set('cap cp psc npa irsz')),
  },
  {
    id: 'street_address',
    category: 'user.contact.address',
    reach: 'contact',
    match: (n) =>
      has(
        n,
        set(
          'address addresses addr adress adresse adres adresa indirizzo direccion endereco morada osoite anschrift street streetaddress strasse gata gatuadress gade vej vei vag road straat housenumber hausnummer husnummer huisnummer talonumero apartment apt apartamento appartamento appartement wohnung lagenhet lejlighed leilighet huoneisto mieszkanie line1 line2 careof ulica ulice calle rua rue katu domicilio domicile civico popisne orientacni bairro barrio logradouro complemento',
        ),
      ) ||
      seq(n, 'house', 'number') ||
      seq(n, 'street', 'name') ||
      // A door or a flat's number: numero_porta, numer_lokalu, numero_piso.
      (has(n, set('numero numer cislo nummer number')) &&
        has(n, set('porta puerta porte lokalu mieszkania domu casa piso andar tur'))) ||
      seq(n, 'care', 'of') ||
      seq(n, 'numer', 'domu') ||
      seq(n, 'numero', 'civico') ||
      stem(n, [
        'address',
        'adress',
        'adresse',
        'strasse',
        'gatuadress',
        'hausnummer',
        'indirizz',
        'direccion',
        'endereco',
        'osoite',
        'domicil',
        'anschrift',
      ]),
  },
  {
    id: 'locality',
    category: 'user.contact.address',
    reach: 'contextual',
    types: ['text', 'unknown'],
    match: (n) =>
      (has(
        n,
        set(
          'city town ort postort stad stadt ville ciudad citta cidade kaupunki paikkakunta postitoimipaikka municipality kommun kommune gemeinde gemeente comune municipio localidad localite localita localidade poblacion miasto miejscowosc mesto obec plaats woonplaats wohnort hemort bopael bosted boplass residence residenza residencia hometown county province provincia provinz wojewodztwo maakunta region regione bundesland canton kanton country land countrycode landskod pais paese nazione pays kraj maa suburb district distrito concelho freguesia okres gmina powiat bydliste fylke kunta',
        ),
      ) &&
        !has(n, set('id code')) &&
        // `nm_cidade`, `city_name`: the name of the place; longer names with `name` are something else's.
        (!has(n, set('name')) || n.tokens.length <= 2)) ||
      seq(n, 'country', 'code') ||
      seq(n, 'city', 'name') ||
      seq(n, 'home', 'town') ||
      seq(n, 'place', 'of', 'residence') ||
      stem(n, ['woonplaats', 'wohnort', 'hemort', 'postitoimipaik', 'miejscowo', 'residenc', 'residenz']) ||
      (n.tokens.length === 1 && n.tokens[0] === 'by'),
  },
  {
    id: 'gender',
    category: 'user.demographic',
    reach: 'contextual',
    types: ['text', 'numeric', 'boolean', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'gender sex kon kjonn koen geschlecht sukupuoli sexe sexo sesso geslacht plec pohlavi pronoun pronouns nationality nationalitat nationalitet nationalite nacionalidad nazionalita nationaliteit narodowosc kansalaisuus citizenship cittadinanza ciudadania staatsangehorigkeit medborgarskap statsborgerskab statsborgerskap ethnicity ethnic religion race civilstand familienstand civilstatus genero genere genre nacionalidade narodnost obywatelstwo kansallisuus religiao religione wyznanie nabozenstvi uskonto etnia sivilstand siviilisaaty parentesco kinship verwandtschaft verwandtschaftsgrad slaktskap slaegtskab slektskap sukulaisuus verwantschap pokrewienstwo pribuznost parentela',
        ),
      ) ||
      seq(n, 'marital', 'status') ||
      seq(n, 'civil', 'status') ||
      seq(n, 'stan', 'cywilny') ||
      seq(n, 'rodinny', 'stav') ||
      seq(n, 'burgerlijke', 'staat') ||
      seq(n, 'etat', 'civil') ||
      seq(n, 'stato', 'civile') ||
      seq(n, 'estado', 'civil') ||
      // The family situation and the kinship in French, beside the other languages' above.
      seq(n, 'situation', 'familiale') ||
      seq(n, 'lien', 'parente') ||
      seq(n, 'lien', 'de', 'parente') ||
      seq(n, 'mother', 'tongue') ||
      seq(n, 'native', 'language') ||
      seq(n, 'first', 'language') ||
      stem(n, [
        'mothertongue',
        'muttersprache',
        'modersmal',
        'modersmaal',
        'morsmal',
        'aidinkieli',
        'madrelingua',
        'moedertaal',
        'languematernelle',
        'lenguamaterna',
        'jezykojczysty',
      ]),
  },
  {
    id: 'content_title',
    category: 'user.content.communication',
    reach: 'contextual',
    tables: [
      ...reviewTableStems,
      'comment',
      'ticket',
      'message',
      'thread',
      'inquir',
      'complaint',
      'case$',
      'support',
      'chamado',
      'mensag',
      'mensaj',
      'messag',
      'wiadomos',
      'zprav',
      'viest',
      'nachricht',
      'meddeland',
      'reclama',
      'reklamac',
      'zgloszen',
      'ocorrenc',
      'incidenc',
    ],
    types: ['text', 'unknown'],
    blockedBy: set('id count type at'),
    match: (n) =>
      has(
        n,
        set(
          'title headline heading summary rubrik titel titulo titolo titre tytul titulek otsikko overskrift',
        ),
      ),
  },
  {
    id: 'job_title',
    category: 'user.job_title',
    reach: 'contextual',
    needs: 'person',
    blockedBy: set('id count at type'),
    types: ['text', 'unknown'],
    match: (n) =>
      has(
        n,
        set(
          'jobtitle title titel befattning stilling beruf occupation profession yrke ammatti functie specialty speciality specialisation specialization specialitet fachrichtung qualifica mansione ruolo emploi poste fonction metier puesto cargo ocupacion profesion professione profissao funcao stanowisko zawod nimike tehtavanimike ammattinimike pozice profese',
        ),
      ) ||
      seq(n, 'categoria', 'profesional') ||
      seq(n, 'intitule', 'poste') ||
      stem(n, ['tehtavanimike', 'ammattinimike', 'stillingstittel', 'tjanstetitel', 'functietitel']) ||
      seq(n, 'job', 'title') ||
      seq(n, 'job', 'role') ||
      (has(n, set('position')) && n.tokens.length === 1),
  },
  {
    id: 'workplace',
    category: 'user.workplace',
    reach: 'contextual',
    needs: 'person',
    types: ['text', 'unknown'],
    blockedBy: set('id uuid ref fk size count type'),
    match: (n) =>
      has(
        n,
        set(
          'company employer organisation organization firma foretag arbetsgivare arbeitgeber workplace arbetsplats department abteilung avdelning afdeling avdeling dept bedrift werkgever azienda empresa entreprise employeur datore pracodawca tyonantaja tyopaikka zamestnavatel arbeidsgiver arbejdsgiver reparto departamento departement dipartimento osasto dzial',
        ),
      ) || seq(n, 'company', 'name'),
  },
  {
    // `lon` is a longitude, or a Swedish or Norwegian salary (lön, lønn folded): values decide.
    id: 'lon',
    category: 'user.location',
    otherwise: 'user.financial',
    reach: 'contact',
    detector: 'coordinate',
    types: ['numeric', 'text', 'unknown'],
    match: (n) => n.tokens.length === 1 && n.tokens[0] === 'lon',
  },
  {
    id: 'precise_location',
    category: 'user.location',
    reach: 'contact',
    types: ['numeric', 'text', 'json', 'unknown'],
    blockedBy: set('id type count accuracy precision'),
    match: (n) =>
      has(
        n,
        set(
          'latitude longitude lat lng lon geo geolocation gps coordinates coords coord geopoint latlng latlon lonlat',
        ),
      ) ||
      (n.tokens.length === 1 && n.tokens[0] === 'long') ||
      stem(n, [
        'latitud',
        'longitud',
        'breitengrad',
        'langengrad',
        'breddgrad',
        'breddegrad',
        'langdgrad',
        'laengdegrad',
        'lengdegrad',
        'leveysaste',
        'pituusaste',
        'koordinat',
        'coordenad',
        'coordinat',
        'coordonnee',
        'souradnic',
        'wspolrzedn',
        'geolocal',
        'geoloc',
      ]) ||
      seq(n, 'lat', 'lng') ||
      seq(n, 'last', 'location') ||
      seq(n, 'current', 'location') ||
      seq(n, 'last', 'position') ||
      seq(n, 'current', 'position'),
  },
  {
    // Where something is, in words that also name a shelf or a venue: the values must be coordinates.
    id: 'location_word',
    category: 'user.location',
    reach: 'contact',
    detector: 'coordinates',
    needsValues: 'coordinates',
    types: ['text', 'json', 'unknown'],
    blockedBy: set('id type count accuracy precision name code'),
    match: (n) =>
      has(
        n,
        set(
          'location position place point where whereabouts posicao posicion posizione standort position sijainti lokalizacja poloha locatie placering plassering plats sted',
        ),
      ),
  },
  {
    id: 'timezone',
    category: 'user.location.imprecise',
    reach: 'contextual',
    needs: 'owned',
    blockedBy: set('id count at'),
    types: ['text', 'unknown'],
    match: (n) => has(n, set('timezone tz tidszon zeitzone')) || seq(n, 'time', 'zone'),
  },
  {
    id: 'search',
    category: 'user.behavior.search_history',
    reach: 'contextual',
    tables: ['search', 'event', 'log$', 'history', 'quer', 'activit', 'track', 'analytic'],
    types: ['text', 'unknown'],
    blockedBy: set('id count type at'),
    match: (n) =>
      (has(n, set('search sok suche haku')) &&
        has(n, set('query term terms text phrase string q keyword keywords'))) ||
      has(n, set('searchquery searchterm sokord suchbegriff')) ||
      has(n, set('query keywords')),
  },
  {
    id: 'browsing',
    category: 'user.behavior.browsing_history',
    reach: 'contextual',
    tables: [
      'event',
      'view',
      'click',
      'visit',
      'session',
      'track',
      'analytic',
      'log$',
      'hit$',
      'pageview',
      'impression',
      'history',
      'activit',
    ],
    types: ['text', 'unknown'],
    blockedBy: set(
      [
        ...set(
          'id count type at template image img cover logo thumbnail thumb photo picture icon banner avatar media file asset attachment',
        ),
        // A link to a social network's page is a destination, not a page the person viewed.
        ...socialNetworks,
      ].join(' '),
    ),
    match: (n) =>
      has(n, set('referrer referer url uri path page pageurl pagepath landing utm')) ||
      startsWithAny(n, ['utm']) ||
      seq(n, 'page', 'title') ||
      seq(n, 'clicked', 'link'),
  },
  {
    id: 'settings',
    category: 'user.account.settings',
    reach: 'contextual',
    needs: 'owned',
    types: ['json', 'text', 'unknown'],
    blockedBy: set('id count at'),
    match: (n) =>
      has(
        n,
        set(
          'settings preferences prefs installningar einstellungen config configuration preferencias preferenze praferenzen voorkeuren preferencje predvolby asetukset indstillinger innstillinger parametres configuracion impostazioni',
        ),
      ),
  },
  {
    id: 'preference',
    category: 'user.preferences',
    reach: 'contextual',
    needs: 'owned',
    types: ['text', 'unknown', 'json'],
    blockedBy: set('id count at'),
    match: (n) =>
      has(
        n,
        set(
          'language lang locale sprak sprache sprog kieli taal langue idioma lingua interests interest favourites favorites hobbies theme',
        ),
      ) ||
      seq(n, 'preferred', 'language') ||
      seq(n, 'preferred', 'currency'),
  },
  {
    id: 'survey',
    category: 'user.content.survey',
    reach: 'contextual',
    tables: [
      'survey',
      'questionnaire',
      'poll',
      'form',
      'feedback',
      'answer',
      'response',
      'enkat',
      'umfrage',
      'kysely',
      'evaluation',
    ],
    types: ['text', 'json', 'numeric', 'unknown'],
    blockedBy: set('id count at type min max average avg'),
    match: (n) =>
      has(
        n,
        set(
          'answer answers response responses svar antwort antworten vastaus rating ratings score nps stars satisfaction betyg bewertung arvosana voto valutazione valoracion',
        ),
      ),
  },
  {
    id: 'content',
    category: 'user.content.communication',
    reach: 'contextual',
    types: ['text', 'unknown'],
    blockedBy: set('id count type at length format template html'),
    match: (n) =>
      has(
        n,
        set(
          'message messages msg body content text comment comments note notes remark remarks transcript chat feedback reply review complaint subject meddelande kommentar kommentarer anteckning anteckningar notering noteringar nachricht bemerkung bemerkungen notiz notizen besked merknad viesti huomautus opmerking opmerkingen bericht letter coverletter cv resume curriculum lebenslauf anschreiben ansioluettelo observation observations observaciones osservazioni uwagi uwaga lisatiedot lisatieto kommentti palaute commentaire commentaires commento commenti comentario comentarios komentarz poznamka poznamky notas notatki notitie notities toelichting annotation annotations annotazioni remarque remarques messaggio mensaje mensagem wiadomosc zprava testo texto tekst teksti attachment attachments bilaga anhang liite allegato allegati adjunto zalacznik assunto asunto oggetto objet betreff amne emne aihe onderwerp temat predmet conteudo contenido contenuto contenu inhalt inhoud tresc obsah sisalto innhold indhold innehall mensagens reclamacao reclamacion queixa queja klage beschwerde klacht plainte skarga stiznost',
        ),
      ) ||
      seq(n, 'cover', 'letter') ||
      // A guest's or a customer's special request, in the EEA's languages.
      (has(
        n,
        set(
          'special especial speciale spezial besondere speciaal szczegolne zvlastni erityis sarskild saerlig spesiell particular',
        ),
      ) &&
        has(
          n,
          set(
            'request requests pedido pedidos solicitud richiesta demande wunsch wunsche verzoek prosba pozadavek toive onskemal onske onsker',
          ),
        )) ||
      seq(n, 'motivation', 'letter') ||
      startsWithAny(n, [
        'anteckning',
        'kommentar',
        'notiz',
        'bemerkung',
        'osservazion',
        'observa',
        'anotac',
        'annotaz',
      ]),
  },
  {
    // Why something happened, in the person's or a reviewer's words: free text, not a reason code.
    id: 'reason',
    category: 'user.content.communication',
    reach: 'contextual',
    needsValues: 'prose',
    types: ['text', 'unknown'],
    blockedBy: set('id count type at code codes template'),
    match: (n) =>
      has(
        n,
        set(
          'reason reasons motif motivo motivi motivazione motivation raison grund anledning arsak aarsag syy reden powod duvod razon explanation justification statement begrundelse begrunnelse begrundung motivering perustelu razao causa oduvodneni uzasadnienie',
        ),
      ),
  },
  {
    // A person's own description in a table of people: what they wrote about themselves, shown to others.
    id: 'profile_text',
    category: 'user.content.public',
    reach: 'contextual',
    needs: 'person',
    types: ['text', 'unknown'],
    blockedBy: set('id count type at template'),
    match: (n) =>
      has(
        n,
        set(
          'bio bios biography biografia biographie biografie about aboutme abstract tagline intro introduction presentation presentazione presentacion esittely',
        ),
      ) || seq(n, 'about', 'me'),
  },
  {
    // A picture of the person in a table of people (a product's image is not).
    id: 'portrait',
    category: 'user.content.public',
    reach: 'contextual',
    needs: 'person',
    types: ['text', 'binary', 'unknown'],
    blockedBy: set('id count type at width height size alt'),
    match: (n) =>
      has(
        n,
        set(
          'avatar avatarurl photo photos picture pic image img headshot portrait selfie foto fotos bild bilde billede kuva zdjecie immagine imagen profilepic profileimage profilephoto',
        ),
      ),
  },
  {
    // The free text of a claim, an expense or a request a person filed.
    id: 'record_description',
    category: 'user.content.communication',
    reach: 'contextual',
    needs: 'owned',
    tables: [
      'expense',
      'spese',
      'spesa',
      'gasto',
      'frais',
      'spesen',
      'utlagg',
      'kulu',
      'reimburs',
      'claim',
      'incident',
      'complaint',
      'absence',
      'assenz',
      'ausenc',
      'abwesen',
      'franvaro',
      'leave$',
      'request',
      'inquir',
      // Complaints and incident reports in the EEA's languages (not `reklama`, an advertisement).
      'reclama',
      'reclamo',
      'reklamac',
      'reklamation',
      'beschwerde',
      'klage',
      'klacht',
      'plainte',
      'queja',
      'queixa',
      'skarg',
      'stiznost',
      'valitu',
      'ocorrenc',
      'incidenc',
      'incident',
      'sinistr',
      'siniestr',
      'schaden',
      'zgloszen',
      'hlaseni',
    ],
    types: ['text', 'unknown'],
    blockedBy: set('id count type at code'),
    match: (n) =>
      has(
        n,
        set(
          'description descrizione descripcion descricao beschreibung beskrivning beskrivelse kuvaus omschrijving opis popis details dettagli detalles detalhes',
        ),
      ),
  },
  {
    id: 'apparel_size',
    category: 'user.preferences',
    reach: 'contextual',
    needs: 'owned',
    types: ['text', 'unknown'],
    match: (n) =>
      has(n, set('shirt tshirt shoe shoes clothing dress jersey hoodie')) &&
      has(n, set('size groesse grosse storlek storrelse taille talla taglia koko rozmiar')),
  },
  {
    // A person's car: its plate in a booking, a parking or an insurance row (a fleet's own cars are things).
    id: 'vehicle_plate',
    category: 'user.unique_id',
    reach: 'contextual',
    needs: 'owned',
    types: ['text', 'unknown'],
    blockedBy: set('type kind count at country'),
    match: (n) =>
      has(
        n,
        set(
          'plate licenseplate licenceplate numberplate placa targa kennzeichen registreringsnummer rekisterinumero kenteken immatriculation plaque spz rejestracyjny',
        ),
      ) || seq(n, 'registration', 'number'),
  },
  {
    // Where a person came from or goes to on a trip or a stay.
    id: 'travel_place',
    category: 'user.location.imprecise',
    reach: 'contextual',
    needs: 'owned',
    types: ['text', 'unknown'],
    blockedBy: set(
      'id code type url uri header ip domain system source operator operador operadora carrier network rede',
    ),
    match: (n) =>
      has(
        n,
        set(
          'procedencia proveniencia provenance origin origem origen herkunft destino destination destinazione ziel bestemming kohde pochodzenie puvod',
        ),
      ),
  },
  {
    id: 'person_number',
    category: 'user.unique_id',
    identity: 'customer',
    reach: 'contact',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind status count at'),
    match: (n) =>
      ((has(
        n,
        set('membership loyalty fidelidade fidelidad fedelta fidelite fidelity bonuskort kundenkarte'),
      ) ||
        n.tokens.some(isPersonToken)) &&
        has(
          n,
          set(
            'number no nr num code ref reference numero numer cislo nummer numro codigo codice kod koodi kode kood',
          ),
        )) ||
      has(
        n,
        set(
          'kundnummer kundnr kundennummer kundennr medlemsnummer mitgliedsnummer asiakasnumero klantnummer mrn customerno customernumber membernumber matricola matricule personalnummer personalnr personeelsnummer anstallningsnummer anstallningsnr medarbejdernummer ansattnummer tyontekijanumero henkilonumero',
        ),
      ) ||
      stem(n, [
        'kundnummer',
        'kundennummer',
        'medlemsnummer',
        'mitgliedsnummer',
        'asiakasnumero',
        'klantnummer',
        'customernumber',
        'membernumber',
        'loyaltynumber',
      ]),
  },
  {
    id: 'person_licence',
    category: 'user.unique_id',
    reach: 'contextual',
    needs: 'person',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind status count at expires expiry'),
    match: (n) =>
      has(
        n,
        set(
          'license licence insurance policy membership registration document documento dokument doklad plate matricula',
        ),
      ) && has(n, set('number no nr num id code numero numer cislo nummer codigo')),
  },
  {
    id: 'external_id',
    category: 'user.unique_id',
    reach: 'contextual',
    needs: 'person',
    types: ['text', 'numeric', 'unknown'],
    blockedBy: set('type kind status count at'),
    match: (n) =>
      (has(
        n,
        set(
          'external ext stripe crm hubspot salesforce zendesk intercom mailchimp klaviyo braintree paypal adyen auth0 okta oauth sso google apple legacy public',
        ),
      ) &&
        has(n, set('id uid uuid ref key identifier'))) ||
      has(n, set('uuid guid uid')),
  },
];

/** Table kinds: about people, records of people's doings, or things (catalogues, organisations, settings). */
export type TableRole = 'person' | 'record' | 'thing' | 'unknown';

const personTableStems = words(`
  customer user member contact client patient guest employee staff person people lead prospect
  subscriber recipient travel passenger student pupil applicant candidate driver visitor donor
  volunteer profile attendee participant shopper buyer resident worker teacher doctor physician
  nurse practitioner clinician dentist therapist beneficiar debtor householder owner kund klient
  kontakt medlem mitglied gast gaest anstalld ansatt ansat mitarbeiter personal personer anvandar
  benutzer bruger bruker kayttaja asiaka asiakka potila pasient elev schuler schueler lakare arzt
  arzte klant gebruiker deelnemer deltagare deltager teilnehmer resenar reisende fahrer forare
  hyresgast mieter abonnent prenumerant bewerber sokande admin author$ agent$ operator cardholder
  dipendent impiegat lavorator collaborat utent iscritt pazient candidat socio$ soci$ empleado
  trabajador usuario pacient alumn estudiant employe adherent utilisateur abonne locataire
  medewerker werknemer leerling pracowni uzytkowni klienc pacjen uczestni czlon tyontekij henkilo
  jasen opiskelij zamestnan zakaznik uzivatel funcionari colaborador utilizador speaker presenter
  instructor trainer coach recruiter freelancer contractor
  hospede huesped ospit gosc gosci passageir pasajer passegger passager fahrgast pasazer cestujic
  matkustaj motorist kierowc ridic kuljettaj autist chauffeur destinatar remetent remitent mittent
  odbiorc nadawc prijemc odesilatel empfaenger empfanger absender mottagar modtager mottaker
  vastaanottaj lahettaj ontvanger afzender consignee osob pessoa personne titular inquilin
  arrendatar empregad trabalhador morador vendedor rider viajer viaggiator tripulant entregador
  repartidor
`);

const recordTableStems = words(`
  order bestall bestellung ordre tilaus booking bokning buchung reservation reserv appointment
  termin besok visit session login event pageview view click search message meddelande nachricht
  chat conversation ticket case comment review rating post$ payment betalning zahlung invoice
  faktura rechnung receipt kvitto transaction transaktion address adress adresse subscription
  abonnemang consent samtycke note log$ audit activit cart basket wishlist enrol registration
  prescription recept treatment behandling encounter journal entry entries shipment delivery
  leverans lieferung return refund loan contract avtal vertrag claim application ansokan response
  answer feedback device token credential notification email sms call$ attendance membership stay
  vistelse checkin upload attachment card wallet identity identit bokforing verifikation mail
  inquir request signup result vaccin diagnos anamnes referral remiss history track hit$ analytic
  pageview impression share like$ follow favourite favorite
  ordin pedido commande zamowien bestelling prenotazion rezerwac varau pagament pago$ paiement
  platnos platb maksu fattur factur ricevut recibo messag mensaj wiadomos viest zprav payslip
  paystub paycheck cedolin busta buste nomina$ lohnabrechnung gehaltsabrechnung lonespec lonebesked
  lonseddel lonnslipp palkkalask loonstrook wynagrodz payroll absence assenz ausenc abwesen franvaro
  fravaer poissaol nieobecn verzuim leave$ timesheet expense spese spesa gasto frais spesen utlagg
  reimburs interview colloqui entrevista entretien haastattel contratt contrat umow sopimu
  fatura reclama reclamo reklamac reklamation beschwerde klage klacht plainte queja queixa skarg
  stiznost estadia estancia soggiorn sejour aufenthalt pobyt verblijf hospedag encomend objednav
  zasilk przesylk envio$ remessa spedizion sendung forsendelse lahety zending parcel package$
  balik paczk pacote entrega consegn livraison dorucen dostaw toimitu levering viagem viaje viaggi
  voyage trip ride journey jizd przejazd cdr$ chamada llamada chiamat appel$ anruf samtal opkald
  puhelu hovor polaczen telemetr reading measurement mereni pomiar messung mittau usage consumo
  assinatur suscrip abbonament predplat subskrypc rental
`);

/** Catalogues, organisations and infrastructure: a row of these is never one person's. */
const thingTableStems = words(`
  product produkt article artikel vara$ varor sku variant inventor stock lager warehouse categor
  kategori city cities stad$ stadt stader staedte country countries region currenc valuta waehrung
  price tax vat$ moms supplier leverantor lieferant vendor manufacturer brand compan firm foretag
  unternehmen organi org$ orgs tenant workspace team project plan$ tier feature integration
  webhook server host node instance cluster service room rum$ zimmer hotel hotei clinic klinik
  mottagning branch office kontor filial store shop site venue book$ course kurs carrier shipper
  courier migration schema translation template campaign coupon discount promotion rate period
  fiscal menu page$ media asset attribute option status type lookup holiday calendar resource
  equipment bank$ chart ledger konto department abteilung avdelning catalog katalog unit
  queue job$ jobs lock cache kv$ meta currency warehouse
  societ aziend empresa entrepris spolk spolecnost yritys yhtio bedrijf bedrijv sponsor exhibitor
  advertiser agenc publisher sede sedi$ uffic oficina bureau biuro toimipist toimisto vestiging
  sucursal succursal repart departament dipartiment osasto dzial oddeleni prodott producto produit
  tuote tuotte articol articul artikl fasce fascia band$ grille barem scale$ livell causal reason$
  festivit tariff tarif listino magazzin almacen entrepot magazyn varasto facilit anlaggning anlegg
  einrichtung impiant
  loja$ tienda negozi magasin sklep obchod kaupp myymal butik geschaeft geschaft produt model$
  firmware cell$ antenna tower alarm network fleet frota flota flotta flotte depot armaz sklad
  route ruta$ trasa quarto$ habitac chambre pokoj huone alojament alojamient alloggi hebergement
  unterkunft propert imove establec estabelec plano$ oddzia
`);

/** Things a person may own a row of (their settings, their tagged location): a foreign key to a person decides. */
const weakThingTableStems = words(`
  setting config location tag label role permission group preference list
  vehicle veicul vehicul veicol fahrzeug fordon kjoretoy koretoj ajoneuvo voertuig pojazd vozidl
  car$ truck lorry sensor gateway meter thermostat
`);

/** A stem matches a word it begins; a stem ending in `$` only the word itself and its plural. */
function stemMatch(token: string, stems: readonly string[]): boolean {
  return stems.some((s) =>
    s.endsWith('$')
      ? token === s.slice(0, -1) || token === `${s.slice(0, -1)}s` || token === `${s.slice(0, -1)}es`
      : token.startsWith(s),
  );
}

/** Stems of people's tables that also name a machine's or a system's role (`operator_code`, `admin_ref`). */
const roleStems = words('operator admin personal profile author agent owner');

/**
 * A word for a person, in any inflection the table stems cover (`zakaznika`, `klienta`,
 * `hospedes`): a person word (`personWords`) or a stem of people's tables that names no role.
 */
export function isPersonToken(token: string): boolean {
  let found = personTokens.get(token);
  if (found === undefined) {
    found =
      personWords.has(token) ||
      (stemMatch(token, personTableStems) && !roleStems.some((s) => token.startsWith(s)));
    // Tokens repeat across columns and schemas; the cache stays small.
    if (personTokens.size >= 10_000) personTokens.clear();
    personTokens.set(token, found);
  }
  return found;
}
const personTokens = new Map<string, boolean>();

/** What a table's name alone says: `weak-thing` is a thing unless the table points at a person. */
export type TableNameRole = TableRole | 'weak-thing';

/**
 * What a table's name alone says about its rows. The last word counts most
 * (`customer_addresses` holds addresses, `product_reviews` reviews); a compound table name in one
 * word (`kundadresser`) is matched on its stems. A word that names a table this one references is
 * a qualifier, not what the rows are: `funcionarios_loja` referencing `lojas` holds a store's
 * employees, `zamowienia_klientow` referencing `klienci` customers' orders (languages that put
 * the head word first).
 */
export function tableRoleByName(name: string, referenced: readonly string[] = []): TableNameRole {
  const { tokens } = nameParts(name);
  const qualifiers = referenced.flatMap((r) => nameParts(r).tokens);
  const isQualifier = (token: string) => qualifiers.some((q) => sameStem(token, q));
  const reversed = [...tokens].reverse();
  if (qualifiers.length > 0 && tokens.length > 1)
    for (const token of reversed) {
      if (isQualifier(token)) continue;
      const role = roleOf(token);
      if (role !== undefined) return role;
    }
  for (const token of reversed) {
    const role = roleOf(token);
    if (role !== undefined) return role;
  }
  return 'unknown';
}

/** Whether the last word of a table's name (its head in `ArztBericht`, `customer_notes`) has a role. */
export function headWordKnown(name: string): boolean {
  const { tokens } = nameParts(name);
  const last = tokens[tokens.length - 1];
  return last !== undefined && roleOf(last) !== undefined;
}

/** What one word of a table name says (`kunder` people, `orders` records, `produkte` things), cached. */
function roleOf(token: string): TableNameRole | undefined {
  if (tokenRoles.has(token)) return tokenRoles.get(token);
  // A word no stem knows may abbreviate one that does (`brnch`, `custs`).
  const role = roleOfWord(token) ?? roleOfAbbreviation(token);
  if (tokenRoles.size >= 10_000) tokenRoles.clear();
  tokenRoles.set(token, role);
  return role;
}

function roleOfAbbreviation(token: string): TableNameRole | undefined {
  const word = expandAbbreviation(token);
  return word === undefined ? undefined : roleOfWord(word);
}

function roleOfWord(token: string): TableNameRole | undefined {
  return stemMatch(token, personTableStems)
    ? 'person'
    : stemMatch(token, recordTableStems)
      ? 'record'
      : stemMatch(token, thingTableStems)
        ? 'thing'
        : stemMatch(token, weakThingTableStems)
          ? 'weak-thing'
          : undefined;
}
const tokenRoles = new Map<string, TableNameRole | undefined>();

/** Two inflections of one word: `loja` and `lojas`, `klientow` and `klienci` (a shared start of most of the shorter). */
function sameStem(a: string, b: string): boolean {
  const shorter = Math.min(a.length, b.length);
  if (shorter < 3) return a === b;
  let common = 0;
  while (common < shorter && a[common] === b[common]) common++;
  return common >= Math.max(3, Math.ceil(shorter * 0.7));
}

/** True when one of the table name's words begins with one of the stems (`page_views` and `view`). */
export function tableNameHas(name: string, stems: readonly string[]): boolean {
  return nameParts(name).tokens.some((t) => stemMatch(t, stems));
}

/** Words of an organisation's row (`industry`, `website`, `vat_number`): a table with them is not about one person. */
export function isOrganisationColumn(name: string): boolean {
  const n = nameParts(name);
  return (
    has(
      n,
      set(
        'industry website homepage domain vat vatno orgnr organisationsnummer orgnumber cvr kvk siret siren ein employees headcount revenue turnover sector branche bransch nipc cnpj mcc mnc mccmnc plmn tadig',
      ),
    ) ||
    seq(n, 'vat', 'number') ||
    seq(n, 'org', 'number') ||
    seq(n, 'company', 'number') ||
    seq(n, 'registration', 'number') ||
    seq(n, 'number', 'of', 'employees') ||
    seq(n, 'annual', 'revenue') ||
    has(
      n,
      set(
        'partitaiva piva ragionesociale raisonsociale razonsocial regon krs ytunnus btw ustid mwst tva iva cif ico',
      ),
    ) ||
    seq(n, 'partita', 'iva') ||
    seq(n, 'ragione', 'sociale') ||
    seq(n, 'raison', 'sociale') ||
    seq(n, 'razon', 'social') ||
    seq(n, 'y', 'tunnus') ||
    seq(n, 'numero', 'tva') ||
    seq(n, 'razao', 'social') ||
    has(n, set('nip razaosocial')) ||
    // A company's name in the EEA's languages: nazwa_firmy, nome_empresa, firmenname.
    has(n, set('firmenname foretagsnamn yrityksen bedrijfsnaam companyname')) ||
    (has(n, set('firma firmy empresa azienda societe unternehmen foretag yritys bedrijf company')) &&
      has(n, set('name nazwa nome nombre nom naam namn navn nimi nazev')))
  );
}

/** Words of a machine's column (`server`, `host_ip`): its address is infrastructure, not a person's. */
export function isInfrastructureColumn(name: string): boolean {
  return has(
    nameParts(name),
    set('server servers host hostname node gateway proxy router nas instance cluster'),
  );
}
