/**
 * The frame of the public pages (the consent pages reached from messages, the privacy centre):
 * the language switch, the organisation's name, the title and the content, and the outcome
 * notices they show. The page language, form reading and the stylesheet are in
 * src/server/public-page.ts.
 */
import type { FastifyReply } from 'fastify';
import type { ReactElement, ReactNode } from 'react';
import type { Notice, PageLanguage } from '../public-page.js';
import { pageLanguages, publicPageStyle, sendHtml, withLang } from '../public-page.js';
import { HtmlDocument } from './document.js';
import { renderPage } from './render.js';

export interface PublicDocumentProps {
  readonly lang: PageLanguage;
  readonly title: string;
  /** The organisation behind the page, shown above the title. */
  readonly org?: string;
  /**
   * This page's path and the switch's name in the page language (`Language`): with it, the page
   * links to itself in every other page language.
   */
  readonly languageSwitch?: { readonly path: string; readonly label: string };
  readonly style?: string;
  /** The URL of a same-origin script, for the few pages that need one. */
  readonly script?: string;
  readonly children?: ReactNode;
}

/** A language's name in that language, capitalised as a link on its own (`Svenska`, `Deutsch`). */
function languageName(lang: PageLanguage): string {
  const name = new Intl.DisplayNames([lang], { type: 'language', fallback: 'code' }).of(lang) ?? lang;
  return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
}

export function PublicDocument(props: PublicDocumentProps) {
  const { lang, languageSwitch } = props;
  return (
    <HtmlDocument
      lang={lang}
      title={props.title}
      style={props.style ?? publicPageStyle}
      {...(props.script === undefined ? {} : { script: props.script })}
    >
      <main id="main">
        {languageSwitch === undefined ? null : (
          <nav className="lang" aria-label={languageSwitch.label}>
            {pageLanguages
              .filter((other) => other !== lang)
              .map((other) => (
                <a key={other} href={withLang(languageSwitch.path, other)} lang={other} hrefLang={other}>
                  {languageName(other)}
                </a>
              ))}
          </nav>
        )}
        {props.org === undefined ? null : <p className="org">{props.org}</p>}
        <h1>{props.title}</h1>
        {props.children}
      </main>
    </HtmlDocument>
  );
}

/** An outcome: a status (polite) or an alert (assertive); nothing when there is none. */
export function NoticeBox({ notice }: { notice: Notice | undefined }) {
  if (notice === undefined) return null;
  return notice.kind === 'status' ? (
    <div className="status" role="status">
      <p>{notice.text}</p>
    </div>
  ) : (
    <div className="alert" role="alert">
      <p>{notice.text}</p>
    </div>
  );
}

/** Several notices in order, skipping the absent ones. */
export function Notices({ notices }: { notices: readonly (Notice | undefined)[] }) {
  return (
    <>
      {notices.map((n, i) => (
        <NoticeBox key={i} notice={n} />
      ))}
    </>
  );
}

/** The error code line under an error message: `Error code: <code>…</code>`. */
export function ErrorCode({ label, code }: { label: string; code: string }) {
  return (
    <p className="meta">
      {label}: <code>{code}</code>
    </p>
  );
}

/** Renders a page (doctype included) and sends it as HTML. */
export function sendPage(reply: FastifyReply, status: number, page: ReactElement): FastifyReply {
  return sendHtml(reply, status, renderPage(page));
}
