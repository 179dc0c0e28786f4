/**
 * Data portability (GDPR Art. 20, C9.5) and direct transmission to another controller (C5m.1).
 *
 * What is portable is derived from the declaration as captured on each record: data the person
 * provided, which is a record from a `direct` source (they gave it) or an `observed` one (it
 * records their own use of our sites and messages, which the EDPB's guidelines on portability count
 * as provided), kept for at least one purpose whose legal basis was consent or contract. Data from
 * third parties, public sources, group companies or social networks, and data kept only on other
 * bases, is not portable (it is in the access package instead). Subscriptions the person made are
 * included: they are choices the person gave under consent.
 */
import { catalogLanguage, shippedLanguages } from '../i18n/messages.js';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import { connectedData } from '../execution/connected-data.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { transaction } from '../store/transaction.js';
import type { FileDescription, PackageInput, PackageOutput, PackageResult } from './access-package.js';
import {
  encodedChunks,
  ownSections,
  PackageZip,
  requestOf,
  schemaDocument,
  writeSections,
} from './access-package.js';
import type { OutboundFailure } from './outbound.js';
import { destinationProblem, OutboundError, postTo, problemText } from './outbound.js';
import { spoolBody } from './sized-body.js';
import type { RecordMeta, Row, SubjectDataOptions, SubjectSection } from './subject-data.js';
import { resolveSubjectRow } from './subject-data.js';

/** Source types whose data the person provided (Art. 20(1)). */
const providedSourceTypes: ReadonlySet<string> = new Set(['direct', 'observed']);
const portableBases: ReadonlySet<string> = new Set(['consent', 'contract']);

/** True when a record is portable: provided by the person, for a purpose on consent or contract. */
export function isPortable(record: RecordMeta): boolean {
  return (
    providedSourceTypes.has(record.sourceType) &&
    record.purposes.some((p) => p.basis !== null && portableBases.has(p.basis))
  );
}

function portableSections(ctx: AppContext, subjectId: string | null, input: Omit<PackageInput, 'subjectId'>) {
  const options: SubjectDataOptions = {
    language: input.lang,
    recordFilter: isPortable,
    sections: ['records', 'subscriptions'],
    ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
  };
  return ownSections(ctx, subjectId, options);
}

const readme = (controller: string, at: string) =>
  `Data you provided to ${controller}, exported ${at} for you to take elsewhere (GDPR Art. 20).\n\n` +
  'Each section is in two files with the same content: JSON (UTF-8) and CSV (RFC 4180, UTF-8, CRLF,\n' +
  'header row). schema.json describes every file and field. Dates are ISO 8601 in UTC.\n';

/**
 * Writes the portability package of one person to `out` and ends it: the records they provided
 * under consent or contract and their subscriptions, each as JSON and CSV, with `schema.json`.
 *
 * @throws AppError `not_found` when the subject is not in the partition asked for.
 */
