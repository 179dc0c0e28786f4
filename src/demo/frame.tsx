/**
 * The demo site's page frame: the example strip, the header with navigation, search and the
 * language switch, the footer with the privacy links, Steward's browser script and one gated
 * example tag. Not `PublicDocument`: its meta CSP has no `connect-src`, which would stop the
 * browser script from fetching its configuration and sending events. The server's CSP header
 * (script-src 'self', no inline scripts) still applies to every page.
 */
import type { ReactNode } from 'react';
import { TrustedStyle } from '../server/html/raw.js';
import type { PageLanguage } from '../server/public-page.js';
import { withLang } from '../server/public-page.js';
import type { DemoText } from './text.js';

export const MARKETING_TAG_PATH = '/demo/marketing-tag.js';

/**
 * A stand-in for a third-party marketing tag: the page holds it as `type="text/plain"
 * data-category="marketing"`, so it runs only once the browser script finds Marketing allowed.
 */
export const marketingTag = `// Example of a gated third-party tag on Steward's demo site: it only says that it ran.
window.demoMarketingTag = true;
(function () {
  var state = document.getElementById('demo-tag-state');
  if (state && state.getAttribute('data-ran')) state.textContent = state.getAttribute('data-ran');
})();
`;

const style = `
:root { color-scheme: light; --ink: #1b1b1b; --muted: #4a4a4a; --brand: #0d3b66; --accent: #0b5cad; --line: #d0d5dc; --soft: #f3f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.55; color: var(--ink); background: #fff; }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible, summary:focus-visible, main:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: 1rem; }
.example-strip { background: #fff3bf; border-bottom: 3px solid #8a6d00; color: #1b1b1b; padding: .6rem 1rem; }
.example-strip p { margin: 0 auto; max-width: 64rem; }
.example-strip strong { display: block; font-size: 1.05rem; }
.example-strip span { font-size: .92rem; }
.site-header { background: var(--brand); color: #fff; }
.site-header .bar { max-width: 64rem; margin: 0 auto; padding: .75rem 1rem; display: flex; flex-wrap: wrap; gap: .75rem 1.5rem; align-items: center; justify-content: space-between; }
.site-header a { color: #fff; }
.brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
.site-header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.1rem; }
.site-header nav a[aria-current=page] { font-weight: 700; text-decoration-thickness: 3px; }
.header-search { display: flex; gap: .4rem; align-items: center; }
.header-search input { width: 11rem; }
.lang-switch a { font-size: .95rem; }
main { max-width: 64rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1, h2, h3 { line-height: 1.25; }
h1 { margin-top: .5rem; }
.lead { font-size: 1.15rem; color: var(--muted); max-width: 44rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; padding: 0; list-style: none; }
.cards li, .product { border: 1px solid var(--line); border-radius: .5rem; padding: 1rem 1.25rem; background: var(--soft); }
.product { margin: 1.25rem 0; }
.product h2 { margin-top: 0; }
.meta { color: var(--muted); font-size: .95rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #bdbdbd; padding: .45rem .6rem; text-align: left; vertical-align: top; }
thead th { background: #eef2f7; }
label { display: block; font-weight: 600; margin-top: 1rem; }
input[type=email], input[type=text], input[type=search], textarea { font: inherit; padding: .5rem .6rem; width: 100%; max-width: 28rem; border: 1px solid #767676; border-radius: .3rem; }
.site-header input[type=search] { padding: .3rem .5rem; border-color: #fff; }
textarea { max-width: 100%; min-height: 8rem; }
[aria-invalid=true] { border: 2px solid #b3261e !important; }
button { font: inherit; font-weight: 600; padding: .55rem 1.1rem; border-radius: .4rem; border: 2px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button:hover { background: #084a8c; }
button.small { padding: .3rem .7rem; border-color: #fff; }
.hint { color: var(--muted); font-size: .95rem; margin: .2rem 0; font-weight: normal; }
fieldset { border: 1px solid var(--line); border-radius: .5rem; padding: .5rem 1rem 1rem; margin: 1.25rem 0; }
legend { font-weight: 600; padding: 0 .25rem; }
.option { display: flex; gap: .6rem; align-items: flex-start; margin: .6rem 0; }
.option input { margin-top: .35rem; width: 1.15rem; height: 1.15rem; flex: none; }
.option label { margin: 0; }
.actions { margin-top: 1.25rem; }
.field-error { color: #b3261e; font-weight: 600; margin: .2rem 0; }
.error-summary { border: 3px solid #b3261e; padding: .75rem 1rem; margin: 1rem 0; }
.error-summary h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
.status, .alert { padding: .75rem 1rem; margin: 1rem 0; border-radius: .3rem; }
.status { border-left: 5px solid #1a7f37; background: #eef8f0; }
.alert { border-left: 5px solid #b3261e; background: #fdf0ef; }
.status p, .alert p { margin: 0; }
.site-footer { border-top: 1px solid var(--line); background: var(--soft); }
.site-footer .bar { max-width: 64rem; margin: 0 auto; padding: 1rem 1rem 5rem; }
.site-footer h2 { font-size: 1rem; margin: 0 0 .5rem; }
.site-footer ul { padding-left: 1.2rem; margin: .25rem 0 .75rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;

export type NavKey = keyof DemoText['nav'];

const navPaths: Readonly<Record<NavKey, string>> = {
  home: '/',
  products: '/products',
  search: '/search',
  newsletter: '/newsletter',
  contact: '/contact',
};

export interface DemoPage {
  readonly lang: PageLanguage;
  readonly t: DemoText;
  /** The company's name, from the declaration. */
  readonly company: string;
  readonly declarationId: string;
  /** The page's h1 and, with the company's name, its title. */
  readonly title: string;
  /** The navigation entry this page belongs to, if any. */
  readonly current?: NavKey;
  /** This page's path and the query to keep when switching language. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly children?: ReactNode;
}

/** A whole page of the demo site (render it with `renderPage`). */
export function DemoDocument(page: DemoPage) {
  const { lang, t } = page;
  const other: PageLanguage = lang === 'en' ? 'sv' : 'en';
  const link = (path: string) => withLang(path, lang);
  const noticePath = `/privacy/${encodeURIComponent(page.declarationId)}`;
  const title = page.current === 'home' ? page.company : `${page.title} – ${page.company}`;
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <TrustedStyle css={style} />
        <script src="/web/v1/steward.js" data-declaration={page.declarationId} defer />
      </head>
      <body>
        <a className="skip" href="#main">
          {t.skip}
        </a>
        <div className="example-strip" id="example-strip" role="note">
          <p>
            <strong>{t.strip}</strong>{' '}
            <span>
              {t.stripDetail} <a href="/console/">{t.openConsole}</a>
            </span>
          </p>
        </div>
        <header className="site-header">
          <div className="bar">
            <a className="brand" href={link('/')}>
              {page.company}
            </a>
            <nav aria-label={t.mainNav}>
              <ul>
                {(Object.keys(navPaths) as NavKey[]).map((key) => (
                  <li key={key}>
                    <a
                      href={link(navPaths[key])}
                      {...(key === page.current ? { 'aria-current': 'page' as const } : {})}
                    >
                      {t.nav[key]}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <form className="header-search" role="search" method="get" action="/search">
              <label htmlFor="header-q" className="visually-hidden">
                {t.searchLabel}
              </label>
              <input type="search" id="header-q" name="q" maxLength={200} />
              <LangField lang={lang} />
              <button type="submit" className="small">
                {t.searchButton}
              </button>
            </form>
            <nav className="lang-switch" aria-label={t.languageNav}>
              <a href={withLang(page.path, other, { ...page.query })} lang={other} hrefLang={other}>
                {t.otherLanguage}
              </a>
            </nav>
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{page.title}</h1>
          {page.children}
        </main>
        <footer className="site-footer">
          <div className="bar">
            <h2>{t.footerHeading}</h2>
            <ul>
              <li>
                <a href={link(noticePath)}>{t.privacyNotice}</a>
              </li>
              <li>
                <a href={link('/privacy-centre')}>{t.privacyCentre}</a>
              </li>
            </ul>
            <p className="meta" id="demo-tag-state" data-ran={t.tagRan}>
              {t.tagWaiting}
            </p>
            <p className="meta">{t.strip}</p>
          </div>
        </footer>
        <script type="text/plain" data-category="marketing" src={MARKETING_TAG_PATH} />
      </body>
    </html>
  );
}

/** The page language as a hidden field of a GET form, so the answer keeps it; none for English. */
export function LangField({ lang }: { lang: PageLanguage }) {
  return lang === 'en' ? null : <input type="hidden" name="lang" value={lang} />;
}
