/**
 * Classifies the columns of a live schema into data categories (keys of the default taxonomy) or
 * "not personal", from four kinds of evidence: the column's name (pattern families in several
 * languages, `names.ts`), the table it is in (a `name` in `customers` is a person's, in
 * `products` it is not), its type, and a small sample of its values (`detectors.ts`).
 *
 * Sampled values only ever become counts (`SampleStats`): a classification holds a confidence and
 * the rules that fired, never a value, so nothing sampled can reach a proposal, a log or an error.
 */
import type { IntrospectedColumn, IntrospectedTable, Introspection } from '../connectors/contract.js';
import type { IdentityKind } from '../connectors/dataset.js';
import {
  isCardNumber,
  isCoordinate,
  isCoordinatePair,
  isEmail,
  isIban,
  isIccid,
  isImei,
  isIpAddress,
  isMacAddress,
  isMaskedCardNumber,
  isOrganisationName,
  isPostalCode,
  isProse,
  isRoleMailbox,
  isSentence,
  isSocialProfileUrl,
  jsonKeys,
  parseDate,
  personNameShape,
  phoneShape,
  plausibleBirthDates,
} from './detectors.js';
import { expandAbbreviation } from './abbreviations.js';
import type { DetectorId, NameFamily, NameParts, TableNameRole, TableRole, TypeKind } from './names.js';
import {
  isInfrastructureColumn,
  isOrganisationColumn,
  modifiers as defaultBlockers,
  nameFamilies,
  nameParts,
  personWords,
  reviewTableStems,
  headWordKnown,
  tableNameHas,
  tableRoleByName,
  typeKind,
} from './names.js';

/** How many values discovery samples from each column. */
export const SAMPLE_LIMIT = 50;

/** What a column's sampled values were, as counts only (the values themselves are not kept). */
export interface SampleStats {
  /** Non-empty values looked at. */
  readonly n: number;
  readonly email: number;
  /** Emails of a function (`support@`, `noreply@`), not of a person. */
  readonly roleMailbox: number;
  /** Values shaped as phone numbers beyond doubt (`+`, `00`, grouped digits). */
  readonly phoneStrong: number;
  /** Every phone-shaped value, bare digit strings with a trunk 0 included. */
  readonly phone: number;
  readonly ip: number;
  readonly iban: number;
  /** Payment card numbers, whole (Luhn-valid, a network's prefix) or masked (`411111******1111`). */
  readonly card: number;
  readonly postcode: number;
  /** Handsets' IMEIs (15 digits, Luhn-valid). */
  readonly imei: number;
  /** SIM cards' ICCIDs (89…, Luhn-valid). */
  readonly iccid: number;
  readonly mac: number;
  /** Pairs of coordinates (`59.3293, 18.0686`, WKT or GeoJSON points). */
  readonly coordinates: number;
  /** Single latitudes or longitudes (decimals with three or more places, within ±180). */
  readonly coordinate: number;
  /** Values holding a common given name. */
  readonly givenName: number;
  /** Values shaped as names ("Two Capitalised" words) or holding a given name. */
  readonly nameShape: number;
  /** URLs of people's profiles on social networks. */
  readonly social: number;
  /** Free text: phrases of several words, not codes. */
  readonly prose: number;
  /** Sentences someone wrote (four words or more, lower-case words among them). */
  readonly sentences: number;
  /** Names of organisations: a legal form (`GmbH`, `S.p.A.`) or an institution's kind (`Lycée`, `Klinik`). */
  readonly organisation: number;
  /** Values that parse as dates. */
  readonly dates: number;
  /** The parsed dates look like dates of birth. */
  readonly birthDates: boolean;
  /** Values that are JSON objects or arrays. */
  readonly json: number;
  /** Families the JSON objects' keys match, with how many objects had such a key. */
  readonly jsonFamilies: ReadonlyMap<string, number>;
  /** Value detectors that matched strings inside the JSON objects (detector → count). */
  readonly jsonValues: ReadonlyMap<DetectorId, number>;
}

