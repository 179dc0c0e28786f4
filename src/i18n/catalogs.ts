/**
 * The shipped catalogs. Adding a language is adding `catalogs/<lang>.json` (every key of `en.json`,
 * same placeholders), `glossary/<lang>.yaml` (the GDPR's own terms in that language) and one line
 * here; `catalogs.test.ts` fails until all three agree.
 */
import en from './catalogs/en.json' with { type: 'json' };
import ga from './catalogs/ga.json' with { type: 'json' };
import lt from './catalogs/lt.json' with { type: 'json' };
import lv from './catalogs/lv.json' with { type: 'json' };
import mt from './catalogs/mt.json' with { type: 'json' };
import sv from './catalogs/sv.json' with { type: 'json' };

/** A message key: one of the English catalog's keys, which every other catalog must also have. */
export type MessageKey = keyof typeof en;

/** One language's messages: key → ICU MessageFormat text. */
export type Catalog = Readonly<Record<string, string>>;

/** The catalogs by language tag. */
export const catalogs: Readonly<Record<string, Catalog>> & { readonly en: typeof en } = {
  en,
  ga,
  lt,
  lv,
  mt,
  sv,
};
