/**
 * Which data category a field of a captured record's data holds, by its name. A record names its
 * categories as a whole (`categories`), not per field, and its data is free-form, so this is
 * the one place that maps the field names forms and imports use (`email`, `phone`, `firstName`,
 * `postcode`...) to categories. It lets erasure keep, of a record a legal obligation keeps, only
 * the fields that obligation needs: an email address does not survive in a bookkeeping record
 * whose purpose does not list email addresses. A name it does not know maps to no category, and
 * such a field stays with the record.
 */

const byCategory: Readonly<Record<string, readonly string[]>> = {
  'user.contact.email': ['email', 'e-mail', 'emailaddress', 'mail', 'epost', 'workemail', 'contactemail'],
  'user.contact.phone_number': [
    'phone',
    'phonenumber',
    'telephone',
    'tel',
    'mobile',
    'mobilephone',
    'cellphone',
    'telefon',
    'mobil',
  ],
  'user.contact.address': [
    'address',
    'streetaddress',
    'street',
    'addressline1',
    'addressline2',
    'postcode',
    'postalcode',
    'zip',
    'zipcode',
    'city',
    'town',
    'country',
    'adress',
    'postnummer',
    'ort',
  ],
  'user.name': ['name', 'fullname', 'firstname', 'lastname', 'givenname', 'familyname', 'surname', 'namn'],
  'user.job_title': ['title', 'jobtitle', 'role', 'position'],
  'user.workplace': ['company', 'organisation', 'organization', 'employer', 'companyname', 'foretag'],
  'user.demographic.age': ['age', 'birthdate', 'dateofbirth', 'dob'],
  'user.device.ip_address': ['ip', 'ipaddress'],
  'user.device.browser': ['useragent', 'browser'],
  'user.content.communication': ['message', 'comment', 'question', 'body', 'text'],
};

/** Every category a field name can reveal: what anonymising a record removes. */
export const fieldCategories: ReadonlySet<string> = new Set(Object.keys(byCategory));

const index = new Map<string, string>(
  Object.entries(byCategory).flatMap(([category, names]) => names.map((n) => [n, category] as const)),
);

/** `first_name`, `First Name` and `firstName` are one name. */
export const normaliseFieldName = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const normalise = normaliseFieldName;

/** Parts of a postal address a field name can single out, finer than its category. */
const addressParts: Readonly<Record<string, string>> = {
  postcode: 'user.contact.address.postal_code',
  postalcode: 'user.contact.address.postal_code',
  zip: 'user.contact.address.postal_code',
  zipcode: 'user.contact.address.postal_code',
  postnummer: 'user.contact.address.postal_code',
  street: 'user.contact.address.street',
  streetaddress: 'user.contact.address.street',
  addressline1: 'user.contact.address.street',
  addressline2: 'user.contact.address.street',
  city: 'user.contact.address.city',
  town: 'user.contact.address.city',
  ort: 'user.contact.address.city',
  country: 'user.contact.address.country',
};

/** Like categoryOfDataField, but a postcode field holds `user.contact.address.postal_code`. */
export function finestCategoryOfDataField(name: string): string | undefined {
  return addressParts[normalise(name)] ?? index.get(normalise(name));
}

/** The category a record data field holds, judged by its name; undefined when the name says nothing. */
export function categoryOfDataField(name: string): string | undefined {
  return index.get(normalise(name));
}

/**
 * The record data without the fields whose category `keep` refuses; fields of unknown category
 * stay. Returns the fields removed, sorted.
 */
export function reduceRecordData(
  data: Readonly<Record<string, unknown>>,
  keep: (category: string) => boolean,
): { data: Record<string, unknown>; removed: string[] } {
  const kept: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [name, value] of Object.entries(data)) {
    const category = categoryOfDataField(name);
    if (category !== undefined && !keep(category)) removed.push(name);
    else kept[name] = value;
  }
  return { data: kept, removed: removed.sort() };
}