/** Counts what the detectors see in `values` (at most `SAMPLE_LIMIT` are looked at). */
export function sampleStats(values: readonly string[], now: Date): SampleStats {
  const taken = values
    .slice(0, SAMPLE_LIMIT)
    .map((v) => String(v))
    .filter((v) => v.trim() !== '');
  const count = (test: (v: string) => boolean) => taken.filter(test).length;
  const dates = taken.map(parseDate).filter((d): d is Date => d !== undefined);
  const jsonFamilies = new Map<string, number>();
  const jsonValues = new Map<DetectorId, number>();
  let json = 0;
  for (const v of taken) {
    const inner = jsonKeys(v);
    if (inner === undefined) continue;
    json++;
    const seen = new Set<string>();
    for (const key of inner.keys) {
      const family = familyOf(nameParts(key));
      if (family !== undefined) seen.add(family.id);
    }
    for (const id of seen) jsonFamilies.set(id, (jsonFamilies.get(id) ?? 0) + 1);
    const found = new Set<DetectorId>();
    for (const s of inner.strings) {
      if (isEmail(s)) found.add('email');
      else if (phoneShape(s) === 'strong') found.add('phone');
      else if (isIpAddress(s)) found.add('ip');
      else if (isIban(s)) found.add('iban');
      else if (isCardNumber(s) || isMaskedCardNumber(s)) found.add('card');
      else if (isSocialProfileUrl(s)) found.add('social');
      else if (isImei(s) || isIccid(s) || isMacAddress(s)) found.add('imei');
    }
    for (const id of found) jsonValues.set(id, (jsonValues.get(id) ?? 0) + 1);
  }
  const names = taken.map(personNameShape);
  return {
    n: taken.length,
    email: count(isEmail),
    roleMailbox: count(isRoleMailbox),
    phoneStrong: count((v) => phoneShape(v) === 'strong'),
    phone: count((v) => phoneShape(v) !== false),
    ip: count(isIpAddress),
    iban: count(isIban),
    card: count((v) => isCardNumber(v) || isMaskedCardNumber(v)),
    postcode: count(isPostalCode),
    imei: count(isImei),
    iccid: count(isIccid),
    mac: count(isMacAddress),
    coordinates: count(isCoordinatePair),
    coordinate: count(isCoordinate),
    social: count(isSocialProfileUrl),
    prose: count(isProse),
    sentences: count(isSentence),
    organisation: count(isOrganisationName),
    givenName: names.filter((s) => s === 'given').length,
    nameShape: names.filter((s) => s !== false).length,
    dates: dates.length,
    birthDates: dates.length >= Math.max(1, taken.length * 0.8) && plausibleBirthDates(dates, now),
    json,
    jsonFamilies,
    jsonValues,
  };
}

/** A column's verdict: a category (personal) or none (not personal), how sure, and which rules said so. */
export interface ColumnClassification {
  readonly category?: string;
  readonly identity?: IdentityKind;
  /** 0–1: how sure the verdict is (personal or not). */
  readonly confidence: number;
  /** The rules that fired (`name:email`, `values:email 48/50`, `context:person-table`); never a value. */
  readonly reasons: readonly string[];
  /** Something a reviewer should look at (an organisation's contact details left out, a weak match). */
  readonly review?: string;
}

/** What classifying a column knows about its table. */
export interface TableContext {
  readonly table: IntrospectedTable;
  readonly role: TableRole;
  /** The table's rows point at a person (a foreign key or a `user_id`-like column). */
  readonly owned: boolean;
  /** Roles of every table of the schema, by name (for foreign keys). */
  readonly roles: ReadonlyMap<string, TableRole>;
  /** The tables whose rows point at a person (for foreign keys to a person's devices). */
  readonly ownedTables?: ReadonlySet<string>;
}

/** The tables of `tableRoles` whose rows point at a person. */
export function ownedOf(roles: ReadonlyMap<string, { owned: boolean }>): ReadonlySet<string> {
  return new Set([...roles].filter(([, v]) => v.owned).map(([k]) => k));
}

/** A column's sampled counts, when it was sampled. */
export type StatsOf = (table: IntrospectedTable, column: IntrospectedColumn) => SampleStats | undefined;

/**
 * Table roles of a whole schema: from names, then from what their columns, their sampled values
 * and their foreign keys say. `statsOf`, when given, lets values decide what names cannot: a
 * `Name` column of company names (`Autohaus Weber GmbH`) makes a table an organisation's, one of
 * people's given names a table of people.
 */
