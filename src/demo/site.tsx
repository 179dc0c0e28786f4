/**
 * The demo company site at `/`: a few server-rendered pages of a made-up company named after the
 * controller of the declaration in force (the reference declaration by default), so a newcomer
 * sees the whole flow on the first start. Every page says it is an example, loads Steward's
 * browser script (banner, gated tags, analytics) and links to the privacy notice and the privacy
 * centre. The forms call the use cases directly: the newsletter form subscribes through
 * `subscribe` (double opt-in as the declaration says), the contact form captures a record for
 * the purpose the declaration gives enquiries from website forms. Plain HTML forms: they work
 * without JavaScript, and without the browser script too.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ReactNode } from 'react';
import type { Actor } from '../access/actor.js';
import type { Permission } from '../access/roles.js';
import { captureRecord } from '../capture/capture-record.js';
import { subscribe } from '../consent/subscriptions.js';
import type { SubscribeResult } from '../consent/subscriptions.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Communication, Purpose } from '../policy/schema.js';
import { categoryCovers } from '../policy/taxonomy.js';
import { localise } from '../policy/text.js';
import { toErrorBody } from '../server/errors.js';
import { formField, langOf, orgOf, withLang } from '../server/public-page.js';
import type { FieldErrors } from '../server/html/forms.js';
import { describedBy, EmailInput, ErrorSummary, FieldError } from '../server/html/forms.js';
import { NoticeBox, sendPage } from '../server/html/public-frame.js';
import type { NavKey } from './frame.js';
import { DemoDocument, LangField, MARKETING_TAG_PATH, marketingTag } from './frame.js';
import { type DemoLanguage, demoLanguages, demoText } from './text.js';

/** The declaration the demo shows when it is in force: the reference declaration's id. */
export const DEMO_DECLARATION = 'sncn-general';
/** Where the newsletter form collects consent, and where contact-form data comes from. */
export const NEWSLETTER_COLLECTION_POINT = 'newsletter_form';
export const CONTACT_SOURCE = 'website_forms';
/** The purpose the reference declaration gives questions from people who are not yet customers. */
const PREFERRED_CONTACT_PURPOSE = 'enquiries';

const DOWNLOAD_PATH = '/demo/product-sheet.txt';
const MISSING_DOWNLOAD_PATH = '/demo/old-price-list.pdf';
const EXTERNAL_URL = 'https://www.example.com/';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_QUERY = 200;
const MAX_NAME = 200;
const MAX_MESSAGE = 5000;
const formLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };
/** The example shop's pages: what any visitor of a website sees. */
const demo = { public: "the example shop's pages, as any visitor sees them" };

/**
 * Captures contact-form records. Capture needs `subjects:write`, which the public does not hold:
 * the site acts as a system actor holding that one permission (the audit ledger shows `system`).
 */
const contactFormActor: Actor = {
  kind: 'system',
  id: 'demo-site',
  name: 'demo site contact form',
  permissions: new Set<Permission>(['subjects:write']),
};
/** The audit actor of sign-ups from the public form, as the privacy centre's forms use. */
const PUBLIC_ACTOR = 'public';

type Values = (name: string) => string | undefined;

/** Every form value as a trimmed string, or undefined when missing or empty. */
function fieldsOf(body: unknown): Values {
  return (name) => {
    const value = formField(body, name)?.trim();
    return value === '' ? undefined : value;
  };
}