export async function writePortabilityPackage(
  ctx: AppContext,
  input: PackageInput,
  out: PackageOutput,
): Promise<PackageResult> {
  // Resolves the subject, or the request of a person without one, before anything is written.
  let subjectId: string | null = null;
  if (input.subjectId === null) await requestOf(ctx, input);
  else subjectId = (await resolveSubjectRow(ctx.store.db, input.subjectId, input.tenant)).id;
  const controller = ctx.policies.list()[0]?.model.declaration.controller.name ?? 'us';
  const zip = new PackageZip(out, {
    date: ctx.clock.now(),
    ...(input.passphrase === undefined ? {} : { passphrase: input.passphrase }),
  });
  try {
    await zip.add('README.txt', [readme(controller, ctx.clock.now().toISOString().slice(0, 10))]);
    const written = await writeSections(zip, portableData(ctx, subjectId, input));
    const files: FileDescription[] = [
      { path: 'README.txt', format: 'json', description: 'What this package is.' },
      ...written.files,
      { path: 'schema.json', format: 'json', description: 'This description of the files.' },
    ];
    await zip.add('schema.json', [schemaDocument('portability', files)]);
    const count = zip.files;
    const bytes = await zip.close();
    return { files: count, records: written.records, bytes };
  } catch (error) {
    if (!(out instanceof WritableStream))
      out.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}

async function* sectionDocument(section: SubjectSection): AsyncGenerator<string> {
  yield `${JSON.stringify(section.id)}: {"description": ${JSON.stringify(section.description)}, "fields": ${JSON.stringify(section.fields.map(({ name, type, description }) => ({ name, type, description })))}, "count": ${section.count}, "rows": [`;
  let first = true;
  for await (const page of section.pages()) {
    yield `${first ? '\n' : ',\n'}${page.map((row: Row) => JSON.stringify(row)).join(',\n')}`;
    first = false;
  }
  yield '\n]}';
}

/**
 * Every section of the portability package: Steward's portable records and subscriptions, then,
 * for a request, what its connected systems hold in the collections planned as portable.
 */
async function* portableData(
  ctx: AppContext,
  subjectId: string | null,
  input: Omit<PackageInput, 'subjectId'>,
): AsyncGenerator<SubjectSection> {
  yield* portableSections(ctx, subjectId, input);
  if (input.requestId !== undefined)
    yield* (await connectedData(ctx, input.requestId, { lang: input.lang, portability: true })).sections();
}

/**
 * The portable data as one JSON document, streamed: `{ format, generatedAt, controller, sections:
 * { <id>: { description, fields, count, rows } } }`, the same sections as the package
 * (`portableData`). This is what `transmitPortability` sends.
 */
export async function* portabilityDocument(
  ctx: AppContext,
  subjectId: string | null,
  options: { tenant?: string; lang?: string; requestId?: string } = {},
): AsyncGenerator<string> {
  const controller = ctx.policies.list()[0]?.model.declaration.controller.name ?? null;
  yield `{"format": "steward-portability", "version": 1, "generatedAt": ${JSON.stringify(ctx.clock.now().toISOString())}, "controller": ${JSON.stringify(controller)}, "sections": {`;
  let first = true;
  for await (const section of portableData(ctx, subjectId, {
    lang: options.lang ?? 'en',
    ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
  })) {
    yield first ? '\n' : ',\n';
    yield* sectionDocument(section);
    first = false;
  }
  yield '\n}}\n';
}

export const transmitInput = z.strictObject({
  /** Steward's subject; absent for a person only the request's connected systems hold. */
  subjectId: z.string().min(1).optional(),
  /** The request the data answers: its connected systems' portable rows go too. */
  requestId: z.string().min(1).optional(),
  /** Language of the sections' descriptions: one Steward ships wording in (`en`, `sv`). */
  lang: z
    .string()
    .min(2)
    .max(10)
    .refine((l) => catalogLanguage(l) !== undefined, {
      message: `must be a language Steward has wording in: ${shippedLanguages.join(', ')}`,
    })
    .default('en'),
  endpoint: z.url({ message: 'must be an absolute URL such as https://receiver.example/import' }),
  /** An Authorization header value the receiving controller gave the person, if it needs one. */
  authorization: z.string().max(4096).optional(),
  /** The request this transmission fulfils, for the audit entry. */
  requestReference: z.string().max(100).optional(),
  tenant: z.string().max(300).optional(),
  timeoutMs: z.number().int().min(1000).max(300_000).default(60_000),
});

export type TransmitResult =
  | { readonly ok: true; readonly status: number; readonly bytes: number; readonly host: string }
  | {
      readonly ok: false;
      readonly reason: 'rejected' | OutboundFailure;
      readonly status: number | null;
      readonly bytes: number;
      readonly host: string;
    };

/**
 * The endpoint if personal data may be sent there (`destinationProblem`).
 *
 * @throws AppError `validation_failed` naming the problem.
 */
export function checkedEndpoint(ctx: AppContext, raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError('validation_failed', 'The endpoint is not a URL.', [
      { path: 'endpoint', message: 'must be an absolute URL such as https://receiver.example/import' },
    ]);
  }
  const found = destinationProblem(url, ctx.config.transmitAllowedHosts);
  const problem = found === undefined ? undefined : problemText(found);
  if (problem !== undefined)
    throw new AppError('validation_failed', `The endpoint ${problem}.`, [
      { path: 'endpoint', message: problem },
    ]);
  return url;
}

/**
 * Sends the person's portable data (`portabilityDocument`) to another controller's endpoint on
 * their instruction (C5m.1): one `POST` of `application/json`, streamed, with a timeout, only
 * where `outbound.ts` lets personal data go (HTTPS, public addresses, no redirects). The
 * transmission is written to the audit ledger with the endpoint's host, the bytes sent and the
 * response status, never the data. A refusal or failure of the receiver is an outcome, not an
 * exception.
 *
 * @throws AppError `validation_failed` for an endpoint personal data may not go to.
 */
export async function transmitPortability(
  ctx: AppContext,
  actorRef: string,
  raw: z.input<typeof transmitInput>,
): Promise<TransmitResult> {
  const input = transmitInput.parse(raw);
  const url = checkedEndpoint(ctx, input.endpoint);
  const subjectId =
    input.subjectId === undefined
      ? null
      : (await resolveSubjectRow(ctx.store.db, input.subjectId, input.tenant)).id;
  if (subjectId === null && input.requestId === undefined)
    throw new AppError('validation_failed', 'Name the subject or the request whose data is to be sent.', [
      { path: 'subjectId', message: 'required without a requestId' },
    ]);
  const document = portabilityDocument(ctx, subjectId, {
    lang: input.lang,
    ...(input.tenant === undefined ? {} : { tenant: input.tenant }),
    ...(input.requestId === undefined ? {} : { requestId: input.requestId }),
  });
  const body = await spoolBody(encodedChunks(document));
  const bytes = body.length;
  let result: TransmitResult;
  try {
    const status = await postTo(url, {
      headers: {
        'content-type': 'application/json; charset=utf-8',
        ...(input.authorization === undefined ? {} : { authorization: input.authorization }),
      },
      body,
      timeoutMs: input.timeoutMs,
      allowedHosts: ctx.config.transmitAllowedHosts,
    });
    result =
      status >= 200 && status < 300
        ? { ok: true, status, bytes, host: url.host }
        : { ok: false, reason: 'rejected', status, bytes, host: url.host };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    result = { ok: false, reason: error.reason, status: null, bytes, host: url.host };
  } finally {
    await body.remove();
  }
  await transaction(ctx.store, (tx) =>
    appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: actorRef,
      action: result.ok ? 'portability.transmitted' : 'portability.transmission_failed',
      target: subjectId === null ? `request:${input.requestId}` : `subject:${subjectId}`,
      details: {
        host: url.host,
        bytes: result.bytes,
        status: result.status,
        ...(result.ok ? {} : { reason: result.reason }),
        ...(input.requestReference === undefined ? {} : { request: input.requestReference }),
      },
    }),
  );
  return result;
}