export function tableRoles(
  introspection: Introspection,
  statsOf?: StatsOf,
): Map<string, { role: TableRole; owned: boolean }> {
  const byName = new Map<string, TableNameRole>();
  for (const t of introspection.tables) {
    const referenced = t.foreignKeys.map((fk) => fk.references.table).filter((r) => r !== t.name);
    byName.set(t.name, tableRoleByName(t.name, referenced));
  }
  const roles = new Map<string, { role: TableRole; owned: boolean }>();
  const evidence = new Map<string, ReturnType<typeof personSignals> & ValueSignals>();
  // First the people: by name, or by columns only a person's row has.
  for (const t of introspection.tables) {
    const named = byName.get(t.name)!;
    const organisationColumns = t.columns.filter((c) => isOrganisationColumn(c.name)).length;
    const organisation = organisationColumns > 0;
    const personal = { ...personSignals(t), ...valueSignals(t, statsOf) };
    evidence.set(t.name, personal);
    // A row that points at a person by a foreign key is that person's record, even when it repeats
    // their tax number or birth date (an invoice); only names make it a table of people.
    const pointsAtPerson = t.foreignKeys.some(
      (fk) => fk.references.table !== t.name && byName.get(fk.references.table) === 'person',
    );
    // A table the name says nothing about is a person's when it has a person's own name columns
    // (a contact person's name is an organisation's detail), or names of people in its values;
    // an organisation's when it has an organisation's columns or names; a person's again on
    // other strong signs.
    const role: TableRole =
      named === 'weak-thing'
        ? 'thing'
        : // Rows named after organisations (`Autohaus Weber GmbH`, `Lycée Victor Hugo`) are not people.
          personal.organisationNames && !personal.ownNames
          ? 'thing'
          : // Customers that are companies (`klienci` with a company name and a tax number) are organisations.
            named === 'person' && organisationColumns >= 2 && !personal.ownNames
            ? 'thing'
            : named !== 'unknown'
              ? named
              : personal.ownNames || personal.peopleNames
                ? 'person'
                : organisation
                  ? 'thing'
                  : personal.strong && !pointsAtPerson
                    ? 'person'
                    : 'unknown';
    roles.set(t.name, { role, owned: false });
  }
  const isPerson = (name: string) => roles.get(name)?.role === 'person';
  for (const t of introspection.tables) {
    const entry = roles.get(t.name)!;
    const signs = evidence.get(t.name)!;
    if ((entry.role !== 'person' && entry.role !== 'unknown') || signs.ownNames || signs.peopleNames)
      continue;
    const references = t.foreignKeys.filter((fk) => fk.references.table !== t.name);
    // Named after a person by a qualifier only (`ArztBericht`, a doctor's report, whose head word
    // the rules do not know) and pointing at a person: a record of that person.
    if (entry.role === 'person' && byName.get(t.name) === 'person' && !headWordKnown(t.name)) {
      if (references.some((fk) => isPerson(fk.references.table)))
        roles.set(t.name, { role: 'record', owned: false });
      continue;
    }
    // Unknown, or taken for people on weaker signs, but what people's rows point at (their
    // broker, their school, their branch): an organisation or a place, not a person.
    // A row that itself points at a record or a person (a claim a third party is named in) is
    // a record, whatever points at it.
    const pointsAtRecords = references.some((fk) => {
      const target = roles.get(fk.references.table)?.role;
      return target === 'person' || target === 'record';
    });
    if (
      byName.get(t.name) === 'unknown' &&
      !signs.strong &&
      !pointsAtRecords &&
      introspection.tables.some((p) => {
        const theirs = evidence.get(p.name)!;
        return (
          p.name !== t.name &&
          isPerson(p.name) &&
          (theirs.ownNames || theirs.peopleNames) &&
          p.foreignKeys.some((fk) => fk.columns.length === 1 && fk.references.table === t.name)
        );
      })
    )
      roles.set(t.name, { role: 'thing', owned: false });
  }
  // Then the rows that point at people, directly or through another record of theirs (an offer
  // made on a candidate's application), until nothing changes.
  for (let changed = true, round = 0; changed && round < 5; round++) {
    changed = false;
    for (const t of introspection.tables) {
      const entry = roles.get(t.name)!;
      if (entry.role === 'person' || entry.owned) continue;
      const viaKey = t.foreignKeys.some((fk) => {
        if (fk.columns.length !== 1 || fk.references.table === t.name) return false;
        const target = roles.get(fk.references.table);
        return target?.role === 'person' || (target?.role === 'record' && target.owned);
      });
      const viaName = t.columns.some((c) => isPersonKeyName(nameParts(c.name)));
      if (!viaKey && !viaName) continue;
      const weak = byName.get(t.name) === 'weak-thing';
      const role = entry.role === 'unknown' || weak ? 'record' : entry.role;
      roles.set(t.name, { role, owned: true });
      changed = true;
    }
  }
  // A table the name says nothing about, whose references all point at things (alarms of network
  // cells, readings of a warehouse's sensors), is about those things.
  for (const t of introspection.tables) {
    const entry = roles.get(t.name)!;
    if (entry.role !== 'unknown' || entry.owned) continue;
    const targets = t.foreignKeys
      .filter((fk) => fk.references.table !== t.name)
      .map((fk) => roles.get(fk.references.table)?.role);
    if (targets.length > 0 && targets.every((r) => r === 'thing'))
      roles.set(t.name, { role: 'thing', owned: false });
  }
  return roles;
}

interface ValueSignals {
  /** A name column whose values are mostly organisations' names. */
  readonly organisationNames: boolean;
  /** A bare name column whose values are mostly people's names. */
  readonly peopleNames: boolean;
}

/** What the sampled values of a table's name columns say about its rows. */
function valueSignals(t: IntrospectedTable, statsOf: StatsOf | undefined): ValueSignals {
  let organisationNames = false;
  let peopleNames = false;
  if (statsOf === undefined) return { organisationNames, peopleNames };
  for (const c of t.columns) {
    const n = nameParts(c.name);
    const id = familyOf(n, typeKind(c.type))?.id;
    const nameColumn = id === 'bare_name' || id === 'qualified_name' || isOrganisationColumn(c.name);
    if (!nameColumn) continue;
    const stats = statsOf(t, c);
    if (stats === undefined || stats.n < 3) continue;
    if (ratio(stats.organisation, stats.n) >= 0.6) organisationNames = true;
    else if (id === 'bare_name' && ratio(stats.givenName, stats.n) >= 0.5) peopleNames = true;
  }
  return { organisationNames, peopleNames };
}

