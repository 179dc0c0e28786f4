/**
 * The words of the public consent pages (unsubscribe, confirmation, preference centre, link by
 * email) in English and Swedish. Values passed in are plain text; the pages escape them.
 */

import type { PageLanguage } from '../server/public-page.js';

export interface PageText {
  readonly errorCode: string;
  readonly skipToContent: string;
  // one-click unsubscribe
  readonly unsubscribeTitle: string;
  readonly unsubscribeLead: (list: string, address: string) => string;
  readonly unsubscribeButton: string;
  readonly unsubscribedTitle: string;
  readonly unsubscribedLead: (list: string, address: string) => string;
  readonly unsubscribedMore: string;
  readonly addressGone: string;
  readonly missingOneClick: string;
  readonly allChoices: string;
  readonly serviceNotUnsubscribable: (list: string) => string;
  // links
  readonly invalidLinkTitle: string;
  readonly invalidLink: string;
  readonly expiredLinkTitle: string;
  readonly expiredLink: string;
  readonly goneLinkTitle: string;
  readonly goneLink: string;
  // confirmation
  readonly confirmTitle: string;
  readonly confirmLead: (list: string, sender: string) => string;
  readonly confirmButton: string;
  readonly confirmedTitle: string;
  readonly confirmed: (list: string) => string;
  readonly alreadyConfirmed: (list: string) => string;
  readonly confirmIgnore: string;
  // preference centre
  readonly preferencesTitle: string;
  readonly preferencesLead: (address: string) => string;
  readonly marketingHeading: string;
  readonly marketingIntro: string;
  readonly from: (sender: string) => string;
  readonly states: Readonly<
    Record<'subscribed' | 'optOut' | 'pending' | 'notSubscribed' | 'unsubscribed', string>
  >;
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly cancelPending: string;
  readonly serviceHeading: string;
  readonly serviceIntro: string;
  readonly alwaysSent: string;
  readonly allMarketingHeading: string;
  readonly allMarketingIntro: string;
  readonly allMarketingButton: string;
  readonly objectHeading: string;
  readonly objectIntro: string;
  readonly objectButton: string;
  readonly objected: string;
  readonly consentsHeading: string;
  readonly consentsIntro: string;
  readonly noConsents: string;
  readonly withdraw: string;
  readonly gpcWithdrawn: (categories: string) => string;
  readonly gpcHonoured: string;
  // outcomes of preference-centre actions
  readonly didSubscribe: (list: string) => string;
  readonly didAskConfirmation: (list: string) => string;
  readonly blockedByObjection: string;
  readonly didUnsubscribe: (list: string) => string;
  readonly didAllMarketing: string;
  readonly didObject: string;
  readonly didWithdraw: (purpose: string) => string;
  readonly nothingToWithdraw: (purpose: string) => string;
  readonly unknownAction: string;
  readonly unknownList: string;
  readonly unknownPurpose: string;
  // expired preference link and link by email
  readonly freshLinkButton: string;
  readonly freshLinkSent: string;
  readonly linkTitle: string;
  readonly linkLead: string;
  readonly emailLabel: string;
  readonly emailHint: string;
  readonly declarationLabel: string;
  readonly sendLink: string;
  readonly linkSent: string;
  readonly invalidEmail: string;
  readonly unknownDeclaration: string;
  readonly mailSubject: string;
  readonly mailBody: (link: string, days: number) => string;
  // errors
  readonly errorTitle: string;
  readonly unsupportedMediaType: string;
  readonly tooLarge: string;
  readonly rateLimited: string;
}

