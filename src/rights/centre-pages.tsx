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
import type { ReactNode } from 'react';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { RequestType } from '../policy/schema.js';
import { requestTypes } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { toErrorBody } from '../server/errors.js';
import type { Notice, PageLanguage } from '../server/public-page.js';
import { formField, langOf, orgOf, publicPageStyle, withLang } from '../server/public-page.js';
import type { FieldErrors } from '../server/html/forms.js';
import { describedBy, EmailInput, ErrorSummary, FieldError } from '../server/html/forms.js';
import { ErrorCode, NoticeBox, Notices, PublicDocument, sendPage } from '../server/html/public-frame.js';
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

/** Every form value as a string (or undefined); `formbody` gives arrays for repeated names. */
function fieldsOf(body: unknown): (name: string) => string | undefined {
  return (name) => {
    const value = formField(body, name)?.trim();
    return value === '' ? undefined : value;
  };
}

function dateText(iso: string, lang: PageLanguage): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : lang, {
    dateStyle: 'long',
    timeZone: 'UTC',
  }).format(new Date(iso));
}

/** The label of a field, with its hint under it when it has one. */
function Label(props: { id: string; text: string; hint?: string }) {
  return (
    <>
      <label htmlFor={props.id}>{props.text}</label>
      {props.hint === undefined ? null : (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
    </>
  );
}

/** A six-digit code field. */
function CodeInput(props: { id: string; required?: boolean; aria: ReturnType<typeof describedBy> }) {
  return (
    <input
      type="text"
      id={props.id}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      {...(props.required ? { required: true } : {})}
      {...props.aria}
    />
  );
}

function Action(props: { value: string; label: string; secondary?: boolean; noValidate?: boolean }) {
  return (
    <button
      type="submit"
      name="action"
      value={props.value}
      {...(props.secondary ? { className: 'secondary' } : {})}
      {...(props.noValidate ? { formNoValidate: true } : {})}
    >
      {props.label}
    </button>
  );
}

function HiddenToken({ token }: { token: string }) {
  return <input type="hidden" name="token" value={token} />;
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
    content: ReactNode,
    options: { path?: string; active?: ActiveDeclaration; script?: boolean } = {},
  ) => {
    const active = options.active ?? (ctx.policies.list().length === 1 ? ctx.policies.list()[0] : undefined);
    return sendPage(
      reply,
      status,
      <PublicDocument
        lang={lang}
        title={title}
        style={style}
        {...(options.path === undefined
          ? {}
          : { languageSwitch: { path: options.path, label: centreText(lang).languageSwitch } })}
        {...(active === undefined ? {} : { org: orgOf(active) })}
        {...(options.script ? { script: scriptPath } : {})}
      >
        {content}
      </PublicDocument>,
    );
  };

  const errorPage = (
    reply: FastifyReply,
    lang: PageLanguage,
    status: number,
    message: string,
    code: string,
  ) => {
    const t = centreText(lang);
    return page(
      reply,
      lang,
      status,
      t.errorTitle,
      <>
        <NoticeBox notice={{ kind: 'alert', text: message }} />
        <ErrorCode label={t.errorCode} code={code} />
      </>,
    );
  };

  /** The form that takes a verification code for a request, with a button for a fresh one. */
  const codeEntry = (t: CentreText, action: string, token: string) => (
    <form method="post" action={action}>
      <HiddenToken token={token} />
      <Label id="code" text={t.codeLabel} hint={t.codeHint} />
      <CodeInput id="code" required aria={{ 'aria-describedby': 'code-hint' }} />
      <div className="actions">
        <Action value="code" label={t.confirmCode} />{' '}
        <Action value="resend" label={t.resend} secondary noValidate />
      </div>
    </form>
  );

  // ---- The request form ----------------------------------------------------------------------

  const requestForm = (reply: FastifyReply, lang: PageLanguage, state: FormState, status = 200) => {
    const t = centreText(lang);
    const { values, errors } = state;
    const declarations = ctx.policies.list();
    const chosenDeclaration = values('declaration') ?? declarations[0]?.model.id;
    /** A select's chosen value, when one of its options has it. */
    const chosen = (current: string | undefined, options: readonly string[]) =>
      current !== undefined && options.includes(current) ? { defaultValue: current } : {};

    const declarationField =
      declarations.length === 1 ? (
        <input type="hidden" name="declaration" value={declarations[0]?.model.id ?? ''} />
      ) : (
        <>
          <label htmlFor="declaration">{t.declarationLabel}</label>
          <FieldError id="declaration" errors={errors} />
          <select
            id="declaration"
            name="declaration"
            {...describedBy('declaration', errors)}
            {...chosen(
              chosenDeclaration,
              declarations.map((d) => d.model.id),
            )}
          >
            {declarations.map((d) => (
              <option key={d.model.id} value={d.model.id}>
                {localise(d.model.declaration.title, lang)}
              </option>
            ))}
          </select>
        </>
      );

    const withServices = declarations.filter((d) => d.model.declaration.services.length > 0);
    const serviceOptions = (d: ActiveDeclaration) =>
      d.model.declaration.services.map((s) => (
        <option key={s.id} value={`${d.model.id}/${s.id}`}>
          {s.name}
        </option>
      ));
    const serviceField =
      withServices.length === 0 ? null : (
        <>
          <label htmlFor="service">{t.serviceLabel}</label>
          <FieldError id="service" errors={errors} />
          <select
            id="service"
            name="service"
            {...describedBy('service', errors)}
            {...chosen(
              values('service'),
              withServices.flatMap((d) => d.model.declaration.services.map((s) => `${d.model.id}/${s.id}`)),
            )}
          >
            <option value="">{t.serviceAny}</option>
            {declarations.length === 1
              ? serviceOptions(withServices[0]!)
              : withServices.map((d) => (
                  <optgroup key={d.model.id} label={localise(d.model.declaration.title, lang)}>
                    {serviceOptions(d)}
                  </optgroup>
                ))}
          </select>
        </>
      );

    const typeField = (
      <fieldset {...(errors['type'] ? { 'aria-describedby': 'type-error' } : {})}>
        <legend>{t.typeLegend}</legend>
        <FieldError id="type" errors={errors} />
        {requestTypes.map((type, i) => (
          <div className="option" key={type}>
            <input
              type="radio"
              name="type"
              id={`type-${type}`}
              value={type}
              {...(type === values('type') ? { defaultChecked: true } : {})}
              {...(i === 0 ? { required: true } : {})}
              aria-describedby={`type-${type}-hint`}
            />
            <label htmlFor={`type-${type}`}>
              {t.types[type].name}
              <span className="hint" id={`type-${type}-hint`}>
                <br />
                {t.types[type].text}
              </span>
            </label>
          </div>
        ))}
      </fieldset>
    );

    const rows = Array.from({ length: RECTIFICATION_ROWS }, (_, i) => i + 1).map((n) => (
      <div className="pair" key={n}>
        <div>
          <label htmlFor={`fix-field-${n}`}>{t.fieldLabel(n)}</label>
          <input
            type="text"
            id={`fix-field-${n}`}
            name={`fix-field-${n}`}
            maxLength={100}
            defaultValue={values(`fix-field-${n}`) ?? ''}
          />
        </div>
        <div>
          <label htmlFor={`fix-value-${n}`}>{t.valueLabel(n)}</label>
          <input
            type="text"
            id={`fix-value-${n}`}
            name={`fix-value-${n}`}
            maxLength={2000}
            defaultValue={values(`fix-value-${n}`) ?? ''}
          />
        </div>
      </div>
    ));
    const rectificationField = (
      <fieldset>
        <legend>{t.rectificationLegend}</legend>
        <p className="hint">{t.rectificationHint}</p>
        <FieldError id="rectification" errors={errors} />
        {rows}
      </fieldset>
    );

    // Purposes a person may object to on grounds of their situation: those on legitimate interests.
    const liPurposes = (d: ActiveDeclaration) =>
      d.model.declaration.purposes.filter((p) => d.model.basesOf(p).includes('legitimate_interests'));
    const liOptions = (d: ActiveDeclaration) =>
      liPurposes(d).map((p) => (
        <option key={p.id} value={p.id}>
          {localise(p.name, lang)}
        </option>
      ));
    const purposeOptions =
      declarations.length === 1
        ? liOptions(declarations[0]!)
        : declarations.map((d) => (
            <optgroup key={d.model.id} label={localise(d.model.declaration.title, lang)}>
              {liOptions(d)}
            </optgroup>
          ));
    const objectionField = (
      <fieldset>
        <legend>{t.objectionLegend}</legend>
        <div className="option">
          <input
            type="radio"
            name="objection"
            id="objection-marketing"
            value="direct_marketing"
            {...(values('objection') === 'purpose' ? {} : { defaultChecked: true })}
          />
          <label htmlFor="objection-marketing">{t.objectionMarketing}</label>
        </div>
        <div className="option">
          <input
            type="radio"
            name="objection"
            id="objection-purpose"
            value="purpose"
            {...(values('objection') === 'purpose' ? { defaultChecked: true } : {})}
          />
          <label htmlFor="objection-purpose">{t.objectionPurpose}</label>
        </div>
        <label htmlFor="purpose">{t.purposeLabel}</label>
        <FieldError id="purpose" errors={errors} />
        <select
          id="purpose"
          name="purpose"
          {...describedBy('purpose', errors)}
          {...chosen(
            values('purpose'),
            declarations.flatMap((d) => liPurposes(d).map((p) => p.id)),
          )}
        >
          <option value=""></option>
          {purposeOptions}
        </select>
        <label htmlFor="grounds">{t.groundsLabel}</label>
        <textarea id="grounds" name="grounds" maxLength={5000} defaultValue={values('grounds') ?? ''} />
      </fieldset>
    );

    const content = (
      <>
        <p>{t.lead(declarations[0] === undefined ? '' : orgOf(declarations[0]))}</p>
        <ErrorSummary
          heading={t.errorSummary}
          errors={errors}
          anchors={{ type: `type-${requestTypes[0]}` }}
          focusable
        />
        <h2>{t.formHeading}</h2>
        <form method="post" action={withLang('/privacy-centre', lang)} noValidate>
          {declarationField}
          {serviceField}
          {typeField}
          <Label id="email" text={t.emailLabel} hint={t.emailHint} />
          <FieldError id="email" errors={errors} />
          <EmailInput value={values('email')} errors={errors} />
          <label htmlFor="name">{t.nameLabel}</label>
          <input
            type="text"
            id="name"
            name="name"
            autoComplete="name"
            maxLength={200}
            defaultValue={values('name') ?? ''}
          />
          {rectificationField}
          {objectionField}
          <Label id="details" text={t.detailsLabel} hint={t.detailsHint} />
          <FieldError id="details" errors={errors} />
          <textarea
            id="details"
            name="details"
            maxLength={5000}
            {...describedBy('details', errors, true)}
            defaultValue={values('details') ?? ''}
          />
          <div className="actions">
            <button type="submit">{t.submit}</button>
          </div>
        </form>
      </>
    );
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
    const t = centreText(lang);
    const view = await requesterView(ctx, { requestId: id, token });
    const action = withLang(`/privacy-centre/requests/${encodeURIComponent(id)}`, lang);
    const open = !['completed', 'refused', 'withdrawn', 'expired', 'routed'].includes(view.status);
    const content = (
      <>
        <Notices notices={notices} />
        <dl>
          <div>
            <dt>{t.typeTerm}</dt>
            <dd>{t.types[view.type as RequestType]?.name ?? view.type}</dd>
          </div>
          <div>
            <dt>{t.receivedTerm}</dt>
            <dd>{dateText(view.receivedAt, lang)}</dd>
          </div>
          <div>
            <dt>{t.statusTerm}</dt>
            <dd className="state">{t.statuses[view.status] ?? view.status}</dd>
          </div>
          {open ? (
            <div>
              <dt>{t.deadlineTerm}</dt>
              <dd>{dateText(view.deadline, lang)}</dd>
            </div>
          ) : null}
        </dl>
        {view.awaiting === null ? null : (
          <section aria-labelledby="code-heading">
            <h2 id="code-heading">{view.awaiting === 'second_code' ? t.codeSecondHeading : t.codeHeading}</h2>
            {codeEntry(t, action, token)}
          </section>
        )}
        <section aria-labelledby="steps-heading">
          <h2 id="steps-heading">{t.stepsHeading}</h2>
          <ol className="steps">
            {view.steps.map((s, i) => (
              <li key={i}>
                <time dateTime={s.at}>{dateText(s.at, lang)}</time>:{' '}
                {t.steps[s.kind] ?? s.kind.replaceAll('_', ' ')}
              </li>
            ))}
          </ol>
        </section>
        {open ? (
          <section aria-labelledby="withdraw-heading">
            <h2 id="withdraw-heading">{t.withdrawHeading}</h2>
            <form method="post" action={action}>
              <HiddenToken token={token} />
              <div className="option">
                <input type="checkbox" id="withdraw-confirm" name="confirm" value="yes" />
                <label htmlFor="withdraw-confirm">{t.withdrawConfirm}</label>
              </div>
              <div className="actions">
                <Action value="withdraw" label={t.withdrawButton} secondary />
              </div>
            </form>
          </section>
        ) : null}
        <form method="post" action={action}>
          <HiddenToken token={token} />
          <div className="actions">
            <Action value="status" label={t.showStatus} secondary />
          </div>
        </form>
      </>
    );
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
    const t = centreText(lang);
    const errors = options.errors ?? {};
    const action = withLang(`/privacy-centre/results/${encodeURIComponent(token)}`, lang);
    // Portable data may instead go straight to another organisation (C5m.1), with the same code.
    const sendForm =
      options.kind === 'portability' ? (
        <section aria-labelledby="send-heading">
          <h2 id="send-heading">{t.sendHeading}</h2>
          <p>{t.sendLead}</p>
          <form method="post" action={action}>
            <label htmlFor="send-code">{t.codeLabel}</label>
            <FieldError id="send-code" errors={errors} />
            <CodeInput id="send-code" required aria={describedBy('send-code', errors, false)} />
            <Label id="endpoint" text={t.endpointLabel} hint={t.endpointHint} />
            <FieldError id="endpoint" errors={errors} />
            <input
              type="url"
              id="endpoint"
              name="endpoint"
              maxLength={2000}
              required
              defaultValue={options.values?.['endpoint'] ?? ''}
              {...describedBy('endpoint', errors, true)}
            />
            <Label id="authorization" text={t.authorizationLabel} hint={t.authorizationHint} />
            <input
              type="password"
              id="authorization"
              name="authorization"
              autoComplete="off"
              maxLength={4096}
              aria-describedby="authorization-hint"
            />
            <div className="actions">
              <Action value="send" label={t.send} />
            </div>
          </form>
        </section>
      ) : null;
    const content = options.codeSent ? (
      <>
        <NoticeBox notice={options.notice ?? { kind: 'status', text: t.resultCodeSent }} />
        <form method="post" action={action}>
          <Label id="code" text={t.codeLabel} hint={t.codeHint} />
          <FieldError id="code" errors={errors} />
          <CodeInput id="code" required aria={describedBy('code', errors, true)} />
          <Label id="passphrase" text={t.passphraseLabel} hint={t.passphraseHint} />
          <FieldError id="passphrase" errors={errors} />
          <input
            type="password"
            id="passphrase"
            name="passphrase"
            autoComplete="new-password"
            maxLength={200}
            {...describedBy('passphrase', errors, true)}
          />
          <label htmlFor="passphrase-again">{t.passphraseAgainLabel}</label>
          <input
            type="password"
            id="passphrase-again"
            name="passphrase-again"
            autoComplete="new-password"
            maxLength={200}
          />
          <p className="hint">{t.downloadOnce}</p>
          <div className="actions">
            <Action value="download" label={t.download} />{' '}
            <Action value="send-code" label={t.resend} secondary noValidate />
          </div>
        </form>
        {sendForm}
      </>
    ) : (
      <>
        <NoticeBox notice={options.notice} />
        <p>{t.resultLead}</p>
        <form method="post" action={action}>
          <div className="actions">
            <Action value="send-code" label={t.sendResultCode} />
          </div>
        </form>
      </>
    );
    return page(reply, lang, options.status ?? 200, t.resultTitle, content);
  };

  /**
   * A link that cannot be used (used, expired, closed after too many codes, or unknown: all
   * answered alike) and how to ask again: a new request, or the controller's contact for rights
   * when one declaration is in force.
   */
  const gonePage = (reply: FastifyReply, lang: PageLanguage) => {
    const t = centreText(lang);
    const declarations = ctx.policies.list();
    const only = declarations.length === 1 ? declarations[0] : undefined;
    const contacts = (only?.model.declaration.controller.contacts ?? []).filter(
      (c) => c.purposes === undefined || c.purposes.includes('rights'),
    );
    const contact = (contacts.find((c) => c.channel === 'email') ?? contacts.find((c) => c.channel === 'web'))
      ?.value;
    const content = (
      <>
        <NoticeBox notice={{ kind: 'alert', text: t.resultGone }} />
        <p>{t.askAgain(only === undefined ? undefined : orgOf(only), contact)}</p>
        <p>
          <a href={withLang('/privacy-centre', lang)}>{t.newRequest}</a>
        </p>
      </>
    );
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
    const t = centreText(lang);
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
    return page(
      reply,
      lang,
      200,
      t.resultTitle,
      <NoticeBox notice={{ kind: 'status', text: t.sent(sent.host) }} />,
    );
  };

  return async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { status, body, unexpected } = toErrorBody(error);
      if (unexpected) request.log.error({ err: error }, 'unexpected error');
      else request.log.info({ code: body.error.code }, 'request refused');
      const lang = langOf(request);
      const t = centreText(lang);
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
        const t = centreText(lang);
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
        const content = (
          <>
            <NoticeBox notice={{ kind: 'status', text: t.sentLead(receipt.reference) }} />
            {receipt.next === 'routed_to_provider' && receipt.provider ? (
              <>
                <p>{t.routedLead(receipt.provider.name)}</p>
                {receipt.provider.contact ? <p>{receipt.provider.contact}</p> : null}
              </>
            ) : (
              <p>{receipt.next === 'enter_code' ? t.sentCode : t.sentWait}</p>
            )}
            <dl>
              <div>
                <dt>{t.deadlineTerm}</dt>
                <dd>{dateText(receipt.dueAt, lang)}</dd>
              </div>
            </dl>
            {receipt.next === 'enter_code' ? (
              <>
                {codeEntry(t, withLang(`/privacy-centre/requests/${id}`, lang), receipt.accessToken)}
                <p className="hint">{t.keepLink}</p>
              </>
            ) : null}
          </>
        );
        return page(reply, lang, 201, t.sentTitle, content, active === undefined ? {} : { active });
      },
    );

    app.get<{ Params: { id: string } }>(
      '/privacy-centre/requests/:id',
      { schema: { hide: true }, config: centre },
      async (request, reply) => {
        const lang = langOf(request);
        const t = centreText(lang);
        const action = withLang(`/privacy-centre/requests/${encodeURIComponent(request.params.id)}`, lang);
        const content = (
          <>
            <p>{t.followLead}</p>
            <form method="post" action={action}>
              <div id="token-box">
                <Label id="token" text={t.tokenLabel} hint={t.tokenHint} />
                <input
                  type="text"
                  id="token"
                  name="token"
                  required
                  maxLength={200}
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby="token-hint"
                />
                <noscript>
                  <p className="hint">{t.script}</p>
                </noscript>
              </div>
              <Label id="code" text={t.codeLabel} hint={t.codeHint} />
              <CodeInput id="code" aria={{ 'aria-describedby': 'code-hint' }} />
              <div className="actions">
                <Action value="code" label={t.confirmCode} />{' '}
                <Action value="status" label={t.showStatus} secondary noValidate />
              </div>
            </form>
          </>
        );
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
        const t = centreText(lang);
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
        const t = centreText(lang);
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
