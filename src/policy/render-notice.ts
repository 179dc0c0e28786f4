/**
 * The privacy notice, generated from the declaration in Steward's own words: built once as a
 * document tree (notice/build.ts over notice/tree.ts, every fixed word from the catalogs by key),
 * then written as HTML (notice/html.tsx) or Markdown (notice/markdown.ts).
 */
import { languageOf } from './describe.js';
import type { PolicyModel } from './model.js';
import { buildNotice, type NoticeVersionInfo } from './notice/build.js';
import { writeHtml } from './notice/html.js';
import { writeMarkdown } from './notice/markdown.js';

export { describeDuration, describeTrigger } from './describe.js';
export type { NoticeVersionInfo } from './notice/build.js';

export interface NoticeOptions {
  readonly format: 'html' | 'md';
  /** Language of the notice; defaults to the declaration's first language. */
  readonly language?: string;
  readonly versionInfo?: NoticeVersionInfo;
  /** Where the privacy centre is served; the rights section links to it when given. */
  readonly privacyCentreUrl?: string;
  /**
   * The language the reader asked for, when `language` is a fallback the caller chose (and
   * logged) because the declaration does not offer it: the notice says so at its top.
   */
  readonly fallbackFrom?: string;
}

/**
 * Renders the privacy notice of a declaration as a complete HTML page or as Markdown.
 *
 * Section anchors are stable: `controller`, `purposes`, `purpose-<id>` for each purpose,
 * `transfers`, `retention`, `rights`, `complaints`, `cookies`, `cookies-<category>`, `glossary`,
 * `version` and so on. Every declaration value is escaped for the output format.
 *
 * @example renderNotice(model, { format: 'html', language: 'sv' })
 * @throws MessageError (`i18n.no_catalog`) for a language Steward ships no catalog for.
 */
export function renderNotice(model: PolicyModel, options: NoticeOptions): string {
  const lang = languageOf(model, options.language);
  const doc = buildNotice(model, lang, {
    ...(options.versionInfo === undefined ? {} : { versionInfo: options.versionInfo }),
    ...(options.privacyCentreUrl === undefined ? {} : { privacyCentreUrl: options.privacyCentreUrl }),
    ...(options.fallbackFrom === undefined ? {} : { fallbackFrom: options.fallbackFrom }),
  });
  return options.format === 'html' ? writeHtml(doc) : writeMarkdown(doc);
}
