/**
 * The words of the public consent pages (unsubscribe, confirmation, preference centre, link by
 * email) in every shipped language, from the `consentPage.*` messages of the catalogs
 * (src/i18n/catalogs). Values passed in are plain text; the pages escape them.
 */
import { messages, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { PageLanguage } from '../server/public-page.js';

export interface PageText {
  readonly errorCode: string;
  readonly skipToContent: string;
  /** The name of the language switch (its `aria-label`). */
  readonly languageSwitch: string;
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

function build(lang: PageLanguage): PageText {
  const m = messages(lang);
  const s = (key: MessageKey) => m.format(key);
  const f = (key: MessageKey, params: MessageParams) => m.format(key, params);
  return {
    errorCode: s('consentPage.errorCode'),
    skipToContent: s('consentPage.skipToContent'),
    languageSwitch: s('consentPage.languageSwitch'),
    unsubscribeTitle: s('consentPage.unsubscribeTitle'),
    unsubscribeLead: (list, address) => f('consentPage.unsubscribeLead', { list, address }),
    unsubscribeButton: s('consentPage.unsubscribeButton'),
    unsubscribedTitle: s('consentPage.unsubscribedTitle'),
    unsubscribedLead: (list, address) => f('consentPage.unsubscribedLead', { list, address }),
    unsubscribedMore: s('consentPage.unsubscribedMore'),
    addressGone: s('consentPage.addressGone'),
    missingOneClick: s('consentPage.missingOneClick'),
    allChoices: s('consentPage.allChoices'),
    serviceNotUnsubscribable: (list) => f('consentPage.serviceNotUnsubscribable', { list }),
    invalidLinkTitle: s('consentPage.invalidLinkTitle'),
    invalidLink: s('consentPage.invalidLink'),
    expiredLinkTitle: s('consentPage.expiredLinkTitle'),
    expiredLink: s('consentPage.expiredLink'),
    goneLinkTitle: s('consentPage.goneLinkTitle'),
    goneLink: s('consentPage.goneLink'),
    confirmTitle: s('consentPage.confirmTitle'),
    confirmLead: (list, sender) => f('consentPage.confirmLead', { list, sender }),
    confirmButton: s('consentPage.confirmButton'),
    confirmedTitle: s('consentPage.confirmedTitle'),
    confirmed: (list) => f('consentPage.confirmed', { list }),
    alreadyConfirmed: (list) => f('consentPage.alreadyConfirmed', { list }),
    confirmIgnore: s('consentPage.confirmIgnore'),
    preferencesTitle: s('consentPage.preferencesTitle'),
    preferencesLead: (address) => f('consentPage.preferencesLead', { address }),
    marketingHeading: s('consentPage.marketingHeading'),
    marketingIntro: s('consentPage.marketingIntro'),
    from: (sender) => f('consentPage.from', { sender }),
    states: {
      subscribed: s('consentPage.states.subscribed'),
      optOut: s('consentPage.states.optOut'),
      pending: s('consentPage.states.pending'),
      notSubscribed: s('consentPage.states.notSubscribed'),
      unsubscribed: s('consentPage.states.unsubscribed'),
    },
    subscribe: s('consentPage.subscribe'),
    unsubscribe: s('consentPage.unsubscribe'),
    cancelPending: s('consentPage.cancelPending'),
    serviceHeading: s('consentPage.serviceHeading'),
    serviceIntro: s('consentPage.serviceIntro'),
    alwaysSent: s('consentPage.alwaysSent'),
    allMarketingHeading: s('consentPage.allMarketingHeading'),
    allMarketingIntro: s('consentPage.allMarketingIntro'),
    allMarketingButton: s('consentPage.allMarketingButton'),
    objectHeading: s('consentPage.objectHeading'),
    objectIntro: s('consentPage.objectIntro'),
    objectButton: s('consentPage.objectButton'),
    objected: s('consentPage.objected'),
    consentsHeading: s('consentPage.consentsHeading'),
    consentsIntro: s('consentPage.consentsIntro'),
    noConsents: s('consentPage.noConsents'),
    withdraw: s('consentPage.withdraw'),
    gpcWithdrawn: (categories) => f('consentPage.gpcWithdrawn', { categories }),
    gpcHonoured: s('consentPage.gpcHonoured'),
    didSubscribe: (list) => f('consentPage.didSubscribe', { list }),
    didAskConfirmation: (list) => f('consentPage.didAskConfirmation', { list }),
    blockedByObjection: s('consentPage.blockedByObjection'),
    didUnsubscribe: (list) => f('consentPage.didUnsubscribe', { list }),
    didAllMarketing: s('consentPage.didAllMarketing'),
    didObject: s('consentPage.didObject'),
    didWithdraw: (purpose) => f('consentPage.didWithdraw', { purpose }),
    nothingToWithdraw: (purpose) => f('consentPage.nothingToWithdraw', { purpose }),
    unknownAction: s('consentPage.unknownAction'),
    unknownList: s('consentPage.unknownList'),
    unknownPurpose: s('consentPage.unknownPurpose'),
    freshLinkButton: s('consentPage.freshLinkButton'),
    freshLinkSent: s('consentPage.freshLinkSent'),
    linkTitle: s('consentPage.linkTitle'),
    linkLead: s('consentPage.linkLead'),
    emailLabel: s('consentPage.emailLabel'),
    emailHint: s('consentPage.emailHint'),
    declarationLabel: s('consentPage.declarationLabel'),
    sendLink: s('consentPage.sendLink'),
    linkSent: s('consentPage.linkSent'),
    invalidEmail: s('consentPage.invalidEmail'),
    unknownDeclaration: s('consentPage.unknownDeclaration'),
    mailSubject: s('consentPage.mailSubject'),
    mailBody: (link, days) => f('consentPage.mailBody', { link, days }),
    errorTitle: s('consentPage.errorTitle'),
    unsupportedMediaType: s('consentPage.unsupportedMediaType'),
    tooLarge: s('consentPage.tooLarge'),
    rateLimited: s('consentPage.rateLimited'),
  };
}

const built = new Map<string, PageText>();

/**
 * The consent pages' words in a shipped language.
 *
 * @throws MessageError (`i18n.no_catalog`) when Steward ships no catalog for `lang`.
 */
export function pageText(lang: PageLanguage): PageText {
  let text = built.get(lang);
  if (text === undefined) {
    text = build(lang);
    built.set(lang, text);
  }
  return text;
}