const en: PageText = {
  errorCode: 'Error code',
  skipToContent: 'Skip to content',
  unsubscribeTitle: 'Unsubscribe',
  unsubscribeLead: (list, address) => `Stop sending “${list}” to ${address}?`,
  unsubscribeButton: 'Unsubscribe',
  unsubscribedTitle: 'You are unsubscribed',
  unsubscribedLead: (list, address) => `${address} will no longer receive “${list}”.`,
  unsubscribedMore: 'Your other addresses and lists are as they were.',
  addressGone: 'This address is no longer on file, so nothing is sent to it.',
  missingOneClick:
    'Nothing was changed: the form must contain the field List-Unsubscribe with the value One-Click.',
  allChoices: 'See and change all your choices',
  serviceNotUnsubscribable: (list) =>
    `“${list}” is a service message: it is always sent and cannot be switched off. Nothing was changed.`,
  invalidLinkTitle: 'This link does not work',
  invalidLink:
    'The link is incomplete or has been changed. Open it again from the message, copying the whole address. Nothing was changed.',
  expiredLinkTitle: 'This link has expired',
  expiredLink: 'For your security, links in our messages work for a limited time. Nothing was changed.',
  goneLinkTitle: 'This link is no longer valid',
  goneLink: 'What it referred to no longer exists. Nothing was changed.',
  confirmTitle: 'Confirm your subscription',
  confirmLead: (list, sender) => `Confirm that you want to receive “${list}” from ${sender}.`,
  confirmButton: 'Confirm subscription',
  confirmedTitle: 'Subscription confirmed',
  confirmed: (list) => `Thank you: you will receive “${list}”. Every message has a link to unsubscribe.`,
  alreadyConfirmed: (list) => `Your subscription to “${list}” was already confirmed.`,
  confirmIgnore: 'If you did not ask for it, close this page: nothing will be sent to you.',
  preferencesTitle: 'Your email choices',
  preferencesLead: (address) => `Choices for ${address}. Your other addresses keep their own choices.`,
  marketingHeading: 'Newsletters and offers',
  marketingIntro: 'Each list is separate: leaving one leaves the others as they are.',
  from: (sender) => `From ${sender}`,
  states: {
    subscribed: 'You receive this.',
    optOut: 'You receive this unless you unsubscribe.',
    pending: 'Waiting for you to confirm through the link we emailed.',
    notSubscribed: 'You do not receive this.',
    unsubscribed: 'You have unsubscribed.',
  },
  subscribe: 'Subscribe',
  unsubscribe: 'Unsubscribe',
  cancelPending: 'Cancel',
  serviceHeading: 'Service messages',
  serviceIntro: 'Messages we must send about your orders, safety and account. They never contain marketing.',
  alwaysSent: 'Always sent, cannot be switched off.',
  allMarketingHeading: 'Stop all marketing to this address',
  allMarketingIntro: 'Unsubscribes this address from every newsletter and offer, now and later.',
  allMarketingButton: 'Stop all marketing to this address',
  objectHeading: 'Object to direct marketing',
  objectIntro:
    'You can object at any time, without giving reasons. It covers every address we have for you and every kind of direct marketing, and we keep honouring it even if your data is later erased.',
  objectButton: 'Object to all direct marketing',
  objected: 'You have objected to direct marketing: no marketing is sent to any of your addresses.',
  consentsHeading: 'Consents you have given',
  consentsIntro: 'Withdrawing a consent stops that use of your data from now on.',
  noConsents: 'You have no other consents in force with us.',
  withdraw: 'Withdraw consent',
  gpcWithdrawn: (categories) =>
    `Your browser sent a Global Privacy Control signal, so we have withdrawn your consent to: ${categories}.`,
  gpcHonoured:
    'Your browser sends a Global Privacy Control signal, and we honour it: cookies that share or sell data stay off.',
  didSubscribe: (list) => `You are subscribed to “${list}”.`,
  didAskConfirmation: (list) =>
    `Almost done: we have emailed you a link to confirm “${list}”. The subscription starts when you follow it.`,
  blockedByObjection:
    'You have objected to direct marketing, so we do not send you any. Nothing was changed.',
  didUnsubscribe: (list) => `You are unsubscribed from “${list}”.`,
  didAllMarketing: 'This address will receive no more marketing.',
  didObject: 'Your objection is recorded: no direct marketing will be sent to any of your addresses.',
  didWithdraw: (purpose) => `Your consent to “${purpose}” is withdrawn.`,
  nothingToWithdraw: (purpose) => `You have no consent in force to “${purpose}”. Nothing was changed.`,
  unknownAction: 'That choice is not offered here. Nothing was changed.',
  unknownList: 'That list is not one of ours. Nothing was changed.',
  unknownPurpose: 'That use of data does not rest on your consent. Nothing was changed.',
  freshLinkButton: 'Email me a new link',
  freshLinkSent: 'We have emailed a new link to the address this link was made for.',
  linkTitle: 'Manage your email choices',
  linkLead:
    'Enter your email address and we will send a link to your choices to that address. Only someone who can read the inbox can use it.',
  emailLabel: 'Email address',
  emailHint: 'For example name@example.com',
  declarationLabel: 'Company',
  sendLink: 'Send me the link',
  linkSent:
    'If we have this address on file, a message with a link to your choices is on its way. It works for 30 days. Check your spam folder if it does not arrive within a few minutes.',
  invalidEmail: 'Enter an email address such as name@example.com.',
  unknownDeclaration: 'We do not know that company’s notice. Choose one from the list.',
  mailSubject: 'Your email choices',
  mailBody: (link, days) =>
    [
      'Someone, hopefully you, asked for a link to the email choices of this address.',
      '',
      `Open this link within ${days} days to see and change them:`,
      link,
      '',
      'If you did not ask for it, ignore this message: nothing has changed.',
    ].join('\n'),
  errorTitle: 'Something is wrong with this request',
  unsupportedMediaType: 'Send the form as application/x-www-form-urlencoded or multipart/form-data.',
  tooLarge: 'The form is larger than this page accepts.',
  rateLimited: 'Too many attempts; wait a minute and try again.',
};

