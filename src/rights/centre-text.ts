/**
 * The words of the privacy centre pages in English and Swedish. Values passed in are plain
 * text; the pages escape them.
 */
import type { RequestType } from '../policy/schema.js';
import type { PageLanguage } from '../server/public-page.js';

export interface CentreText {
  readonly title: string;
  readonly lead: (org: string) => string;
  readonly formHeading: string;
  readonly declarationLabel: string;
  readonly serviceLabel: string;
  readonly serviceAny: string;
  readonly typeLegend: string;
  readonly types: Readonly<Record<RequestType, { readonly name: string; readonly text: string }>>;
  readonly emailLabel: string;
  readonly emailHint: string;
  readonly nameLabel: string;
  readonly detailsLabel: string;
  readonly detailsHint: string;
  readonly rectificationLegend: string;
  readonly rectificationHint: string;
  readonly fieldLabel: (n: number) => string;
  readonly valueLabel: (n: number) => string;
  readonly objectionLegend: string;
  readonly objectionMarketing: string;
  readonly objectionPurpose: string;
  readonly purposeLabel: string;
  readonly groundsLabel: string;
  readonly submit: string;
  readonly errorSummary: string;
  readonly required: string;
  readonly invalidEmail: string;
  readonly chooseType: string;
  readonly choosePurpose: string;
  // after sending
  readonly sentTitle: string;
  readonly sentLead: (reference: string) => string;
  readonly sentCode: string;
  readonly sentWait: string;
  readonly routedLead: (provider: string) => string;
  readonly keepLink: string;
  // following a request
  readonly followTitle: string;
  readonly followLead: string;
  readonly tokenLabel: string;
  readonly tokenHint: string;
  readonly showStatus: string;
  readonly requestTitle: (reference: string) => string;
  readonly typeTerm: string;
  readonly receivedTerm: string;
  readonly statusTerm: string;
  readonly deadlineTerm: string;
  readonly statuses: Readonly<Record<string, string>>;
  readonly codeHeading: string;
  readonly codeSecondHeading: string;
  readonly codeLabel: string;
  readonly codeHint: string;
  readonly confirmCode: string;
  readonly resend: string;
  readonly resent: string;
  readonly codeResults: Readonly<
    Record<'wrong_code' | 'expired' | 'too_many_attempts' | 'no_challenge' | 'second_code' | 'wait', string>
  >;
  readonly codeFormat: string;
  readonly stepsHeading: string;
  readonly steps: Readonly<Record<string, string>>;
  readonly withdrawHeading: string;
  readonly withdrawConfirm: string;
  readonly withdrawButton: string;
  readonly withdrawn: string;
  readonly withdrawUnconfirmed: string;
  readonly script: string;
  // collecting a result
  readonly resultTitle: string;
  readonly resultLead: string;
  readonly sendResultCode: string;
  readonly resultCodeSent: string;
  readonly passphraseLabel: string;
  readonly passphraseHint: string;
  readonly passphraseAgainLabel: string;
  readonly passphraseShort: string;
  readonly passphraseMismatch: string;
  readonly download: string;
  readonly downloadOnce: string;
  readonly resultGone: string;
  readonly askAgain: (org: string | undefined, contact: string | undefined) => string;
  readonly newRequest: string;
  readonly downloadBusy: string;
  readonly sendHeading: string;
  readonly sendLead: string;
  readonly endpointLabel: string;
  readonly endpointHint: string;
  readonly authorizationLabel: string;
  readonly authorizationHint: string;
  readonly send: string;
  readonly sent: (host: string) => string;
  readonly sendFailed: (
    host: string,
    reason: 'rejected' | 'private_address' | 'timeout' | 'unreachable',
  ) => string;
  readonly endpointMissing: string;
  readonly endpointProblems: {
    readonly not_url: string;
    readonly credentials: string;
    readonly not_https: string;
    readonly not_public: (host: string) => string;
  };
  // errors
  readonly errorTitle: string;
  readonly errorCode: string;
  readonly badLink: string;
  readonly rateLimited: string;
}