function personSignals(t: IntrospectedTable): { strong: boolean; names: boolean; ownNames: boolean } {
  const ids = t.columns.map((c) => familyOf(nameParts(c.name), typeKind(c.type))?.id);
  const names = ids.includes('person_name');
  // Names of the row's own person, not of a contact person at an organisation.
  const ownNames = t.columns.some(
    (c, i) => ids[i] === 'person_name' && !nameParts(c.name).tokens.some((w) => contactWords.has(w)),
  );
  const contact = ids.includes('email') || ids.includes('phone');
  const strong =
    names ||
    ids.includes('birth_date') ||
    ids.includes('national_id') ||
    (contact && (ids.includes('password') || ids.includes('username')));
  return { strong, names, ownNames };
}

/** Words of a contact person at an organisation (`osoba_kontaktowa`, `ansprechpartner`). */
const contactWords: ReadonlySet<string> = new Set(
  'contact kontakt kontaktowa kontaktowy kontaktni contacto contato contatto referente kontaktperson ansprechpartner contactpersoon yhteyshenkilo'.split(
    ' ',
  ),
);

/** `user_id`, `customerId`, `kund_id`, `patient_uuid`: a key naming a person. */
function isPersonKeyName(n: NameParts): boolean {
  const last = n.tokens[n.tokens.length - 1];
  const before = n.tokens[n.tokens.length - 2];
  if (last === undefined || before === undefined) return false;
  return (
    ['id', 'uuid', 'uid', 'key'].includes(last) &&
    (personWords.has(before) || tableRoleByName(before) === 'person')
  );
}

/**
 * The name with German umlauts written out as `ae`, `oe`, `ue` folded back (`Fuehrerschein` →
 * fuhrerschein) and its unknown short words written out (`gndr_cd` → gender, code), or undefined
 * when neither changes it.
 */
function expandedParts(n: NameParts): NameParts | undefined {
  let changed = false;
  const tokens = n.tokens.map((t) => {
    const folded =
      t.length >= 6 ? t.replace(/([^aeiou])(ae|oe|ue)/g, (_, c: string, v: string) => c + v[0]) : t;
    const word = expandAbbreviation(folded) ?? folded;
    if (word === t) return t;
    changed = true;
    return word;
  });
  return changed ? { tokens, joined: tokens.join('') } : undefined;
}

/** The first family the name matches and that the type allows, ignoring context (used for JSON keys and table signals). */
function familyOf(n: NameParts, kind: TypeKind = 'unknown'): NameFamily | undefined {
  return nameFamilies.find((f) => matches(f, n, kind));
}

const defaultTypes: readonly TypeKind[] = ['text', 'unknown'];

function matches(f: NameFamily, n: NameParts, kind: TypeKind): boolean {
  // The type first: it is cheaper than the words and rules out most families for numbers and dates.
  if (!(f.types ?? defaultTypes).includes(kind) && !(kind === 'json' && f.types === undefined)) return false;
  if (!f.match(n)) return false;
  const blocked = f.blockedBy ?? defaultBlockers;
  return !n.tokens.some((t) => blocked.has(t));
}

const ratio = (hits: number, n: number) => (n === 0 ? 0 : hits / n);
const share = (hits: number, n: number) => `${hits}/${n}`;

/** Evidence from values for a detector: the share of sampled values it accepted. */
function detectorHits(detector: DetectorId, s: SampleStats): number {
  switch (detector) {
    case 'email':
      return s.email;
    case 'phone':
      return s.phone;
    case 'ip':
      return s.ip;
    case 'iban':
      return s.iban;
    case 'card':
      return s.card;
    case 'postcode':
      return s.postcode;
    case 'person_name':
      return s.nameShape;
    case 'birth_date':
      return s.birthDates ? s.dates : 0;
    case 'social':
      return s.social;
    case 'prose':
      return s.prose;
    case 'imei':
      return s.imei;
    case 'iccid':
      return s.iccid;
    case 'mac':
      return s.mac;
    case 'coordinates':
      return s.coordinates;
    case 'coordinate':
      return s.coordinate;
  }
}

/** Detectors whose silence on a full sample speaks against the name (an "email" column without one email). */
const telling: ReadonlySet<DetectorId> = new Set([
  'email',
  'ip',
  'card',
  'birth_date',
  'imei',
  'iccid',
  'mac',
]);

function identityFor(family: NameFamily | undefined, category: string | undefined): IdentityKind | undefined {
  if (category === undefined) return undefined;
  return family?.identity;
}

/**
 * Classifies one column. `samples` are at most `SAMPLE_LIMIT` of its values (or none, when it was
 * not sampled); they are reduced to counts at once and not kept.
 */
export function classifyColumn(
  context: TableContext,
  column: IntrospectedColumn,
  samples: readonly string[] | undefined,
  now: Date = new Date(),
): ColumnClassification {
  const stats = samples === undefined ? undefined : sampleStats(samples, now);
  return classifyWithStats(context, column, stats);
}

