/**
 * The one place where server HTML is not escaped. React escapes every value it renders; only
 * the components here set `dangerouslySetInnerHTML`, and only for text that comes from Steward's
 * own code, never from a declaration or a request. An ESLint rule (eslint.config.js) fails any
 * other use, so raw HTML stays rare and visible in review.
 */

/** A stylesheet written in Steward's code. A `</style` inside would end the element early. */
export function TrustedStyle({ css }: { css: string }) {
  if (/<\/style/i.test(css)) throw new Error('A stylesheet must not contain </style.');
  return <style dangerouslySetInnerHTML={{ __html: css }} />;
}

/**
 * Data for a script to read, as JSON in `<script type="application/json">`: `<`, `>`, `&` and the
 * line separators are written as `\u` escapes, so no value can end the element or start markup.
 */
export function TrustedJson({ id, value }: { id: string; value: unknown }) {
  const json = JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return <script type="application/json" id={id} dangerouslySetInnerHTML={{ __html: json }} />;
}
