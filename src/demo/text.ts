/**
 * The demo site's words, in English and Swedish. Names of the company, its products, purposes
 * and newsletters come from the declaration; everything here is example wording that says so.
 */
/** The languages the demo site is written in (Steward's own pages speak every shipped language). */
export const demoLanguages = ['en', 'sv'] as const;
export type DemoLanguage = (typeof demoLanguages)[number];

export interface DemoText {
  readonly strip: string;
  readonly stripDetail: string;
  readonly openConsole: string;
  readonly skip: string;
  readonly mainNav: string;
  readonly languageNav: string;
  readonly otherLanguage: string;
  readonly nav: {
    readonly home: string;
    readonly products: string;
    readonly search: string;
    readonly newsletter: string;
    readonly contact: string;
  };
  readonly searchLabel: string;
  readonly searchButton: string;
  readonly footerHeading: string;
  readonly privacyNotice: string;
  readonly privacyCentre: string;
  readonly tagWaiting: string;
  readonly tagRan: string;
  readonly madeUp: string;

  readonly homeLead: string;
  readonly homeIntro: string;
  readonly tryHeading: string;
  readonly trySteps: readonly string[];
  readonly tryConsole: string;

  readonly productsTitle: string;
  readonly productsLead: string;
  readonly compare: string;
  readonly compareHeading: string;
  readonly compareProduct: string;
  readonly compareWhat: string;
  readonly compareWho: string;
  readonly roleController: string;
  readonly roleProcessor: string;
  readonly productFiller: readonly string[];
  readonly aboutHeading: string;
  readonly aboutFiller: readonly string[];
  readonly downloadsHeading: string;
  readonly download: string;
  readonly brokenDownload: string;
  readonly external: string;
  readonly externalHint: string;

  readonly searchTitle: string;
  readonly searchHint: string;
  readonly results: (count: number, query: string) => string;
  readonly noResults: (query: string) => string;
  readonly tooLong: string;

  readonly newsletterTitle: string;
  readonly newsletterLead: string;
  readonly emailLabel: string;
  readonly emailHint: string;
  readonly consentLegend: string;
  readonly listLabel: (name: string) => string;
  readonly listHint: (input: {
    description: string;
    purpose: string;
    sender: string;
    doubleOptIn: boolean;
  }) => string;
  readonly signUp: string;
  readonly howWeUse: string;
  readonly noLists: string;
  readonly emailRequired: string;
  readonly emailInvalid: string;
  readonly chooseList: string;
  readonly signedUpTitle: string;
  readonly askedToConfirm: (email: string) => string;
  readonly subscribed: (email: string) => string;
  readonly outboxHint: string;

  readonly contactTitle: string;
  readonly contactLead: string;
  readonly nameLabel: string;
  readonly replyHint: string;
  readonly messageLabel: string;
  readonly send: string;
  readonly purposeLine: (purpose: string, description: string) => string;
  readonly messageRequired: string;
  readonly tooLongField: (max: number) => string;
  readonly noContactPurpose: string;
  readonly sentTitle: string;
  readonly sent: (email: string) => string;
  readonly sentHint: string;
  readonly refused: (contact: string) => string;

  readonly errorSummary: string;
  readonly errorTitle: string;
  readonly noDeclaration: string;
  readonly rateLimited: string;
}