const en: CentreText = {
  title: 'Your privacy rights',
  lead: (org) =>
    `Ask ${org} for a copy of your data, to correct or delete it, or to stop a use of it. After you send a request, this site shows the date by which we answer; if we need longer, we tell you why.`,
  formHeading: 'Make a request',
  declarationLabel: 'Which part of our business is it about?',
  serviceLabel: 'Which service is it about? (optional)',
  serviceAny: 'All our services',
  typeLegend: 'What would you like us to do?',
  types: {
    access: {
      name: 'Give me a copy of my data',
      text: 'The personal data we hold about you, and what we do with it, why, and for how long.',
    },
    portability: {
      name: 'Let me take my data elsewhere',
      text: 'The data you gave us, in a machine-readable form you can take to another organisation.',
    },
    rectification: {
      name: 'Correct my data',
      text: 'Tell us what is wrong or missing, and what it should say.',
    },
    erasure: {
      name: 'Delete my data',
      text: 'We delete what we may. If the law makes us keep something, we tell you what and why.',
    },
    restriction: {
      name: 'Pause the use of my data',
      text: 'We keep your data but only store it until the matter is settled, and tell you before we resume.',
    },
    objection: {
      name: 'Object to a use of my data',
      text: 'Stop all direct marketing at once, or object to a use that rests on our legitimate interests.',
    },
    withdrawal: {
      name: 'Withdraw my consent',
      text: 'We stop everything we do because you agreed to it, from now on.',
    },
  },
  emailLabel: 'Your email address',
  emailHint:
    'We send a code to check it is you, but only to an address we already have for you. We never send your data anywhere else.',
  nameLabel: 'Your name (optional)',
  detailsLabel: 'Anything else we should know (optional)',
  detailsHint: 'For example where you dealt with us, or which data you mean.',
  rectificationLegend: 'What should be corrected?',
  rectificationHint: 'Name each piece of data and what it should say. Leave rows you do not need empty.',
  fieldLabel: (n) => `Data ${n}, for example "postal address"`,
  valueLabel: (n) => `What data ${n} should say`,
  objectionLegend: 'What do you object to?',
  objectionMarketing: 'Direct marketing of any kind (no reason needed)',
  objectionPurpose: 'A use that rests on our legitimate interests',
  purposeLabel: 'Which use?',
  groundsLabel: 'Why, in your situation (optional)',
  submit: 'Send request',
  errorSummary: 'Please correct the following:',
  required: 'This is needed.',
  invalidEmail: 'Enter an email address such as name@example.com.',
  chooseType: 'Choose what you would like us to do.',
  choosePurpose: 'Choose the use you object to.',
  sentTitle: 'Request received',
  sentLead: (reference) => `Your request has the reference ${reference}.`,
  sentCode:
    'If we hold contact details for you, we have sent a code to them. Enter it below to confirm it is you. The code works for 15 minutes; you can ask for a new one.',
  sentWait: 'We will confirm it is you and write to you when it is done.',
  routedLead: (provider) =>
    `We handle this service on behalf of ${provider}, who decides about your data. We have passed your request on to them; they will answer you.`,
  keepLink:
    'The email with your code also has a link to follow your request. This page is the only other way in: keep it open until you have entered the code.',
  followTitle: 'Follow your request',
  followLead: 'Enter the code we sent you, or see how your request is going.',
  tokenLabel: 'Access key',
  tokenHint: 'The part of the link in your email after "#token=". Filled in for you when you use the link.',
  showStatus: 'Show my request',
  requestTitle: (reference) => `Request ${reference}`,
  typeTerm: 'What you asked',
  receivedTerm: 'Received',
  statusTerm: 'Status',
  deadlineTerm: 'We answer by',
  statuses: {
    received: 'Received',
    verifying: 'Waiting for your code',
    awaiting_review: 'Being checked by our staff',
    in_progress: 'Being carried out',
    completed: 'Done: we have written to you',
    refused: 'Refused: we have written to you with the reasons',
    withdrawn: 'Withdrawn',
    expired: 'Closed: the code was not entered in time',
    routed: 'Passed on to the organisation responsible',
  },
  codeHeading: 'Confirm it is you',
  codeSecondHeading: 'Confirm with your second code',
  codeLabel: 'Code (6 digits)',
  codeHint: 'From the email we sent you.',
  confirmCode: 'Confirm',
  resend: 'Send me a new code',
  resent: 'If we hold contact details for you, a new code is on its way.',
  codeResults: {
    wrong_code: 'That code is not right. Check it and try again, or ask for a new one.',
    expired: 'That code has expired. Ask for a new one.',
    too_many_attempts: 'Too many wrong codes. Ask for a new one.',
    no_challenge: 'There is no code waiting for this request.',
    second_code:
      'Thank you. We have sent a second code to another address we hold for you. Enter it to finish.',
    wait: 'Thank you, your request is confirmed. We will write to you when it is done.',
  },
  codeFormat: 'Enter the 6 digits of the code.',
  stepsHeading: 'What has happened',
  steps: {
    received: 'Request received',
    first_step_passed: 'First code confirmed',
    verified: 'Confirmed that it is you',
    verified_by_operator: 'Confirmed that it is you',
    awaiting_review: 'Passed to our staff to check',
    needs_review: 'Passed to our staff to check',
    approved: 'Checked and accepted',
    fulfilment_started: 'Work started',
    extended: 'Deadline extended (we wrote to you with the reasons)',
    fee_set: 'A fee applies (we wrote to you with the reasons)',
    completed: 'Done',
    refused: 'Refused',
    withdrawn: 'Withdrawn',
    expired_unverified: 'Closed because the code was not entered',
    routed_to_provider: 'Passed on to the organisation responsible',
    download_started: 'You started downloading the answer',
    download_interrupted: 'The download broke off before the end; nothing was used up',
    result_collected: 'You downloaded the answer',
    transmission_started: 'We started sending your data to the organisation you named',
    transmission_failed: 'The organisation you named did not take your data; nothing was used up',
    result_transmitted: 'We sent your data to the organisation you named',
    result_link_closed:
      'The link to your answer was closed: too many codes were asked for or tried with it. Make a new request to get your data',
  },
  withdrawHeading: 'Withdraw the request',
  withdrawConfirm: 'I no longer want this request',
  withdrawButton: 'Withdraw request',
  withdrawn: 'Your request is withdrawn.',
  withdrawUnconfirmed: 'Tick the box to confirm that you want to withdraw the request.',
  script: 'The link in your email fills in the access key only with JavaScript; without it, paste the key.',
  resultTitle: 'Collect your answer',
  resultLead:
    'Your data is ready. To make sure only you get it, we send a code to the address you confirmed. The link works once.',
  sendResultCode: 'Send me a code',
  resultCodeSent: 'We have sent a code to the address you confirmed. It works for 15 minutes.',
  passphraseLabel: 'Passphrase (optional)',
  passphraseHint:
    'At least 8 characters. If you set one, the file is encrypted with it (AES-256) and opens only with it. We do not keep it and cannot recover it.',
  passphraseAgainLabel: 'The passphrase again',
  passphraseShort: 'Use at least 8 characters, or leave both passphrase fields empty.',
  passphraseMismatch: 'The two passphrases differ.',
  download: 'Download my data',
  downloadOnce:
    'The download starts at once. When all of it has arrived, the link is used up: save the file. If it breaks off, try again with the same code.',
  resultGone:
    'This link can no longer be used: it was used already, or it expired, or it was closed because too many codes were asked for or tried with it.',
  askAgain: (org, contact) =>
    `To get your data, make a new request, or contact ${org ?? 'the organisation that wrote to you'}${contact ? ` (${contact})` : ''}.`,
  newRequest: 'Make a new request',
  downloadBusy:
    'This answer is being downloaded already. Wait for that download to finish, or try again in a few minutes.',
  sendHeading: 'Or send it straight to another organisation',
  sendLead:
    'If another organisation has given you an address to send your data to, we can send it there for you, instead of the download. It goes only over an encrypted connection (https), and only where you say.',
  endpointLabel: 'Their address (URL)',
  endpointHint: 'It starts with https://, for example https://example.com/import.',
  authorizationLabel: 'Their access key (if they gave you one)',
  authorizationHint: 'Sent to them with the data, as they asked; we do not keep it.',
  send: 'Send my data there',
  sent: (host) => `Your data was sent to ${host}, and they accepted it. The link is now used.`,
  sendFailed: (host, reason) =>
    ({
      rejected: `${host} did not accept the data.`,
      private_address: `${host} is not on the public internet, so we do not send personal data there.`,
      timeout: `${host} did not answer in time.`,
      unreachable: `We could not reach ${host}.`,
    })[reason] + ' Nothing was used up: ask for a new code to try again, or download your data instead.',
  endpointMissing: 'Give the address to send your data to.',
  endpointProblems: {
    not_url: 'This is not a web address: it should look like https://example.com/import.',
    credentials: 'Leave the user name and password out of the address; put an access key in the field below.',
    not_https:
      'The address must start with https://: we send personal data only over an encrypted connection.',
    not_public: (host) => `${host} is not on the public internet, so we do not send personal data there.`,
  },
  errorTitle: 'Something went wrong',
  errorCode: 'Error code',
  badLink: 'This link or access key is not valid. Use the link in the latest email we sent you.',
  rateLimited: 'Too many attempts. Wait a few minutes and try again.',
};

