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
