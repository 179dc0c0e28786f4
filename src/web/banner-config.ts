/**
 * The banner's configuration, built from a declaration's cookie inventory and analytics events:
 * what the browser script shows and which events it may send under which category.
 */
import type { ActiveDeclaration } from '../policy/registry.js';
import { localise } from '../policy/text.js';
import { cookieProviderCountry, cookieThirdCountry } from '../policy/transfers.js';
import type { BannerConfig, BannerText } from './contract.js';

/** Our wording; languages beyond these fall back to English. */
const bannerText: Readonly<Record<string, BannerText>> = {
  en: {
    title: 'Your cookie choices',
    intro:
      'We use cookies that the site needs to work. With your permission we also use others, by category below. You can change your mind at any time.',
    acceptAll: 'Accept all',
    rejectAll: 'Reject all',
    customise: 'Choose by category',
    save: 'Save my choices',
    close: 'Close',
    alwaysOn: 'Always on',
    services: 'Services',
    noticeLink: 'Privacy and cookie notice',
    reopen: 'Cookie settings',
    gpcHonoured: 'Off: your browser sends a Global Privacy Control signal, which we honour.',
  },
  sv: {
    title: 'Dina cookieval',
    intro:
      'Vi använder cookies som webbplatsen behöver för att fungera. Med ditt tillstånd använder vi också andra, per kategori nedan. Du kan ändra dig när som helst.',
    acceptAll: 'Godkänn alla',
    rejectAll: 'Avvisa alla',
    customise: 'Välj per kategori',
    save: 'Spara mina val',
    close: 'Stäng',
    alwaysOn: 'Alltid på',
    services: 'Tjänster',
    noticeLink: 'Integritets- och cookiemeddelande',
    reopen: 'Cookieinställningar',
    gpcHonoured: 'Av: din webbläsare skickar en Global Privacy Control-signal, som vi respekterar.',
  },
};

/** The cookie that holds the signed choice: the declaration's inventory may name its lifetime. */
export const CONSENT_COOKIE = 'steward_consent';
const DEFAULT_CONSENT_DAYS = 180;

function lifetimeDays(lifetime: string | undefined): number {
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(lifetime ?? '');
  if (match === null) return DEFAULT_CONSENT_DAYS;
  const days = Number(match[1] ?? 0) * 365 + Number(match[2] ?? 0) * 30 + Number(match[3] ?? 0);
  return days > 0 ? days : DEFAULT_CONSENT_DAYS;
}

export function bannerConfig(active: ActiveDeclaration, publicUrl: string): BannerConfig {
  const d = active.model.declaration;
  const languages = d.languages.map((l) => l.slice(0, 2));
  const inLanguages = (text: Parameters<typeof localise>[0]) =>
    Object.fromEntries(languages.map((l) => [l, localise(text, l)]));
  return {
    declarationId: active.model.id,
    version: active.version.contentHash,
    languages,
    text: Object.fromEntries(languages.map((l) => [l, bannerText[l] ?? bannerText['en']!])),
    categories: d.cookies.categories.map((c) => ({
      id: c.id,
      required: c.required,
      gpcOptOut: c.gpcOptOut,
      consentMode: c.consentMode,
      name: inLanguages(c.name),
      description: inLanguages(c.description),
      services: d.cookies.items
        .filter((i) => i.category === c.id)
        .map((i) => {
          const country = cookieProviderCountry(d, i);
          return {
            name: i.name,
            provider: i.provider,
            ...(country === undefined ? {} : { country }),
            thirdCountry: cookieThirdCountry(d, i),
            lifetime: i.lifetime,
            kind: i.kind,
          };
        }),
    })),
    events: d.analytics.events.map((e) => ({ type: e.type, category: e.category, exempt: e.exempt })),
    gpcHonoured: d.gpc.honoured,
    consentCookie: {
      name: CONSENT_COOKIE,
      days: lifetimeDays(d.cookies.items.find((i) => i.name === CONSENT_COOKIE)?.lifetime),
    },
    noticeUrl: `${publicUrl}/privacy/${encodeURIComponent(active.model.id)}#cookies`,
  };
}