const en: DemoText = {
  strip: 'This is an example site that shows Steward at work.',
  stripDetail:
    'The company name comes from the declaration Steward loaded; the products and texts are made up. What you do here is real to Steward: choices, sign-ups and messages are recorded, and the figures appear in the console.',
  openConsole: 'Open the console',
  skip: 'Skip to content',
  mainNav: 'Main',
  languageNav: 'Language',
  otherLanguage: 'Svenska',
  nav: { home: 'Home', products: 'Products', search: 'Search', newsletter: 'Newsletter', contact: 'Contact' },
  searchLabel: 'Search the site',
  searchButton: 'Search',
  footerHeading: 'About this site',
  privacyNotice: 'Privacy and cookie notice',
  privacyCentre: 'Privacy centre: your rights',
  tagWaiting: 'Example marketing tag: not run. It waits until you allow Marketing in the cookie settings.',
  tagRan: 'Example marketing tag: ran, because you allowed Marketing.',
  madeUp: 'Example text: this product description is made up.',

  homeLead: 'Connected products for organisations, and a privacy notice that does what it says.',
  homeIntro:
    'This home page and the pages behind it load Steward’s browser script. It asks for your cookie choices, runs the marketing tag below only if you allow it, and sends page views and other events only as far as your choice allows.',
  tryHeading: 'What to try',
  trySteps: [
    'Make a choice in the cookie banner. The “Cookie settings” button at the bottom of every page opens it again.',
    'Browse the products page: scroll, press the compare button, follow a link to another site.',
    'Search the site.',
    'Sign up to the newsletter: Steward sends a message with a confirmation link (double opt-in).',
    'Send a message with the contact form: Steward records it for the purpose the declaration gives.',
  ],
  tryConsole:
    'Then sign in to the console to see the sign-up in the Outbox, the person under Subjects and the visits under Website.',

  productsTitle: 'Products',
  productsLead:
    'What we offer. The names come from our declaration; the descriptions of features are example text.',
  compare: 'Compare products',
  compareHeading: 'Comparison',
  compareProduct: 'Product',
  compareWhat: 'What it is',
  compareWho: 'Who decides how your data is used',
  roleController: 'We do: we are the controller.',
  roleProcessor: 'The customer organisation: we process the data on its behalf.',
  productFiller: [
    'Setting up takes an afternoon: the product connects to the systems your organisation already runs, and an administrator decides who sees what.',
    'Updates arrive automatically and are described in plain words before they are installed, so nobody is surprised by a change.',
  ],
  aboutHeading: 'About our products',
  aboutFiller: [
    'This section is long on purpose: it gives you something to scroll, so that the browser script can measure how far down a page visitors read, if you allowed analytics.',
    'We design every product to collect as little as it needs. Where a feature would need more, it is off until an administrator switches it on and tells the people concerned.',
    'Our support team answers in English and Swedish. Questions about how we handle personal data go to the privacy centre, which is linked at the bottom of every page.',
    'Prices depend on the number of users and the services chosen. Resellers in every Nordic country can put together an offer for your organisation.',
    'Each product has a documented life cycle: when it will receive updates, when it will be retired, and how to export your organisation’s data before that happens.',
    'Accessibility is part of every design review: the interfaces work with a keyboard alone, with screen readers and at high zoom.',
    'The hardware is built to be repaired: batteries and sensors can be replaced on site, and spare parts are kept for at least seven years.',
    'Energy use is reported in the administration view, per device and per month, so an organisation can see what it saves.',
    'Training is included for the first administrators, and short films show everyday tasks to everyone else.',
    'You have reached the end of the example text. Thank you for scrolling.',
  ],
  downloadsHeading: 'Downloads and links',
  download: 'Product sheet (text file)',
  brokenDownload: 'Old price list (removed on purpose: this link shows a download error)',
  external: 'Find a reseller at example.com',
  externalHint: 'Another website: leaving us for it is counted by its address only.',

  searchTitle: 'Search',
  searchHint: 'Type a word, for example a product name.',
  results: (count, query) => `${count === 1 ? '1 result' : `${count} results`} for “${query}”.`,
  noResults: (query) => `Nothing found for “${query}”. Try another word.`,
  tooLong: 'Use at most 200 characters.',

  newsletterTitle: 'Newsletter',
  newsletterLead: 'News about our products, upgrades and offers, by email. You can stop at any time.',
  emailLabel: 'Email address',
  emailHint: 'We send the newsletter here, after you confirm the address.',
  consentLegend: 'What you agree to',
  listLabel: (name) => `Yes, send me: ${name}`,
  listHint: ({ description, purpose, sender, doubleOptIn }) =>
    `${description} Purpose: ${purpose}. Sent by ${sender.replace(/\.$/, '')}.${doubleOptIn ? ' We first email you a link to confirm; nothing is sent until you follow it.' : ''} Every message has a link to unsubscribe.`,
  signUp: 'Sign up',
  howWeUse: 'How we use your address is described in our',
  noLists: 'The declaration in force offers no newsletter for this form.',
  emailRequired: 'Enter your email address.',
  emailInvalid: 'Enter an email address such as name@example.com.',
  chooseList: 'Tick a box to say which newsletter you want: without it nothing is signed up.',
  signedUpTitle: 'Check your inbox',
  askedToConfirm: (email) =>
    `Thank you. If ${email} can receive our newsletter, a message with a confirmation link is on its way. The newsletter starts only after you follow that link.`,
  subscribed: (email) => `Thank you: ${email} is signed up. Every message has a link to unsubscribe.`,
  outboxHint:
    'On this example site, messages wait in Steward’s outbox unless a mail server is configured: see Outbox in the console.',

  contactTitle: 'Contact us',
  contactLead: 'Questions about our products? Write to us and we will answer by email.',
  nameLabel: 'Your name (optional)',
  replyHint: 'We answer to this address and use it for nothing else.',
  messageLabel: 'Your message',
  send: 'Send',
  purposeLine: (purpose, description) => `We use what you send for one purpose: ${purpose}. ${description}`,
  messageRequired: 'Write your message.',
  tooLongField: (max) => `Use at most ${max} characters.`,
  noContactPurpose:
    'The declaration in force declares no purpose for a contact form, so this form is closed.',
  sentTitle: 'Message sent',
  sent: (email) => `Thank you. We have your message and will answer at ${email}.`,
  sentHint:
    'On this example site nobody answers: the message is a record in Steward, under Subjects in the console.',
  refused: (contact) => `We could not take your message here. Please write to us at ${contact}.`,

  errorSummary: 'There is a problem',
  errorTitle: 'Something went wrong',
  noDeclaration: 'No declaration is in force, so the example site has nothing to show.',
  rateLimited: 'Too many attempts in a short time. Wait a minute and try again.',
};