/** As `classifyColumn`, from counts already taken. */
export function classifyWithStats(
  context: TableContext,
  column: IntrospectedColumn,
  stats: SampleStats | undefined,
): ColumnClassification {
  const { table, role } = context;
  const kind = typeKind(column.type);
  const reasons: string[] = [];
  const familyFor = (parts: NameParts) =>
    nameFamilies.find(
      (f) => matches(f, parts, kind) && (f.tables === undefined || tableNameHas(table.name, f.tables)),
    );
  let n = nameParts(column.name);
  let family = familyFor(n);
  // Words no rule knows may be abbreviations of words one does (`gndr_cd`, `occp_desc`).
  if (family === undefined) {
    const expanded = expandedParts(n);
    const other = expanded === undefined ? undefined : familyFor(expanded);
    if (expanded !== undefined && other !== undefined) {
      n = expanded;
      family = other;
      reasons.push('name:abbreviation');
    }
  }
  const gate = family === undefined ? undefined : contextGate(family, context, n);

  // Keys: a person table's own key identifies the person; a foreign key is as personal as what it
  // points at; a key or a reference that is itself a person's device or place (an ICCID) is that.
  if (family?.keys !== true || gate?.verdict !== 'open') {
    const keyVerdict = classifyKey(context, column, n, kind);
    if (keyVerdict !== undefined) return keyVerdict;
  }

  if (family !== undefined && gate !== undefined) {
    reasons.push(`name:${family.id}`);
    const hits =
      family.detector !== undefined && stats !== undefined ? detectorHits(family.detector, stats) : 0;
    const sampled = stats?.n ?? 0;
    const supported = family.detector !== undefined && sampled >= 3 && ratio(hits, sampled) >= 0.6;
    if (family.detector !== undefined && sampled > 0)
      reasons.push(`values:${family.detector} ${share(hits, sampled)}`);
    if (gate.verdict === 'blocked') {
      // Values can still show people where the context said no (first names in a table of things).
      if (
        family.id === 'bare_name' &&
        stats !== undefined &&
        stats.n >= 5 &&
        ratio(stats.givenName, stats.n) >= 0.5
      ) {
        reasons.push(`context:${role}-table`, 'values:given-names');
        return { category: family.category, confidence: 0.6, reasons };
      }
      reasons.push(gate.reason);
      return {
        confidence: gate.confidence,
        reasons,
        ...(gate.review !== undefined ? { review: gate.review } : {}),
      };
    }
    if (gate.verdict === 'weak') {
      // Only values make a weak name personal: a `name` in `bookings` that holds people's given
      // names. Capitalised words alone do not: products and places have them too.
      const nameLike = stats !== undefined && stats.n >= 5 && ratio(stats.givenName, stats.n) >= 0.4;
      if (family.detector === 'person_name' && nameLike) {
        reasons.push(gate.reason, 'values:person-names');
        return { category: family.category, confidence: 0.7, reasons };
      }
      reasons.push(gate.reason);
      return {
        confidence: 0.55,
        reasons,
        review: `"${column.name}" may hold personal data (${family.category}); the table does not say so. Check it.`,
      };
    }
    reasons.push(gate.reason);
    // Dates are no name, address, login or job: a `LetzterLogin` of timestamps is when, not who.
    if (stats !== undefined && stats.n >= 5 && datesNotWho(family, stats)) {
      reasons.push(`values:dates ${share(stats.dates, stats.n)}`);
      return { confidence: 0.75, reasons };
    }
    if (
      family.needsValues !== undefined &&
      stats !== undefined &&
      stats.n >= 5 &&
      ratio(detectorHits(family.needsValues, stats), stats.n) < 0.3
    ) {
      reasons.push(`values:${family.needsValues} ${share(detectorHits(family.needsValues, stats), stats.n)}`);
      return {
        confidence: 0.6,
        reasons,
        review: `The name may say ${family.category}, but the sampled values do not look like it; left not personal. Check it.`,
      };
    }
    if (stats !== undefined && roleMailboxes(stats)) return roleMailboxVerdict(column, stats, reasons);
    const rejected = family.detector !== undefined && sampled >= 5 && ratio(hits, sampled) < 0.1;
    if (rejected && family.otherwise !== undefined) {
      reasons.push(`values:not-${family.detector}`);
      return { category: family.otherwise, confidence: Math.min(gate.confidence, 0.75), reasons };
    }
    let confidence = gate.confidence;
    if (supported) confidence = Math.max(confidence, 0.97);
    else if (rejected && telling.has(family.detector!)) confidence = Math.min(confidence, 0.6);
    const override = stats === undefined ? undefined : valueOverride(stats, family.detector);
    if (override !== undefined) {
      reasons.push(override.reason);
      return {
        category: override.category,
        ...(override.identity !== undefined ? { identity: override.identity } : {}),
        confidence: Math.max(confidence, 0.9),
        reasons,
      };
    }
    const category = refineCategory(family, context);
    const identity = identityFor(family, category);
    return {
      category,
      ...(identity !== undefined ? { identity } : {}),
      confidence,
      reasons,
      ...(confidence < 0.65
        ? { review: `The name says ${category}, but the sampled values do not look like it. Check it.` }
        : {}),
    };
  }

  // A key naming a person without a foreign key (`user_id` in an events table).
  if (isPersonKeyName(n) && role !== 'thing')
    return { category: 'user.unique_id', confidence: 0.75, reasons: ['name:person-key'] };

  // A server's or a host's address is the machine's, whatever its values look like.
  if (isInfrastructureColumn(column.name)) return { confidence: 0.8, reasons: ['name:infrastructure'] };

  // No name rule: values alone, or the keys of JSON objects.
  if (stats !== undefined && stats.n >= 5) {
    if (roleMailboxes(stats)) return roleMailboxVerdict(column, stats);
    const byValues = classifyByValues(context, stats, kind);
    if (byValues !== undefined) return byValues;
  }
  if (kind === 'json' && stats === undefined) {
    return {
      confidence: 0.5,
      reasons: ['type:json', 'values:not-sampled'],
      review: `"${column.name}" is a JSON column that was not sampled: look inside for personal keys.`,
    };
  }
  return { confidence: stats === undefined ? 0.6 : 0.75, reasons: ['no-rule'] };
}

