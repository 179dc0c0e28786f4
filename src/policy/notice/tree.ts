/**
 * The notice as a small document tree: sections of paragraphs, lists, term lists and tables, with
 * inline links. The builder fills it from the declaration and the catalogs; the HTML and Markdown
 * writers turn the same tree into text, so both formats always say the same thing.
 */
import { safeHref } from '../html.js';

/** Text, a link to a URL (dropped to text unless http, https or mailto), or a link within the page. */
export type Inline =
  | string
  | { readonly text: string; readonly href: string }
  | { readonly text: string; readonly anchor: string };
export type Rich = string | readonly Inline[];

export type Block =
  | { readonly kind: 'p'; readonly content: Rich }
  | { readonly kind: 'list'; readonly items: readonly Rich[] }
  | { readonly kind: 'facts'; readonly items: readonly { readonly label: string; readonly value: Rich }[] }
  | {
      readonly kind: 'table';
      readonly caption: string;
      readonly head: readonly string[];
      /** The first cell of each row names the row (`<th scope="row">`). */
      readonly rows: readonly (readonly Rich[])[];
    };

export interface Section {
  readonly id: string;
  readonly title: string;
  readonly blocks: readonly Block[];
  readonly children: readonly Section[];
}

export interface NoticeDocument {
  readonly lang: string;
  readonly title: string;
  readonly meta: string;
  readonly intro: string;
  /**
   * Set when the notice is shown in another language than the one asked for: says so, in the
   * language shown (the fallback is chosen by the caller, logged, and never silent).
   */
  readonly fallback?: string;
  readonly contents: string;
  readonly sections: readonly Section[];
}

export const p = (content: Rich): Block => ({ kind: 'p', content });
export const list = (items: readonly Rich[]): Block => ({ kind: 'list', items });
export const facts = (items: readonly ({ label: string; value: Rich } | undefined)[]): Block => ({
  kind: 'facts',
  items: items.filter((i): i is { label: string; value: Rich } => i !== undefined && i.value.length > 0),
});
export const table = (
  caption: string,
  head: readonly string[],
  rows: readonly (readonly Rich[])[],
): Block => ({
  kind: 'table',
  caption,
  head,
  rows,
});
export const section = (
  id: string,
  title: string,
  blocks: readonly Block[],
  children: readonly Section[] = [],
): Section => ({
  id,
  title,
  blocks,
  children,
});
export const link = (text: string, url: string): Inline =>
  safeHref(url) === undefined ? text : { text, href: url };
export const anchorTo = (text: string, anchor: string): Inline => ({ text, anchor });

/** Joins rich fragments with a separator. */
export function joinRich(parts: readonly Rich[], separator: string): Inline[] {
  return parts.flatMap((part, i) => [
    ...(i === 0 ? [] : [separator]),
    ...(typeof part === 'string' ? [part] : part),
  ]);
}
