/**
 * Size of the browser script (banner and analytics, JS and CSS together) as served: minified,
 * and gzipped at level 9. Goal for `browser_script_gzip_bytes`: at most 9,000.
 */
import { buildBrowserScript } from '../src/web/script-bundle.js';

export async function scriptFigures(): Promise<{
  browser_script_gzip_bytes: number;
  browser_script_bytes: number;
}> {
  const script = await buildBrowserScript();
  return {
    browser_script_gzip_bytes: script.gzipBytes,
    browser_script_bytes: Buffer.byteLength(script.code),
  };
}
