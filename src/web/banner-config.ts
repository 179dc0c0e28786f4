/**
 * The banner's configuration, built from a declaration's cookie inventory and analytics events:
 * what the browser script shows and which events it may send under which category.
 */
import { messagesFor } from '../i18n/declaration.js';
import { catalogLanguage, type Messages } from '../i18n/messages.js';
import type { ActiveDeclaration } from '../policy/registry.js';
import type { Declaration } from '../policy/schema.js';
import { localise } from '../policy/text.js';
import { cookieProviderCountry, cookieThirdCountry } from '../policy/transfers.js';
import type { BannerConfig, BannerText } from './contract.js';

/** Our wording in a shipped language, from the `banner.*` messages (with the declaration's overrides). */
function bannerText(m: Messages): BannerText {
  return {
    title: m.format('banner.title'),
    intro: m.format('banner.intro'),
    acceptAll: m.format('banner.acceptAll'),
    rejectAll: m.format('banner.rejectAll'),
    customise: m.format('banner.customise'),
    save: m.format('banner.save'),
    close: m.format('banner.close'),
    alwaysOn: m.format('banner.alwaysOn'),
    services: m.format('banner.services'),
    noticeLink: m.format('banner.noticeLink'),
    reopen: m.format('banner.reopen'),
    gpcHonoured: m.format('banner.gpcHonoured'),
  };
}

/**
 * The banner's words for each declared language Steward ships a catalog for. A declared language
 * without one (a lint error) is left out, so the banner speaks its first language there.
 */
function bannerTexts(d: Declaration): Record<string, BannerText> {
  return Object.fromEntries(
    d.languages.flatMap((tag) =>
      catalogLanguage(tag) === undefined ? [] : [[tag.slice(0, 2), bannerText(messagesFor(d, tag))]],
    ),
  );
}

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
    text: bannerTexts(d),
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