/** A field's label, with its hint and its error under it. */
function Label(props: { id: string; text: string; hint?: string; errors: FieldErrors }) {
  return (
    <>
      <label htmlFor={props.id}>{props.text}</label>
      {props.hint === undefined ? null : (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      <FieldError id={props.id} errors={props.errors} />
    </>
  );
}

function Paragraphs({ texts }: { texts: readonly string[] }) {
  return (
    <>
      {texts.map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </>
  );
}

/** Marketing emails the declaration lets people sign up to on the newsletter form. */
export function newsletterLists(active: ActiveDeclaration): Communication[] {
  return active.model.declaration.communications.filter(
    (c) =>
      c.kind !== 'transactional' &&
      c.channel === 'email' &&
      (c.collectionPoints ?? []).includes(NEWSLETTER_COLLECTION_POINT),
  );
}

/**
 * The purpose a contact form's message is captured for: `enquiries` when it fits, else the first
 * declared purpose that takes data from website forms, covers an email address and a message, and
 * does not rest on consent (the form collects none).
 */
export function contactPurpose(active: ActiveDeclaration): Purpose | undefined {
  const { model } = active;
  if (!model.declaration.sources.some((s) => s.id === CONTACT_SOURCE)) return undefined;
  const fits = (p: Purpose) => {
    const basis = model.basisFor(p);
    return (
      basis !== undefined &&
      basis !== 'consent' &&
      (p.sources === undefined || p.sources.includes(CONTACT_SOURCE)) &&
      ['user.contact.email', 'user.content.communication'].every((key) =>
        p.categories.some((c) => categoryCovers(c, key)),
      )
    );
  };
  const preferred = model.purposes.get(PREFERRED_CONTACT_PURPOSE);
  if (preferred !== undefined && fits(preferred)) return preferred;
  return model.declaration.purposes.find(fits);
}

/** How to reach the company when a form cannot take a message: its general email, else any contact. */
function contactOf(active: ActiveDeclaration): string {
  const contacts = active.model.declaration.controller.contacts;
  const email =
    contacts.find((c) => c.channel === 'email' && (c.purposes ?? []).includes('general')) ??
    contacts.find((c) => c.channel === 'email') ??
    contacts[0];
  return email?.value ?? '';
}

interface SearchEntry {
  readonly title: string;
  readonly text: string;
  readonly path: string;
  readonly fragment?: string;
}

export function demoSite(ctx: AppContext): FastifyPluginAsync {
  /** The declaration in force that the site shows: the reference one, else the first. */
  const activeOf = (): ActiveDeclaration | undefined =>
    ctx.policies.get(DEMO_DECLARATION) ?? ctx.policies.list()[0];

  const render = (
    reply: FastifyReply,
    status: number,
    lang: DemoLanguage,
    active: ActiveDeclaration | undefined,
    page: {
      title: string;
      current?: NavKey;
      path: string;
      query?: Record<string, string>;
      content: ReactNode;
    },
  ) => {
    const { content, ...frame } = page;
    return sendPage(
      reply,
      status,
      <DemoDocument
        lang={lang}
        t={demoText[lang]}
        company={active === undefined ? 'Example Company' : orgOf(active)}
        declarationId={active?.model.id ?? DEMO_DECLARATION}
        {...frame}
      >
        {content}
      </DemoDocument>,
    );
  };

  const noDeclaration = (reply: FastifyReply, lang: DemoLanguage, path: string) => {
    const t = demoText[lang];
    return render(reply, 503, lang, undefined, {
      title: t.errorTitle,
      path,
      content: <NoticeBox notice={{ kind: 'alert', text: t.noDeclaration }} />,
    });
  };

  // ---- Home ----------------------------------------------------------------------------------

  const home = (reply: FastifyReply, lang: DemoLanguage, active: ActiveDeclaration) => {
    const t = demoText[lang];
    const link = (path: string) => withLang(path, lang);
    const cards: [NavKey, string][] = [
      ['products', t.productsLead],
      ['newsletter', t.newsletterLead],
      ['contact', t.contactLead],
    ];
    const content = (
      <>
        <p className="lead">{t.homeLead}</p>
        <p>{t.homeIntro}</p>
        <ul className="cards">
          {cards.map(([key, text]) => (
            <li key={key}>
              <h2>
                <a href={link(`/${key}`)}>{t.nav[key]}</a>
              </h2>
              <p>{text}</p>
            </li>
          ))}
        </ul>
        <h2>{t.tryHeading}</h2>
        <ol>
          {t.trySteps.map((step, i) => (
            <li key={i}>{step}</li>
          ))}
        </ol>
        <p>
          {t.tryConsole} <a href="/console/">{t.openConsole}</a>
        </p>
      </>
    );
    return render(reply, 200, lang, active, { title: orgOf(active), current: 'home', path: '/', content });
  };

  // ---- Products --------------------------------------------------------------------------------

  const products = (reply: FastifyReply, lang: DemoLanguage, active: ActiveDeclaration, compare: boolean) => {
    const t = demoText[lang];
    const services = active.model.declaration.services;
    const comparison = compare ? (
      <section id="comparison" aria-labelledby="comparison-heading" tabIndex={-1}>
        <h2 id="comparison-heading">{t.compareHeading}</h2>
        <table>
          <caption className="visually-hidden">{t.compareHeading}</caption>
          <thead>
            <tr>
              <th scope="col">{t.compareProduct}</th>
              <th scope="col">{t.compareWhat}</th>
              <th scope="col">{t.compareWho}</th>
            </tr>
          </thead>
          <tbody>
            {services.map((s) => (
              <tr key={s.id}>
                <th scope="row">{s.name}</th>
                <td>{localise(s.description, lang)}</td>
                <td>{s.role === 'processor' ? t.roleProcessor : t.roleController}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    ) : null;
    const content = (
      <>
        <p className="lead">{t.productsLead}</p>
        <form method="get" action="/products#comparison">
          <LangField lang={lang} />
          <button type="submit" name="view" value="compare" data-steward-label="compare-products">
            {t.compare}
          </button>
        </form>
        {comparison}
        {services.map((s) => (
          <article
            key={s.id}
            className="product"
            id={`product-${s.id}`}
            data-steward-label={`product-${s.id}`}
            aria-labelledby={`product-${s.id}-name`}
          >
            <h2 id={`product-${s.id}-name`}>{s.name}</h2>
            <p>{localise(s.description, lang)}</p>
            <Paragraphs texts={t.productFiller} />
            <p className="meta">{t.madeUp}</p>
          </article>
        ))}
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">{t.aboutHeading}</h2>
          <Paragraphs texts={t.aboutFiller} />
        </section>
        <section aria-labelledby="downloads-heading">
          <h2 id="downloads-heading">{t.downloadsHeading}</h2>
          <ul>
            <li>
              <a href={DOWNLOAD_PATH} download>
                {t.download}
              </a>
            </li>
            <li>
              <a href={MISSING_DOWNLOAD_PATH} download>
                {t.brokenDownload}
              </a>
            </li>
            <li>
              <a href={EXTERNAL_URL} rel="noopener">
                {t.external}
              </a>{' '}
              <span className="hint">{t.externalHint}</span>
            </li>
          </ul>
        </section>
      </>
    );
    return render(reply, 200, lang, active, {
      title: t.productsTitle,
      current: 'products',
      path: '/products',
      ...(compare ? { query: { view: 'compare' } } : {}),
      content,
    });
  };

  // ---- Search ----------------------------------------------------------------------------------

  const searchEntries = (lang: DemoLanguage, active: ActiveDeclaration): SearchEntry[] => {
    const t = demoText[lang];
    return [
      { title: orgOf(active), text: `${t.homeLead} ${t.homeIntro}`, path: '/' },
      { title: t.productsTitle, text: `${t.productsLead} ${t.aboutFiller.join(' ')}`, path: '/products' },
      ...active.model.declaration.services.map((s) => ({
        title: s.name,
        text: `${localise(s.description, lang)} ${t.productFiller.join(' ')}`,
        path: '/products',
        fragment: `product-${s.id}`,
      })),
      { title: t.newsletterTitle, text: t.newsletterLead, path: '/newsletter' },
      { title: t.contactTitle, text: t.contactLead, path: '/contact' },
    ];
  };

  const search = (
    reply: FastifyReply,
    lang: DemoLanguage,
    active: ActiveDeclaration,
    raw: string | undefined,
  ) => {
    const t = demoText[lang];
    const query = raw?.trim() ?? '';
    const tooLong = query.length > MAX_QUERY;
    const words = tooLong ? [] : query.toLowerCase().split(/\s+/).filter(Boolean);
    const found =
      words.length === 0
        ? []
        : searchEntries(lang, active).filter((entry) => {
            const haystack = `${entry.title} ${entry.text}`.toLowerCase();
            return words.every((w) => haystack.includes(w));
          });
    const snippet = (text: string) => (text.length > 180 ? `${text.slice(0, 177).trimEnd()}…` : text);
    const results =
      words.length === 0 ? null : found.length === 0 ? (
        <NoticeBox notice={{ kind: 'status', text: t.noResults(query) }} />
      ) : (
        <>
          <div role="status">
            <p>{t.results(found.length, query)}</p>
          </div>
          <ol className="results">
            {found.map((entry, i) => (
              <li key={i}>
                <h2>
                  <a href={`${withLang(entry.path, lang)}${entry.fragment ? `#${entry.fragment}` : ''}`}>
                    {entry.title}
                  </a>
                </h2>
                <p>{snippet(entry.text)}</p>
              </li>
            ))}
          </ol>
        </>
      );
    const errors: FieldErrors = tooLong ? { q: t.tooLong } : {};
    const content = (
      <>
        <form role="search" method="get" action="/search">
          <Label id="q" text={t.searchLabel} hint={t.searchHint} errors={errors} />
          <input
            type="search"
            id="q"
            name="q"
            maxLength={MAX_QUERY}
            defaultValue={tooLong ? '' : query}
            {...describedBy('q', errors, true)}
          />
          <LangField lang={lang} />
          <div className="actions">
            <button type="submit">{t.searchButton}</button>
          </div>
        </form>
        {results}
      </>
    );
    return render(reply, tooLong ? 400 : 200, lang, active, {
      title: t.searchTitle,
      current: 'search',
      path: '/search',
      ...(query && !tooLong ? { query: { q: query } } : {}),
      content,
    });
  };

  // ---- Newsletter ------------------------------------------------------------------------------

  const newsletterForm = (
    reply: FastifyReply,
    lang: DemoLanguage,
    active: ActiveDeclaration,
    values: Values,
    errors: FieldErrors,
    status = 200,
  ) => {
    const t = demoText[lang];
    const lists = newsletterLists(active);
    const noticeLink = (
      <a href={withLang(`/privacy/${encodeURIComponent(active.model.id)}`, lang)}>
        {t.privacyNotice.toLowerCase()}
      </a>
    );
    const purposeName = (c: Communication) => {
      const purpose = active.model.purposes.get(c.purpose);
      return purpose === undefined ? c.purpose : localise(purpose.name, lang);
    };
    const firstList = lists[0] === undefined ? 'lists' : `list-${lists[0].id}`;
    const content =
      lists.length === 0 ? (
        <NoticeBox notice={{ kind: 'alert', text: t.noLists }} />
      ) : (
        <>
          <p className="lead">{t.newsletterLead}</p>
          <ErrorSummary heading={t.errorSummary} errors={errors} anchors={{ lists: firstList }} />
          <form method="post" action={withLang('/newsletter', lang)} noValidate>
            <Label id="email" text={t.emailLabel} hint={t.emailHint} errors={errors} />
            <EmailInput value={values('email')} errors={errors} />
            <fieldset {...(errors['lists'] ? { 'aria-describedby': 'lists-error' } : {})}>
              <legend>{t.consentLegend}</legend>
              <FieldError id="lists" errors={errors} />
              {lists.map((c) => {
                const id = `list-${c.id}`;
                const hint = t.listHint({
                  description: localise(c.description, lang),
                  purpose: purposeName(c),
                  sender: c.sender,
                  doubleOptIn: c.doubleOptIn,
                });
                return (
                  <div className="option" key={id}>
                    <input
                      type="checkbox"
                      id={id}
                      name={id}
                      value="yes"
                      {...(values(id) === 'yes' ? { defaultChecked: true } : {})}
                      aria-describedby={`${id}-hint`}
                      {...(errors['lists'] ? { 'aria-invalid': 'true' as const } : {})}
                    />
                    <label htmlFor={id}>
                      {t.listLabel(localise(c.name, lang))}
                      <span className="hint" id={`${id}-hint`}>
                        <br />
                        {hint}
                      </span>
                    </label>
                  </div>
                );
              })}
            </fieldset>
            <p>
              {t.howWeUse} {noticeLink}.
            </p>
            <div className="actions">
              <button type="submit">{t.signUp}</button>
            </div>
          </form>
        </>
      );
    return render(reply, status, lang, active, {
      title: t.newsletterTitle,
      current: 'newsletter',
      path: '/newsletter',
      content,
    });
  };

  const signUp = async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(request, demoLanguages);
    const t = demoText[lang];
    const active = activeOf();
    if (active === undefined) return noDeclaration(reply, lang, '/newsletter');
    const values = fieldsOf(request.body);
    const lists = newsletterLists(active);
    if (lists.length === 0) return newsletterForm(reply, lang, active, values, {}, 404);
    const errors: FieldErrors = {};
    const email = values('email');
    if (email === undefined) errors['email'] = t.emailRequired;
    else if (email.length > 320 || !EMAIL.test(email)) errors['email'] = t.emailInvalid;
    const chosen = lists.filter((c) => values(`list-${c.id}`) === 'yes');
    if (chosen.length === 0) errors['lists'] = t.chooseList;
    if (email === undefined || Object.keys(errors).length > 0)
      return newsletterForm(reply, lang, active, values, errors, 400);

    const userAgent = request.headers['user-agent']?.slice(0, 1000);
    const choice = {
      channel: 'web_form',
      element: NEWSLETTER_COLLECTION_POINT,
      ip: request.ip.slice(0, 64),
      ...(userAgent ? { userAgent } : {}),
      gpc: request.headers['sec-gpc'] === '1',
    };
    const results: SubscribeResult[] = [];
    try {
      for (const c of chosen)
        results.push(
          await subscribe(ctx, PUBLIC_ACTOR, {
            ...choice,
            declarationId: active.model.id,
            communication: c.id,
            email,
          }),
        );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      request.log.info({ code: error.code }, 'demo newsletter: sign-up refused');
      if (error.code === 'validation_failed' && results.length === 0)
        return newsletterForm(reply, lang, active, values, { email: t.emailInvalid }, 400);
      return render(reply, 422, lang, active, {
        title: t.newsletterTitle,
        current: 'newsletter',
        path: '/newsletter',
        content: <NoticeBox notice={{ kind: 'alert', text: t.refused(contactOf(active)) }} />,
      });
    }
    // The browser is linked to the person (C3d.4) when they confirm from it: see src/consent/pages.ts.
    // The same words whatever the state was, so the page tells nobody whether an address was known.
    const doubleOptIn = chosen.some((c) => c.doubleOptIn);
    const content = (
      <>
        <NoticeBox
          notice={{ kind: 'status', text: doubleOptIn ? t.askedToConfirm(email) : t.subscribed(email) }}
        />
        {ctx.config.smtpUrl === undefined ? <p className="hint">{t.outboxHint}</p> : null}
        <p>
          <a href={withLang('/', lang)}>{t.nav.home}</a>
        </p>
      </>
    );
    return render(reply, 201, lang, active, {
      title: doubleOptIn ? t.signedUpTitle : t.newsletterTitle,
      current: 'newsletter',
      path: '/newsletter',
      content,
    });
  };

  // ---- Contact ---------------------------------------------------------------------------------

  const contactForm = (
    reply: FastifyReply,
    lang: DemoLanguage,
    active: ActiveDeclaration,
    values: Values,
    errors: FieldErrors,
    status = 200,
  ) => {
    const t = demoText[lang];
    const purpose = contactPurpose(active);
    const content =
      purpose === undefined ? (
        <NoticeBox notice={{ kind: 'alert', text: t.noContactPurpose }} />
      ) : (
        <>
          <p className="lead">{t.contactLead}</p>
          <ErrorSummary heading={t.errorSummary} errors={errors} />
          <form method="post" action={withLang('/contact', lang)} noValidate>
            <Label id="name" text={t.nameLabel} errors={errors} />
            <input
              type="text"
              id="name"
              name="name"
              autoComplete="name"
              maxLength={MAX_NAME}
              defaultValue={values('name') ?? ''}
              {...describedBy('name', errors)}
            />
            <Label id="email" text={t.emailLabel} hint={t.replyHint} errors={errors} />
            <EmailInput value={values('email')} errors={errors} />
            <Label id="message" text={t.messageLabel} errors={errors} />
            <textarea
              id="message"
              name="message"
              required
              maxLength={MAX_MESSAGE}
              {...describedBy('message', errors)}
              defaultValue={values('message') ?? ''}
            />
            <p className="hint">
              {t.purposeLine(localise(purpose.name, lang), localise(purpose.description, lang))}{' '}
              <a href={withLang(`/privacy/${encodeURIComponent(active.model.id)}`, lang)}>
                {t.privacyNotice}
              </a>
            </p>
            <div className="actions">
              <button type="submit">{t.send}</button>
            </div>
          </form>
        </>
      );
    return render(reply, status, lang, active, {
      title: t.contactTitle,
      current: 'contact',
      path: '/contact',
      content,
    });
  };

  const sendMessage = async (request: FastifyRequest, reply: FastifyReply) => {
    const lang = langOf(request, demoLanguages);
    const t = demoText[lang];
    const active = activeOf();
    if (active === undefined) return noDeclaration(reply, lang, '/contact');
    const values = fieldsOf(request.body);
    const purpose = contactPurpose(active);
    if (purpose === undefined) return contactForm(reply, lang, active, values, {}, 404);
    const errors: FieldErrors = {};
    const name = values('name');
    const email = values('email');
    const message = values('message');
    if (name !== undefined && name.length > MAX_NAME) errors['name'] = t.tooLongField(MAX_NAME);
    if (email === undefined) errors['email'] = t.emailRequired;
    else if (email.length > 320 || !EMAIL.test(email)) errors['email'] = t.emailInvalid;
    if (message === undefined) errors['message'] = t.messageRequired;
    else if (message.length > MAX_MESSAGE) errors['message'] = t.tooLongField(MAX_MESSAGE);
    if (email === undefined || message === undefined || Object.keys(errors).length > 0)
      return contactForm(reply, lang, active, values, errors, 400);

    // Only what was sent, and only categories the purpose declares: no name category without a name.
    const categories = [
      'user.contact.email',
      'user.content.communication',
      ...(name === undefined ? [] : ['user.name']),
    ].filter((key) => purpose.categories.some((c) => categoryCovers(c, key)));
    const keepName = name !== undefined && categories.includes('user.name');
    try {
      await captureRecord(ctx, contactFormActor, {
        declarationId: active.model.id,
        subject: { identifiers: [{ kind: 'email', value: email }] },
        kind: 'form_submission',
        purposes: [purpose.id],
        categories,
        source: CONTACT_SOURCE,
        data: { message, ...(keepName ? { name } : {}) },
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      request.log.info({ code: error.code }, 'demo contact form: message refused');
      if (error.code === 'validation_failed' && error.details.some((d) => d.path.startsWith('subject')))
        return contactForm(reply, lang, active, values, { email: t.emailInvalid }, 400);
      // Neutral words: a refusal for a restricted person or an upheld objection is nobody else's business.
      return render(reply, 422, lang, active, {
        title: t.contactTitle,
        current: 'contact',
        path: '/contact',
        content: <NoticeBox notice={{ kind: 'alert', text: t.refused(contactOf(active)) }} />,
      });
    }
    const content = (
      <>
        <NoticeBox notice={{ kind: 'status', text: t.sent(email) }} />
        <p className="hint">{t.sentHint}</p>
        <p>
          <a href={withLang('/', lang)}>{t.nav.home}</a>
        </p>
      </>
    );
    return render(reply, 201, lang, active, {
      title: t.sentTitle,
      current: 'contact',
      path: '/contact',
      content,
    });
  };

  // ---- Routes ----------------------------------------------------------------------------------

  return async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const { status, body, unexpected } = toErrorBody(error);
      if (unexpected) request.log.error({ err: error }, 'unexpected error');
      else request.log.info({ code: body.error.code }, 'request refused');
      const lang = langOf(request, demoLanguages);
      const t = demoText[lang];
      const text = body.error.code === 'rate_limited' ? t.rateLimited : body.error.message;
      return render(reply, status, lang, activeOf(), {
        title: t.errorTitle,
        path: '/',
        content: <NoticeBox notice={{ kind: 'alert', text }} />,
      });
    });
    app.addHook('onRequest', async (_request, reply) => {
      void reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow');
    });

    const page =
      (
        path: string,
        show: (
          request: FastifyRequest,
          reply: FastifyReply,
          lang: DemoLanguage,
          active: ActiveDeclaration,
        ) => unknown,
      ) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const lang = langOf(request, demoLanguages);
        const active = activeOf();
        if (active === undefined) return noDeclaration(reply, lang, path);
        return show(request, reply, lang, active);
      };
    const query = (request: FastifyRequest, name: string) => {
      const value = (request.query as Record<string, unknown> | undefined)?.[name];
      return typeof value === 'string' ? value : undefined;
    };

    app.get(
      '/',
      { schema: { hide: true }, config: demo },
      page('/', (_request, reply, lang, active) => home(reply, lang, active)),
    );
    app.get(
      '/products',
      { schema: { hide: true }, config: demo },
      page('/products', (request, reply, lang, active) =>
        products(reply, lang, active, query(request, 'view') === 'compare'),
      ),
    );
    app.get(
      '/search',
      { schema: { hide: true }, config: demo },
      page('/search', (request, reply, lang, active) => search(reply, lang, active, query(request, 'q'))),
    );
    app.get(
      '/newsletter',
      { schema: { hide: true }, config: demo },
      page('/newsletter', (_request, reply, lang, active) =>
        newsletterForm(reply, lang, active, () => undefined, {}),
      ),
    );
    app.post('/newsletter', { schema: { hide: true }, config: { ...formLimit, ...demo } }, signUp);
    app.get(
      '/contact',
      { schema: { hide: true }, config: demo },
      page('/contact', (_request, reply, lang, active) =>
        contactForm(reply, lang, active, () => undefined, {}),
      ),
    );
    app.post('/contact', { schema: { hide: true }, config: { ...formLimit, ...demo } }, sendMessage);

    app.get(MARKETING_TAG_PATH, { schema: { hide: true }, config: demo }, async (_request, reply) =>
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .send(marketingTag),
    );
    app.get(DOWNLOAD_PATH, { schema: { hide: true }, config: demo }, async (_request, reply) => {
      const active = activeOf();
      const company = active === undefined ? 'Example Company' : orgOf(active);
      const lines = [
        `${company}: product sheet (example)`,
        '',
        'This file belongs to the example site that shows Steward at work. It describes no real product.',
        ...(active?.model.declaration.services ?? []).map(
          (s) => `- ${s.name}: ${localise(s.description, 'en')}`,
        ),
        '',
      ];
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', 'attachment; filename="product-sheet.txt"')
        .header('cache-control', 'public, max-age=300')
        .send(lines.join('\n'));
    });
  };
}
