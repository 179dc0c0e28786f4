/**
 * Server HTML is written as TSX components and turned into a page here. React escapes every
 * text and attribute value, so a value from a declaration or a request cannot become markup;
 * raw HTML exists only in `raw.tsx`.
 */
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

/** A whole document: the doctype, then the element (an `<html>`) as static markup. */
export function renderPage(element: ReactElement): string {
  return `<!doctype html>\n${renderToStaticMarkup(element)}\n`;
}

/** A fragment of markup (for a file that is not a page of its own, or a test). */
export function renderFragment(element: ReactElement): string {
  return renderToStaticMarkup(element);
}
