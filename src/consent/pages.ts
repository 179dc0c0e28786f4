/**
 * The public consent pages, reached from links in messages: one-click unsubscribe (RFC 8058,
 * C4a.6), confirmation of a double opt-in subscription (C4a.5), the preference centre (C4a.7–
 * C4a.10) and a form that emails a link to it. No login and no cookies: a signed token in the
 * URL names the address. A GET never changes a subscription, because link scanners follow GETs;
 * every change is a POST from a plain HTML form, so the pages work without JavaScript.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { escapeHtml } from '../policy/html.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Communication } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { toErrorBody } from '../server/errors.js';
import { transaction } from '../store/transaction.js';
import { normaliseEmail } from '../subjects/normalize.js';
import { CONTROLLER_TENANT, lookupOf } from '../subjects/subjects.js';
import { CONSENT_COOKIE } from '../web/banner-config.js';
import { consentTokenOf, linkWebVisitor } from '../web/link-visitor.js';
import { markSuppressionChange } from './changes.js';
import type { ConsentState } from './ledger.js';
import { consentHistory, deriveState, recordConsentEvents } from './ledger.js';
import { preferencesUrl, sendMail } from './mailer.js';
import type { Notice, PageLanguage } from '../server/public-page.js';
import {
  formField,
  langOf,
  noticeHtml,
  orgOf,
  publicDocument,
  sendHtml,
  withLang,
} from '../server/public-page.js';
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

/** Largest multipart body the one-click endpoint reads; a real one is a few hundred bytes. */
const MULTIPART_LIMIT = 64 * 1024;
const LINK_DAYS = 30;
/** Preference links emailed to one address per hour, whoever asks: the form cannot flood an inbox. */
const LINKS_PER_ADDRESS_PER_HOUR = 3;
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
function linkProblem(reply: FastifyReply, lang: PageLanguage, reason: LinkProblem, extra = ''): FastifyReply {
  const t = pageText[lang];
  const [status, title, text, code] =
    reason === 'expired'
      ? [410, t.expiredLinkTitle, t.expiredLink, 'expired_token']
      : reason === 'gone'
        ? [410, t.goneLinkTitle, t.goneLink, 'gone']
        : [400, t.invalidLinkTitle, t.invalidLink, 'invalid_token'];
  return sendHtml(
    reply,
    status,
    publicDocument(
      lang,
      title,
      `<div class="alert" role="alert"><p>${escapeHtml(text)}</p></div>${extra}<p class="meta">${escapeHtml(t.errorCode)}: <code>${code}</code></p>`,
    ),
  );
}