const sv: DemoText = {
  strip: 'Det här är en exempelwebbplats som visar Steward i arbete.',
  stripDetail:
    'Företagsnamnet kommer från deklarationen som Steward har läst in; produkterna och texterna är påhittade. Det du gör här är på riktigt för Steward: val, anmälningar och meddelanden registreras, och siffrorna visas i konsolen.',
  openConsole: 'Öppna konsolen',
  skip: 'Till innehållet',
  mainNav: 'Huvudmeny',
  languageNav: 'Språk',
  otherLanguage: 'English',
  nav: { home: 'Start', products: 'Produkter', search: 'Sök', newsletter: 'Nyhetsbrev', contact: 'Kontakt' },
  searchLabel: 'Sök på webbplatsen',
  searchButton: 'Sök',
  footerHeading: 'Om webbplatsen',
  privacyNotice: 'Integritets- och cookiemeddelande',
  privacyCentre: 'Integritetscenter: dina rättigheter',
  tagWaiting:
    'Exempel på marknadsföringstagg: har inte körts. Den väntar tills du tillåter Marknadsföring i cookieinställningarna.',
  tagRan: 'Exempel på marknadsföringstagg: har körts, eftersom du tillät Marknadsföring.',
  madeUp: 'Exempeltext: den här produktbeskrivningen är påhittad.',

  homeLead: 'Uppkopplade produkter för organisationer, och ett integritetsmeddelande som gör vad det säger.',
  homeIntro:
    'Den här startsidan och sidorna bakom den läser in Stewards webbläsarskript. Det frågar efter dina cookieval, kör marknadsföringstaggen nedan bara om du tillåter det och skickar sidvisningar och andra händelser bara så långt ditt val tillåter.',
  tryHeading: 'Det här kan du prova',
  trySteps: [
    'Gör ett val i cookiebannern. Knappen ”Cookieinställningar” längst ned på varje sida öppnar den igen.',
    'Titta på produktsidan: skrolla, tryck på jämförelseknappen, följ en länk till en annan webbplats.',
    'Sök på webbplatsen.',
    'Anmäl dig till nyhetsbrevet: Steward skickar ett meddelande med en bekräftelselänk (dubbel bekräftelse).',
    'Skicka ett meddelande med kontaktformuläret: Steward registrerar det för det ändamål som deklarationen anger.',
  ],
  tryConsole:
    'Logga sedan in i konsolen (på engelska) för att se anmälan under Outbox, personen under Subjects och besöken under Website.',

  productsTitle: 'Produkter',
  productsLead:
    'Det här erbjuder vi. Namnen kommer från vår deklaration; beskrivningarna av funktioner är exempeltext.',
  compare: 'Jämför produkter',
  compareHeading: 'Jämförelse',
  compareProduct: 'Produkt',
  compareWhat: 'Vad det är',
  compareWho: 'Vem som bestämmer hur dina uppgifter används',
  roleController: 'Vi: vi är personuppgiftsansvariga.',
  roleProcessor: 'Kundorganisationen: vi behandlar uppgifterna för dess räkning.',
  productFiller: [
    'Installationen tar en eftermiddag: produkten ansluts till de system som organisationen redan använder, och en administratör bestämmer vem som ser vad.',
    'Uppdateringar kommer automatiskt och beskrivs med vanliga ord innan de installeras, så att ingen överraskas av en ändring.',
  ],
  aboutHeading: 'Om våra produkter',
  aboutFiller: [
    'Det här avsnittet är långt med flit: det ger dig något att skrolla, så att webbläsarskriptet kan mäta hur långt ned på en sida besökare läser, om du har tillåtit statistik.',
    'Vi utformar varje produkt för att samla in så lite som den behöver. Där en funktion skulle behöva mer är den avstängd tills en administratör slår på den och informerar de berörda.',
    'Vår support svarar på svenska och engelska. Frågor om hur vi hanterar personuppgifter går till integritetscentret, som är länkat längst ned på varje sida.',
    'Priset beror på antalet användare och de tjänster som väljs. Återförsäljare i alla nordiska länder kan ta fram ett erbjudande för din organisation.',
    'Varje produkt har en dokumenterad livscykel: när den får uppdateringar, när den avvecklas och hur organisationen exporterar sina uppgifter innan dess.',
    'Tillgänglighet ingår i varje designgranskning: gränssnitten fungerar med enbart tangentbord, med skärmläsare och med stor förstoring.',
    'Hårdvaran är byggd för att kunna repareras: batterier och sensorer kan bytas på plats, och reservdelar finns i minst sju år.',
    'Energiförbrukningen redovisas i administrationsvyn, per enhet och månad, så att organisationen ser vad den sparar.',
    'Utbildning ingår för de första administratörerna, och korta filmer visar vardagliga uppgifter för alla andra.',
    'Du har nått slutet av exempeltexten. Tack för att du skrollade.',
  ],
  downloadsHeading: 'Nedladdningar och länkar',
  download: 'Produktblad (textfil)',
  brokenDownload: 'Gammal prislista (borttagen med flit: länken visar ett nedladdningsfel)',
  external: 'Hitta en återförsäljare på example.com',
  externalHint: 'En annan webbplats: att du lämnar oss för den räknas bara med dess adress.',

  searchTitle: 'Sök',
  searchHint: 'Skriv ett ord, till exempel ett produktnamn.',
  results: (count, query) => `${count === 1 ? '1 träff' : `${count} träffar`} för ”${query}”.`,
  noResults: (query) => `Inget hittades för ”${query}”. Prova ett annat ord.`,
  tooLong: 'Använd högst 200 tecken.',

  newsletterTitle: 'Nyhetsbrev',
  newsletterLead:
    'Nyheter om våra produkter, uppgraderingar och erbjudanden via e-post. Du kan sluta när som helst.',
  emailLabel: 'E-postadress',
  emailHint: 'Hit skickar vi nyhetsbrevet, när du har bekräftat adressen.',
  consentLegend: 'Det här godkänner du',
  listLabel: (name) => `Ja, skicka mig: ${name}`,
  listHint: ({ description, purpose, sender, doubleOptIn }) =>
    `${description} Ändamål: ${purpose}. Avsändare: ${sender.replace(/\.$/, '')}.${doubleOptIn ? ' Först skickar vi en länk för att bekräfta; inget skickas innan du har följt den.' : ''} Varje utskick har en länk för att avsluta prenumerationen.`,
  signUp: 'Anmäl mig',
  howWeUse: 'Hur vi använder din adress beskrivs i vårt',
  noLists: 'Deklarationen som gäller erbjuder inget nyhetsbrev för det här formuläret.',
  emailRequired: 'Ange din e-postadress.',
  emailInvalid: 'Ange en e-postadress som namn@example.com.',
  chooseList: 'Kryssa i vilket nyhetsbrev du vill ha: utan kryss anmäls ingenting.',
  signedUpTitle: 'Titta i din inkorg',
  askedToConfirm: (email) =>
    `Tack. Om ${email} kan ta emot vårt nyhetsbrev är ett meddelande med en bekräftelselänk på väg. Nyhetsbrevet börjar först när du har följt länken.`,
  subscribed: (email) =>
    `Tack: ${email} är anmäld. Varje utskick har en länk för att avsluta prenumerationen.`,
  outboxHint:
    'På den här exempelwebbplatsen väntar meddelanden i Stewards utkorg om ingen e-postserver är inställd: se Outbox i konsolen.',

  contactTitle: 'Kontakta oss',
  contactLead: 'Frågor om våra produkter? Skriv till oss så svarar vi via e-post.',
  nameLabel: 'Ditt namn (frivilligt)',
  replyHint: 'Vi svarar till den här adressen och använder den inte till något annat.',
  messageLabel: 'Ditt meddelande',
  send: 'Skicka',
  purposeLine: (purpose, description) =>
    `Vi använder det du skickar för ett ändamål: ${purpose}. ${description}`,
  messageRequired: 'Skriv ditt meddelande.',
  tooLongField: (max) => `Använd högst ${max} tecken.`,
  noContactPurpose:
    'Deklarationen som gäller anger inget ändamål för ett kontaktformulär, så formuläret är stängt.',
  sentTitle: 'Meddelandet är skickat',
  sent: (email) => `Tack. Vi har fått ditt meddelande och svarar till ${email}.`,
  sentHint:
    'På den här exempelwebbplatsen svarar ingen: meddelandet är en post i Steward, under Subjects i konsolen.',
  refused: (contact) => `Vi kunde inte ta emot ditt meddelande här. Skriv till oss på ${contact}.`,

  errorSummary: 'Något behöver rättas',
  errorTitle: 'Något gick fel',
  noDeclaration: 'Ingen deklaration gäller, så exempelwebbplatsen har inget att visa.',
  rateLimited: 'För många försök på kort tid. Vänta en minut och försök igen.',
};

export const demoText: Readonly<Record<DemoLanguage, DemoText>> = { en, sv };
