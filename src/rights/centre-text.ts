/**
 * The words of the privacy centre pages in every shipped language, from the `centre.*` messages
 * of the catalogs (src/i18n/catalogs). Values passed in are plain text; the pages escape them.
 */
import { messages, type MessageKey, type MessageParams } from '../i18n/messages.js';
import type { RequestType } from '../policy/schema.js';
import type { PageLanguage } from '../server/public-page.js';

export interface CentreText {
  readonly title: string;
  /** The name of the language switch (its `aria-label`). */
  readonly languageSwitch: string;
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

function build(lang: PageLanguage): CentreText {
  const m = messages(lang);
  const s = (key: MessageKey) => m.format(key);
  const f = (key: MessageKey, params: MessageParams) => m.format(key, params);
  return {
    title: s('centre.title'),
    languageSwitch: s('centre.languageSwitch'),
    lead: (org) => f('centre.lead', { org }),
    formHeading: s('centre.formHeading'),
    declarationLabel: s('centre.declarationLabel'),
    serviceLabel: s('centre.serviceLabel'),
    serviceAny: s('centre.serviceAny'),
    typeLegend: s('centre.typeLegend'),
    types: {
      access: {
        name: s('centre.types.access.name'),
        text: s('centre.types.access.text'),
      },
      portability: {
        name: s('centre.types.portability.name'),
        text: s('centre.types.portability.text'),
      },
      rectification: {
        name: s('centre.types.rectification.name'),
        text: s('centre.types.rectification.text'),
      },
      erasure: {
        name: s('centre.types.erasure.name'),
        text: s('centre.types.erasure.text'),
      },
      restriction: {
        name: s('centre.types.restriction.name'),
        text: s('centre.types.restriction.text'),
      },
      objection: {
        name: s('centre.types.objection.name'),
        text: s('centre.types.objection.text'),
      },
      withdrawal: {
        name: s('centre.types.withdrawal.name'),
        text: s('centre.types.withdrawal.text'),
      },
    },
    emailLabel: s('centre.emailLabel'),
    emailHint: s('centre.emailHint'),
    nameLabel: s('centre.nameLabel'),
    detailsLabel: s('centre.detailsLabel'),
    detailsHint: s('centre.detailsHint'),
    rectificationLegend: s('centre.rectificationLegend'),
    rectificationHint: s('centre.rectificationHint'),
    fieldLabel: (n) => f('centre.fieldLabel', { n }),
    valueLabel: (n) => f('centre.valueLabel', { n }),
    objectionLegend: s('centre.objectionLegend'),
    objectionMarketing: s('centre.objectionMarketing'),
    objectionPurpose: s('centre.objectionPurpose'),
    purposeLabel: s('centre.purposeLabel'),
    groundsLabel: s('centre.groundsLabel'),
    submit: s('centre.submit'),
    errorSummary: s('centre.errorSummary'),
    required: s('centre.required'),
    invalidEmail: s('centre.invalidEmail'),
    chooseType: s('centre.chooseType'),
    choosePurpose: s('centre.choosePurpose'),
    sentTitle: s('centre.sentTitle'),
    sentLead: (reference) => f('centre.sentLead', { reference }),
    sentCode: s('centre.sentCode'),
    sentWait: s('centre.sentWait'),
    routedLead: (provider) => f('centre.routedLead', { provider }),
    keepLink: s('centre.keepLink'),
    followTitle: s('centre.followTitle'),
    followLead: s('centre.followLead'),
    tokenLabel: s('centre.tokenLabel'),
    tokenHint: s('centre.tokenHint'),
    showStatus: s('centre.showStatus'),
    requestTitle: (reference) => f('centre.requestTitle', { reference }),
    typeTerm: s('centre.typeTerm'),
    receivedTerm: s('centre.receivedTerm'),
    statusTerm: s('centre.statusTerm'),
    deadlineTerm: s('centre.deadlineTerm'),
    statuses: {
      received: s('centre.statuses.received'),
      verifying: s('centre.statuses.verifying'),
      awaiting_review: s('centre.statuses.awaiting_review'),
      in_progress: s('centre.statuses.in_progress'),
      completed: s('centre.statuses.completed'),
      refused: s('centre.statuses.refused'),
      withdrawn: s('centre.statuses.withdrawn'),
      expired: s('centre.statuses.expired'),
      routed: s('centre.statuses.routed'),
    },
    codeHeading: s('centre.codeHeading'),
    codeSecondHeading: s('centre.codeSecondHeading'),
    codeLabel: s('centre.codeLabel'),
    codeHint: s('centre.codeHint'),
    confirmCode: s('centre.confirmCode'),
    resend: s('centre.resend'),
    resent: s('centre.resent'),
    codeResults: {
      wrong_code: s('centre.codeResults.wrong_code'),
      expired: s('centre.codeResults.expired'),
      too_many_attempts: s('centre.codeResults.too_many_attempts'),
      no_challenge: s('centre.codeResults.no_challenge'),
      second_code: s('centre.codeResults.second_code'),
      wait: s('centre.codeResults.wait'),
    },
    codeFormat: s('centre.codeFormat'),
    stepsHeading: s('centre.stepsHeading'),
    steps: {
      received: s('centre.steps.received'),
      first_step_passed: s('centre.steps.first_step_passed'),
      verified: s('centre.steps.verified'),
      verified_by_operator: s('centre.steps.verified_by_operator'),
      awaiting_review: s('centre.steps.awaiting_review'),
      needs_review: s('centre.steps.needs_review'),
      approved: s('centre.steps.approved'),
      fulfilment_started: s('centre.steps.fulfilment_started'),
      extended: s('centre.steps.extended'),
      fee_set: s('centre.steps.fee_set'),
      completed: s('centre.steps.completed'),
      refused: s('centre.steps.refused'),
      withdrawn: s('centre.steps.withdrawn'),
      expired_unverified: s('centre.steps.expired_unverified'),
      routed_to_provider: s('centre.steps.routed_to_provider'),
      download_started: s('centre.steps.download_started'),
      download_interrupted: s('centre.steps.download_interrupted'),
      result_collected: s('centre.steps.result_collected'),
      transmission_started: s('centre.steps.transmission_started'),
      transmission_failed: s('centre.steps.transmission_failed'),
      result_transmitted: s('centre.steps.result_transmitted'),
      result_link_closed: s('centre.steps.result_link_closed'),
    },
    withdrawHeading: s('centre.withdrawHeading'),
    withdrawConfirm: s('centre.withdrawConfirm'),
    withdrawButton: s('centre.withdrawButton'),
    withdrawn: s('centre.withdrawn'),
    withdrawUnconfirmed: s('centre.withdrawUnconfirmed'),
    script: s('centre.script'),
    resultTitle: s('centre.resultTitle'),
    resultLead: s('centre.resultLead'),
    sendResultCode: s('centre.sendResultCode'),
    resultCodeSent: s('centre.resultCodeSent'),
    passphraseLabel: s('centre.passphraseLabel'),
    passphraseHint: s('centre.passphraseHint'),
    passphraseAgainLabel: s('centre.passphraseAgainLabel'),
    passphraseShort: s('centre.passphraseShort'),
    passphraseMismatch: s('centre.passphraseMismatch'),
    download: s('centre.download'),
    downloadOnce: s('centre.downloadOnce'),
    resultGone: s('centre.resultGone'),
    askAgain: (org, contact) =>
      f('centre.askAgain', {
        hasOrg: org !== undefined,
        org: org ?? '',
        hasContact: contact !== undefined && contact !== '',
        contact: contact ?? '',
      }),
    newRequest: s('centre.newRequest'),
    downloadBusy: s('centre.downloadBusy'),
    sendHeading: s('centre.sendHeading'),
    sendLead: s('centre.sendLead'),
    endpointLabel: s('centre.endpointLabel'),
    endpointHint: s('centre.endpointHint'),
    authorizationLabel: s('centre.authorizationLabel'),
    authorizationHint: s('centre.authorizationHint'),
    send: s('centre.send'),
    sent: (host) => f('centre.sent', { host }),
    sendFailed: (host, reason) => f('centre.sendFailed', { host, reason }),
    endpointMissing: s('centre.endpointMissing'),
    endpointProblems: {
      not_url: s('centre.endpointProblems.not_url'),
      credentials: s('centre.endpointProblems.credentials'),
      not_https: s('centre.endpointProblems.not_https'),
      not_public: (host) => f('centre.endpointProblems.not_public', { host }),
    },
    errorTitle: s('centre.errorTitle'),
    errorCode: s('centre.errorCode'),
    badLink: s('centre.badLink'),
    rateLimited: s('centre.rateLimited'),
  };
}

const built = new Map<string, CentreText>();

/**
 * The privacy centre's words in a shipped language.
 *
 * @throws MessageError (`i18n.no_catalog`) when Steward ships no catalog for `lang`.
 */
export function centreText(lang: PageLanguage): CentreText {
  let text = built.get(lang);
  if (text === undefined) {
    text = build(lang);
    built.set(lang, text);
  }
  return text;
}