function errorPage(reply: FastifyReply, lang: PageLanguage, status: number, message: string, code: string) {
  const t = pageText[lang];
  return sendHtml(
    reply,
    status,
    publicDocument(
      lang,
      t.errorTitle,
      `<div class="alert" role="alert"><p>${escapeHtml(message)}</p></div><p class="meta">${escapeHtml(t.errorCode)}: <code>${escapeHtml(code)}</code></p>`,
    ),
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

  const addressOf = async (identifierId: string): Promise<Address | undefined> => {
    const row = await ctx.store.db
      .selectFrom('identifiers')
      .select(['id', 'subject_id', 'value'])
      .where('id', '=', identifierId)
      .where('kind', '=', 'email')
      .where('tenant', '=', CONTROLLER_TENANT)
      .executeTakeFirst();
    return row?.value == null
      ? undefined
      : { identifierId: row.id, subjectId: row.subject_id, value: row.value };
  };

  const choiceOf = (request: FastifyRequest, element: string): Partial<ChoiceContext> => {
    const userAgent = request.headers['user-agent']?.slice(0, 1000);
    return {
      element,
      ip: request.ip.slice(0, 64),
      ...(userAgent ? { userAgent } : {}),
      gpc: request.headers['sec-gpc'] === '1',
    };
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

  /** Sends a preference-centre link, at most a few per address per hour. Failures are logged only. */
  const sendLink = async (address: Address, declarationId: string, lang: PageLanguage) => {
    const since = new Date(ctx.clock.now().getTime() - 3_600_000).toISOString();
    const recent = await ctx.store.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('to_address', '=', address.value)
      .where('kind', '=', 'preferences_link')
      .where('created_at', '>', since)
      .executeTakeFirst();
    if (Number(recent?.n ?? 0) >= LINKS_PER_ADDRESS_PER_HOUR) return;
    const t = pageText[lang];
    const url = preferencesUrl(ctx, address.identifierId, declarationId, LINK_DAYS);
    await sendMail(ctx, {
      to: address.value,
      kind: 'preferences_link',
      subject: t.mailSubject,
      text: t.mailBody(lang === 'en' ? url : `${url}?lang=${lang}`, LINK_DAYS),
      secrets: [],
    });
  };

  /** Runs the send after the answer, so a known address answers no slower than an unknown one. */
  const sendLater = (address: Address, declarationId: string, lang: PageLanguage) => {
    const job = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => sendLink(address, declarationId, lang))
      .catch((error: unknown) => ctx.log.warn({ err: error }, 'sending a preference link failed'))
      .finally(() => sending.delete(job));
    sending.add(job);
  };

  /** Withdraws, with the GPC flag, consent to each GPC-sensitive cookie category the person gave. */
  const honourGpc = async (
    request: FastifyRequest,
    active: ActiveDeclaration,
    address: Address,
  ): Promise<{ signalled: boolean; withdrawn: string[] }> => {
    const declaration = active.model.declaration;
    if (request.headers['sec-gpc'] !== '1' || !declaration.gpc.honoured)
      return { signalled: false, withdrawn: [] };
    const sensitive = new Set(declaration.cookies.categories.filter((c) => c.gpcOptOut).map((c) => c.id));
    const given = (states: ConsentState[]) =>
      states.filter(
        (s) =>
          s.given &&
          s.declarationId === active.model.id &&
          s.target.kind === 'cookie_category' &&
          sensitive.has(s.target.id),
      );
    if (
      sensitive.size === 0 ||
      given(deriveState(await consentHistory(ctx.store.db, address.subjectId))).length === 0
    )
      return { signalled: true, withdrawn: [] };
    const withdrawn = await transaction(ctx.store, async (tx) => {
      const states = given(deriveState(await consentHistory(tx, address.subjectId)));
      if (states.length === 0) return [];
      const choice = choiceOf(request, 'gpc');
      await recordConsentEvents(tx, ctx, {
        subjectId: address.subjectId,
        declaration: active,
        targets: states.map((s) => ({ kind: s.target.kind, id: s.target.id, identifierId: s.identifierId })),
        event: 'withdrawn',
        noticeHash: active.version.contentHash,
        channel: 'preference_centre',
        element: 'gpc',
        ip: choice.ip ?? null,
        userAgent: choice.userAgent ?? null,
        gpc: true,
      });
      await markSuppressionChange(tx, ctx, address.subjectId);
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: `subject:${address.subjectId}`,
        action: 'consent.withdrawn',
        target: `subject:${address.subjectId}`,
        details: { targets: states.map((s) => s.target), channel: 'preference_centre', gpc: true },
      });
      return [...new Set(states.map((s) => s.target.id))];
    });
    return { signalled: true, withdrawn };
  };

  /** Purposes resting on consent that the person has consent in force for, in declaration order. */
  const givenPurposes = (active: ActiveDeclaration, states: readonly ConsentState[]) => {
    const given = new Set(
      states
        .filter((s) => s.given && s.declarationId === active.model.id && s.target.kind === 'purpose')
        .map((s) => s.target.id),
    );
    return active.model.declaration.purposes.filter(
      (p) => given.has(p.id) && active.model.basesOf(p).includes('consent'),
    );
  };

  const withdrawPurpose = async (
    request: FastifyRequest,
    active: ActiveDeclaration,
    address: Address,
    purposeId: string,
  ): Promise<boolean> =>
    transaction(ctx.store, async (tx) => {
      const states = deriveState(await consentHistory(tx, address.subjectId)).filter(
        (s) =>
          s.given &&
          s.declarationId === active.model.id &&
          s.target.kind === 'purpose' &&
          s.target.id === purposeId,
      );
      if (states.length === 0) return false;
      const choice = choiceOf(request, `withdraw:${purposeId}`);
      await recordConsentEvents(tx, ctx, {
        subjectId: address.subjectId,
        declaration: active,
        targets: states.map((s) => ({
          kind: 'purpose' as const,
          id: purposeId,
          identifierId: s.identifierId,
        })),
        event: 'withdrawn',
        noticeHash: active.version.contentHash,
        channel: 'preference_centre',
        element: choice.element ?? null,
        ip: choice.ip ?? null,
        userAgent: choice.userAgent ?? null,
        gpc: choice.gpc ?? false,
      });
      await markSuppressionChange(tx, ctx, address.subjectId);
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor: `subject:${address.subjectId}`,
        action: 'consent.withdrawn',
        target: `subject:${address.subjectId}`,
        details: { targets: [{ kind: 'purpose', id: purposeId }], channel: 'preference_centre' },
      });
      return true;
    });

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
    const t = pageText[lang];
    const view = await preferencesFor(ctx, active.model.id, address.identifierId, lang);
    if (view === undefined) return linkProblem(reply, lang, 'gone');
    const path = `/preferences/${token}`;
    const action = escapeHtml(withLang(path, lang));
    const button = (value: string, label: string, hidden: string, secondary = false) =>
      `<button type="submit" name="action" value="${escapeHtml(value)}"${secondary ? ' class="secondary"' : ''}>${escapeHtml(label)}<span class="visually-hidden">: ${escapeHtml(hidden)}</span></button>`;
    const item = (name: string, lines: readonly string[], control = '') =>
      `<li><div><h3>${escapeHtml(name)}</h3>${lines.join('')}</div>${control}</li>`;

    const marketing: string[] = [];
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
      const control = view.objected
        ? ''
        : receiving
          ? button(`unsubscribe:${c.id}`, state === 'pending' ? t.cancelPending : t.unsubscribe, c.name, true)
          : button(`subscribe:${c.id}`, t.subscribe, c.name);
      marketing.push(
        item(
          c.name,
          [
            c.description ? `<p>${escapeHtml(c.description)}</p>` : '',
            `<p class="meta">${escapeHtml(t.from(c.sender))}</p>`,
            `<p class="state">${escapeHtml(view.objected ? t.objected : t.states[state])}</p>`,
          ],
          control,
        ),
      );
    }
    const service = view.communications
      .filter((c) => c.kind === 'transactional')
      .map((c) =>
        item(c.name, [
          c.description ? `<p>${escapeHtml(c.description)}</p>` : '',
          `<p class="state">${escapeHtml(t.alwaysSent)}</p>`,
        ]),
      );
    const purposes = givenPurposes(
      active,
      deriveState(await consentHistory(ctx.store.db, address.subjectId)),
    );
    const consents =
      purposes.length === 0
        ? `<p>${escapeHtml(t.noConsents)}</p>`
        : `<form method="post" action="${action}"><ul class="choices">${purposes
            .map((p) =>
              item(
                localise(p.name, lang),
                [`<p>${escapeHtml(localise(p.description, lang))}</p>`],
                button(`withdraw:${p.id}`, t.withdraw, localise(p.name, lang), true),
              ),
            )
            .join('')}</ul></form>`;

    const content = [
      `<p>${escapeHtml(t.preferencesLead(maskAddress(view.address)))}</p>`,
      ...notices.map(noticeHtml),
      view.objected ? `<div class="alert"><p>${escapeHtml(t.objected)}</p></div>` : '',
      `<section aria-labelledby="marketing"><h2 id="marketing">${escapeHtml(t.marketingHeading)}</h2><p>${escapeHtml(t.marketingIntro)}</p>`,
      `<form method="post" action="${action}"><ul class="choices">${marketing.join('')}</ul></form></section>`,
      `<section aria-labelledby="service" id="service-messages"><h2 id="service">${escapeHtml(t.serviceHeading)}</h2><p>${escapeHtml(t.serviceIntro)}</p>`,
      `<ul class="choices">${service.join('')}</ul></section>`,
      `<section aria-labelledby="consents"><h2 id="consents">${escapeHtml(t.consentsHeading)}</h2><p>${escapeHtml(t.consentsIntro)}</p>${consents}</section>`,
      `<section aria-labelledby="all-marketing"><h2 id="all-marketing">${escapeHtml(t.allMarketingHeading)}</h2><p>${escapeHtml(t.allMarketingIntro)}</p>`,
      `<form method="post" action="${action}"><button type="submit" name="action" value="all-marketing">${escapeHtml(t.allMarketingButton)}</button></form></section>`,
      view.objected
        ? ''
        : `<section aria-labelledby="object"><h2 id="object">${escapeHtml(t.objectHeading)}</h2><p>${escapeHtml(t.objectIntro)}</p><form method="post" action="${action}"><button type="submit" name="action" value="object">${escapeHtml(t.objectButton)}</button></form></section>`,
    ].join('\n');
    return sendHtml(
      reply,
      status,
      publicDocument(lang, t.preferencesTitle, content, { org: orgOf(active), path }),
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
    const t = pageText[lang];
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
      return (await withdrawPurpose(request, active, address, purpose.id))
        ? ok(t.didWithdraw(name))
        : ok(t.nothingToWithdraw(name));
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
    gpc: { signalled: boolean; withdrawn: string[] },
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
    const t = pageText[lang];
    const declarations = ctx.policies.list();
    const chosen = options.declarationId;
    const choose =
      declarations.length === 1 && (chosen === undefined || chosen === declarations[0]?.model.id)
        ? `<input type="hidden" name="declaration" value="${escapeHtml(declarations[0]?.model.id ?? '')}">`
        : `<label for="declaration">${escapeHtml(t.declarationLabel)}</label><select id="declaration" name="declaration" required>${declarations
            .map(
              (d) =>
                `<option value="${escapeHtml(d.model.id)}"${d.model.id === chosen ? ' selected' : ''}>${escapeHtml(localise(d.model.declaration.title, lang))}</option>`,
            )
            .join('')}</select>`;
    const invalid = options.invalid === true;
    const content = [
      `<p>${escapeHtml(t.linkLead)}</p>`,
      noticeHtml(options.notice),
      `<form method="post" action="${escapeHtml(withLang('/preferences', lang))}" novalidate>`,
      choose,
      `<label for="email">${escapeHtml(t.emailLabel)}</label>`,
      `<p class="hint" id="email-hint">${escapeHtml(t.emailHint)}</p>`,
      `<input type="email" id="email" name="email" autocomplete="email" required maxlength="320" aria-describedby="email-hint${invalid ? ' email-error' : ''}"${invalid ? ' aria-invalid="true"' : ''} value="${escapeHtml(options.email ?? '')}">`,
      invalid ? `<p class="hint" id="email-error"><strong>${escapeHtml(t.invalidEmail)}</strong></p>` : '',
      `<div class="actions"><button type="submit">${escapeHtml(t.sendLink)}</button></div>`,
      '</form>',
    ].join('\n');
    const active = chosen === undefined ? declarations[0] : ctx.policies.get(chosen);
    return sendHtml(
      reply,
      options.status ?? 200,
      publicDocument(lang, t.linkTitle, content, {
        path: '/preferences',
        ...(active !== undefined && declarations.length === 1 ? { org: orgOf(active) } : {}),
      }),
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
      const t = pageText[lang];
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

    app.get('/u/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText[lang];
      const token = wildcard(request);
      const verified = verify('unsubscribe', token);
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const target = await unsubscribeTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      const { active, communication, address } = target;
      const name = localise(communication.name, lang);
      const path = `/u/${token}`;
      if (address === undefined)
        return sendHtml(
          reply,
          200,
          publicDocument(lang, t.unsubscribeTitle, `<p>${escapeHtml(t.addressGone)}</p>`, {
            org: orgOf(active),
          }),
        );
      if (communication.kind === 'transactional')
        return errorPage(reply, lang, 400, t.serviceNotUnsubscribable(name), 'validation_failed');
      const content = [
        `<p>${escapeHtml(t.unsubscribeLead(name, maskAddress(address.value)))}</p>`,
        `<p class="meta">${escapeHtml(t.from(communication.sender))}</p>`,
        `<form method="post" action="${escapeHtml(withLang(path, lang))}">`,
        '<input type="hidden" name="List-Unsubscribe" value="One-Click">',
        `<div class="actions"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></div>`,
        '</form>',
        `<p><a href="${escapeHtml(withLang(new URL(preferencesUrl(ctx, address.identifierId, active.model.id)).pathname, lang))}">${escapeHtml(t.allChoices)}</a></p>`,
      ].join('\n');
      return sendHtml(
        reply,
        200,
        publicDocument(lang, t.unsubscribeTitle, content, { org: orgOf(active), path }),
      );
    });

    app.post('/u/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText[lang];
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
        return sendHtml(
          reply,
          200,
          publicDocument(lang, t.unsubscribedTitle, `<p>${escapeHtml(t.addressGone)}</p>`, {
            org: orgOf(active),
          }),
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
      const content = [
        `<div class="status" role="status"><p>${escapeHtml(t.unsubscribedLead(name, maskAddress(address.value)))}</p></div>`,
        `<p>${escapeHtml(t.unsubscribedMore)}</p>`,
        `<p><a href="${escapeHtml(withLang(new URL(preferencesUrl(ctx, address.identifierId, active.model.id)).pathname, lang))}">${escapeHtml(t.allChoices)}</a></p>`,
      ].join('\n');
      return sendHtml(reply, 200, publicDocument(lang, t.unsubscribedTitle, content, { org: orgOf(active) }));
    });

    // --- Double opt-in confirmation -----------------------------------------------------------

    app.get('/confirm/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText[lang];
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
      const content =
        subscription.state === 'confirmed'
          ? `<div class="status" role="status"><p>${escapeHtml(t.alreadyConfirmed(name))}</p></div>`
          : [
              `<p>${escapeHtml(t.confirmLead(name, communication.sender))}</p>`,
              `<form method="post" action="${escapeHtml(withLang(path, lang))}">`,
              `<div class="actions"><button type="submit" name="confirm" value="yes">${escapeHtml(t.confirmButton)}</button></div>`,
              '</form>',
              `<p class="meta">${escapeHtml(t.confirmIgnore)}</p>`,
            ].join('\n');
      return sendHtml(
        reply,
        200,
        publicDocument(lang, t.confirmTitle, content, { org: orgOf(active), path }),
      );
    });

    app.post('/confirm/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText[lang];
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
      return sendHtml(
        reply,
        200,
        publicDocument(
          lang,
          t.confirmedTitle,
          `<div class="status" role="status"><p>${escapeHtml(text)}</p></div>`,
          {
            ...(active === undefined ? {} : { org: orgOf(active) }),
          },
        ),
      );
    });

    // --- Preference centre --------------------------------------------------------------------

    const expiredPreferences = (reply: FastifyReply, lang: PageLanguage, token: string) =>
      linkProblem(
        reply,
        lang,
        'expired',
        `<form method="post" action="${escapeHtml(withLang(`/preferences/${token}`, lang))}"><div class="actions"><button type="submit" name="action" value="resend">${escapeHtml(pageText[lang].freshLinkButton)}</button></div></form>`,
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
      const gpc = await honourGpc(request, target.active, target.address);
      return renderCentre(
        reply,
        lang,
        token,
        target.active,
        target.address,
        gpcNotices(pageText[lang], target.active, gpc, lang),
      );
    });

    app.post('/preferences/*', { schema: { hide: true }, config: linkPage }, async (request, reply) => {
      const lang = langOf(request);
      const t = pageText[lang];
      const token = wildcard(request);
      const action = formField(request.body, 'action') ?? '';
      // An expired link still proves which address it was sent to: a fresh one goes only there.
      const verified = verifyToken(ctx.keys.tokens, 'preferences', token, new Date(0));
      if (!verified.ok) return linkProblem(reply, lang, verified.reason);
      const target = await preferenceTarget(verified.payload);
      if (target === undefined) return linkProblem(reply, lang, 'gone');
      if (action === 'resend') {
        sendLater(target.address, target.active.model.id, lang);
        return sendHtml(
          reply,
          200,
          publicDocument(
            lang,
            t.linkTitle,
            `<div class="status" role="status"><p>${escapeHtml(t.freshLinkSent)}</p></div>`,
            {
              org: orgOf(target.active),
            },
          ),
        );
      }
      const current = verify('preferences', token);
      if (!current.ok) return expiredPreferences(reply, lang, token);
      const outcome = await perform(request, lang, target.active, target.address, action);
      const gpc = await honourGpc(request, target.active, target.address);
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
          notice: { kind: 'alert', text: pageText[lang].unknownDeclaration },
        });
      return linkForm(reply, lang, asked === undefined ? {} : { declarationId: asked });
    });

    app.post(
      '/preferences',
      { schema: { hide: true }, config: { ...linkPage, rateLimit: { max: 5, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const lang = langOf(request);
        const t = pageText[lang];
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
        const normalised = normaliseEmail(email);
        if (!normalised.ok)
          return linkForm(reply, lang, { status: 400, invalid: true, email, declarationId: active.model.id });
        const row = await ctx.store.db
          .selectFrom('identifiers')
          .select(['id', 'subject_id', 'value'])
          .where('tenant', '=', CONTROLLER_TENANT)
          .where('kind', '=', 'email')
          .where('lookup', '=', lookupOf(ctx.keys, 'email', normalised.value))
          .executeTakeFirst();
        if (row?.value != null)
          sendLater(
            { identifierId: row.id, subjectId: row.subject_id, value: row.value },
            active.model.id,
            lang,
          );
        // The same answer whether or not the address is known.
        return linkForm(reply, lang, {
          notice: { kind: 'status', text: t.linkSent },
          declarationId: active.model.id,
        });
      },
    );
  };
}
