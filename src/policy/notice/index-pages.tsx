/**
 * The public pages around the notices: the list of notices in force (`/privacy`) and the published
 * versions of one declaration (`/privacy/:id/versions`). TSX through `renderToStaticMarkup`, so
 * every value is escaped; words from the catalogs (`pages.*`).
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { messages } from '../../i18n/messages.js';
import { htmlPage } from '../html.js';

export interface NoticeListItem {
  readonly url: string;
  readonly title: string;
  readonly version: string;
  readonly effectiveDate: string;
}

/** `/privacy`: every notice in force, with a link to the privacy centre. */
export function noticeListPage(items: readonly NoticeListItem[], lang: string): string {
  const m = messages(lang);
  const title = m.format('pages.notices.title');
  const body = renderToStaticMarkup(
    <main>
      <h1>{title}</h1>
      <ul>
        {items.map((item) => (
          <li key={item.url}>
            <a href={item.url}>{item.title}</a>{' '}
            {m.format('pages.notices.item', { version: item.version, date: item.effectiveDate })}
          </li>
        ))}
      </ul>
      <p>
        <a href="/privacy-centre">{m.format('pages.notices.rights')}</a>
      </p>
    </main>,
  );
  return htmlPage({ lang: m.lang, title, body });
}

export interface VersionListItem {
  readonly number: number;
  readonly url: string;
  readonly version: string;
  readonly effectiveDate: string;
  readonly contentHash: string;
}

/** `/privacy/:id/versions`: each published version with its date, hash and YAML source. */
export function versionListPage(id: string, versions: readonly VersionListItem[], lang: string): string {
  const m = messages(lang);
  const body = renderToStaticMarkup(
    <main>
      <h1>{m.format('pages.versions.heading', { id })}</h1>
      <table>
        <thead>
          <tr>
            <th scope="col">{m.format('pages.versions.number')}</th>
            <th scope="col">{m.format('pages.versions.version')}</th>
            <th scope="col">{m.format('pages.versions.effective')}</th>
            <th scope="col">{m.format('pages.versions.hash')}</th>
            <th scope="col">{m.format('pages.versions.source')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.number}>
              <td>
                <a href={v.url}>{v.number}</a>
              </td>
              <td>{v.version}</td>
              <td>{v.effectiveDate}</td>
              <td>
                <code>{v.contentHash.slice(0, 12)}</code>
              </td>
              <td>
                <a href={`${v.url}/source`}>YAML</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>,
  );
  return htmlPage({ lang: m.lang, title: m.format('pages.versions.title', { id }), body });
}