function classifyKey(
  context: TableContext,
  column: IntrospectedColumn,
  n: NameParts,
  kind: TypeKind,
): ColumnClassification | undefined {
  const { table, role, roles } = context;
  const fk = table.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === column.name);
  if (fk !== undefined) {
    const target = roles.get(fk.references.table);
    if (target === 'person')
      return { category: 'user.unique_id', confidence: 0.9, reasons: ['reference:person-table'] };
    // A reference to a person's device by its identifier is that identifier.
    if (isDeviceKey(fk.references.table, context.ownedTables?.has(fk.references.table) === true, kind))
      return { category: 'user.device.device_id', confidence: 0.75, reasons: ['reference:device-table'] };
    return { confidence: 0.85, reasons: [`reference:${target ?? 'unknown'}-table`] };
  }
  const isKey = table.primaryKey.length === 1 && table.primaryKey[0] === column.name;
  if (isKey) {
    if (role === 'person') {
      const identity: IdentityKind = tableNameHas(table.name, [
        'user',
        'account',
        'login',
        'member',
        'subscriber',
        'profile',
        'benutzer',
        'anvandar',
        'bruger',
        'bruker',
      ])
        ? 'account'
        : 'customer';
      return { category: 'user.unique_id', identity, confidence: 0.9, reasons: ['key:person-table'] };
    }
    if (kind !== 'numeric' && tableNameHas(table.name, ['session', 'visitor', 'cookie']))
      return { category: 'user.device.cookie_id', confidence: 0.8, reasons: ['key:session-table'] };
    if (isDeviceKey(table.name, context.owned, kind))
      return { category: 'user.device.device_id', confidence: 0.75, reasons: ['key:device-table'] };
    return { confidence: 0.9, reasons: [`key:${role}-table`] };
  }
  return undefined;
}

/** The key of a table of a person's devices, when it is an identifier rather than a row number. */
function isDeviceKey(table: string, owned: boolean, kind: TypeKind): boolean {
  return kind !== 'numeric' && owned && tableNameHas(table, ['device']);
}

type Gate =
  | { verdict: 'open'; confidence: number; reason: string }
  | { verdict: 'weak'; reason: string }
  | { verdict: 'blocked'; confidence: number; reason: string; review?: string };

/** Whether the table lets a family's name mean a person's data. */
function contextGate(family: NameFamily, context: TableContext, n: NameParts): Gate {
  const { role, owned } = context;
  const qualified = n.tokens.some((t) => personWords.has(t));
  if (family.reach === 'intrinsic') return { verdict: 'open', confidence: 0.85, reason: 'context:any-table' };
  if (role === 'thing') {
    if (family.reach === 'contact' && qualified)
      return { verdict: 'open', confidence: 0.8, reason: 'context:person-word' };
    return {
      verdict: 'blocked',
      confidence: 0.7,
      reason: 'context:thing-table',
      ...(family.reach === 'contact'
        ? {
            review: `Looks like ${family.category} of an organisation or a thing, left not personal; mark it if it can name a person.`,
          }
        : {}),
    };
  }
  // A person word in the name (`author_twitter`) says whose it is where the table does not.
  const vouched = family.reach === 'contact' && qualified;
  if (family.needs === 'person' && role !== 'person' && !vouched)
    return { verdict: 'weak', reason: `context:${role}-table` };
  if (family.needs === 'owned' && role !== 'person' && !owned && !vouched)
    return { verdict: 'weak', reason: `context:${role}-table` };
  const confidence =
    family.reach === 'contact'
      ? role === 'unknown'
        ? 0.75
        : 0.85
      : role === 'person'
        ? 0.8
        : role === 'record'
          ? 0.7
          : 0.6;
  return { verdict: 'open', confidence, reason: `context:${role}-table` };
}

/** Categories whose values are never dates. */
const neverDates = [
  'user.name',
  'user.contact',
  'user.account',
  'user.job_title',
  'user.workplace',
  'user.social',
];

/** Most sampled values are dates (and not of birth), under a family whose values never are. */
function datesNotWho(family: NameFamily, s: SampleStats): boolean {
  return (
    !s.birthDates &&
    ratio(s.dates, s.n) >= 0.8 &&
    neverDates.some((c) => family.category === c || family.category.startsWith(`${c}.`))
  );
}

/** Most values are mailboxes of functions (`support@`, `noreply@`): an organisation's addresses. */
function roleMailboxes(s: SampleStats): boolean {
  return s.n >= 5 && ratio(s.roleMailbox, s.n) >= 0.8;
}

