import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorRef } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { actorOf, guard } from '../server/auth.js';
import { MAX_STORED_INTEGER } from '../store/database.js';
import { lintSource } from './lint.js';
import { PolicyModel } from './model.js';
import { renderNotice } from './render-notice.js';
import { offeredLanguage } from '../i18n/declaration.js';
import { noticeListPage, versionListPage } from './notice/index-pages.js';
import { renderRopa } from './ropa.js';
import { declarationJsonSchema } from './schema.js';
import { localise } from './text.js';
import { diffVersions, getVersion, listVersions, publishDeclaration } from './versions.js';

const idParam = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, 'must be a declaration id')
    .max(100),
});
const versionNumber = z.coerce.number().int().positive().max(MAX_STORED_INTEGER);
const versionParams = idParam.extend({ number: versionNumber });

const noticeUrl = (id: string) => `/privacy/${id}`;
const versionUrl = (id: string, n: number) => `/privacy/${id}/versions/${n}`;
/** The published notices are for everyone to read. */
const notice = { public: 'the published privacy notices, for everyone to read' };

/** The declarations API under /api/v1. */
export function policyRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/declarations/schema',
      {
        schema: { tags: ['declarations'], summary: 'JSON Schema of the declaration format' },
        config: { public: 'the format of a declaration, for editors; no declaration in it' },
      },
      () => declarationJsonSchema(),
    );

    app.get(
      '/declarations',
      {
        schema: { tags: ['declarations'], summary: 'Declarations in force, with lint status and versions' },
        onRequest: guard('policy:read'),
      },
      async () => {
        await ctx.policies.refresh();
        const declarations = await Promise.all(
          ctx.policies.list().map(async ({ model, version }) => {
            const stored = await getVersion(ctx.store, model.id, version.number);
            const issues = lintSource(stored.source).issues;
            const versions = await listVersions(ctx.store, model.id);
            return {
              id: model.id,
              title: localise(model.declaration.title, model.declaration.languages[0] ?? 'en'),
              version: version.version,
              number: version.number,
              effectiveDate: version.effectiveDate,
              contentHash: version.contentHash,
              publishedAt: version.publishedAt,
              noticeUrl: noticeUrl(model.id),
              lint: {
                errors: issues.filter((i) => i.severity === 'error').length,
                warnings: issues.filter((i) => i.severity === 'warning').length,
                issues,
              },
              versions: versions.map((v) => ({ ...v, url: versionUrl(model.id, v.number) })),
            };
          }),
        );
        return { declarations };
      },
    );

    app.post(
      '/declarations',
      {
        schema: {
          tags: ['declarations'],
          summary: 'Publish a declaration (YAML) as a new version',
          body: z.strictObject({
            source: z
              .string()
              .min(1, 'must be the declaration as YAML')
              .max(512 * 1024),
            effectiveDate: z.iso.date({ message: 'must be a date written YYYY-MM-DD' }).optional(),
          }),
        },
        onRequest: guard('policy:publish'),
      },
      async (request, reply) => {
        const result = await publishDeclaration(ctx, actorRef(actorOf(request)), request.body.source, {
          ...(request.body.effectiveDate ? { effectiveDate: request.body.effectiveDate } : {}),
        });
        await ctx.policies.refresh();
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    app.post(
      '/declarations/lint',
      {
        schema: {
          tags: ['declarations'],
          summary: 'Lint a declaration without publishing it',
          body: z.strictObject({ source: z.string().max(512 * 1024) }),
        },
        onRequest: guard('policy:read'),
      },
      (request) => {
        const { issues, contentHash } = lintSource(request.body.source);
        return { ok: !issues.some((i) => i.severity === 'error'), contentHash, issues };
      },
    );

    app.get(
      '/declarations/:id/versions',
      {
        schema: { tags: ['declarations'], summary: 'Every published version', params: idParam },
        onRequest: guard('policy:read'),
      },
      async (request) => ({
        versions: (await listVersions(ctx.store, request.params.id)).map((v) => ({
          ...v,
          url: versionUrl(v.declarationId, v.number),
        })),
      }),
    );

    app.get(
      '/declarations/:id/versions/:number',
      {
        schema: { tags: ['declarations'], summary: 'One version with its source', params: versionParams },
        onRequest: guard('policy:read'),
      },
      async (request) => {
        const { declaration: _d, ...version } = await getVersion(
          ctx.store,
          request.params.id,
          request.params.number,
        );
        return { version };
      },
    );

    app.get(
      '/declarations/:id/diff',
      {
        schema: {
          tags: ['declarations'],
          summary: 'What changed between two versions',
          params: idParam,
          querystring: z.strictObject({
            from: versionNumber,
            to: versionNumber,
          }),
        },
        onRequest: guard('policy:read'),
      },
      (request) => diffVersions(ctx.store, request.params.id, request.query.from, request.query.to),
    );

    app.get(
      '/declarations/:id/ropa',
      {
        schema: {
          tags: ['declarations'],
          summary: 'The Art. 30 record of processing of the version in force',
          params: idParam,
          querystring: z.strictObject({ format: z.enum(['json', 'csv', 'html']).default('json') }),
        },
        onRequest: guard('policy:read'),
      },
      async (request, reply) => {
        const { model } = await activeOrLatest(ctx, request.params.id);
        const format = request.query.format;
        const type =
          format === 'csv'
            ? 'text/csv; charset=utf-8'
            : format === 'html'
              ? 'text/html; charset=utf-8'
              : 'application/json; charset=utf-8';
        return reply.type(type).send(renderRopa(model, format));
      },
    );
  };
}

