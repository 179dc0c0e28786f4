// What the script adds to or reads from the page's globals.

interface Window {
  /** Google's data layer; gtag.js reads `arguments` objects pushed onto it. */
  dataLayer?: unknown[];
  gtag?: (...args: unknown[]) => void;
  /** The page's handle on the banner: reopen it, or ask whether a cookie category is allowed. */
  steward?: { open(): void; allowed(category: string): boolean };
}

interface Navigator {
  /** Global Privacy Control (https://privacycg.github.io/gpc-spec/). */
  readonly globalPrivacyControl?: boolean;
}
