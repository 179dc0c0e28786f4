/**
 * The record of processing as an HTML page: one wide table, a row per purpose, the purpose as the
 * row's header. The words and the cells come from src/policy/ropa.ts; React escapes every one.
 */
import { HtmlDocument } from '../server/html/document.js';
import { renderPage } from '../server/html/render.js';
import { pageStyle } from './html.js';

export interface RopaPageInput {
  readonly lang: string;
  readonly title: string;
  readonly meta: string;
  readonly caption: string;
  readonly columns: readonly string[];
  /** The column whose cell names the row (`<th scope="row">`). */
  readonly rowHeader: string;
  readonly rows: readonly (readonly string[])[];
}

// The record is one wide table: let it use the whole window.
const style = `${pageStyle}\nmain { max-width: none; }\ntable { font-size: .8rem; }\n`;

export function RopaPage(input: RopaPageInput) {
  return (
    <HtmlDocument lang={input.lang} title={input.title} style={style}>
      <main id="main">
        <h1>{input.title}</h1>
        <p className="meta">{input.meta}</p>
        <table>
          <caption>{input.caption}</caption>
          <thead>
            <tr>
              {input.columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {input.rows.map((cells, r) => (
              <tr key={r}>
                {cells.map((cell, i) =>
                  input.columns[i] === input.rowHeader ? (
                    <th scope="row" key={i}>
                      {cell}
                    </th>
                  ) : (
                    <td key={i}>{cell}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </HtmlDocument>
  );
}

/** The complete page, doctype included. */
export function ropaHtml(input: RopaPageInput): string {
  return renderPage(<RopaPage {...input} />);
}