const sv: PageText = {
  errorCode: 'Felkod',
  skipToContent: 'Hoppa till innehållet',
  unsubscribeTitle: 'Avsluta prenumeration',
  unsubscribeLead: (list, address) => `Sluta skicka ”${list}” till ${address}?`,
  unsubscribeButton: 'Avsluta prenumerationen',
  unsubscribedTitle: 'Din prenumeration är avslutad',
  unsubscribedLead: (list, address) => `${address} får inte längre ”${list}”.`,
  unsubscribedMore: 'Dina andra adresser och listor är oförändrade.',
  addressGone: 'Adressen finns inte längre hos oss, så inget skickas till den.',
  missingOneClick: 'Inget ändrades: formuläret måste innehålla fältet List-Unsubscribe med värdet One-Click.',
  allChoices: 'Se och ändra alla dina val',
  serviceNotUnsubscribable: (list) =>
    `”${list}” är ett servicemeddelande: det skickas alltid och kan inte stängas av. Inget ändrades.`,
  invalidLinkTitle: 'Länken fungerar inte',
  invalidLink:
    'Länken är ofullständig eller har ändrats. Öppna den igen från meddelandet och kopiera hela adressen. Inget ändrades.',
  expiredLinkTitle: 'Länken har gått ut',
  expiredLink: 'För din säkerhet fungerar länkar i våra meddelanden en begränsad tid. Inget ändrades.',
  goneLinkTitle: 'Länken gäller inte längre',
  goneLink: 'Det som länken gällde finns inte längre. Inget ändrades.',
  confirmTitle: 'Bekräfta din prenumeration',
  confirmLead: (list, sender) => `Bekräfta att du vill få ”${list}” från ${sender}.`,
  confirmButton: 'Bekräfta prenumerationen',
  confirmedTitle: 'Prenumerationen är bekräftad',
  confirmed: (list) =>
    `Tack: du kommer att få ”${list}”. Varje utskick har en länk för att avsluta prenumerationen.`,
  alreadyConfirmed: (list) => `Din prenumeration på ”${list}” var redan bekräftad.`,
  confirmIgnore: 'Om du inte har bett om detta kan du stänga sidan: inget kommer att skickas till dig.',
  preferencesTitle: 'Dina e-postval',
  preferencesLead: (address) => `Val för ${address}. Dina andra adresser har sina egna val.`,
  marketingHeading: 'Nyhetsbrev och erbjudanden',
  marketingIntro: 'Varje lista är fristående: lämnar du en påverkas inte de andra.',
  from: (sender) => `Från ${sender}`,
  states: {
    subscribed: 'Du får detta.',
    optOut: 'Du får detta om du inte avslutar det.',
    pending: 'Väntar på att du bekräftar via länken vi har mejlat.',
    notSubscribed: 'Du får inte detta.',
    unsubscribed: 'Du har avslutat prenumerationen.',
  },
  subscribe: 'Prenumerera',
  unsubscribe: 'Avsluta',
  cancelPending: 'Avbryt',
  serviceHeading: 'Servicemeddelanden',
  serviceIntro:
    'Meddelanden som vi måste skicka om dina beställningar, säkerhet och ditt konto. De innehåller aldrig marknadsföring.',
  alwaysSent: 'Skickas alltid, kan inte stängas av.',
  allMarketingHeading: 'Stoppa all marknadsföring till den här adressen',
  allMarketingIntro: 'Avslutar alla nyhetsbrev och erbjudanden till den här adressen, nu och framöver.',
  allMarketingButton: 'Stoppa all marknadsföring till den här adressen',
  objectHeading: 'Invänd mot direktmarknadsföring',
  objectIntro:
    'Du kan invända när som helst, utan att ange skäl. Invändningen gäller alla adresser vi har till dig och all direktmarknadsföring, och vi respekterar den även om dina uppgifter senare raderas.',
  objectButton: 'Invänd mot all direktmarknadsföring',
  objected:
    'Du har invänt mot direktmarknadsföring: ingen marknadsföring skickas till någon av dina adresser.',
  consentsHeading: 'Samtycken du har lämnat',
  consentsIntro: 'När du återkallar ett samtycke upphör den användningen av dina uppgifter från och med nu.',
  noConsents: 'Du har inga andra samtycken hos oss.',
  withdraw: 'Återkalla samtycket',
  gpcWithdrawn: (categories) =>
    `Din webbläsare skickade en Global Privacy Control-signal, så vi har återkallat ditt samtycke till: ${categories}.`,
  gpcHonoured:
    'Din webbläsare skickar en Global Privacy Control-signal och vi följer den: kakor som delar eller säljer uppgifter förblir avstängda.',
  didSubscribe: (list) => `Du prenumererar nu på ”${list}”.`,
  didAskConfirmation: (list) =>
    `Nästan klart: vi har mejlat en länk för att bekräfta ”${list}”. Prenumerationen börjar när du följer den.`,
  blockedByObjection: 'Du har invänt mot direktmarknadsföring, så vi skickar ingen till dig. Inget ändrades.',
  didUnsubscribe: (list) => `Du har avslutat ”${list}”.`,
  didAllMarketing: 'Den här adressen får ingen mer marknadsföring.',
  didObject: 'Din invändning är registrerad: ingen direktmarknadsföring skickas till någon av dina adresser.',
  didWithdraw: (purpose) => `Ditt samtycke till ”${purpose}” är återkallat.`,
  nothingToWithdraw: (purpose) => `Du har inget gällande samtycke till ”${purpose}”. Inget ändrades.`,
  unknownAction: 'Det valet finns inte här. Inget ändrades.',
  unknownList: 'Den listan är inte vår. Inget ändrades.',
  unknownPurpose: 'Den användningen av uppgifter bygger inte på ditt samtycke. Inget ändrades.',
  freshLinkButton: 'Mejla mig en ny länk',
  freshLinkSent: 'Vi har mejlat en ny länk till adressen som länken gällde.',
  linkTitle: 'Hantera dina e-postval',
  linkLead:
    'Skriv din e-postadress så skickar vi en länk till dina val till den adressen. Bara den som kan läsa inkorgen kan använda den.',
  emailLabel: 'E-postadress',
  emailHint: 'Till exempel namn@exempel.se',
  declarationLabel: 'Företag',
  sendLink: 'Skicka länken',
  linkSent:
    'Om vi har adressen hos oss är ett meddelande med en länk till dina val på väg. Länken fungerar i 30 dagar. Titta i skräpposten om det inte kommer inom några minuter.',
  invalidEmail: 'Skriv en e-postadress, till exempel namn@exempel.se.',
  unknownDeclaration: 'Vi känner inte till det företagets meddelande. Välj ett i listan.',
  mailSubject: 'Dina e-postval',
  mailBody: (link, days) =>
    [
      'Någon, förhoppningsvis du, bad om en länk till e-postvalen för den här adressen.',
      '',
      `Öppna länken inom ${days} dagar för att se och ändra dem:`,
      link,
      '',
      'Om du inte har bett om den kan du bortse från meddelandet: inget har ändrats.',
    ].join('\n'),
  errorTitle: 'Något är fel med begäran',
  unsupportedMediaType: 'Skicka formuläret som application/x-www-form-urlencoded eller multipart/form-data.',
  tooLarge: 'Formuläret är större än sidan tar emot.',
  rateLimited: 'För många försök; vänta en minut och försök igen.',
};

export const pageText: Readonly<Record<PageLanguage, PageText>> = { en, sv };
