/**
 * The public consent pages, reached from links in messages: one-click unsubscribe (RFC 8058,
 * C4a.6), confirmation of a double opt-in subscription (C4a.5), the preference centre (C4a.7–
 * C4a.10) and a form that emails a link to it. No login and no cookies: a signed token in the
 * URL names the address. A GET never changes a subscription, because link scanners follow GETs;
 * every change is a POST from a plain HTML form, so the pages work without JavaScript.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Communication } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { toErrorBody } from '../server/errors.js';
import { EmailInput } from '../server/html/forms.js';
import { ErrorCode, NoticeBox, Notices, PublicDocument, sendPage } from '../server/html/public-frame.js';
import { normaliseEmail } from '../subjects/normalize.js';
import { CONSENT_COOKIE } from '../web/banner-config.js';
import { consentTokenOf, linkWebVisitor } from '../web/link-visitor.js';
import { honourGpc } from './honour-gpc.js';
import type { GpcOutcome } from './honour-gpc.js';
import { preferencesUrl } from './mailer.js';
import type { Notice, PageLanguage } from '../server/public-page.js';
import { formField, langOf, orgOf, withLang } from '../server/public-page.js';
import type { PageText } from './page-text.js';
import { pageText } from './page-text.js';
import type { ChoiceContext } from './subscriptions.js';
import {
  confirmSubscription,
  objectToDirectMarketing,
  preferencesFor,
  subscribe,
  unsubscribe,
  unsubscribeAllMarketing,
} from './subscriptions.js';
import { checkSuppression } from './suppression.js';
import type { TokenPayload, TokenUse } from './tokens.js';
import { verifyToken } from './tokens.js';
import { heldAddress, sendPreferenceLink } from './send-preference-link.js';
import type { SendPreferenceLinkInput } from './send-preference-link.js';
import { withdrawablePurposes, withdrawPurposeConsent } from './withdraw-purpose-consent.js';

/** Largest multipart body the one-click endpoint reads; a real one is a few hundred bytes. */
const MULTIPART_LIMIT = 64 * 1024;
/** Every page here is a person's own: the signed link we sent them is the key, or it asks for one. */
const linkPage = { public: "a person's own page: the signed link in their message is the key" };

// ---------------------------------------------------------------------------------------------
// Small pure helpers
// ---------------------------------------------------------------------------------------------

/** Shows enough of an address to recognise it: `a***e@example.com`. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = [...address.slice(0, at)];
  const shown = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${shown}${address.slice(at)}`;
}

/**
 * Reads the simple fields of a `multipart/form-data` body (RFC 7578), strictly: CRLF line ends,
 * a boundary from the content type, at most 20 parts; file parts are skipped. Undefined when the
 * body is not well formed. Enough for RFC 8058 one-click posts; `@fastify/multipart` can replace it.
 */
export function parseMultipartFields(contentType: string, body: Buffer): Record<string, string> | undefined {
  const match = /;\s*boundary=(?:"([^"\r\n]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (boundary === undefined) return undefined;
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  if (!text.startsWith(delimiter) && !text.includes(`\r\n${delimiter}`)) return undefined;
  let pos = text.startsWith(delimiter)
    ? delimiter.length
    : text.indexOf(`\r\n${delimiter}`) + 2 + delimiter.length;
  const fields: Record<string, string> = {};
  for (let parts = 0; parts <= 20; parts += 1) {
    if (text.startsWith('--', pos)) return fields;
    const lineEnd = text.indexOf('\r\n', pos);
    if (lineEnd < 0 || text.slice(pos, lineEnd).trim() !== '') return undefined;
    const start = lineEnd + 2;
    const end = text.indexOf(`\r\n${delimiter}`, start);
    if (end < 0) return undefined;
    const part = text.slice(start, end);
    const split = part.startsWith('\r\n') ? 0 : part.indexOf('\r\n\r\n');
    if (split < 0) return undefined;
    const headers = part.slice(0, split).split('\r\n');
    const content = part.slice(split === 0 ? 2 : split + 4);
    const disposition = headers.find((h) => /^content-disposition\s*:/i.test(h));
    if (disposition !== undefined && /^content-disposition\s*:\s*form-data\s*(;|$)/i.test(disposition)) {
      const name = /;\s*name\s*=\s*(?:"([^"]*)"|([^\s;"]+))/i.exec(disposition);
      const fieldName = name?.[1] ?? name?.[2];
      if (fieldName !== undefined && !/;\s*filename\*?\s*=/i.test(disposition) && !(fieldName in fields))
        fields[fieldName] = Buffer.from(content, 'latin1').toString('utf8');
    }
    pos = end + 2 + delimiter.length;
  }
  return undefined;
}

