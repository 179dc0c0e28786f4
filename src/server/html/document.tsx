/**
 * The frame of a document Steward serves or writes into a file: language, title, inline style,
 * and a Content-Security-Policy in a meta element for files opened outside the server (the
 * server's header applies on top). No scripts unless `script` names one same-origin script.
 */
import type { ReactNode } from 'react';
import { pageStyle } from '../../policy/html.js';
import { TrustedStyle } from './raw.js';

export interface DocumentProps {
  readonly lang: string;
  readonly title: string;
  /** The stylesheet; the notice's plain one by default. */
  readonly style?: string;
  /** The URL of the one same-origin script the page may run. */
  readonly script?: string;
  /** Extra elements in the head (e.g. `<meta name="robots">`). */
  readonly head?: ReactNode;
  /** Leave the meta CSP out (a page whose script must fetch, like the demo site's). */
  readonly noMetaCsp?: boolean;
  readonly children?: ReactNode;
}

export function HtmlDocument(props: DocumentProps) {
  const scriptSrc = props.script === undefined ? '' : " script-src 'self';";
  return (
    <html lang={props.lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {props.noMetaCsp ? null : (
          <meta
            httpEquiv="Content-Security-Policy"
            content={`default-src 'none'; style-src 'unsafe-inline'; img-src 'self';${scriptSrc}`}
          />
        )}
        {props.head}
        <title>{props.title}</title>
        <TrustedStyle css={props.style ?? pageStyle} />
        {props.script === undefined ? null : <script src={props.script} defer />}
      </head>
      <body>{props.children}</body>
    </html>
  );
}