const sv: CentreText = {
  title: 'Dina rättigheter',
  lead: (org) =>
    `Be ${org} om en kopia av dina uppgifter, om att rätta eller radera dem, eller om att sluta använda dem på ett visst sätt. När du har skickat en begäran visar sidan senaste dag för vårt svar; behöver vi längre tid säger vi varför.`,
  formHeading: 'Skicka en begäran',
  declarationLabel: 'Vilken del av vår verksamhet gäller det?',
  serviceLabel: 'Vilken tjänst gäller det? (frivilligt)',
  serviceAny: 'Alla våra tjänster',
  typeLegend: 'Vad vill du att vi gör?',
  types: {
    access: {
      name: 'Ge mig en kopia av mina uppgifter',
      text: 'Personuppgifterna vi har om dig, och vad vi gör med dem, varför och hur länge.',
    },
    portability: {
      name: 'Låt mig ta med mina uppgifter',
      text: 'Uppgifterna du har gett oss, i maskinläsbar form som du kan ta med till en annan organisation.',
    },
    rectification: {
      name: 'Rätta mina uppgifter',
      text: 'Berätta vad som är fel eller saknas och vad det ska stå.',
    },
    erasure: {
      name: 'Radera mina uppgifter',
      text: 'Vi raderar det vi får. Om lagen kräver att vi sparar något berättar vi vad och varför.',
    },
    restriction: {
      name: 'Pausa användningen av mina uppgifter',
      text: 'Vi behåller uppgifterna men bara lagrar dem tills frågan är avgjord, och säger till innan vi fortsätter.',
    },
    objection: {
      name: 'Invänd mot en användning av mina uppgifter',
      text: 'Stoppa all direktmarknadsföring direkt, eller invänd mot en användning som grundas på vårt berättigade intresse.',
    },
    withdrawal: {
      name: 'Återkalla mitt samtycke',
      text: 'Vi slutar med allt vi gör för att du har samtyckt till det, från och med nu.',
    },
  },
  emailLabel: 'Din e-postadress',
  emailHint:
    'Vi skickar en kod för att kontrollera att det är du, men bara till en adress vi redan har för dig. Vi skickar aldrig dina uppgifter någon annanstans.',
  nameLabel: 'Ditt namn (frivilligt)',
  detailsLabel: 'Något mer vi bör veta (frivilligt)',
  detailsHint: 'Till exempel var du hade kontakt med oss, eller vilka uppgifter du menar.',
  rectificationLegend: 'Vad ska rättas?',
  rectificationHint: 'Ange varje uppgift och vad den ska vara. Lämna rader du inte behöver tomma.',
  fieldLabel: (n) => `Uppgift ${n}, till exempel ”postadress”`,
  valueLabel: (n) => `Vad uppgift ${n} ska vara`,
  objectionLegend: 'Vad invänder du mot?',
  objectionMarketing: 'All slags direktmarknadsföring (inget skäl behövs)',
  objectionPurpose: 'En användning som grundas på vårt berättigade intresse',
  purposeLabel: 'Vilken användning?',
  groundsLabel: 'Varför, i din situation (frivilligt)',
  submit: 'Skicka begäran',
  errorSummary: 'Rätta följande:',
  required: 'Det här behövs.',
  invalidEmail: 'Ange en e-postadress, till exempel namn@example.com.',
  chooseType: 'Välj vad du vill att vi gör.',
  choosePurpose: 'Välj användningen du invänder mot.',
  sentTitle: 'Begäran mottagen',
  sentLead: (reference) => `Din begäran har referensen ${reference}.`,
  sentCode:
    'Om vi har kontaktuppgifter till dig har vi skickat en kod till dem. Ange den nedan för att bekräfta att det är du. Koden gäller i 15 minuter; du kan be om en ny.',
  sentWait: 'Vi kontrollerar att det är du och skriver till dig när det är klart.',
  routedLead: (provider) =>
    `Vi sköter den här tjänsten åt ${provider}, som bestämmer över dina uppgifter. Vi har skickat din begäran vidare till dem; de svarar dig.`,
  keepLink:
    'Mejlet med koden har också en länk där du kan följa din begäran. Den här sidan är det enda andra sättet: håll den öppen tills du har angett koden.',
  followTitle: 'Följ din begäran',
  followLead: 'Ange koden vi skickade, eller se hur det går med din begäran.',
  tokenLabel: 'Åtkomstnyckel',
  tokenHint: 'Delen av länken i mejlet efter ”#token=”. Fylls i åt dig när du använder länken.',
  showStatus: 'Visa min begäran',
  requestTitle: (reference) => `Begäran ${reference}`,
  typeTerm: 'Vad du bad om',
  receivedTerm: 'Mottagen',
  statusTerm: 'Status',
  deadlineTerm: 'Vi svarar senast',
  statuses: {
    received: 'Mottagen',
    verifying: 'Väntar på din kod',
    awaiting_review: 'Kontrolleras av vår personal',
    in_progress: 'Utförs',
    completed: 'Klar: vi har skrivit till dig',
    refused: 'Avslagen: vi har skrivit till dig med skälen',
    withdrawn: 'Återkallad',
    expired: 'Stängd: koden angavs inte i tid',
    routed: 'Vidareskickad till den ansvariga organisationen',
  },
  codeHeading: 'Bekräfta att det är du',
  codeSecondHeading: 'Bekräfta med din andra kod',
  codeLabel: 'Kod (6 siffror)',
  codeHint: 'Från mejlet vi skickade.',
  confirmCode: 'Bekräfta',
  resend: 'Skicka en ny kod',
  resent: 'Om vi har kontaktuppgifter till dig är en ny kod på väg.',
  codeResults: {
    wrong_code: 'Koden stämmer inte. Kontrollera den och försök igen, eller be om en ny.',
    expired: 'Koden har gått ut. Be om en ny.',
    too_many_attempts: 'För många felaktiga koder. Be om en ny.',
    no_challenge: 'Ingen kod väntar för den här begäran.',
    second_code:
      'Tack. Vi har skickat en andra kod till en annan adress vi har för dig. Ange den för att bli klar.',
    wait: 'Tack, din begäran är bekräftad. Vi skriver till dig när den är klar.',
  },
  codeFormat: 'Ange kodens 6 siffror.',
  stepsHeading: 'Vad som har hänt',
  steps: {
    received: 'Begäran mottagen',
    first_step_passed: 'Första koden bekräftad',
    verified: 'Bekräftat att det är du',
    verified_by_operator: 'Bekräftat att det är du',
    awaiting_review: 'Lämnad till vår personal för kontroll',
    needs_review: 'Lämnad till vår personal för kontroll',
    approved: 'Kontrollerad och godtagen',
    fulfilment_started: 'Arbetet har börjat',
    extended: 'Tidsfristen förlängd (vi har skrivit till dig med skälen)',
    fee_set: 'En avgift tas ut (vi har skrivit till dig med skälen)',
    completed: 'Klar',
    refused: 'Avslagen',
    withdrawn: 'Återkallad',
    expired_unverified: 'Stängd eftersom koden inte angavs',
    routed_to_provider: 'Vidareskickad till den ansvariga organisationen',
    download_started: 'Du började ladda ner svaret',
    download_interrupted: 'Nedladdningen avbröts före slutet; inget förbrukades',
    result_collected: 'Du laddade ner svaret',
    transmission_started: 'Vi började skicka dina uppgifter till organisationen du angav',
    transmission_failed: 'Organisationen du angav tog inte emot dina uppgifter; inget förbrukades',
    result_transmitted: 'Vi skickade dina uppgifter till organisationen du angav',
    result_link_closed:
      'Länken till ditt svar stängdes: för många koder begärdes eller prövades med den. Gör en ny begäran för att få dina uppgifter',
  },
  withdrawHeading: 'Återkalla begäran',
  withdrawConfirm: 'Jag vill inte längre ha den här begäran',
  withdrawButton: 'Återkalla begäran',
  withdrawn: 'Din begäran är återkallad.',
  withdrawUnconfirmed: 'Kryssa i rutan för att bekräfta att du vill återkalla begäran.',
  script: 'Länken i mejlet fyller bara i åtkomstnyckeln med JavaScript; utan det, klistra in nyckeln.',
  resultTitle: 'Hämta ditt svar',
  resultLead:
    'Dina uppgifter är klara. För att bara du ska få dem skickar vi en kod till adressen du bekräftade. Länken fungerar en gång.',
  sendResultCode: 'Skicka en kod',
  resultCodeSent: 'Vi har skickat en kod till adressen du bekräftade. Den gäller i 15 minuter.',
  passphraseLabel: 'Lösenfras (frivilligt)',
  passphraseHint:
    'Minst 8 tecken. Om du anger en krypteras filen med den (AES-256) och går bara att öppna med den. Vi sparar den inte och kan inte återskapa den.',
  passphraseAgainLabel: 'Lösenfrasen igen',
  passphraseShort: 'Använd minst 8 tecken, eller lämna båda fälten för lösenfras tomma.',
  passphraseMismatch: 'Lösenfraserna skiljer sig åt.',
  download: 'Ladda ner mina uppgifter',
  downloadOnce:
    'Nedladdningen börjar direkt. När allt har kommit fram är länken förbrukad: spara filen. Avbryts den, försök igen med samma kod.',
  resultGone:
    'Länken kan inte längre användas: den är redan använd, den har gått ut, eller så stängdes den för att för många koder begärdes eller prövades med den.',
  askAgain: (org, contact) =>
    `Gör en ny begäran för att få dina uppgifter, eller kontakta ${org ?? 'organisationen som skrev till dig'}${contact ? ` (${contact})` : ''}.`,
  newRequest: 'Gör en ny begäran',
  downloadBusy:
    'Svaret håller redan på att laddas ner. Vänta tills den nedladdningen är klar, eller försök igen om några minuter.',
  sendHeading: 'Eller skicka dem direkt till en annan organisation',
  sendLead:
    'Om en annan organisation har gett dig en adress att skicka dina uppgifter till kan vi skicka dem dit åt dig, i stället för nedladdningen. De skickas bara över en krypterad anslutning (https), och bara dit du säger.',
  endpointLabel: 'Deras adress (URL)',
  endpointHint: 'Den börjar med https://, till exempel https://example.com/import.',
  authorizationLabel: 'Deras åtkomstnyckel (om du har fått en)',
  authorizationHint: 'Skickas till dem med uppgifterna, som de bett om; vi sparar den inte.',
  send: 'Skicka mina uppgifter dit',
  sent: (host) => `Dina uppgifter har skickats till ${host}, och de tog emot dem. Länken är nu använd.`,
  sendFailed: (host, reason) =>
    ({
      rejected: `${host} tog inte emot uppgifterna.`,
      private_address: `${host} finns inte på det öppna internet, så dit skickar vi inte personuppgifter.`,
      timeout: `${host} svarade inte i tid.`,
      unreachable: `Vi kunde inte nå ${host}.`,
    })[reason] +
    ' Inget har förbrukats: be om en ny kod för att försöka igen, eller ladda ner dina uppgifter i stället.',
  endpointMissing: 'Ange adressen som uppgifterna ska skickas till.',
  endpointProblems: {
    not_url: 'Det här är ingen webbadress: den ska se ut som https://example.com/import.',
    credentials: 'Ta bort användarnamn och lösenord ur adressen; skriv en åtkomstnyckel i fältet nedanför.',
    not_https:
      'Adressen måste börja med https://: vi skickar bara personuppgifter över en krypterad anslutning.',
    not_public: (host) => `${host} finns inte på det öppna internet, så dit skickar vi inte personuppgifter.`,
  },
  errorTitle: 'Något gick fel',
  errorCode: 'Felkod',
  badLink: 'Länken eller åtkomstnyckeln är inte giltig. Använd länken i det senaste mejlet vi skickade.',
  rateLimited: 'För många försök. Vänta några minuter och försök igen.',
};

export const centreText: Readonly<Record<PageLanguage, CentreText>> = { en, sv };