function wildcard(request: FastifyRequest): string {
  return (request.params as { '*'?: string })['*'] ?? '';
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

type LinkProblem = 'malformed' | 'forged' | 'expired' | 'gone';

/** The page for a link that cannot be used: 400 when broken or forged, 410 when expired or gone. */
function linkProblem(
  reply: FastifyReply,
  lang: PageLanguage,
  reason: LinkProblem,
  extra: ReactNode = null,
): FastifyReply {
  const t = pageText(lang);
  const [status, title, text, code] =
    reason === 'expired'
      ? [410, t.expiredLinkTitle, t.expiredLink, 'expired_token']
      : reason === 'gone'
        ? [410, t.goneLinkTitle, t.goneLink, 'gone']
        : [400, t.invalidLinkTitle, t.invalidLink, 'invalid_token'];
  return sendPage(
    reply,
    status,
    <PublicDocument lang={lang} title={title}>
      <NoticeBox notice={{ kind: 'alert', text }} />
      {extra}
      <ErrorCode label={t.errorCode} code={code} />
    </PublicDocument>,
  );
}

function errorPage(reply: FastifyReply, lang: PageLanguage, status: number, message: string, code: string) {
  const t = pageText(lang);
  return sendPage(
    reply,
    status,
    <PublicDocument lang={lang} title={t.errorTitle}>
      <NoticeBox notice={{ kind: 'alert', text: message }} />
      <ErrorCode label={t.errorCode} code={code} />
    </PublicDocument>,
  );
}

/** A submit button of the preference centre, its target named for screen readers. */
function ActionButton(props: { value: string; label: string; hidden: string; secondary?: boolean }) {
  return (
    <button
      type="submit"
      name="action"
      value={props.value}
      {...(props.secondary ? { className: 'secondary' } : {})}
    >
      {props.label}
      <span className="visually-hidden">: {props.hidden}</span>
    </button>
  );
}

/** One entry of a list of choices: its name, lines about it, and its control. */
function Choice(props: { name: string; children?: ReactNode; control?: ReactNode }) {
  return (
    <li>
      <div>
        <h3>{props.name}</h3>
        {props.children}
      </div>
      {props.control}
    </li>
  );
}

/** A titled section of the preference centre. */
function Section(props: {
  id: string;
  heading: string;
  intro: string;
  children?: ReactNode;
  sectionId?: string;
}) {
  return (
    <section aria-labelledby={props.id} {...(props.sectionId === undefined ? {} : { id: props.sectionId })}>
      <h2 id={props.id}>{props.heading}</h2>
      <p>{props.intro}</p>
      {props.children}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The plugin
// ---------------------------------------------------------------------------------------------

interface Address {
  readonly identifierId: string;
  readonly subjectId: string;
  readonly value: string;
}

/**
 * Public pages at the root of the server: `/u/<token>` (one-click unsubscribe), `/confirm/<token>`
 * (double opt-in), `/preferences/<token>` (preference centre) and `/preferences` (a link by email).
 * Tokens are longer than Fastify's default parameter limit, hence the wildcard routes.
 */
export function consentPages(ctx: AppContext): FastifyPluginAsync {
  const sending = new Set<Promise<void>>();

  const addressOf = (identifierId: string): Promise<Address | undefined> =>
    heldAddress(ctx, { identifierId });

  const choiceOf = (request: FastifyRequest, element: string): Partial<ChoiceContext> => {
    const userAgent = request.headers['user-agent']?.slice(0, 1000);
    return {
      element,
      ip: request.ip.slice(0, 64),
      ...(userAgent ? { userAgent } : {}),
      gpc: request.headers['sec-gpc'] === '1',
    };
  };

  const originOf = (request: FastifyRequest) => {
    const choice = choiceOf(request, '');
    return { ip: choice.ip ?? null, userAgent: choice.userAgent ?? null, gpc: choice.gpc ?? false };
  };

  /**
   * Confirming from a browser whose banner allowed what the declaration asks for links that
   * browser's website events to the person (C3d.4). Only here: following the link proves control
   * of the address, which typing it into a form does not. A failure leaves the confirmation.
   */
  const linkConfirmingBrowser = async (request: FastifyRequest, declarationId: string, subjectId: string) => {
    const token = consentTokenOf(request.cookies[CONSENT_COOKIE]);
    if (token === undefined) return;
    try {
      await linkWebVisitor(ctx, { declarationId, token, subjectId, actor: `subject:${subjectId}` });
    } catch (error) {
      ctx.log.warn({ err: error }, 'linking the confirming browser failed');
    }
  };

  const verify = (use: TokenUse, token: string) => verifyToken(ctx.keys.tokens, use, token, ctx.clock.now());

  const communicationIn = (active: ActiveDeclaration, id: string | undefined): Communication | undefined =>
    id === undefined ? undefined : active.model.declaration.communications.find((c) => c.id === id);

  /**
   * Sends a preference-centre link after the answer, so a known address answers no slower than
   * an unknown one. Failures are logged only.
   */
  const sendLater = (input: SendPreferenceLinkInput) => {
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(async () => {
        await sendPreferenceLink(ctx, input);
      })
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'sending a preference link failed'))
      .finally(() => sending.delete(job));
    sending.add(job);
  };

  const gpcOf = (request: FastifyRequest, active: ActiveDeclaration, address: Address) => {
    const { ip, userAgent } = originOf(request);
    return honourGpc(ctx, {
      declarationId: active.model.id,
      subjectId: address.subjectId,
      signalled: request.headers['sec-gpc'] === '1',
      origin: { ip, userAgent },
    });
  };

  /** The preference centre for one address, with an optional outcome message. */
  const renderCentre = async (
    reply: FastifyReply,
    lang: PageLanguage,
    token: string,
    active: ActiveDeclaration,
    address: Address,
    notices: readonly (Notice | undefined)[],
    status = 200,
  ): Promise<FastifyReply> => {
    const t = pageText(lang);
    const view = await preferencesFor(ctx, active.model.id, address.identifierId, lang);
    if (view === undefined) return linkProblem(reply, lang, 'gone');
    const path = `/preferences/${token}`;
    const action = withLang(path, lang);

    const marketing: ReactNode[] = [];
    for (const c of view.communications.filter((x) => x.kind === 'marketing')) {
      const [verdict] = await checkSuppression(ctx, {
        declarationId: active.model.id,
        communication: c.id,
        addresses: [view.address],
      });
      const state =
        c.state === 'subscribed'
          ? 'subscribed'
          : c.state === 'pending'
            ? 'pending'
            : c.state === 'unsubscribed'
              ? 'unsubscribed'
              : verdict?.allowed === true
                ? 'optOut'
                : 'notSubscribed';
      const receiving = state === 'subscribed' || state === 'optOut' || state === 'pending';
      const control = view.objected ? null : receiving ? (
        <ActionButton
          value={`unsubscribe:${c.id}`}
          label={state === 'pending' ? t.cancelPending : t.unsubscribe}
          hidden={c.name}
          secondary
        />
      ) : (
        <ActionButton value={`subscribe:${c.id}`} label={t.subscribe} hidden={c.name} />
      );
      marketing.push(
        <Choice key={c.id} name={c.name} control={control}>
          {c.description ? <p>{c.description}</p> : null}
          <p className="meta">{t.from(c.sender)}</p>
          <p className="state">{view.objected ? t.objected : t.states[state]}</p>
        </Choice>,
      );
    }
    const service = view.communications
      .filter((c) => c.kind === 'transactional')
      .map((c) => (
        <Choice key={c.id} name={c.name}>
          {c.description ? <p>{c.description}</p> : null}
          <p className="state">{t.alwaysSent}</p>
        </Choice>
      ));
    const purposes = await withdrawablePurposes(ctx, active.model.id, address.subjectId);

    return sendPage(
      reply,
      status,
      <PublicDocument
        lang={lang}
        title={t.preferencesTitle}
        org={orgOf(active)}
        languageSwitch={{ path, label: t.languageSwitch }}
      >
        <p>{t.preferencesLead(maskAddress(view.address))}</p>
        <Notices notices={notices} />
        {view.objected ? (
          <div className="alert">
            <p>{t.objected}</p>
          </div>
        ) : null}
        <Section id="marketing" heading={t.marketingHeading} intro={t.marketingIntro}>
          <form method="post" action={action}>
            <ul className="choices">{marketing}</ul>
          </form>
        </Section>
        <Section id="service" sectionId="service-messages" heading={t.serviceHeading} intro={t.serviceIntro}>
          <ul className="choices">{service}</ul>
        </Section>
        <Section id="consents" heading={t.consentsHeading} intro={t.consentsIntro}>
          {purposes.length === 0 ? (
            <p>{t.noConsents}</p>
          ) : (
            <form method="post" action={action}>
              <ul className="choices">
                {purposes.map((p) => (
                  <Choice
                    key={p.id}
                    name={localise(p.name, lang)}
                    control={
                      <ActionButton
                        value={`withdraw:${p.id}`}
                        label={t.withdraw}
                        hidden={localise(p.name, lang)}
                        secondary
                      />
                    }
                  >
                    <p>{localise(p.description, lang)}</p>
                  </Choice>
                ))}
              </ul>
            </form>
          )}
        </Section>
        <Section id="all-marketing" heading={t.allMarketingHeading} intro={t.allMarketingIntro}>
          <form method="post" action={action}>
            <button type="submit" name="action" value="all-marketing">
              {t.allMarketingButton}
            </button>
          </form>
        </Section>
        {view.objected ? null : (
          <Section id="object" heading={t.objectHeading} intro={t.objectIntro}>
            <form method="post" action={action}>
              <button type="submit" name="action" value="object">
                {t.objectButton}
              </button>
            </form>
          </Section>
        )}
      </PublicDocument>,
    );
  };

  /** Carries out one preference-centre action; the answer is a notice and an HTTP status. */
  const perform = async (
    request: FastifyRequest,
    lang: PageLanguage,
    active: ActiveDeclaration,
    address: Address,
    action: string,
  ): Promise<{ notice: Notice; status: number }> => {
    const t = pageText(lang);
    const ok = (text: string) => ({ notice: { kind: 'status' as const, text }, status: 200 });
    const refused = (text: string) => ({ notice: { kind: 'alert' as const, text }, status: 400 });
    const declarationId = active.model.id;
    const [verb = '', ...rest] = action.split(':');
    const argument = rest.join(':');
    const actor = `subject:${address.subjectId}`;
    const choice = { ...choiceOf(request, action.slice(0, 200)), channel: 'preference_centre' };
    if (verb === 'subscribe' || verb === 'unsubscribe') {
      const communication = communicationIn(active, argument);
      if (communication === undefined) return refused(t.unknownList);
      const name = localise(communication.name, lang);
      if (communication.kind === 'transactional') return refused(t.serviceNotUnsubscribable(name));
      if (verb === 'unsubscribe') {
        await unsubscribe(ctx, actor, {
          ...choice,
          declarationId,
          communication: communication.id,
          identifierId: address.identifierId,
        });
        return ok(t.didUnsubscribe(name));
      }
      const result = await subscribe(ctx, actor, {
        ...choice,
        declarationId,
        communication: communication.id,
        email: address.value,
      });
      return result.state === 'blocked_by_objection'
        ? refused(t.blockedByObjection)
        : ok(result.state === 'unconfirmed' ? t.didAskConfirmation(name) : t.didSubscribe(name));
    }
    if (action === 'all-marketing') {
      await unsubscribeAllMarketing(ctx, actor, {
        ...choice,
        declarationId,
        identifierId: address.identifierId,
      });
      return ok(t.didAllMarketing);
    }
    if (action === 'object') {
      await objectToDirectMarketing(ctx, actor, { ...choice, subjectId: address.subjectId });
      return ok(t.didObject);
    }
    if (verb === 'withdraw') {
      const purpose = active.model.purposes.get(argument);
      if (purpose === undefined || !active.model.basesOf(purpose).includes('consent'))
        return refused(t.unknownPurpose);
      const name = localise(purpose.name, lang);
      const withdrawn = await withdrawPurposeConsent(ctx, {
        declarationId,
        subjectId: address.subjectId,
        purposeId: purpose.id,
        origin: originOf(request),
      });
      return withdrawn ? ok(t.didWithdraw(name)) : ok(t.nothingToWithdraw(name));
    }
    return refused(t.unknownAction);
  };

  /** The declaration and address a preference token names, or why there are none. */
  const preferenceTarget = async (
    payload: TokenPayload,
  ): Promise<{ active: ActiveDeclaration; address: Address } | undefined> => {
    const active = ctx.policies.get(payload.d);
    const address = active === undefined ? undefined : await addressOf(payload.i);
    return active === undefined || address === undefined ? undefined : { active, address };
  };

  const gpcNotices = (
    t: PageText,
    active: ActiveDeclaration,
    gpc: GpcOutcome,
    lang: PageLanguage,
  ): Notice[] => {
    if (!gpc.signalled) return [];
    if (gpc.withdrawn.length === 0) return [{ kind: 'status', text: t.gpcHonoured }];
    const names = gpc.withdrawn.map((id) =>
      localise(active.model.declaration.cookies.categories.find((c) => c.id === id)?.name ?? id, lang),
    );
    return [{ kind: 'status', text: t.gpcWithdrawn(names.join(', ')) }];
  };

  /** The form asking for an address, with an optional outcome or error. */
  const linkForm = (
    reply: FastifyReply,
    lang: PageLanguage,
    options: { status?: number; notice?: Notice; invalid?: boolean; email?: string; declarationId?: string },
  ) => {
    const t = pageText(lang);
    const declarations = ctx.policies.list();
    const chosen = options.declarationId;
    const choose =
      declarations.length === 1 && (chosen === undefined || chosen === declarations[0]?.model.id) ? (
        <input type="hidden" name="declaration" value={declarations[0]?.model.id ?? ''} />
      ) : (
        <>
          <label htmlFor="declaration">{t.declarationLabel}</label>
          <select
            id="declaration"
            name="declaration"
            required
            {...(chosen !== undefined && declarations.some((d) => d.model.id === chosen)
              ? { defaultValue: chosen }
              : {})}
          >
            {declarations.map((d) => (
              <option key={d.model.id} value={d.model.id}>
                {localise(d.model.declaration.title, lang)}
              </option>
            ))}
          </select>
        </>
      );
    const invalid = options.invalid === true;
    const active = chosen === undefined ? declarations[0] : ctx.policies.get(chosen);
    return sendPage(
      reply,
      options.status ?? 200,
      <PublicDocument
        lang={lang}
        title={t.linkTitle}
        languageSwitch={{ path: '/preferences', label: t.languageSwitch }}
        {...(active !== undefined && declarations.length === 1 ? { org: orgOf(active) } : {})}
      >
        <p>{t.linkLead}</p>
        <NoticeBox notice={options.notice} />
        <form method="post" action={withLang('/preferences', lang)} noValidate>
          {choose}
          <label htmlFor="email">{t.emailLabel}</label>
          <p className="hint" id="email-hint">
            {t.emailHint}
          </p>
          <EmailInput value={options.email} errors={invalid ? { email: t.invalidEmail } : {}} />
          {invalid ? (
            <p className="hint" id="email-error">
              <strong>{t.invalidEmail}</strong>
            </p>
          ) : null}
          <div className="actions">
            <button type="submit">{t.sendLink}</button>
          </div>
        </form>
      </PublicDocument>,
    );
  };

  return async (app) => {
    app.addContentTypeParser(
      'multipart/form-data',
      { parseAs: 'buffer', bodyLimit: MULTIPART_LIMIT },
      (request, body, done) => {
        const fields = parseMultipartFields(request.headers['content-type'] ?? '', body as Buffer);
        if (fields === undefined)
          done(new AppError('validation_failed', 'The multipart/form-data body is not well formed.'));
        else done(null, fields);
      },
    );

    app.setErrorHandler((error, request, reply) => {
      const { status, body, unexpected } = toErrorBody(error);
      if (unexpected) request.log.error({ err: error }, 'unexpected error');
      else request.log.info({ code: body.error.code }, 'request refused');
      const lang = langOf(request);
      const t = pageText(lang);
      const code = body.error.code;
      const message =
        code === 'unsupported_media_type'
          ? t.unsupportedMediaType
          : code === 'payload_too_large'
            ? t.tooLarge
            : code === 'rate_limited'
              ? t.rateLimited
              : body.error.message;
      return errorPage(reply, lang, status, message, code);
    });

    app.addHook('onRequest', async (_request, reply) => {
      void reply
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .header('vary', 'Accept-Language');
    });
    app.addHook('onClose', async () => {
      await Promise.allSettled([...sending]);
    });

    // --- One-click unsubscribe (RFC 8058) -----------------------------------------------------

    const unsubscribeTarget = async (payload: TokenPayload) => {
      const active = ctx.policies.get(payload.d);
      const communication = active === undefined ? undefined : communicationIn(active, payload.c);
      if (active === undefined || communication === undefined) return undefined;
      return { active, communication, address: await addressOf(payload.i) };
    };

    const allChoicesLink = (t: PageText, lang: PageLanguage, active: ActiveDeclaration, address: Address) => (
      <p>
        <a
          href={withLang(new URL(preferencesUrl(ctx, address.identifierId, active.model.id)).pathname, lang)}
        >
          {t.allChoices}
        </a>
      </p>
    );

    app.get('/u/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText(lang);
      const token = wildcard(request);
      const verified = verify('unsubscribe', token);
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const target = await unsubscribeTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      const { active, communication, address } = target;
      const name = localise(communication.name, lang);
      const path = `/u/${token}`;
      if (address === undefined)
        return sendPage(
          reply,
          200,
          <PublicDocument lang={lang} title={t.unsubscribeTitle} org={orgOf(active)}>
            <p>{t.addressGone}</p>
          </PublicDocument>,
        );
      if (communication.kind === 'transactional')
        return errorPage(reply, lang, 400, t.serviceNotUnsubscribable(name), 'validation_failed');
      return sendPage(
        reply,
        200,
        <PublicDocument
          lang={lang}
          title={t.unsubscribeTitle}
          org={orgOf(active)}
          languageSwitch={{ path, label: t.languageSwitch }}
        >
          <p>{t.unsubscribeLead(name, maskAddress(address.value))}</p>
          <p className="meta">{t.from(communication.sender)}</p>
          <form method="post" action={withLang(path, lang)}>
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <div className="actions">
              <button type="submit">{t.unsubscribeButton}</button>
            </div>
          </form>
          {allChoicesLink(t, lang, active, address)}
        </PublicDocument>,
      );
    });

    app.post('/u/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText(lang);
      const token = wildcard(request);
      const verified = verify('unsubscribe', token);
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      if (formField(request.body, 'List-Unsubscribe') !== 'One-Click')
        return errorPage(reply, lang, 400, t.missingOneClick, 'validation_failed');
      const target = await unsubscribeTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      const { active, communication, address } = target;
      const name = localise(communication.name, lang);
      if (address === undefined)
        return sendPage(
          reply,
          200,
          <PublicDocument lang={lang} title={t.unsubscribedTitle} org={orgOf(active)}>
            <p>{t.addressGone}</p>
          </PublicDocument>,
        );
      if (communication.kind === 'transactional')
        return errorPage(reply, lang, 400, t.serviceNotUnsubscribable(name), 'validation_failed');
      await unsubscribe(ctx, 'public', {
        ...choiceOf(request, 'list_unsubscribe_post'),
        channel: 'one_click',
        declarationId: active.model.id,
        communication: communication.id,
        identifierId: address.identifierId,
      });
      return sendPage(
        reply,
        200,
        <PublicDocument lang={lang} title={t.unsubscribedTitle} org={orgOf(active)}>
          <NoticeBox
            notice={{ kind: 'status', text: t.unsubscribedLead(name, maskAddress(address.value)) }}
          />
          <p>{t.unsubscribedMore}</p>
          {allChoicesLink(t, lang, active, address)}
        </PublicDocument>,
      );
    });

    // --- Double opt-in confirmation -----------------------------------------------------------

    app.get('/confirm/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText(lang);
      const token = wildcard(request);
      const verified = verify('confirm', token);
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const { i, d, c } = verified.payload;
      const active = ctx.policies.get(d);
      const communication = active === undefined ? undefined : communicationIn(active, c);
      if (active === undefined || communication === undefined) return linkProblem(reply, lang, 'gone');
      const subscription = await ctx.store.db
        .selectFrom('subscriptions')
        .select('state')
        .where('identifier_id', '=', i)
        .where('declaration_id', '=', d)
        .where('communication_id', '=', communication.id)
        .executeTakeFirst();
      if (subscription === undefined || subscription.state === 'unsubscribed')
        return linkProblem(reply, lang, 'gone');
      const name = localise(communication.name, lang);
      const path = `/confirm/${token}`;
      return sendPage(
        reply,
        200,
        <PublicDocument
          lang={lang}
          title={t.confirmTitle}
          org={orgOf(active)}
          languageSwitch={{ path, label: t.languageSwitch }}
        >
          {subscription.state === 'confirmed' ? (
            <NoticeBox notice={{ kind: 'status', text: t.alreadyConfirmed(name) }} />
          ) : (
            <>
              <p>{t.confirmLead(name, communication.sender)}</p>
              <form method="post" action={withLang(path, lang)}>
                <div className="actions">
                  <button type="submit" name="confirm" value="yes">
                    {t.confirmButton}
                  </button>
                </div>
              </form>
              <p className="meta">{t.confirmIgnore}</p>
            </>
          )}
        </PublicDocument>,
      );
    });

    app.post('/confirm/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText(lang);
      const token = wildcard(request);
      const verified = verify('confirm', token);
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const { element: _element, ...context } = choiceOf(request, 'confirm');
      const result = await confirmSubscription(ctx, token, { ...context, element: 'confirm_button' });
      if (!result.ok) return linkProblem(reply, lang, result.reason);
      await linkConfirmingBrowser(request, verified.payload.d, result.subjectId);
      const active = ctx.policies.get(verified.payload.d);
      const communication = active === undefined ? undefined : communicationIn(active, result.communication);
      const name = communication === undefined ? result.communication : localise(communication.name, lang);
      const text = result.alreadyConfirmed ? t.alreadyConfirmed(name) : t.confirmed(name);
      return sendPage(
        reply,
        200,
        <PublicDocument
          lang={lang}
          title={t.confirmedTitle}
          {...(active === undefined ? {} : { org: orgOf(active) })}
        >
          <NoticeBox notice={{ kind: 'status', text }} />
        </PublicDocument>,
      );
    });

    // --- Preference centre --------------------------------------------------------------------

    const expiredPreferences = (reply: FastifyReply, lang: PageLanguage, token: string) =>
      linkProblem(
        reply,
        lang,
        'expired',
        <form method="post" action={withLang(`/preferences/${token}`, lang)}>
          <div className="actions">
            <button type="submit" name="action" value="resend">
              {pageText(lang).freshLinkButton}
            </button>
          </div>
        </form>,
      );

    app.get('/preferences/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const token = wildcard(request);
      const verified = verify('preferences', token);
      if (!verified.ok)
        return verified.reason === 'expired'
          ? expiredPreferences(reply, lang, token)
          : linkProblem(reply, lang, verified.reason);
      const target = await preferenceTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      const gpc = await gpcOf(request, target.active, target.address);
      return renderCentre(
        reply,
        lang,
        token,
        target.active,
        target.address,
        gpcNotices(pageText(lang), target.active, gpc, lang),
      );
    });

    app.post('/preferences/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText(lang);
      const token = wildcard(request);
      const action = formField(request.body, 'action') ?? '';
      // An expired link still proves which address it was sent to: a fresh one goes only there.
      const verified = verifyToken(ctx.keys.tokens, 'preferences', token, new Date(0));
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const target = await preferenceTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      if (action === 'resend') {
        sendLater({ identifierId: target.address.identifierId, declarationId: target.active.model.id, lang });
        return sendPage(
          reply,
          200,
          <PublicDocument lang={lang} title={t.linkTitle} org={orgOf(target.active)}>
            <NoticeBox notice={{ kind: 'status', text: t.freshLinkSent }} />
          </PublicDocument>,
        );
      }
      const current = verify('preferences', token);
      if (!current.ok) return expiredPreferences(reply, lang, token);
      const outcome = await perform(request, lang, target.active, target.address, action);
      const gpc = await gpcOf(request, target.active, target.address);
      return renderCentre(
        reply,
        lang,
        token,
        target.active,
        target.address,
        [outcome.notice, ...gpcNotices(t, target.active, gpc, lang)],
        outcome.status,
      );
    });

    // --- A link to the preference centre by email ---------------------------------------------

    app.get('/preferences', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const asked = formField(request.query, 'declaration');
      if (asked !== undefined && ctx.policies.get(asked) === undefined)
        return linkForm(reply, lang, {
          status: 404,
          notice: { kind: 'alert', text: pageText(lang).unknownDeclaration },
        });
      return linkForm(reply, lang, asked === undefined ? {} : { declarationId: asked });
    });

    app.post(
      '/preferences',
      { schema: { hide: true }, config: { ...linkPage, rateLimit: { max: 5, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const lang = langOf(request);
        const t = pageText(lang);
        const declarations = ctx.policies.list();
        const asked = formField(request.body, 'declaration') ?? formField(request.query, 'declaration');
        const active =
          asked !== undefined
            ? ctx.policies.get(asked)
            : declarations.length === 1
              ? declarations[0]
              : undefined;
        const email = (formField(request.body, 'email') ?? '').slice(0, 320);
        if (active === undefined)
          return linkForm(reply, lang, {
            status: 400,
            notice: { kind: 'alert', text: t.unknownDeclaration },
            email,
          });
        if (!normaliseEmail(email).ok)
          return linkForm(reply, lang, { status: 400, invalid: true, email, declarationId: active.model.id });
        // Looked up and sent after the answer, which is the same whether or not the address is known.
        sendLater({ email, declarationId: active.model.id, lang });
        return linkForm(reply, lang, {
          notice: { kind: 'status', text: t.linkSent },
          declarationId: active.model.id,
        });
      },
    );
  };
}
