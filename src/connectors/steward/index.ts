/**
 * Steward's own data as a connector of the same contract as every connected system, so the
 * execution engine plans and runs a request over it like over any other. Its collections are
 * the sections of a person's data (`subject-data.ts`); the person is `seeds.subjectId`.
 *
 * Steward changes a person's data as a whole, through its use cases: erasure is `eraseSubject`
 * (which keeps what legal holds and legal obligations keep, and says why), restriction is
 * `restrictSubject`. So changes go through the `subject` collection only (`WHOLE_PERSON`); the
 * plan gives this system one change step. Masking and updating rows one by one are not offered:
 * a correction to Steward's data is a person's judgement, applied on the subject page.
 */
import type { Actor } from '../../access/actor.js';
import type { Permission } from '../../access/roles.js';
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { eraseSubject } from '../../rights/erase-subject.js';
import { restrictSubject } from '../../rights/restrict-subject.js';
import type { SubjectSection } from '../../rights/subject-data.js';
import { subjectSections } from '../../rights/subject-data.js';
import type {
  Capabilities,
  ChangeAction,
  ChangeOptions,
  ChangeResult,
  CheckResult,
  Connector,
  FieldValue,
  Introspection,
  Page,
  ReadOptions,
  Row,
  Seeds,
} from '../contract.js';
import { ConnectorError, pagesByRead } from '../contract.js';
import type { Dataset, DatasetInput } from '../dataset.js';
import { datasetSchema } from '../dataset.js';

/** Steward's own data, as a system in a request's plan. */
export const STEWARD_SYSTEM = 'steward';

/** The collection through which Steward changes a person's data as a whole. */
export const WHOLE_PERSON = 'subject';

export const stewardCapabilities: Capabilities = {
  read: true,
  delete: true,
  mask: false,
  update: false,
  restrict: true,
  introspect: false,
  sweep: false,
};

const field = (name: string, category?: string, extra: Record<string, unknown> = {}) => ({
  name,
  ...(category === undefined ? {} : { category }),
  ...extra,
});

const input: DatasetInput = {
  steward: 1,
  kind: 'dataset',
  system: STEWARD_SYSTEM,
  reviewed: { by: 'Steward', on: '2026-12-01' },
  collections: [
    {
      name: 'subject',
      description: 'You as Steward knows you: the jurisdiction whose rules apply and the flags on your data.',
      primaryKey: ['id'],
      restriction: { field: 'restricted', value: true },
      fields: [
        field('id', 'user.unique_id'),
        field('partition'),
        field('jurisdiction'),
        field('child', 'user.demographic.age'),
        field('restricted'),
        field('objectedAt', 'user.consent'),
        field('createdAt'),
        field('updatedAt'),
      ],
    },
    {
      name: 'identifiers',
      description: 'The email addresses, phone numbers and other identifiers we know you by.',
      primaryKey: ['id'],
      fields: [
        field('id'),
        field('kind'),
        field('value', 'user.contact', { identity: 'email' }),
        field('createdAt'),
      ],
    },
    {
      name: 'records',
      description: 'What was collected, when, from where, for which purposes, and until when it is kept.',
      primaryKey: ['id'],
      fields: [
        field('id'),
        field('kind'),
        field('collectedAt'),
        field('expiresAt'),
        field('purposes'),
        field('categories'),
        field('sourceId'),
        field('sourceType'),
        field('sourceName'),
        field('collectionPoint'),
        field('declarationId'),
        field('declarationVersion'),
        field('data', 'user'),
      ],
    },
    {
      name: 'consent_events',
      description: 'Every consent given or withdrawn, with what was shown, where and when.',
      primaryKey: ['id'],
      fields: [
        field('id'),
        field('at'),
        field('event', 'user.consent'),
        field('targetKind'),
        field('targetId'),
        field('declarationId'),
        field('declarationVersion'),
        field('noticeHash'),
        field('channel'),
        field('element'),
        field('identifierId'),
        field('ip', 'user.device.ip_address'),
        field('userAgent', 'user.device.browser'),
        field('gpc', 'user.consent'),
        field('jurisdiction'),
      ],
    },
    {
      name: 'subscriptions',
      description: 'The newsletters and other messages signed up for.',
      primaryKey: ['id'],
      fields: [
        field('id'),
        field('declarationId'),
        field('communicationId', 'user.consent'),
        field('state', 'user.consent'),
        field('identifierId'),
        field('sender'),
        field('createdAt'),
        field('confirmedAt'),
        field('updatedAt'),
      ],
    },
    {
      name: 'notice_tasks',
      description:
        'Data received from someone else, for which a notice is owed (Art. 14), and whether it was sent.',
      primaryKey: ['recordId'],
      fields: [
        field('recordId'),
        field('sourceId'),
        field('dueAt'),
        field('status'),
        field('closedAt'),
        field('note'),
      ],
    },
    {
      name: 'suppressions',
      description: 'Blocks on messages to the person’s addresses; the address itself is only a keyed hash.',
      primaryKey: ['declarationId', 'scope', 'reason', 'createdAt'],
      fields: [field('declarationId'), field('scope'), field('reason', 'user.consent'), field('createdAt')],
    },
    {
      name: 'requests',
      description: 'The requests about their rights the person made.',
      primaryKey: ['reference'],
      fields: [
        field('reference', 'user.unique_id'),
        field('type'),
        field('status'),
        field('receivedAt'),
        field('dueAt'),
        field('extendedTo'),
        field('closedAt'),
      ],
    },
  ],
};

