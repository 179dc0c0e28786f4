/**
 * The shipped catalogs. Adding a language is adding `catalogs/<lang>.json` (every key of `en.json`,
 * same placeholders), `glossary/<lang>.yaml` (the GDPR's own terms in that language) and one line
 * here; `catalogs.test.ts` fails until all three agree.
 */
import en from './catalogs/en.json' with { type: 'json' };
import bg from './catalogs/bg.json' with { type: 'json' };
import cs from './catalogs/cs.json' with { type: 'json' };
import da from './catalogs/da.json' with { type: 'json' };
import de from './catalogs/de.json' with { type: 'json' };
import el from './catalogs/el.json' with { type: 'json' };
import es from './catalogs/es.json' with { type: 'json' };
import et from './catalogs/et.json' with { type: 'json' };
import fi from './catalogs/fi.json' with { type: 'json' };
import fr from './catalogs/fr.json' with { type: 'json' };
import ga from './catalogs/ga.json' with { type: 'json' };
import hr from './catalogs/hr.json' with { type: 'json' };
import hu from './catalogs/hu.json' with { type: 'json' };
import is from './catalogs/is.json' with { type: 'json' };
import it from './catalogs/it.json' with { type: 'json' };
import lt from './catalogs/lt.json' with { type: 'json' };
import lv from './catalogs/lv.json' with { type: 'json' };
import mt from './catalogs/mt.json' with { type: 'json' };
import nb from './catalogs/nb.json' with { type: 'json' };
import nl from './catalogs/nl.json' with { type: 'json' };
import pl from './catalogs/pl.json' with { type: 'json' };
import pt from './catalogs/pt.json' with { type: 'json' };
import ro from './catalogs/ro.json' with { type: 'json' };
import sk from './catalogs/sk.json' with { type: 'json' };
import sl from './catalogs/sl.json' with { type: 'json' };
import sv from './catalogs/sv.json' with { type: 'json' };

/** A message key: one of the English catalog's keys, which every other catalog must also have. */
export type MessageKey = keyof typeof en;

/** One language's messages: key → ICU MessageFormat text. */
export type Catalog = Readonly<Record<string, string>>;

/** The catalogs by language tag. */
export const catalogs: Readonly<Record<string, Catalog>> & { readonly en: typeof en } = {
  en,
  bg,
  cs,
  da,
  de,
  el,
  es,
  et,
  fi,
  fr,
  ga,
  hr,
  hu,
  is,
  it,
  lt,
  lv,
  mt,
  nb,
  nl,
  pl,
  pt,
  ro,
  sk,
  sl,
  sv,
};
