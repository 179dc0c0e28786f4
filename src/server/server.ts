/**
 * Assembles the HTTP server: security headers, cookies, the error mapping, authentication,
 * OpenAPI, metrics, and each feature's routes. Features own their routes; this file only wires.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { accessRoutes } from '../access/routes.js';
import { auditRoutes } from '../audit/routes.js';
import { captureRoutes } from '../capture/routes.js';
import { packageRoot } from '../config.js';
import { consentPages } from '../consent/pages.js';
import { systemRoutes } from '../connectors/routes.js';
import { centrePages } from '../rights/centre-pages.js';
import { webApiRoutes } from '../web/api-routes.js';
import { webRoutes } from '../web/routes.js';
import { consentRoutes } from '../consent/routes.js';
import { rightsRoutes } from '../rights/routes.js';
import { drpRoutes } from '../rights/drp/routes.js';
import { retentionRoutes } from '../retention/routes.js';
import { trackingRoutes } from '../consent/tracking-routes.js';
import type { AppContext } from '../context.js';
import { demoSite } from '../demo/site.js';
import { governanceRoutes } from '../governance/routes.js';
import { noticeRoutes, policyRoutes } from '../policy/routes.js';
import { ping } from '../store/database.js';
import { subjectRoutes } from '../subjects/routes.js';
import { publicPlugin, registerAuth } from './auth.js';
import { boundedJsonParser, registerInputChecks } from './input.js';
import { errorHandler } from './errors.js';
import { registerMetrics } from './metrics.js';

export async function buildServer(ctx: AppContext): Promise<FastifyInstance> {
  const https = ctx.config.tls
    ? { key: readFileSync(ctx.config.tls.key), cert: readFileSync(ctx.config.tls.cert) }
    : null;
  const app = Fastify({
    loggerInstance: ctx.log,
    bodyLimit: 1024 * 1024,
    // Signed tokens in links (unsubscribe, confirmation, clicks) are longer than Fastify's default 100.
    routerOptions: { maxParamLength: 4096 },
    trustProxy: ctx.config.trustedProxies.length > 0 ? [...ctx.config.trustedProxies] : false,
    https,
  } as Parameters<typeof Fastify>[0]) as unknown as FastifyInstance;
  // JSON bodies are refused past MAX_JSON_DEPTH before they are parsed; child plugins inherit this.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, boundedJsonParser(app));
  registerInputChecks(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: { code: 'not_found', message: `No route for ${request.method} ${request.url.split('?')[0]}.` },
    });
  });

  const secure = ctx.config.publicUrl.startsWith('https:');
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secure ? [] : null,
      },
    },
    hsts: secure ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, { global: false });
  registerAuth(app, ctx);
  registerMetrics(app, ctx);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Steward API',
        version: '1',
        description: 'Privacy operations: declarations, consent, rights requests.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: stw_...' },
          session: { type: 'apiKey', in: 'cookie', name: 'steward_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(
    publicPlugin('the API documentation: describes the API, holds no data', (docs) =>
      docs.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: true }),
    ),
  );
  app.get(
    '/api/openapi.json',
    { schema: { hide: true }, config: { public: 'the API description, no data' } },
    () => app.swagger(),
  );

  const health = { public: 'load balancers probe it: database reachable, number of declarations' };
  app.get('/healthz', { schema: { hide: true }, config: health }, async (_request, reply) => {
    try {
      await ping(ctx.store);
      return { status: 'ok', database: ctx.store.dialect, declarations: ctx.policies.list().length };
    } catch (error) {
      ctx.log.error({ err: error }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  await app.register(
    async (api) => {
      await api.register(accessRoutes(ctx));
      await api.register(policyRoutes(ctx));
      await api.register(auditRoutes(ctx));
      await api.register(governanceRoutes(ctx));
      await api.register(captureRoutes(ctx));
      await api.register(subjectRoutes(ctx));
      await api.register(consentRoutes(ctx));
      await api.register(rightsRoutes(ctx));
      await api.register(retentionRoutes(ctx));
      await api.register(webApiRoutes(ctx));
      await api.register(systemRoutes(ctx));
    },
    { prefix: '/api/v1' },
  );
  await app.register(noticeRoutes(ctx));
  await app.register(consentPages(ctx));
  await app.register(centrePages(ctx));
  await app.register(webRoutes(ctx));
  await app.register(trackingRoutes(ctx));
  await app.register(drpRoutes(ctx));

  const consoleDir = join(packageRoot, 'dist/console');
  const consoleReason = 'the console application itself; its data comes from the guarded API';
  if (existsSync(join(consoleDir, 'index.html'))) {
    await app.register(
      publicPlugin(consoleReason, (files) =>
        files.register(fastifyStatic, { root: consoleDir, prefix: '/console/', redirect: true }),
      ),
    );
  } else {
    app.get('/console/', { config: { public: consoleReason } }, (_request, reply) =>
      reply.code(503).type('text/plain').send('The console is not built: run `npm run build`.'),
    );
  }
  await app.register(demoSite(ctx));
  return app;
}
