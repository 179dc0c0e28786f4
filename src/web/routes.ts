/**
 * The website endpoints the browser script talks to, under `/web/v1`: its configuration, banner
 * choices and event batches, and the script itself at a versioned URL. They are public and
 * answer any origin (no cookies are read: the consent token travels in the body), and accept
 * JSON sent as `text/plain` so `sendBeacon` needs no preflight. Forwarded-for headers are
 * believed only from the configured trusted proxies; from anyone else they are refused.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { AppError, notInForce } from '../errors.js';
import { boundedJsonParser } from '../server/input.js';
import { bannerConfig } from './banner-config.js';
import { recordBannerChoice } from './choices.js';
import { openCountryLookup } from './country.js';
import { ingestBatch } from './ingest.js';

const BATCH_BYTES = 64 * 1024;
/** Any website visitor's browser calls these; the consent token in the body says what it may do. */
const site = { public: "the browser script on the website: a visitor's consent token is in the body" };

/** The script is built on first request: processes that never serve it never load esbuild. */
const browserScript = async () => (await import('./script-bundle.js')).buildBrowserScript();
const forwardingHeaders = ['x-forwarded-for', 'forwarded', 'x-real-ip'] as const;

/** True when the request names a client address that we did not take from a trusted proxy. */
function untrustedForwarding(request: FastifyRequest, trusted: boolean): boolean {
  const claims = forwardingHeaders.some((h) => request.headers[h] !== undefined);
  if (!claims) return false;
  // With trusted proxies configured, Fastify resolves request.ip through them; when it is still
  // the socket's peer, the peer was not one of them.
  return !trusted || request.ip === request.socket.remoteAddress;
}

export function webRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    const country = await openCountryLookup(ctx.config.geoipDb);
    const trusted = ctx.config.trustedProxies.length > 0;

    app.removeContentTypeParser(['text/plain', 'application/json']);
    app.addContentTypeParser(
      ['text/plain', 'application/json'],
      { parseAs: 'string', bodyLimit: BATCH_BYTES },
      boundedJsonParser(app),
    );
    app.addHook('onRequest', async (request, reply) => {
      void reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'content-type')
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('x-robots-tag', 'noindex');
      if (request.method === 'POST' && untrustedForwarding(request, trusted))
        throw new AppError(
          'untrusted_forwarding',
          'A forwarded client address came from a peer that is not a configured trusted proxy (STEWARD_TRUSTED_PROXIES).',
        );
    });

    app.options('/web/v1/*', { schema: { hide: true }, config: site }, async (_request, reply) =>
      reply.code(204).send(),
    );

    app.get<{ Params: { declarationId: string } }>(
      '/web/v1/config/:declarationId',
      { schema: { hide: true }, config: site },
      async (request, reply) => {
        const active = ctx.policies.get(request.params.declarationId);
        if (active === undefined) throw notInForce(request.params.declarationId);
        return reply
          .header('cache-control', 'public, max-age=300')
          .send(bannerConfig(active, ctx.config.publicUrl));
      },
    );

    app.post(
      '/web/v1/consent',
      { schema: { hide: true }, config: { ...site, rateLimit: { max: 60, timeWindow: '1 minute' } } },
      async (request, reply) => {
        const userAgent = request.headers['user-agent'];
        const answer = await recordBannerChoice(ctx, request.body as never, {
          ip: request.ip,
          ...(userAgent ? { userAgent } : {}),
          gpcHeader: request.headers['sec-gpc'] === '1',
        });
        return reply.header('cache-control', 'no-store').send(answer);
      },
    );

    app.post(
      '/web/v1/events',
      { schema: { hide: true }, config: site, bodyLimit: BATCH_BYTES },
      async (request, reply) => {
        const userAgent = request.headers['user-agent'];
        const result = await ingestBatch(
          ctx,
          request.body,
          { ip: request.ip, ...(userAgent ? { userAgent } : {}) },
          country,
        );
        return reply.code(202).send(result);
      },
    );

    app.get('/web/v1/steward.js', { schema: { hide: true }, config: site }, async (_request, reply) => {
      const { hash } = await browserScript();
      return reply.header('cache-control', 'public, max-age=300').redirect(`/web/v1/steward-${hash}.js`);
    });
    app.get<{ Params: { hash: string } }>(
      '/web/v1/steward-:hash.js',
      { schema: { hide: true }, config: site },
      async (request, reply) => {
        const script = await browserScript();
        if (request.params.hash !== script.hash)
          return reply.header('cache-control', 'no-store').redirect(`/web/v1/steward-${script.hash}.js`);
        return reply
          .type('text/javascript; charset=utf-8')
          .header('cache-control', 'public, max-age=31536000, immutable')
          .send(script.code);
      },
    );
  };
}