function roleMailboxVerdict(
  column: IntrospectedColumn,
  s: SampleStats,
  reasons: readonly string[] = [],
): ColumnClassification {
  return {
    confidence: 0.7,
    reasons: [...reasons, `values:role-mailbox ${share(s.roleMailbox, s.n)}`],
    review: `"${column.name}" holds the addresses of functions (support, info), not of people; left not personal. Check it.`,
  };
}

/**
 * Values that say beyond doubt what a column holds overrule the category its name suggested: a
 * `to_address` of emails holds emails, not postal addresses.
 */
function valueOverride(
  s: SampleStats,
  detector: DetectorId | undefined,
): { category: string; identity?: IdentityKind; reason: string } | undefined {
  if (s.n < 5) return undefined;
  const clear = (hits: number) => hits / s.n >= 0.8;
  if (detector !== 'email' && clear(s.email))
    return {
      category: 'user.contact.email',
      identity: 'email',
      reason: `values:email ${share(s.email, s.n)}`,
    };
  if (detector !== 'card' && clear(s.card))
    return { category: 'user.financial.payment', reason: `values:card ${share(s.card, s.n)}` };
  if (detector !== 'iban' && clear(s.iban))
    return { category: 'user.financial', reason: `values:iban ${share(s.iban, s.n)}` };
  if (detector !== 'ip' && clear(s.ip))
    return { category: 'user.device.ip_address', reason: `values:ip ${share(s.ip, s.n)}` };
  if (detector !== 'phone' && clear(s.phoneStrong))
    return {
      category: 'user.contact.phone_number',
      identity: 'phone',
      reason: `values:phone ${share(s.phoneStrong, s.n)}`,
    };
  const device = deviceIds(s);
  if (detector !== device.id && clear(device.hits))
    return { category: 'user.device.device_id', reason: `values:${device.id} ${share(device.hits, s.n)}` };
  return undefined;
}

/** The device identifier most of the values are (IMEI, ICCID or MAC address), with its count. */
function deviceIds(s: SampleStats): { id: DetectorId; hits: number } {
  const found: { id: DetectorId; hits: number }[] = [
    { id: 'imei', hits: s.imei },
    { id: 'iccid', hits: s.iccid },
    { id: 'mac', hits: s.mac },
  ];
  return found.reduce((a, b) => (b.hits > a.hits ? b : a));
}

/** A family's category, made specific by the table: free text in `reviews` is public content. */
function refineCategory(family: NameFamily, context: TableContext): string {
  if (family.id === 'content' || family.id === 'content_title') {
    if (tableNameHas(context.table.name, reviewTableStems)) return 'user.content.public';
    if (tableNameHas(context.table.name, ['survey', 'questionnaire', 'poll', 'enkat', 'umfrage']))
      return 'user.content.survey';
  }
  return family.category;
}

function classifyByValues(
  context: TableContext,
  s: SampleStats,
  kind: TypeKind,
): ColumnClassification | undefined {
  const { role } = context;
  const thing = role === 'thing';
  const strong = (hits: number) => ratio(hits, s.n) >= 0.8;
  const reason = (id: string, hits: number) => `values:${id} ${share(hits, s.n)}`;
  const notInThing = (
    category: string,
    id: string,
    hits: number,
    identity?: IdentityKind,
  ): ColumnClassification =>
    thing
      ? {
          confidence: 0.6,
          reasons: [reason(id, hits), 'context:thing-table'],
          review: `Values look like ${category} in a table of things or organisations; left not personal. Check it.`,
        }
      : {
          category,
          ...(identity !== undefined ? { identity } : {}),
          confidence: 0.85,
          reasons: [reason(id, hits)],
        };

  if (strong(s.card))
    return { category: 'user.financial.payment', confidence: 0.9, reasons: [reason('card', s.card)] };
  if (strong(s.email)) return notInThing('user.contact.email', 'email', s.email, 'email');
  if (strong(s.iban)) return notInThing('user.financial', 'iban', s.iban);
  if (strong(s.ip)) return notInThing('user.device.ip_address', 'ip', s.ip);
  if (strong(s.phone) && ratio(s.phoneStrong, s.n) >= 0.5)
    return notInThing('user.contact.phone_number', 'phone', s.phone, 'phone');
  // Check digits and shapes no other data has: a handset's IMEI, a SIM's ICCID, a MAC address.
  const device = deviceIds(s);
  if (strong(device.hits)) return notInThing('user.device.device_id', device.id, device.hits);
  if (strong(s.coordinates)) return notInThing('user.location', 'coordinates', s.coordinates);
  // Sentences written in a person's row or their record's (a claim's account, a teacher's remark);
  // a row that only may point at a person (an event's organiser) is not theirs.
  if (
    (role === 'person' || (context.owned && ownedWhole(context))) &&
    ratio(s.sentences, s.n) >= 0.6 &&
    (kind === 'text' || kind === 'unknown')
  )
    return {
      category: 'user.content.communication',
      confidence: 0.6,
      reasons: [reason('sentences', s.sentences)],
      review: 'Free text in a person’s records: it may say anything about them. Check it.',
    };
  if (!thing && ratio(s.givenName, s.n) >= 0.6 && (kind === 'text' || kind === 'unknown'))
    return { category: 'user.name', confidence: 0.65, reasons: [reason('given-names', s.givenName)] };
  // Profile links are a person's in a table of people; elsewhere they are a venue's or an event's.
  if (role === 'person' && strong(s.social))
    return { category: 'user.social', confidence: 0.8, reasons: [reason('social', s.social)] };

  if (s.json > 0 && ratio(s.json, s.n) >= 0.6) {
    const found = nameFamilies.filter(
      (f) => (s.jsonFamilies.get(f.id) ?? 0) > 0 && jsonFamilyOpen(f, context),
    );
    const values = [...s.jsonValues.keys()].filter((v) => v !== 'social' || role === 'person');
    if (found.length > 0 || values.length > 0) {
      const first = found[0];
      const category = first?.category ?? valueCategory(values[0]!);
      return {
        category,
        confidence: found.length > 0 ? 0.8 : 0.75,
        reasons: [
          'type:json',
          ...(found.length > 0 ? [`json-keys:${found.map((f) => f.id).join(',')}`] : []),
          ...(values.length > 0 ? [`json-values:${values.join(',')}`] : []),
        ],
      };
    }
    return { confidence: 0.7, reasons: ['type:json', 'json-keys:none-personal'] };
  }
  return undefined;
}

