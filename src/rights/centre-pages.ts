/**
 * The privacy centre: public pages where a person makes a rights request, confirms it with the
 * code we send to contact details we already hold, follows it, and collects the answer. Plain
 * HTML forms over the same use cases as the JSON API (src/rights/routes.ts), so they work
 * without JavaScript. The request's access key never appears in a URL a server sees: emails put
 * it in the fragment (`#token=`), which a small same-origin script copies into the forms; after
 * that it travels only in POST bodies. Answers never reveal whether we hold data about anyone.
 */
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { escapeHtml } from '../policy/html.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { RequestType } from '../policy/schema.js';
import { requestTypes } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { toErrorBody } from '../server/errors.js';
import type { Notice, PageLanguage } from '../server/public-page.js';
import {
  formField,
  langOf,
  noticeHtml,
  orgOf,
  publicDocument,
  publicPageStyle,
  sendHtml,
  withLang,
} from '../server/public-page.js';
import type { CentreText } from './centre-text.js';
import { centreText } from './centre-text.js';
import { collectResult, requestResultCode, sendResult } from './collect-result.js';
import type { DestinationProblem } from './outbound.js';
import { destinationProblem } from './outbound.js';
import type { SubmitRequestInput } from './submit-request.js';
import { zipDelivery } from './routes.js';
import { submitRequest } from './submit-request.js';
import { enterCode, requesterView, resendCode, withdrawByRequester } from './workflow.js';

const RECTIFICATION_ROWS = 3;
const formLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };
/** The privacy centre's pages: the request's access key or the result link is the requester's key. */
const centre = { public: 'the privacy centre: the access key or the result link is the key' };

/**
 * Copies the access key from the link's fragment into the forms, then drops the fragment from
 * the address bar and history. Kept for the tab's life so a reload still works.
 */
const script = `(() => {
  const key = 'steward:' + location.pathname;
  const m = /^#token=([A-Za-z0-9_-]{10,200})$/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(key, m[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const token = m ? m[1] : sessionStorage.getItem(key);
  if (!token) return;
  for (const input of document.querySelectorAll('input[name="token"]')) if (!input.value) input.value = token;
  const box = document.getElementById('token-box');
  if (box) box.hidden = true;
})();
`;
const scriptPath = `/privacy-centre/centre-${createHash('sha256').update(script).digest('hex').slice(0, 12)}.js`;

const style = `${publicPageStyle}
fieldset { border: 1px solid #d0d0d0; border-radius: .5rem; padding: .5rem 1rem 1rem; margin: 1.25rem 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.option { display: flex; gap: .6rem; align-items: flex-start; margin: .6rem 0; }
.option input { margin-top: .35rem; width: 1.15rem; height: 1.15rem; flex: none; }
.option label { margin: 0; }
.option .hint { font-weight: normal; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1rem; }
.error-summary { border: 3px solid #b3261e; padding: .75rem 1rem; margin: 1rem 0; }
.error-summary h2 { margin: 0 0 .5rem; border: 0; font-size: 1.1rem; }
.field-error { color: #b3261e; font-weight: 600; margin: .2rem 0; }
input[inputmode=numeric] { max-width: 10rem; letter-spacing: .2em; }
ol.steps { padding-left: 1.25rem; }
`;

type FieldErrors = Record<string, string>;

/** Every form value as a string (or undefined); `formbody` gives arrays for repeated names. */
function fieldsOf(body: unknown): (name: string) => string | undefined {
  return (name) => {
    const value = formField(body, name)?.trim();
    return value === '' ? undefined : value;
  };
}

