/**
 * What the browser script and the server say to each other. Types only, so the script
 * (web/script) imports them without pulling server code into the bundle.
 *
 * - `GET  /web/v1/config/{declarationId}` → {@link BannerConfig} (cached for 5 minutes)
 * - `POST /web/v1/consent` {@link ConsentChoice} → {@link ConsentAnswer}
 * - `POST /web/v1/events` {@link EventBatch} → 202 `{ accepted }`, or an error naming the problem
 *
 * POST bodies are JSON; `text/plain` is accepted too, so `navigator.sendBeacon` and simple
 * cross-origin requests need no preflight.
 */

export type ConsentModeSignal =
  | 'ad_storage'
  | 'ad_user_data'
  | 'ad_personalization'
  | 'analytics_storage'
  | 'functionality_storage'
  | 'personalization_storage'
  | 'security_storage';

export type AnalyticsEventType =
  | 'page_view'
  | 'click'
  | 'scroll'
  | 'hover'
  | 'timing'
  | 'download_error'
  | 'time_on_page'
  | 'site_search'
  | 'exit';

/** The banner's words in one language (our wording, shipped by the server). */
export interface BannerText {
  readonly title: string;
  readonly intro: string;
  readonly acceptAll: string;
  readonly rejectAll: string;
  readonly customise: string;
  readonly save: string;
  readonly close: string;
  readonly alwaysOn: string;
  readonly services: string;
  readonly noticeLink: string;
  readonly reopen: string;
  readonly gpcHonoured: string;
}

export interface BannerConfig {
  readonly declarationId: string;
  /** Content hash of the declaration version in force: a stored choice for another version re-prompts. */
  readonly version: string;
  /** Languages the banner speaks, first is the default. */
  readonly languages: readonly string[];
  readonly text: Readonly<Record<string, BannerText>>;
  readonly categories: readonly {
    readonly id: string;
    readonly required: boolean;
    readonly gpcOptOut: boolean;
    readonly consentMode: readonly ConsentModeSignal[];
    readonly name: Readonly<Record<string, string>>;
    readonly description: Readonly<Record<string, string>>;
    readonly services: readonly {
      readonly name: string;
      readonly provider: string;
      /** Where the provider receives the data (ISO code), when the declaration says or it is first-party. */
      readonly country?: string;
      /** The provider receives it outside the EEA. */
      readonly thirdCountry?: boolean;
      readonly lifetime: string;
      readonly kind: string;
    }[];
  }[];
  /** Which events the script may send under which category; exempt ones go without consent. */
  readonly events: readonly {
    readonly type: AnalyticsEventType;
    readonly category: string;
    readonly exempt: boolean;
  }[];
  /** Whether the declaration honours Global Privacy Control (categories with gpcOptOut stay off). */
  readonly gpcHonoured: boolean;
  /** First-party cookie that holds the signed choice, and its lifetime in days. */
  readonly consentCookie: { readonly name: string; readonly days: number };
  readonly noticeUrl: string;
}

export interface ConsentChoice {
  readonly declarationId: string;
  /** The `version` of the config the visitor saw. */
  readonly version: string;
  /** Every non-required category, true when allowed. */
  readonly categories: Readonly<Record<string, boolean>>;
  /** Services (cookie names) the visitor switched off inside an allowed category. */
  readonly servicesOff?: readonly string[];
  /** `navigator.globalPrivacyControl` at the time of the choice. */
  readonly gpc: boolean;
  readonly language: string;
  /** The previous token, so a changed choice stays with the same consent id. */
  readonly token?: string;
  /** How the choice was made: `accept_all`, `reject_all`, `save`, `gpc`. */
  readonly via: string;
}

export interface ConsentAnswer {
  /** Signed by the server; the script keeps it in the consent cookie and sends it with events. */
  readonly token: string;
  readonly allowed: readonly string[];
  readonly version: string;
}

export interface EventBatch {
  /** Random, 16–64 characters: a batch id is taken once, so replays are refused. */
  readonly id: string;
  readonly declarationId: string;
  /** The consent token, when the visitor has chosen; without it only exempt events are accepted. */
  readonly token?: string;
  /** The page the events come from (full URL; only host and path are kept). */
  readonly page: string;
  /** document.referrer (only its host is kept). */
  readonly referrer?: string;
  readonly events: readonly BrowserEvent[];
}

export interface BrowserEvent {
  readonly type: AnalyticsEventType;
  /** Milliseconds since the Unix epoch, from the browser clock. */
  readonly at: number;
  /** Path of the page when it differs from the batch's page (single-page apps). */
  readonly path?: string;
  /** click: a link's URL or an element's tag; exit: the destination URL (only its host is kept). */
  readonly target?: string;
  /** click/hover: the element's `data-steward-label`; site_search: the search term. */
  readonly label?: string;
  /** scroll: depth in %; timing/time_on_page: milliseconds; download_error: HTTP status if known. */
  readonly value?: number;
}
