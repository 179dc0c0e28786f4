/**
 * Small helpers for the HTML and Markdown that Steward renders from a declaration. Every value
 * from a declaration is data written by someone else: it goes through `escapeHtml` or
 * `escapeMarkdown`, and only http(s) and mailto URLs become links.
 */

const htmlEntities: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => htmlEntities[c] ?? c);
}

/**
 * Escapes text for Markdown so that it shows as written: punctuation that would start emphasis,
 * links, code, HTML or a table cell is backslash-escaped, and line breaks become spaces. Text
 * that starts a line also has a leading `#`, `-`, `+`, `=` or `1.` escaped, so it stays a paragraph.
 */
export function escapeMarkdown(value: string, atLineStart = false): string {
  const inline = value
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/[\\`*_[\]<>|~]/g, '\\$&')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&');
  return atLineStart ? inline.replace(/^(\d+)([.)])/, '$1\\$2').replace(/^[#+=-]/, '\\$&') : inline;
}

/**
 * The URL if it is safe to link to, else undefined: absolute http, https or mailto URLs, and
 * relative references such as `/privacy/web/versions`. Declarations are validated, but a
 * `javascript:` URL is still a valid URL.
 */
export function safeHref(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url, 'https://relative.invalid/');
  } catch {
    return undefined;
  }
  if (!['http:', 'https:', 'mailto:'].includes(parsed.protocol)) return undefined;
  return parsed.hostname === 'relative.invalid' ? url.trim() : parsed.href;
}

/** A URL for a Markdown link destination: characters that would end it are percent-encoded. */
export function markdownHref(url: string): string {
  return url.replace(/[()<>\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** The stylesheet of rendered pages: readable, printable, no external resources. */
export const pageStyle = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.55; color: #1b1b1b; background: #fff; margin: 0; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
h1, h2, h3 { line-height: 1.25; }
h2 { margin-top: 2.5rem; border-bottom: 1px solid #d0d0d0; padding-bottom: .25rem; }
a { color: #0b4fa8; }
a:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: .95rem; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { border: 1px solid #bdbdbd; padding: .4rem .55rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
thead th { background: #f0f3f7; }
dl div { margin: .35rem 0; }
dt { font-weight: 600; }
dd { margin: 0 0 0 1.25rem; }
nav ol ol { margin-top: .2rem; }
.meta { color: #4a4a4a; }
@media print { a { color: inherit; } h2 { break-after: avoid; } }
`;

/**
 * A complete HTML document: language, title, inline style, and no scripts (enforced by CSP)
 * unless `script` names one same-origin script, which is then the only one allowed.
 */
export function htmlPage(input: {
  lang: string;
  title: string;
  body: string;
  style?: string;
  script?: string;
}): string {
  const scriptSrc = input.script === undefined ? '' : " script-src 'self';";
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(input.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self';${scriptSrc}">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<style>${input.style ?? pageStyle}</style>`,
    ...(input.script === undefined ? [] : [`<script src="${escapeHtml(input.script)}" defer></script>`]),
    '</head>',
    '<body>',
    input.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