async function activeOrLatest(ctx: AppContext, id: string): Promise<{ model: PolicyModel; number: number }> {
  const active = ctx.policies.get(id);
  if (active !== undefined) return { model: active.model, number: active.version.number };
  const stored = await getVersion(ctx.store, id);
  return { model: new PolicyModel(stored.declaration), number: stored.number };
}

/** The public notice pages: current notice, archived versions at stable URLs, and their sources. */
export function noticeRoutes(ctx: AppContext): FastifyPluginAsync {
  const cache = new Map<string, string>();
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const formatQuery = z.strictObject({
      lang: z
        .string()
        .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
        .optional(),
      format: z.enum(['html', 'md']).default('html'),
    });

    const render = async (
      id: string,
      number: number | undefined,
      lang: string | undefined,
      format: 'html' | 'md',
    ) => {
      const stored = await getVersion(ctx.store, id, number);
      const first = stored.declaration.languages[0] ?? 'en';
      const offered = lang === undefined ? first : offeredLanguage(stored.declaration, lang);
      // A reader asking for a language the declaration does not offer gets its first language,
      // and the page says so; the choice is logged.
      const fallbackFrom = offered === undefined ? lang : undefined;
      const language = offered ?? first;
      if (fallbackFrom !== undefined) {
        ctx.log.info(
          { declaration: id, requested: fallbackFrom, shown: language },
          'notice language fallback',
        );
      }
      // Only the declared languages are cached: a fallback page names whatever was asked for.
      const key = `${id}@${stored.number}:${language}:${format}`;
      let text = fallbackFrom === undefined ? cache.get(key) : undefined;
      if (text === undefined) {
        text = renderNotice(new PolicyModel(stored.declaration), {
          format,
          language,
          ...(fallbackFrom === undefined ? {} : { fallbackFrom }),
          versionInfo: {
            version: stored.version,
            effectiveDate: stored.effectiveDate,
            contentHash: stored.contentHash,
            archiveUrl: `/privacy/${id}/versions`,
          },
          privacyCentreUrl: '/privacy-centre',
        });
        if (fallbackFrom === undefined) cache.set(key, text);
      }
      return text;
    };
    const contentType = (format: 'html' | 'md') =>
      format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8';

    app.get('/privacy', { schema: { hide: true }, config: notice }, async (_request, reply) => {
      await ctx.policies.refresh();
      const items = ctx.policies.list().map(({ model, version }) => ({
        url: noticeUrl(model.id),
        title: localise(model.declaration.title, model.declaration.languages[0] ?? 'en'),
        version: version.version,
        effectiveDate: version.effectiveDate,
      }));
      // The list spans declarations of several languages; it is in English until the page picks
      // the reader's language (issue 13, part 4).
      return reply.type('text/html; charset=utf-8').send(noticeListPage(items, 'en'));
    });

    app.get(
      '/privacy/:id',
      { schema: { hide: true, params: idParam, querystring: formatQuery }, config: notice },
      async (request, reply) => {
        const text = await render(
          request.params.id,
          ctx.policies.get(request.params.id)?.version.number,
          request.query.lang,
          request.query.format,
        );
        return reply.type(contentType(request.query.format)).send(text);
      },
    );

    app.get(
      '/privacy/:id/versions',
      { schema: { hide: true, params: idParam }, config: notice },
      async (request, reply) => {
        const versions = await listVersions(ctx.store, request.params.id);
        if (versions.length === 0) await getVersion(ctx.store, request.params.id);
        const items = versions.map((v) => ({
          number: v.number,
          url: versionUrl(v.declarationId, v.number),
          version: v.version,
          effectiveDate: v.effectiveDate,
          contentHash: v.contentHash,
        }));
        return reply.type('text/html; charset=utf-8').send(versionListPage(request.params.id, items, 'en'));
      },
    );

    app.get(
      '/privacy/:id/versions/:number',
      { schema: { hide: true, params: versionParams, querystring: formatQuery }, config: notice },
      async (request, reply) => {
        const text = await render(
          request.params.id,
          request.params.number,
          request.query.lang,
          request.query.format,
        );
        return reply.type(contentType(request.query.format)).send(text);
      },
    );

    app.get(
      '/privacy/:id/versions/:number/source',
      { schema: { hide: true, params: versionParams }, config: notice },
      async (request, reply) => {
        const stored = await getVersion(ctx.store, request.params.id, request.params.number);
        return reply
          .type('text/yaml; charset=utf-8')
          .header('x-content-hash', stored.contentHash)
          .send(stored.source);
      },
    );
  };
}
