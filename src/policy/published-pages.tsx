/**
 * The pages around the published notices: the index of notices in force at `/privacy`, and the
 * list of a declaration's published versions. The notice itself is written by
 * src/policy/render-notice.ts. React escapes every value.
 */
import { HtmlDocument } from '../server/html/document.js';
import { renderPage } from '../server/html/render.js';

export interface NoticeEntry {
  readonly title: string;
  readonly url: string;
  readonly version: string;
  readonly effectiveDate: string;
}

export interface VersionEntry {
  readonly number: number;
  readonly version: string;
  readonly effectiveDate: string;
  readonly contentHash: string;
  readonly url: string;
}

/** The notices in force, each with its version and the date it took effect. */
export function noticeIndexHtml(notices: readonly NoticeEntry[]): string {
  return renderPage(
    <HtmlDocument lang="en" title="Privacy notices">
      <main>
        <h1>Privacy notices</h1>
        <ul>
          {notices.map((n) => (
            <li key={n.url}>
              <a href={n.url}>{n.title}</a> (version {n.version}, in force since {n.effectiveDate})
            </li>
          ))}
        </ul>
        <p>
          <a href="/privacy-centre">Ask about your data, or use another of your rights</a>
        </p>
      </main>
    </HtmlDocument>,
  );
}

/** A declaration's published versions, newest as stored, each linking to its notice and source. */
export function versionListHtml(declarationId: string, versions: readonly VersionEntry[]): string {
  return renderPage(
    <HtmlDocument lang="en" title={`Versions of ${declarationId}`}>
      <main>
        <h1>Published versions of {declarationId}</h1>
        <table>
          <thead>
            <tr>
              <th scope="col">No.</th>
              <th scope="col">Version</th>
              <th scope="col">In force from</th>
              <th scope="col">Content hash</th>
              <th scope="col">Source</th>
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
      </main>
    </HtmlDocument>,
  );
}