/** The dataset of Steward's own data: what each section holds, described like any system's. */
export const stewardDataset: Dataset = datasetSchema.parse(input);

const sectionOf: Record<string, SubjectSection['section']> = {
  subject: 'subject',
  identifiers: 'identifiers',
  records: 'records',
  consent_events: 'consent_events',
  subscriptions: 'subscriptions',
  notice_tasks: 'notice_tasks',
  suppressions: 'suppressions',
  requests: 'requests',
};

const DEFAULT_LIMIT = 500;
const MAX_LIMIT = 5000;

export interface StewardConnectorOptions {
  /** The request the work is for: named in the audit entries of the changes. */
  readonly requestId?: string;
  readonly reference?: string;
}

/** Steward's own data for one request's work. Cheap to make: it holds nothing but the context. */
export function stewardConnector(ctx: AppContext, settings: StewardConnectorOptions = {}): Connector {
  const actor: Actor = {
    kind: 'system',
    id: settings.requestId === undefined ? 'execution' : `request:${settings.requestId}`,
    name: settings.reference === undefined ? 'request execution' : `fulfilment of ${settings.reference}`,
    permissions: new Set<Permission>(['requests:manage']),
  };
  const request = settings.requestId === undefined ? {} : { requestId: settings.requestId };

  const collectionOf = (name: string) => {
    const section = sectionOf[name];
    if (section === undefined)
      throw new ConnectorError(
        STEWARD_SYSTEM,
        'schema_mismatch',
        `Steward's data has no collection ${name}.`,
      );
    return section;
  };

  /** The sections of one collection for the person; none when Steward does not hold them. */
  async function* sections(seeds: Seeds, collection: string): AsyncGenerator<SubjectSection> {
    const section = collectionOf(collection);
    if (seeds.subjectId === undefined) return;
    try {
      for await (const s of subjectSections(ctx, seeds.subjectId, { sections: [section] })) yield s;
    } catch (error) {
      if (error instanceof AppError && error.code === 'not_found') return;
      throw error;
    }
  }

  async function* rows(seeds: Seeds, collection: string): AsyncGenerator<readonly Row[]> {
    for await (const s of sections(seeds, collection)) if (s.count > 0) yield* s.pages();
  }

  const keyOf = (collection: string, row: Row): FieldValue[] =>
    stewardDataset.collections
      .find((c) => c.name === collection)!
      .primaryKey.map((k) => (row[k] ?? null) as FieldValue);
  const sameKey = (a: readonly FieldValue[], b: readonly FieldValue[]) =>
    a.length === b.length && a.every((v, i) => String(v) === String(b[i]));

  async function count(seeds: Seeds): Promise<ReadonlyMap<string, number>> {
    const counts = new Map<string, number>();
    for (const name of Object.keys(sectionOf))
      for await (const s of sections(seeds, name))
        if (s.count > 0) counts.set(name, (counts.get(name) ?? 0) + s.count);
    return counts;
  }

  const connector: Connector = {
    system: STEWARD_SYSTEM,
    kind: 'steward',
    capabilities: stewardCapabilities,
    dataset: stewardDataset,
    check: (): Promise<CheckResult> => Promise.resolve({ ok: true, server: 'Steward', latencyMs: 0 }),
    introspect(): Promise<Introspection> {
      return Promise.reject(
        new ConnectorError(STEWARD_SYSTEM, 'refused', 'Steward’s own data is described by its dataset.'),
      );
    },
    sample: () => Promise.resolve([]),
    count,

    /** Rows in the sections' stable order; `after` is the key of the last row read. */
    async read(seeds: Seeds, collection: string, options: ReadOptions = {}): Promise<Page> {
      const limit = Math.min(Math.max(options.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT);
      const out: Row[] = [];
      let passed = options.after === undefined;
      let more = false;
      const pick = (row: Row): Row =>
        options.fields === undefined
          ? row
          : Object.fromEntries(options.fields.map((f) => [f, row[f] ?? null]));
      outer: for await (const page of rows(seeds, collection)) {
        for (const row of page) {
          if (!passed) {
            passed = sameKey(keyOf(collection, row), options.after ?? []);
            continue;
          }
          if (out.length === limit) {
            more = true;
            break outer;
          }
          out.push(pick(row));
        }
      }
      const last = out[out.length - 1];
      return more && last !== undefined ? { rows: out, next: keyOf(collection, last) } : { rows: out };
    },

    pages(seeds: Seeds, collection: string, options?: ReadOptions) {
      return pagesByRead(connector, seeds, collection, options);
    },

    async values(seeds: Seeds, collection: string, name: string, limit: number): Promise<FieldValue[]> {
      const found: FieldValue[] = [];
      for await (const page of rows(seeds, collection))
        for (const row of page) {
          const value = row[name];
          if (value === null || value === undefined || typeof value === 'object') continue;
          found.push(value as FieldValue);
          if (found.length >= limit) return found;
        }
      return found;
    },

    async change(
      seeds: Seeds,
      collection: string,
      action: ChangeAction,
      options: ChangeOptions = {},
    ): Promise<ChangeResult> {
      if (collection !== WHOLE_PERSON || (action.action !== 'delete' && action.action !== 'restrict'))
        throw new ConnectorError(
          STEWARD_SYSTEM,
          'refused',
          `Steward erases or restricts a person's data as a whole, through the ${WHOLE_PERSON} collection; ${action.action} on ${collection} is done by a person on the subject page.`,
        );
      const held = seeds.subjectId === undefined ? new Map<string, number>() : await count(seeds);
      const matched = [...held.values()].reduce((a, b) => a + b, 0);
      if (options.dryRun === true || seeds.subjectId === undefined || matched === 0)
        return { matched, changed: 0, batches: 0 };
      let result: ChangeResult;
      if (action.action === 'delete') {
        const erased = await eraseSubject(ctx, actor, {
          subjectId: seeds.subjectId,
          ...request,
          withhold: [...(action.withhold ?? [])],
        });
        const changed = Object.values(erased.erased).reduce((a, b) => a + b, 0);
        result = {
          matched,
          changed,
          batches: 1,
          kept: erased.kept.map((k) => ({
            collection: k.what === 'consent_events' ? 'consent_events' : k.what,
            count: k.count,
            categories: k.categories,
            reason: k.reason,
            explanation: k.explanation,
            ...(k.purpose === undefined ? {} : { purpose: k.purpose }),
            ...(k.until === undefined ? {} : { until: k.until }),
          })),
        };
      } else {
        const restricted = await restrictSubject(ctx, actor, { subjectId: seeds.subjectId, ...request });
        result = { matched, changed: restricted.changed ? 1 : 0, batches: 1 };
      }
      // One transaction for the whole person: nothing to resume from, so no cursor.
      // A re-run after a kill finds the person already erased: the count is carried on.
      result = { ...result, changed: result.changed + (options.resume?.changed ?? 0) };
      await options.onBatch?.({ changed: result.changed, cursor: [], matched });
      return result;
    },
    sweep: () =>
      Promise.reject(
        new ConnectorError(
          STEWARD_SYSTEM,
          'refused',
          "Steward's own data is swept by the retention engine over its store, not through a connector.",
        ),
      ),
    close: () => Promise.resolve(),
  };
  return connector;
}