function dateText(iso: string, lang: PageLanguage): string {
  return new Intl.DateTimeFormat(lang === 'sv' ? 'sv-SE' : 'en-GB', {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

function errorHtml(id: string, errors: FieldErrors): string {
  const message = errors[id];
  return message === undefined ? '' : `<p class="field-error" id="${id}-error">${escapeHtml(message)}</p>`;
}

/** `aria-*` attributes for a field: its hint, its error, and whether it is invalid. */
function describedBy(id: string, errors: FieldErrors, hint = false): string {
  const ids = [hint ? `${id}-hint` : '', errors[id] ? `${id}-error` : ''].filter(Boolean).join(' ');
  return `${ids ? ` aria-describedby="${ids}"` : ''}${errors[id] ? ' aria-invalid="true"' : ''}`;
}

interface FormState {
  readonly values: (name: string) => string | undefined;
  readonly errors: FieldErrors;
}

const emptyForm: FormState = { values: () => undefined, errors: {} };

export function centrePages(ctx: AppContext): FastifyPluginAsync {
  const page = (
    reply: FastifyReply,
    lang: PageLanguage,
    status: number,
    title: string,
    content: string,
    options: { path?: string; active?: ActiveDeclaration; script?: boolean } = {},
  ) => {
    const active = options.active ?? (ctx.policies.list().length === 1 ? ctx.policies.list()[0] : undefined);
    return sendHtml(
      reply,
      status,
      publicDocument(lang, title, content, {
        style,
        ...(options.path === undefined ? {} : { path: options.path }),
        ...(active === undefined ? {} : { org: orgOf(active) }),
        ...(options.script ? { script: scriptPath } : {}),
      }),
    );
  };

  const errorPage = (
    reply: FastifyReply,
    lang: PageLanguage,
    status: number,
    message: string,
    code: string,
  ) => {
    const t = centreText[lang];
    return page(
      reply,
      lang,
      status,
      t.errorTitle,
      `<div class="alert" role="alert"><p>${escapeHtml(message)}</p></div><p class="meta">${escapeHtml(t.errorCode)}: <code>${escapeHtml(code)}</code></p>`,
    );
  };

  const hiddenToken = (token: string) => `<input type="hidden" name="token" value="${escapeHtml(token)}">`;

  /** The form that takes a verification code for a request, with a button for a fresh one. */
  const codeEntry = (t: CentreText, action: string, token: string) =>
    [
      `<form method="post" action="${action}">${hiddenToken(token)}`,
      `<label for="code">${escapeHtml(t.codeLabel)}</label><p class="hint" id="code-hint">${escapeHtml(t.codeHint)}</p>`,
      `<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required aria-describedby="code-hint">`,
      `<div class="actions"><button type="submit" name="action" value="code">${escapeHtml(t.confirmCode)}</button> <button type="submit" name="action" value="resend" class="secondary" formnovalidate>${escapeHtml(t.resend)}</button></div>`,
      '</form>',
    ].join('');

  // ---- The request form ----------------------------------------------------------------------

  const requestForm = (reply: FastifyReply, lang: PageLanguage, state: FormState, status = 200) => {
    const t = centreText[lang];
    const { values, errors } = state;
    const declarations = ctx.policies.list();
    const chosenDeclaration = values('declaration') ?? declarations[0]?.model.id;
    const selected = (value: string, current: string | undefined) => (value === current ? ' selected' : '');
    const checked = (value: string, current: string | undefined) => (value === current ? ' checked' : '');

    const declarationField =
      declarations.length === 1
        ? `<input type="hidden" name="declaration" value="${escapeHtml(declarations[0]?.model.id ?? '')}">`
        : `<label for="declaration">${escapeHtml(t.declarationLabel)}</label>${errorHtml('declaration', errors)}<select id="declaration" name="declaration"${describedBy('declaration', errors)}>${declarations
            .map(
              (d) =>
                `<option value="${escapeHtml(d.model.id)}"${selected(d.model.id, chosenDeclaration)}>${escapeHtml(localise(d.model.declaration.title, lang))}</option>`,
            )
            .join('')}</select>`;

    const withServices = declarations.filter((d) => d.model.declaration.services.length > 0);
    const serviceOptions = (d: ActiveDeclaration) =>
      d.model.declaration.services
        .map(
          (s) =>
            `<option value="${escapeHtml(`${d.model.id}/${s.id}`)}"${selected(`${d.model.id}/${s.id}`, values('service'))}>${escapeHtml(s.name)}</option>`,
        )
        .join('');
    const serviceField =
      withServices.length === 0
        ? ''
        : `<label for="service">${escapeHtml(t.serviceLabel)}</label>${errorHtml('service', errors)}<select id="service" name="service"${describedBy('service', errors)}><option value="">${escapeHtml(t.serviceAny)}</option>${
            declarations.length === 1
              ? serviceOptions(withServices[0]!)
              : withServices
                  .map(
                    (d) =>
                      `<optgroup label="${escapeHtml(localise(d.model.declaration.title, lang))}">${serviceOptions(d)}</optgroup>`,
                  )
                  .join('')
          }</select>`;

    const typeField = [
      `<fieldset${errors['type'] ? ' aria-describedby="type-error"' : ''}><legend>${escapeHtml(t.typeLegend)}</legend>`,
      errorHtml('type', errors),
      ...requestTypes.map(
        (type, i) =>
          `<div class="option"><input type="radio" name="type" id="type-${type}" value="${type}"${checked(type, values('type'))}${i === 0 ? ' required' : ''} aria-describedby="type-${type}-hint"><label for="type-${type}">${escapeHtml(t.types[type].name)}<span class="hint" id="type-${type}-hint"><br>${escapeHtml(t.types[type].text)}</span></label></div>`,
      ),
      '</fieldset>',
    ].join('');

    const rows = Array.from({ length: RECTIFICATION_ROWS }, (_, i) => i + 1)
      .map(
        (n) =>
          `<div class="pair"><div><label for="fix-field-${n}">${escapeHtml(t.fieldLabel(n))}</label><input type="text" id="fix-field-${n}" name="fix-field-${n}" maxlength="100" value="${escapeHtml(values(`fix-field-${n}`) ?? '')}"></div><div><label for="fix-value-${n}">${escapeHtml(t.valueLabel(n))}</label><input type="text" id="fix-value-${n}" name="fix-value-${n}" maxlength="2000" value="${escapeHtml(values(`fix-value-${n}`) ?? '')}"></div></div>`,
      )
      .join('');
    const rectificationField = `<fieldset><legend>${escapeHtml(t.rectificationLegend)}</legend><p class="hint">${escapeHtml(t.rectificationHint)}</p>${errorHtml('rectification', errors)}${rows}</fieldset>`;

    // Purposes a person may object to on grounds of their situation: those on legitimate interests.
    const liOptions = (d: ActiveDeclaration) =>
      d.model.declaration.purposes
        .filter((p) => d.model.basesOf(p).includes('legitimate_interests'))
        .map(
          (p) =>
            `<option value="${escapeHtml(p.id)}"${selected(p.id, values('purpose'))}>${escapeHtml(localise(p.name, lang))}</option>`,
        )
        .join('');
    const purposeOptions =
      declarations.length === 1
        ? liOptions(declarations[0]!)
        : declarations
            .map(
              (d) =>
                `<optgroup label="${escapeHtml(localise(d.model.declaration.title, lang))}">${liOptions(d)}</optgroup>`,
            )
            .join('');
    const objectionField = [
      `<fieldset><legend>${escapeHtml(t.objectionLegend)}</legend>`,
      `<div class="option"><input type="radio" name="objection" id="objection-marketing" value="direct_marketing"${values('objection') === 'purpose' ? '' : ' checked'}><label for="objection-marketing">${escapeHtml(t.objectionMarketing)}</label></div>`,
      `<div class="option"><input type="radio" name="objection" id="objection-purpose" value="purpose"${checked('purpose', values('objection'))}><label for="objection-purpose">${escapeHtml(t.objectionPurpose)}</label></div>`,
      `<label for="purpose">${escapeHtml(t.purposeLabel)}</label>${errorHtml('purpose', errors)}<select id="purpose" name="purpose"${describedBy('purpose', errors)}><option value=""></option>${purposeOptions}</select>`,
      `<label for="grounds">${escapeHtml(t.groundsLabel)}</label><textarea id="grounds" name="grounds" maxlength="5000">${escapeHtml(values('grounds') ?? '')}</textarea>`,
      '</fieldset>',
    ].join('');

    const summary = Object.entries(errors);
    const content = [
      `<p>${escapeHtml(t.lead(declarations[0] === undefined ? '' : orgOf(declarations[0])))}</p>`,
      summary.length === 0
        ? ''
        : `<div class="error-summary" role="alert" tabindex="-1"><h2>${escapeHtml(t.errorSummary)}</h2><ul>${summary
            .map(
              ([id, message]) =>
                `<li><a href="#${id === 'type' ? `type-${requestTypes[0]}` : id}">${escapeHtml(message)}</a></li>`,
            )
            .join('')}</ul></div>`,
      `<h2>${escapeHtml(t.formHeading)}</h2>`,
      `<form method="post" action="${escapeHtml(withLang('/privacy-centre', lang))}" novalidate>`,
      declarationField,
      serviceField,
      typeField,
      `<label for="email">${escapeHtml(t.emailLabel)}</label><p class="hint" id="email-hint">${escapeHtml(t.emailHint)}</p>${errorHtml('email', errors)}`,
      `<input type="email" id="email" name="email" autocomplete="email" required maxlength="320" value="${escapeHtml(values('email') ?? '')}"${describedBy('email', errors, true)}>`,
      `<label for="name">${escapeHtml(t.nameLabel)}</label><input type="text" id="name" name="name" autocomplete="name" maxlength="200" value="${escapeHtml(values('name') ?? '')}">`,
      rectificationField,
      objectionField,
      `<label for="details">${escapeHtml(t.detailsLabel)}</label><p class="hint" id="details-hint">${escapeHtml(t.detailsHint)}</p>${errorHtml('details', errors)}`,
      `<textarea id="details" name="details" maxlength="5000"${describedBy('details', errors, true)}>${escapeHtml(values('details') ?? '')}</textarea>`,
      `<div class="actions"><button type="submit">${escapeHtml(t.submit)}</button></div>`,
      '</form>',
    ].join('\n');
    return page(reply, lang, status, t.title, content, { path: '/privacy-centre' });
  };

  /** The form's fields as the use case's input, or the errors to show beside the fields. */
  const readForm = (
    values: (name: string) => string | undefined,
    t: CentreText,
  ): { input: Omit<SubmitRequestInput, 'channel'> } | { errors: FieldErrors } => {
    const errors: FieldErrors = {};
    const type = values('type');
    if (type === undefined || !(requestTypes as readonly string[]).includes(type))
      errors['type'] = t.chooseType;
    const email = values('email');
    if (email === undefined) errors['email'] = t.required;
    else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors['email'] = t.invalidEmail;
    const objectsToPurpose = type === 'objection' && values('objection') === 'purpose';
    if (objectsToPurpose && values('purpose') === undefined) errors['purpose'] = t.choosePurpose;
    if (Object.keys(errors).length > 0) return { errors };

    const [serviceDeclaration, serviceId] = (values('service') ?? '').split('/');
    const declarationId = values('declaration') ?? '';
    const name = values('name');
    const details = values('details');
    const rectification = Array.from({ length: RECTIFICATION_ROWS }, (_, i) => ({
      field: values(`fix-field-${i + 1}`),
      value: values(`fix-value-${i + 1}`),
    })).filter((r): r is { field: string; value: string } => r.field !== undefined && r.value !== undefined);
    const grounds = values('grounds');
    return {
      input: {
        declarationId: serviceId !== undefined && serviceDeclaration ? serviceDeclaration : declarationId,
        ...(serviceId !== undefined && serviceId !== '' ? { serviceId } : {}),
        type: type as RequestType,
        requester: { ...(name ? { name } : {}), identifiers: [{ kind: 'email', value: email ?? '' }] },
        ...(details ? { details } : {}),
        ...(type === 'rectification' && rectification.length > 0 ? { rectification } : {}),
        ...(type === 'objection'
          ? {
              objection: objectsToPurpose
                ? {
                    scope: 'purpose' as const,
                    purposeId: values('purpose') ?? '',
                    ...(grounds ? { grounds } : {}),
                  }
                : { scope: 'direct_marketing' as const },
            }
          : {}),
      },
    };
  };

  /** Where a refusal from the use case belongs on the form. */
  const fieldOfPath = (path: string): string =>
    path.startsWith('requester.identifiers')
      ? 'email'
      : path.startsWith('requester.name')
        ? 'name'
        : path.startsWith('serviceId')
          ? 'service'
          : path.startsWith('declarationId')
            ? 'declaration'
            : path.startsWith('objection')
              ? 'purpose'
              : path.startsWith('rectification')
                ? 'rectification'
                : 'details';

  // ---- Following a request -------------------------------------------------------------------

  const requestPage = async (
    reply: FastifyReply,
    lang: PageLanguage,
    id: string,
    token: string,
    notices: readonly Notice[] = [],
    status = 200,
  ) => {
    const t = centreText[lang];
    const view = await requesterView(ctx, { requestId: id, token });
    const action = escapeHtml(withLang(`/privacy-centre/requests/${encodeURIComponent(id)}`, lang));
    const open = !['completed', 'refused', 'withdrawn', 'expired', 'routed'].includes(view.status);
    const codeForm =
      view.awaiting === null
        ? ''
        : [
            `<section aria-labelledby="code-heading"><h2 id="code-heading">${escapeHtml(view.awaiting === 'second_code' ? t.codeSecondHeading : t.codeHeading)}</h2>`,
            codeEntry(t, action, token),
            '</section>',
          ].join('');
    const withdraw = open
      ? [
          `<section aria-labelledby="withdraw-heading"><h2 id="withdraw-heading">${escapeHtml(t.withdrawHeading)}</h2>`,
          `<form method="post" action="${action}">${hiddenToken(token)}`,
          `<div class="option"><input type="checkbox" id="withdraw-confirm" name="confirm" value="yes"><label for="withdraw-confirm">${escapeHtml(t.withdrawConfirm)}</label></div>`,
          `<div class="actions"><button type="submit" name="action" value="withdraw" class="secondary">${escapeHtml(t.withdrawButton)}</button></div>`,
          '</form></section>',
        ].join('')
      : '';
    const content = [
      ...notices.map(noticeHtml),
      '<dl>',
      `<div><dt>${escapeHtml(t.typeTerm)}</dt><dd>${escapeHtml(t.types[view.type as RequestType]?.name ?? view.type)}</dd></div>`,
      `<div><dt>${escapeHtml(t.receivedTerm)}</dt><dd>${escapeHtml(dateText(view.receivedAt, lang))}</dd></div>`,
      `<div><dt>${escapeHtml(t.statusTerm)}</dt><dd class="state">${escapeHtml(t.statuses[view.status] ?? view.status)}</dd></div>`,
      open
        ? `<div><dt>${escapeHtml(t.deadlineTerm)}</dt><dd>${escapeHtml(dateText(view.deadline, lang))}</dd></div>`
        : '',
      '</dl>',
      codeForm,
      `<section aria-labelledby="steps-heading"><h2 id="steps-heading">${escapeHtml(t.stepsHeading)}</h2><ol class="steps">${view.steps
        .map(
          (s) =>
            `<li><time datetime="${escapeHtml(s.at)}">${escapeHtml(dateText(s.at, lang))}</time>: ${escapeHtml(t.steps[s.kind] ?? s.kind.replaceAll('_', ' '))}</li>`,
        )
        .join('')}</ol></section>`,
      withdraw,
      `<form method="post" action="${action}">${hiddenToken(token)}<div class="actions"><button type="submit" name="action" value="status" class="secondary">${escapeHtml(t.showStatus)}</button></div></form>`,
    ].join('\n');
    return page(reply, lang, status, t.requestTitle(view.reference), content, {
      path: `/privacy-centre/requests/${encodeURIComponent(id)}`,
    });
  };

  // ---- Collecting a result -------------------------------------------------------------------

  const resultPage = (
    reply: FastifyReply,
    lang: PageLanguage,
    token: string,
    options: {
      codeSent?: boolean;
      kind?: 'access' | 'portability';
      notice?: Notice;
      errors?: FieldErrors;
      values?: Record<string, string>;
      status?: number;
    } = {},
  ) => {
    const t = centreText[lang];
    const errors = options.errors ?? {};
    const action = escapeHtml(withLang(`/privacy-centre/results/${encodeURIComponent(token)}`, lang));
    // Portable data may instead go straight to another organisation (C5m.1), with the same code.
    const sendForm =
      options.kind === 'portability'
        ? [
            `<section aria-labelledby="send-heading"><h2 id="send-heading">${escapeHtml(t.sendHeading)}</h2>`,
            `<p>${escapeHtml(t.sendLead)}</p>`,
            `<form method="post" action="${action}">`,
            `<label for="send-code">${escapeHtml(t.codeLabel)}</label>${errorHtml('send-code', errors)}`,
            `<input type="text" id="send-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required${describedBy('send-code', errors, false)}>`,
            `<label for="endpoint">${escapeHtml(t.endpointLabel)}</label><p class="hint" id="endpoint-hint">${escapeHtml(t.endpointHint)}</p>${errorHtml('endpoint', errors)}`,
            `<input type="url" id="endpoint" name="endpoint" maxlength="2000" required value="${escapeHtml(options.values?.['endpoint'] ?? '')}"${describedBy('endpoint', errors, true)}>`,
            `<label for="authorization">${escapeHtml(t.authorizationLabel)}</label><p class="hint" id="authorization-hint">${escapeHtml(t.authorizationHint)}</p>`,
            `<input type="password" id="authorization" name="authorization" autocomplete="off" maxlength="4096" aria-describedby="authorization-hint">`,
            `<div class="actions"><button type="submit" name="action" value="send">${escapeHtml(t.send)}</button></div>`,
            '</form></section>',
          ].join('\n')
        : '';
    const content = options.codeSent
      ? [
          noticeHtml(options.notice ?? { kind: 'status', text: t.resultCodeSent }),
          `<form method="post" action="${action}">`,
          `<label for="code">${escapeHtml(t.codeLabel)}</label><p class="hint" id="code-hint">${escapeHtml(t.codeHint)}</p>${errorHtml('code', errors)}`,
          `<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" required${describedBy('code', errors, true)}>`,
          `<label for="passphrase">${escapeHtml(t.passphraseLabel)}</label><p class="hint" id="passphrase-hint">${escapeHtml(t.passphraseHint)}</p>${errorHtml('passphrase', errors)}`,
          `<input type="password" id="passphrase" name="passphrase" autocomplete="new-password" maxlength="200"${describedBy('passphrase', errors, true)}>`,
          `<label for="passphrase-again">${escapeHtml(t.passphraseAgainLabel)}</label>`,
          `<input type="password" id="passphrase-again" name="passphrase-again" autocomplete="new-password" maxlength="200">`,
          `<p class="hint">${escapeHtml(t.downloadOnce)}</p>`,
          `<div class="actions"><button type="submit" name="action" value="download">${escapeHtml(t.download)}</button> <button type="submit" name="action" value="send-code" class="secondary" formnovalidate>${escapeHtml(t.resend)}</button></div>`,
          '</form>',
          sendForm,
        ].join('\n')
      : [
          noticeHtml(options.notice),
          `<p>${escapeHtml(t.resultLead)}</p>`,
          `<form method="post" action="${action}"><div class="actions"><button type="submit" name="action" value="send-code">${escapeHtml(t.sendResultCode)}</button></div></form>`,
        ].join('\n');
    return page(reply, lang, options.status ?? 200, t.resultTitle, content);
  };

  /**
   * A link that cannot be used (used, expired, closed after too many codes, or unknown: all
   * answered alike) and how to ask again: a new request, or the controller's contact for rights
   * when one declaration is in force.
   */
  const gonePage = (reply: FastifyReply, lang: PageLanguage) => {
    const t = centreText[lang];
    const declarations = ctx.policies.list();
    const only = declarations.length === 1 ? declarations[0] : undefined;
    const contacts = (only?.model.declaration.controller.contacts ?? []).filter(
      (c) => c.purposes === undefined || c.purposes.includes('rights'),
    );
    const contact = (contacts.find((c) => c.channel === 'email') ?? contacts.find((c) => c.channel === 'web'))
      ?.value;
    const content = [
      noticeHtml({ kind: 'alert', text: t.resultGone }),
      `<p>${escapeHtml(t.askAgain(only === undefined ? undefined : orgOf(only), contact))}</p>`,
      `<p><a href="${escapeHtml(withLang('/privacy-centre', lang))}">${escapeHtml(t.newRequest)}</a></p>`,
    ].join('\n');
    return page(reply, lang, 410, t.resultTitle, content);
  };

  /** What is wrong with a typed endpoint, checked here to answer in the page's language. */
  const endpointProblem = (endpoint: string): DestinationProblem | { code: 'not_url' } | undefined => {
    if (!URL.canParse(endpoint)) return { code: 'not_url' };
    return destinationProblem(new URL(endpoint), ctx.config.transmitAllowedHosts);
  };

  /** The send form's answer: the data went to the organisation, or why not (nothing used up). */
  const sendToOrganisation = async (
    reply: FastifyReply,
    lang: PageLanguage,
    token: string,
    body: unknown,
    gone: () => unknown,
    busy: () => unknown,
  ) => {
    const t = centreText[lang];
    const again = (errors: FieldErrors, values: Record<string, string>) =>
      resultPage(reply, lang, token, { codeSent: true, kind: 'portability', errors, values, status: 400 });
    const code = formField(body, 'code')?.replace(/\s/g, '') ?? '';
    const endpoint = formField(body, 'endpoint')?.trim() ?? '';
    const authorization = formField(body, 'authorization')?.trim() ?? '';
    const errors: FieldErrors = {};
    if (!/^\d{6}$/.test(code)) errors['send-code'] = t.codeFormat;
    const problem = endpoint === '' ? { code: 'missing' as const } : endpointProblem(endpoint);
    if (problem !== undefined)
      errors['endpoint'] =
        problem.code === 'missing'
          ? t.endpointMissing
          : problem.code === 'not_public'
            ? t.endpointProblems.not_public(problem.host)
            : t.endpointProblems[problem.code];
    if (Object.keys(errors).length > 0) return again(errors, { endpoint });
    let result;
    try {
      result = await sendResult(ctx, { token, code, endpoint, ...(authorization ? { authorization } : {}) });
    } catch (error) {
      if (error instanceof AppError && error.code === 'invalid_token') return gone();
      if (error instanceof AppError && error.code === 'conflict') return busy();
      if (error instanceof AppError && error.code === 'validation_failed')
        return again({ endpoint: error.message }, { endpoint });
      throw error;
    }
    if (!result.ok) {
      const reason = result.reason as keyof CentreText['codeResults'];
      return again({ 'send-code': t.codeResults[reason] ?? t.codeResults.wrong_code }, { endpoint });
    }
    const { sent } = result;
    if (!sent.ok)
      return resultPage(reply, lang, token, {
        kind: 'portability',
        notice: { kind: 'alert', text: t.sendFailed(sent.host, sent.reason) },
        status: 502,
      });
    return page(reply, lang, 200, t.resultTitle, noticeHtml({ kind: 'status', text: t.sent(sent.host) }));
  };

  return async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { status, body, unexpected } = toErrorBody(error);
      if (unexpected) request.log.error({ err: error }, 'unexpected error');
      else request.log.info({ code: body.error.code }, 'request refused');
      const lang = langOf(request);
      const t = centreText[lang];
      const code = body.error.code;
      const message =
        code === 'invalid_token' ? t.badLink : code === 'rate_limited' ? t.rateLimited : body.error.message;
      return errorPage(reply, lang, status, message, code);
    });
    app.addHook('onRequest', async (_request, reply) => {
      void reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow');
    });

    app.get(scriptPath, { schema: { hide: true }, config: centre }, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(script),
    );

    app.get('/privacy-centre', { schema: { hide: true }, config: centre }, async (request, reply) =>
      requestForm(reply, langOf(request), emptyForm),
    );

    app.post(
      '/privacy-centre',
      { schema: { hide: true }, config: { ...formLimit, ...centre } },
      async (request, reply) => {
        const lang = langOf(request);
        const t = centreText[lang];
        const values = fieldsOf(request.body);
        const read = readForm(values, t);
        if ('errors' in read) return requestForm(reply, lang, { values, errors: read.errors }, 400);
        let receipt;
        try {
          receipt = await submitRequest(ctx, 'public', {
            ...read.input,
            channel: 'privacy_centre',
            language: lang,
          });
        } catch (error) {
          if (!(error instanceof AppError) || !['validation_failed', 'not_declared'].includes(error.code))
            throw error;
          const errors: FieldErrors = {};
          for (const d of error.details.length > 0
            ? error.details
            : [{ path: 'details', message: error.message }])
            errors[fieldOfPath(d.path)] ??= d.message;
          return requestForm(reply, lang, { values, errors }, error.code === 'not_declared' ? 422 : 400);
        }
        const active = ctx.policies.get(read.input.declarationId);
        const id = encodeURIComponent(receipt.id);
        const content = [
          `<div class="status" role="status"><p>${escapeHtml(t.sentLead(receipt.reference))}</p></div>`,
          receipt.next === 'routed_to_provider' && receipt.provider
            ? `<p>${escapeHtml(t.routedLead(receipt.provider.name))}</p>${receipt.provider.contact ? `<p>${escapeHtml(receipt.provider.contact)}</p>` : ''}`
            : `<p>${escapeHtml(receipt.next === 'enter_code' ? t.sentCode : t.sentWait)}</p>`,
          `<dl><div><dt>${escapeHtml(t.deadlineTerm)}</dt><dd>${escapeHtml(dateText(receipt.dueAt, lang))}</dd></div></dl>`,
          receipt.next === 'enter_code'
            ? codeEntry(
                t,
                escapeHtml(withLang(`/privacy-centre/requests/${id}`, lang)),
                receipt.accessToken,
              ) + `<p class="hint">${escapeHtml(t.keepLink)}</p>`
            : '',
        ].join('\n');
        return page(reply, lang, 201, t.sentTitle, content, active === undefined ? {} : { active });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/privacy-centre/requests/:id',
      { schema: { hide: true }, config: centre },
      async (request, reply) => {
        const lang = langOf(request);
        const t = centreText[lang];
        const action = escapeHtml(
          withLang(`/privacy-centre/requests/${encodeURIComponent(request.params.id)}`, lang),
        );
        const content = [
          `<p>${escapeHtml(t.followLead)}</p>`,
          `<form method="post" action="${action}">`,
          `<div id="token-box"><label for="token">${escapeHtml(t.tokenLabel)}</label><p class="hint" id="token-hint">${escapeHtml(t.tokenHint)}</p>`,
          `<input type="text" id="token" name="token" required maxlength="200" autocomplete="off" spellcheck="false" aria-describedby="token-hint"><noscript><p class="hint">${escapeHtml(t.script)}</p></noscript></div>`,
          `<label for="code">${escapeHtml(t.codeLabel)}</label><p class="hint" id="code-hint">${escapeHtml(t.codeHint)}</p>`,
          `<input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" maxlength="6" aria-describedby="code-hint">`,
          `<div class="actions"><button type="submit" name="action" value="code">${escapeHtml(t.confirmCode)}</button> <button type="submit" name="action" value="status" class="secondary" formnovalidate>${escapeHtml(t.showStatus)}</button></div>`,
          '</form>',
        ].join('\n');
        return page(reply, lang, 200, t.followTitle, content, {
          path: `/privacy-centre/requests/${encodeURIComponent(request.params.id)}`,
          script: true,
        });
      },
    );

    app.post<{ Params: { id: string } }>(
      '/privacy-centre/requests/:id',
      { schema: { hide: true }, config: { ...formLimit, ...centre } },
      async (request, reply) => {
        const lang = langOf(request);
        const t = centreText[lang];
        const values = fieldsOf(request.body);
        const token = values('token');
        if (token === undefined || token.length > 200)
          throw new AppError('invalid_token', 'No access key given.');
        const requestId = request.params.id;
        const action = values('action') ?? 'status';
        if (action === 'code') {
          const code = values('code')?.replace(/\s/g, '') ?? '';
          if (!/^\d{6}$/.test(code))
            return requestPage(reply, lang, requestId, token, [{ kind: 'alert', text: t.codeFormat }], 400);
          const result = await enterCode(ctx, { requestId, token, code });
          const text = t.codeResults[result.ok ? result.next : result.reason];
          return requestPage(
            reply,
            lang,
            requestId,
            token,
            [{ kind: result.ok ? 'status' : 'alert', text }],
            result.ok ? 200 : 400,
          );
        }
        if (action === 'resend') {
          await resendCode(ctx, { requestId, token });
          return requestPage(reply, lang, requestId, token, [{ kind: 'status', text: t.resent }]);
        }
        if (action === 'withdraw') {
          if (values('confirm') !== 'yes')
            return requestPage(
              reply,
              lang,
              requestId,
              token,
              [{ kind: 'alert', text: t.withdrawUnconfirmed }],
              400,
            );
          await withdrawByRequester(ctx, { requestId, token });
          return requestPage(reply, lang, requestId, token, [{ kind: 'status', text: t.withdrawn }]);
        }
        return requestPage(reply, lang, requestId, token);
      },
    );

    app.get<{ Params: { token: string } }>(
      '/privacy-centre/results/:token',
      { schema: { hide: true }, config: centre },
      async (request, reply) => resultPage(reply, langOf(request), request.params.token),
    );

    app.post<{ Params: { token: string } }>(
      '/privacy-centre/results/:token',
      { schema: { hide: true }, config: { ...formLimit, ...centre } },
      async (request, reply) => {
        const lang = langOf(request);
        const t = centreText[lang];
        const { token } = request.params;
        const values = fieldsOf(request.body);
        const gone = () => gonePage(reply, lang);
        const busy = () =>
          resultPage(reply, lang, token, {
            codeSent: true,
            notice: { kind: 'alert', text: t.downloadBusy },
            status: 409,
          });
        const action = values('action');
        if (action === 'send') return sendToOrganisation(reply, lang, token, request.body, gone, busy);
        if (action !== 'download') {
          let kind;
          try {
            ({ kind } = await requestResultCode(ctx, token));
          } catch (error) {
            if (error instanceof AppError && error.code === 'invalid_token') return gone();
            throw error;
          }
          return resultPage(reply, lang, token, { codeSent: true, kind });
        }
        const errors: FieldErrors = {};
        const code = values('code')?.replace(/\s/g, '') ?? '';
        if (!/^\d{6}$/.test(code)) errors['code'] = t.codeFormat;
        const passphrase = formField(request.body, 'passphrase') ?? '';
        if (passphrase !== '' && passphrase.length < 8) errors['passphrase'] = t.passphraseShort;
        else if (passphrase !== (formField(request.body, 'passphrase-again') ?? ''))
          errors['passphrase'] = t.passphraseMismatch;
        if (Object.keys(errors).length > 0)
          return resultPage(reply, lang, token, { codeSent: true, errors, status: 400 });

        let result;
        try {
          result = await collectResult(ctx, { token, code, ...(passphrase ? { passphrase } : {}) }, () =>
            zipDelivery(reply),
          );
        } catch (error) {
          if (error instanceof AppError && error.code === 'invalid_token') return gone();
          if (error instanceof AppError && error.code === 'conflict') return busy();
          throw error;
        }
        if (!result.ok) {
          const reason = result.reason as keyof CentreText['codeResults'];
          return resultPage(reply, lang, token, {
            codeSent: true,
            errors: { code: t.codeResults[reason] ?? t.codeResults.wrong_code },
            status: 400,
          });
        }
        return reply;
      },
    );
  };
}