/** The row cannot exist without its person: a required reference to them or to a record of theirs. */
function ownedWhole(context: TableContext): boolean {
  const { table, roles, ownedTables } = context;
  return table.foreignKeys.some((fk) => {
    if (fk.columns.length !== 1 || fk.references.table === table.name) return false;
    const column = table.columns.find((c) => c.name === fk.columns[0]);
    if (column === undefined || column.nullable || fk.onDelete === 'set_null') return false;
    return roles.get(fk.references.table) === 'person' || ownedTables?.has(fk.references.table) === true;
  });
}

function jsonFamilyOpen(f: NameFamily, context: TableContext): boolean {
  if (context.role === 'thing') return f.reach === 'intrinsic';
  if (f.tables !== undefined && !tableNameHas(context.table.name, f.tables)) return false;
  if (f.needs === 'person') return context.role === 'person';
  if (f.needs === 'owned') return context.role === 'person' || context.owned;
  return true;
}

function valueCategory(detector: DetectorId): string {
  switch (detector) {
    case 'email':
      return 'user.contact.email';
    case 'phone':
      return 'user.contact.phone_number';
    case 'ip':
      return 'user.device.ip_address';
    case 'iban':
      return 'user.financial';
    case 'card':
      return 'user.financial.payment';
    case 'social':
      return 'user.social';
    case 'imei':
    case 'iccid':
    case 'mac':
      return 'user.device.device_id';
    case 'coordinates':
      return 'user.location';
    default:
      return 'user';
  }
}

/**
 * Whether discovery should sample a column: every column but booleans, binary data and integer
 * keys, whose values tell nothing the name and the foreign keys do not.
 */
export function needsSample(table: IntrospectedTable, column: IntrospectedColumn): boolean {
  const kind = typeKind(column.type);
  if (kind === 'boolean' || kind === 'binary') return false;
  const isKey =
    (table.primaryKey.length === 1 && table.primaryKey[0] === column.name) ||
    table.foreignKeys.some((f) => f.columns.includes(column.name));
  return !(isKey && kind === 'numeric');
}

/** A table's columns with their verdicts. */
export interface ClassifiedTable {
  readonly table: IntrospectedTable;
  readonly role: TableRole;
  readonly owned: boolean;
  readonly columns: readonly {
    readonly column: IntrospectedColumn;
    readonly verdict: ColumnClassification;
  }[];
}

/**
 * Classifies every column of a schema by the rules alone (`proposeDataset` adds the learned scorer,
 * `model.ts`). `samplesOf` gives a column's sampled values (or undefined
 * when it was not sampled); each is reduced to counts at once.
 */
export function classifySchema(
  introspection: Introspection,
  samplesOf: (table: IntrospectedTable, column: IntrospectedColumn) => readonly string[] | undefined,
  now: Date = new Date(),
): ClassifiedTable[] {
  const stats = new Map<IntrospectedTable, Map<string, SampleStats | undefined>>();
  for (const table of introspection.tables)
    stats.set(
      table,
      new Map(
        table.columns.map((column) => {
          const samples = samplesOf(table, column);
          return [column.name, samples === undefined ? undefined : sampleStats(samples, now)];
        }),
      ),
    );
  const statsOf: StatsOf = (table, column) => stats.get(table)?.get(column.name);
  const roles = tableRoles(introspection, statsOf);
  const roleOf = new Map([...roles].map(([k, v]) => [k, v.role]));
  const ownedTables = ownedOf(roles);
  return introspection.tables.map((table) => {
    const { role, owned } = roles.get(table.name)!;
    const context: TableContext = { table, role, owned, roles: roleOf, ownedTables };
    return {
      table,
      role,
      owned,
      columns: table.columns.map((column) => ({
        column,
        verdict: classifyWithStats(context, column, statsOf(table, column)),
      })),
    };
  });
}
