/**
 * Published versions of datasets, like declarations' (policy/versions.ts): the files beside a
 * declaration are linted together with it and stored when their content hash changed, so every
 * process reads the same map of a system from the store, and earlier maps stay readable.
 */
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Declaration } from '../policy/schema.js';
import type { Store } from '../store/database.js';
import type { DatasetVersionTable } from '../store/schema.js';
import { transaction } from '../store/transaction.js';
import type { Dataset } from './dataset.js';
import type { DatasetLintIssue } from './lint-dataset.js';
import { lintDatasetFiles, parseDataset } from './lint-dataset.js';

export interface DatasetVersionInfo {
  readonly declarationId: string;
  readonly system: string;
  readonly number: number;
  readonly contentHash: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
  /** Who reviewed the map, and when; absent for a proposal, which connectors refuse. */
  readonly reviewed?: { readonly by: string; readonly on: string };
}

export interface StoredDataset extends DatasetVersionInfo {
  readonly source: string;
  readonly dataset: Dataset;
}

export interface DatasetPublishResult {
  readonly file: string;
  readonly version: DatasetVersionInfo;
  /** False when the latest version already had this content: nothing was stored. */
  readonly created: boolean;
  readonly warnings: readonly DatasetLintIssue[];
}

/** Lint errors of dataset files as one `policy_invalid` error, each with its file and line. */
export function datasetsInvalid(
  results: readonly { readonly file: string; readonly issues: readonly DatasetLintIssue[] }[],
): AppError {
  const errors = results.flatMap((r) =>
    r.issues.filter((i) => i.severity === 'error').map((i) => ({ file: r.file, issue: i })),
  );
  return new AppError(
    'policy_invalid',
    `The datasets have ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was published.`,
    errors.map(({ file, issue }) => ({
      path: `${file}${issue.path ? `#${issue.path}` : ''}`,
      message: `${issue.code}${issue.line ? ` (line ${issue.line})` : ''}: ${issue.message}. ${issue.hint}`,
    })),
  );
}

function toInfo(row: Omit<DatasetVersionTable, 'source'>): DatasetVersionInfo {
  return {
    declarationId: row.declaration_id,
    system: row.system,
    number: row.number,
    contentHash: row.content_hash,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
    ...(row.reviewed_by !== null && row.reviewed_on !== null
      ? { reviewed: { by: row.reviewed_by, on: row.reviewed_on } }
      : {}),
  };
}

/**
 * Lints the dataset files of one declaration together (so `sameAs` between them is checked) and
 * stores each whose content changed as a new version. One error in any file publishes nothing.
 */
export async function publishDatasets(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: string,
  declaration: Declaration,
  files: readonly { readonly file: string; readonly source: string }[],
): Promise<DatasetPublishResult[]> {
  const results = lintDatasetFiles(declaration, files);
  if (results.some((r) => r.dataset === undefined || r.issues.some((i) => i.severity === 'error')))
    throw datasetsInvalid(results);
  return transaction(ctx.store, async (tx) => {
    const published: DatasetPublishResult[] = [];
    for (const r of results) {
      const dataset = r.dataset as Dataset;
      const contentHash = r.contentHash as string;
      const warnings = r.issues.filter((i) => i.severity === 'warning');
      const latest = await tx
        .selectFrom('dataset_versions')
        .selectAll()
        .where('declaration_id', '=', declaration.id)
        .where('system', '=', dataset.system)
        .orderBy('number', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (latest !== undefined && latest.content_hash === contentHash) {
        published.push({ file: r.file, version: toInfo(latest), created: false, warnings });
        continue;
      }
      const row: DatasetVersionTable = {
        declaration_id: declaration.id,
        system: dataset.system,
        number: (latest?.number ?? 0) + 1,
        content_hash: contentHash,
        source: r.source,
        published_at: ctx.clock.now().toISOString(),
        published_by: actor,
        reviewed_by: dataset.reviewed?.by ?? null,
        reviewed_on: dataset.reviewed?.on ?? null,
      };
      await tx.insertInto('dataset_versions').values(row).execute();
      await appendAudit(tx, ctx.store.dialect, ctx.clock, {
        actor,
        action: 'dataset.published',
        target: `system:${dataset.system}`,
        details: {
          declarationId: declaration.id,
          number: row.number,
          contentHash,
          reviewed: dataset.reviewed ?? null,
        },
      });
      published.push({ file: r.file, version: toInfo(row), created: true, warnings });
    }
    return published;
  });
}

const infoColumns = [
  'declaration_id',
  'system',
  'number',
  'content_hash',
  'published_at',
  'published_by',
  'reviewed_by',
  'reviewed_on',
] as const;

/** The published versions of one system's dataset under one declaration, oldest first. */
export async function listDatasetVersions(
  store: Store,
  declarationId: string,
  system: string,
): Promise<DatasetVersionInfo[]> {
  const rows = await store.db
    .selectFrom('dataset_versions')
    .select(infoColumns)
    .where('declaration_id', '=', declarationId)
    .where('system', '=', system)
    .orderBy('number', 'asc')
    .execute();
  return rows.map(toInfo);
}

function stored(row: DatasetVersionTable): StoredDataset {
  const parsed = parseDataset(row.source);
  if (parsed.dataset === undefined)
    throw new Error(`Stored dataset ${row.declaration_id}/${row.system}#${row.number} no longer parses`);
  return { ...toInfo(row), source: row.source, dataset: parsed.dataset };
}

/** One version with its source and parsed dataset; `number` omitted means the latest. */
export async function getDatasetVersion(
  store: Store,
  declarationId: string,
  system: string,
  number?: number,
): Promise<StoredDataset> {
  let query = store.db
    .selectFrom('dataset_versions')
    .selectAll()
    .where('declaration_id', '=', declarationId)
    .where('system', '=', system);
  query =
    number === undefined ? query.orderBy('number', 'desc').limit(1) : query.where('number', '=', number);
  const row = await query.executeTakeFirst();
  if (row === undefined)
    throw new AppError(
      'not_found',
      number === undefined
        ? `System "${system}" has no published dataset.`
        : `System "${system}" has no dataset version ${number}.`,
    );
  return stored(row);
}

/** The latest dataset version of every system of the given declarations, parsed. */
export async function latestDatasets(
  store: Store,
  declarationIds: readonly string[],
): Promise<StoredDataset[]> {
  if (declarationIds.length === 0) return [];
  const latest = await store.db
    .selectFrom('dataset_versions')
    .select(['declaration_id', 'system', (eb) => eb.fn.max('number').as('number')])
    .where('declaration_id', 'in', declarationIds)
    .groupBy(['declaration_id', 'system'])
    .execute();
  const out: StoredDataset[] = [];
  for (const key of latest) {
    const row = await store.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('declaration_id', '=', key.declaration_id)
      .where('system', '=', key.system)
      .where('number', '=', Number(key.number))
      .executeTakeFirstOrThrow();
    out.push(stored(row));
  }
  return out;
}

/** A fingerprint of the latest dataset versions: cheap to read, changes when any is published. */
export async function datasetsFingerprint(store: Store): Promise<string> {
  const rows = await store.db
    .selectFrom('dataset_versions')
    .select(['declaration_id', 'system', (eb) => eb.fn.max('number').as('number')])
    .groupBy(['declaration_id', 'system'])
    .orderBy('declaration_id')
    .orderBy('system')
    .execute();
  return rows.map((r) => `${r.declaration_id}/${r.system}@${r.number}`).join(',');
}
