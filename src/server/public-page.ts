/**
 * What the public pages have in common (the consent pages reached from messages, the privacy
 * centre): the page language, reading form fields, the stylesheet and sending a page. The pages
 * are plain HTML forms that work without JavaScript, written as TSX: the frame with its
 * language switch and the outcome notices are in src/server/html/public-frame.tsx.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { pageStyle } from '../policy/html.js';
import { catalogLanguage, shippedLanguages } from '../i18n/messages.js';
import type { ActiveDeclaration } from '../policy/registry.js';

/** The languages the public pages are written in: every language Steward ships a catalog for. */
export const pageLanguages: readonly string[] = shippedLanguages;
/** A page language: one of `pageLanguages` (a catalog's tag, `en`, `sv`). */
export type PageLanguage = string;

export const publicPageStyle = `${pageStyle}
main { max-width: 44rem; }
.lang { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: .25rem 1rem; font-size: .95rem; }
.org { color: #4a4a4a; margin: 0; }
button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: .4rem; border: 2px solid #0b4fa8; background: #0b4fa8; color: #fff; cursor: pointer; }
button:hover { background: #083b7e; border-color: #083b7e; }
button.secondary { background: #fff; color: #0b4fa8; }
button.secondary:hover { background: #eef3fb; }
button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input[type=email], input[type=text], input[type=password], select, textarea { font: inherit; padding: .5rem .6rem; width: 100%; max-width: 26rem; border: 1px solid #767676; border-radius: .3rem; box-sizing: border-box; }
textarea { max-width: 100%; min-height: 6rem; }
input[aria-invalid=true], select[aria-invalid=true], textarea[aria-invalid=true] { border: 2px solid #b3261e; }
.hint { color: #4a4a4a; font-size: .95rem; margin: .2rem 0; }
.actions { margin-top: 1.25rem; }
.status, .alert { padding: .75rem 1rem; margin: 1rem 0; border-radius: .3rem; }
.status { border-left: 5px solid #1a7f37; background: #eef8f0; }
.alert { border-left: 5px solid #b3261e; background: #fdf0ef; }
.status p, .alert p { margin: 0; }
ul.choices { list-style: none; padding: 0; margin: 1rem 0; }
ul.choices li { border: 1px solid #d0d0d0; border-radius: .5rem; padding: .75rem 1rem; margin: .75rem 0; display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; justify-content: space-between; }
ul.choices li > div { flex: 1 1 20rem; }
ul.choices h3 { margin: 0 0 .25rem; font-size: 1.05rem; }
ul.choices p { margin: .2rem 0; }
.state { font-weight: 600; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

/** The language of `offered` that serves a tag (`sv-FI` is served in `sv`), if any. */
function offeredLanguage<L extends string>(tag: string, offered: readonly L[]): L | undefined {
  const lang = catalogLanguage(tag.trim());
  return offered.find((l) => l === lang);
}

/**
 * `?lang=` first, then the best Accept-Language range, among the `offered` languages (by default
 * every page language); then English, or the first offered language when English is not offered.
 */
export function pageLanguageOf<L extends string = PageLanguage>(
  query: unknown,
  acceptLanguage: string | undefined,
  offered: readonly L[] = pageLanguages as readonly L[],
): L {
  const asked = (query as Record<string, unknown> | undefined)?.['lang'];
  if (typeof asked === 'string') {
    const l = offeredLanguage(asked, offered);
    if (l !== undefined) return l;
  }
  const ranges = (acceptLanguage ?? '')
    .split(',')
    .slice(0, 20)
    .map((part, order) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.trim().toLowerCase(), q: q === undefined ? 1 : Number(q.slice(2)), order };
    })
    .filter((r) => Number.isFinite(r.q) && r.q > 0)
    .sort((a, b) => b.q - a.q || a.order - b.order);
  for (const r of ranges) {
    const l = offeredLanguage(r.tag, offered);
    if (l !== undefined) return l;
  }
  return offered.find((l) => l === 'en') ?? (offered[0] as L);
}

export function langOf<L extends string = PageLanguage>(
  request: FastifyRequest,
  offered: readonly L[] = pageLanguages as readonly L[],
): L {
  return pageLanguageOf(request.query, request.headers['accept-language'], offered);
}

/** A path with the page language kept, for links and form actions. */
export function withLang(path: string, lang: PageLanguage, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...(lang === 'en' ? {} : { lang }), ...extra }).toString();
  return params === '' ? path : `${path}?${params}`;
}

/** One text field of a form body; a field sent several times counts only if every copy agrees. */
export function formField(body: unknown, name: string): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.length > 0 && value.every((v) => v === value[0]))
    return typeof value[0] === 'string' ? value[0] : undefined;
  return undefined;
}

export interface Notice {
  readonly kind: 'status' | 'alert';
  readonly text: string;
}

export function sendHtml(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** The name the pages show for the organisation behind a declaration. */
export function orgOf(active: ActiveDeclaration): string {
  return active.model.declaration.controller.shortName ?? active.model.declaration.controller.name;
}
