/**
 * The default data-category taxonomy. Keys follow fideslang where one fits (`user.contact.email`),
 * so declarations written for other tools carry over; each entry names its W3C DPV term.
 * A declaration may add its own categories under any key; referring to a parent key
 * (`user.contact`) covers every key below it. A key below another names a part of it (the street
 * of a postal address, a given name), which lets a dataset say which part a column holds, so a
 * correction given in parts reaches the right columns.
 */
export interface TaxonomyEntry {
  readonly key: string;
  readonly name: string;
  readonly dpv: string;
  readonly special?: boolean;
}

export const defaultTaxonomy: readonly TaxonomyEntry[] = [
  { key: 'user', name: 'Personal data', dpv: 'dpv:PersonalData' },
  { key: 'user.name', name: 'Name', dpv: 'pd:Name' },
  { key: 'user.name.first', name: 'Given name', dpv: 'pd:Name' },
  { key: 'user.name.last', name: 'Family name', dpv: 'pd:Name' },
  { key: 'user.contact', name: 'Contact details', dpv: 'pd:Contact' },
  { key: 'user.contact.email', name: 'Email address', dpv: 'pd:EmailAddress' },
  { key: 'user.contact.phone_number', name: 'Telephone number', dpv: 'pd:TelephoneNumber' },
  { key: 'user.contact.address', name: 'Postal address', dpv: 'pd:PhysicalAddress' },
  { key: 'user.contact.address.street', name: 'Street address', dpv: 'pd:PhysicalAddress' },
  { key: 'user.contact.address.postal_code', name: 'Postal code', dpv: 'pd:PhysicalAddress' },
  { key: 'user.contact.address.city', name: 'City', dpv: 'pd:PhysicalAddress' },
  { key: 'user.contact.address.state', name: 'State or region', dpv: 'pd:PhysicalAddress' },
  { key: 'user.contact.address.country', name: 'Country', dpv: 'pd:PhysicalAddress' },
  { key: 'user.job_title', name: 'Job title', dpv: 'pd:JobTitle' },
  { key: 'user.workplace', name: 'Employer and workplace', dpv: 'pd:Professional' },
  { key: 'user.account', name: 'Account data', dpv: 'pd:Account' },
  { key: 'user.account.username', name: 'Username', dpv: 'pd:Username' },
  { key: 'user.account.settings', name: 'Account settings and configuration', dpv: 'pd:Preference' },
  { key: 'user.credentials', name: 'Credentials', dpv: 'pd:Authenticating' },
  { key: 'user.credentials.password', name: 'Password', dpv: 'pd:Password' },
  { key: 'user.unique_id', name: 'Customer or account identifier', dpv: 'pd:Identifier' },
  { key: 'user.demographic', name: 'Demographic data', dpv: 'pd:Demographic' },
  { key: 'user.demographic.age', name: 'Age or date of birth', dpv: 'pd:Age' },
  { key: 'user.preferences', name: 'Preferences and interests', dpv: 'pd:Interest' },
  { key: 'user.financial', name: 'Financial data', dpv: 'pd:Financial' },
  { key: 'user.financial.credit', name: 'Credit information', dpv: 'pd:CreditRecord' },
  { key: 'user.financial.payment', name: 'Payment details', dpv: 'pd:PaymentCardNumber' },
  { key: 'user.financial.purchase_history', name: 'Purchase history', dpv: 'pd:PurchasesAndSpendingHabit' },
  { key: 'user.device', name: 'Device data', dpv: 'pd:DeviceBased' },
  { key: 'user.device.cookie_id', name: 'Cookie identifier', dpv: 'pd:BrowserFingerprint' },
  { key: 'user.device.device_id', name: 'Device identifier', dpv: 'pd:DeviceApplicationData' },
  { key: 'user.device.ip_address', name: 'IP address', dpv: 'pd:IPAddress' },
  { key: 'user.device.browser', name: 'Browser and operating system', dpv: 'pd:DeviceSoftware' },
  { key: 'user.behavior', name: 'Behaviour', dpv: 'pd:Behavioral' },
  { key: 'user.behavior.browsing_history', name: 'Pages viewed and clicks', dpv: 'pd:BrowsingBehavior' },
  { key: 'user.behavior.search_history', name: 'Site search terms', dpv: 'pd:SearchHistory' },
  { key: 'user.behavior.interaction', name: 'Interaction with messages', dpv: 'pd:Behavioral' },
  { key: 'user.location', name: 'Location', dpv: 'pd:Location' },
  { key: 'user.location.imprecise', name: 'Approximate location', dpv: 'pd:Location' },
  { key: 'user.content', name: 'Content the person provided', dpv: 'pd:Communication' },
  { key: 'user.content.public', name: 'Content the person made public', dpv: 'pd:PublicLife' },
  { key: 'user.content.communication', name: 'Messages and support correspondence', dpv: 'pd:Communication' },
  { key: 'user.content.survey', name: 'Survey answers', dpv: 'pd:Opinion' },
  { key: 'user.social', name: 'Social network activity', dpv: 'pd:SocialMedia' },
  { key: 'user.consent', name: 'Consent and communication choices', dpv: 'dpv:ConsentRecord' },
  { key: 'user.telemetry', name: 'Service usage telemetry', dpv: 'pd:UsageHistory' },
  { key: 'user.health', name: 'Health data', dpv: 'pd:Health', special: true },
  { key: 'user.biometric', name: 'Biometric data', dpv: 'pd:Biometric', special: true },
];

/** DPV and GDPR terms for each legal basis. */
export const legalBasisTerms = {
  consent: { dpv: 'dpv:Consent', gdpr: 'eu-gdpr:A6-1-a', article: 'Art. 6(1)(a)' },
  contract: { dpv: 'dpv:Contract', gdpr: 'eu-gdpr:A6-1-b', article: 'Art. 6(1)(b)' },
  legal_obligation: { dpv: 'dpv:LegalObligation', gdpr: 'eu-gdpr:A6-1-c', article: 'Art. 6(1)(c)' },
  vital_interests: { dpv: 'dpv:VitalInterest', gdpr: 'eu-gdpr:A6-1-d', article: 'Art. 6(1)(d)' },
  public_task: { dpv: 'dpv:PublicInterest', gdpr: 'eu-gdpr:A6-1-e', article: 'Art. 6(1)(e)' },
  legitimate_interests: { dpv: 'dpv:LegitimateInterest', gdpr: 'eu-gdpr:A6-1-f', article: 'Art. 6(1)(f)' },
} as const;

/** True when `key` equals `ancestor` or lies below it (`user.contact` covers `user.contact.email`). */
export function categoryCovers(ancestor: string, key: string): boolean {
  return key === ancestor || key.startsWith(`${ancestor}.`);
}
