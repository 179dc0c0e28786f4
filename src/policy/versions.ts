/**
 * Published versions of declarations (CV.1). Publishing stores the source with its effective date
 * and content hash; earlier versions stay readable; any two can be compared.
 */
import { createTwoFilesPatch } from 'diff';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { Store } from '../store/database.js';
import { transaction } from '../store/transaction.js';
import type { LintIssue } from './lint.js';
import { lintSource } from './lint.js';
import type { Declaration } from './schema.js';

export interface VersionInfo {
  readonly declarationId: string;
  readonly number: number;
  readonly version: string;
  readonly effectiveDate: string;
  readonly contentHash: string;
  readonly publishedAt: string;
  readonly publishedBy: string;
}

export interface PublishResult {
  readonly version: VersionInfo;
  /** False when the latest version already had this content: nothing was stored. */
  readonly created: boolean;
  readonly warnings: readonly LintIssue[];
}

/** Turns lint errors into one `policy_invalid` error that lists each with its path. */
export function policyInvalid(issues: readonly LintIssue[]): AppError {
  const errors = issues.filter((i) => i.severity === 'error');
  return new AppError(
    'policy_invalid',
    `The declaration has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was published.`,
    errors.map((i) => ({
      path: i.path,
      message: `${i.code}${i.line ? ` (line ${i.line})` : ''}: ${i.message}. ${i.hint}`,
    })),
  );
}

/** Lints and stores a declaration as a new version, unless the latest version has the same content. */
export async function publishDeclaration(
  ctx: Pick<AppContext, 'store' | 'clock'>,
  actor: string,
  source: string,
  options: { effectiveDate?: string } = {},
): Promise<PublishResult> {
  const lint = lintSource(source);
  if (
    lint.declaration === undefined ||
    lint.contentHash === undefined ||
    lint.issues.some((i) => i.severity === 'error')
  ) {
    throw policyInvalid(lint.issues);
  }
  const declaration = lint.declaration;
  const contentHash = lint.contentHash;
  const warnings = lint.issues.filter((i) => i.severity === 'warning');
  return transaction(ctx.store, async (tx) => {
    const latest = await tx
      .selectFrom('policy_versions')
      .selectAll()
      .where('declaration_id', '=', declaration.id)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest !== undefined && latest.content_hash === contentHash && options.effectiveDate === undefined) {
      return { version: toInfo(latest), created: false, warnings };
    }
    const row = {
      declaration_id: declaration.id,
      number: (latest?.number ?? 0) + 1,
      version_label: declaration.version,
      effective_date: options.effectiveDate ?? declaration.effectiveDate,
      content_hash: contentHash,
      source,
      published_at: ctx.clock.now().toISOString(),
      published_by: actor,
    };
    await tx.insertInto('policy_versions').values(row).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor,
      action: 'policy.published',
      target: `declaration:${declaration.id}`,
      details: {
        number: row.number,
        version: row.version_label,
        contentHash,
        effectiveDate: row.effective_date,
      },
    });
    return { version: toInfo(row), created: true, warnings };
  });
}

interface VersionRow {
  declaration_id: string;
  number: number;
  version_label: string;
  effective_date: string;
  content_hash: string;
  published_at: string;
  published_by: string;
}

function toInfo(row: VersionRow): VersionInfo {
  return {
    declarationId: row.declaration_id,
    number: row.number,
    version: row.version_label,
    effectiveDate: row.effective_date,
    contentHash: row.content_hash,
    publishedAt: row.published_at,
    publishedBy: row.published_by,
  };
}

export async function listVersions(store: Store, declarationId: string): Promise<VersionInfo[]> {
  const rows = await store.db
    .selectFrom('policy_versions')
    .select([
      'declaration_id',
      'number',
      'version_label',
      'effective_date',
      'content_hash',
      'published_at',
      'published_by',
    ])
    .where('declaration_id', '=', declarationId)
    .orderBy('number', 'asc')
    .execute();
  return rows.map(toInfo);
}

export interface StoredVersion extends VersionInfo {
  readonly source: string;
  readonly declaration: Declaration;
}

/** One version with its source; `number` omitted means the latest. */
export async function getVersion(
  store: Store,
  declarationId: string,
  number?: number,
): Promise<StoredVersion> {
  let query = store.db.selectFrom('policy_versions').selectAll().where('declaration_id', '=', declarationId);
  query =
    number === undefined ? query.orderBy('number', 'desc').limit(1) : query.where('number', '=', number);
  const row = await query.executeTakeFirst();
  if (row === undefined) {
    throw new AppError(
      'not_found',
      number === undefined
        ? `Declaration "${declarationId}" has no published version.`
        : `Declaration "${declarationId}" has no version ${number}.`,
    );
  }
  const lint = lintSource(row.source);
  if (lint.declaration === undefined)
    throw new Error(`Stored version ${declarationId}#${row.number} no longer parses`);
  return { ...toInfo(row), source: row.source, declaration: lint.declaration };
}

/** The ids of every declaration that has a published version. */
export async function declarationIds(store: Store): Promise<string[]> {
  const rows = await store.db
    .selectFrom('policy_versions')
    .select('declaration_id')
    .distinct()
    .orderBy('declaration_id')
    .execute();
  return rows.map((r) => r.declaration_id);
}

export interface SectionChange {
  readonly section: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

export interface VersionDiff {
  readonly from: VersionInfo;
  readonly to: VersionInfo;
  /** Entries added, removed or changed, by id, per section of the declaration. */
  readonly sections: readonly SectionChange[];
  /** Unified diff of the two source files. */
  readonly patch: string;
}

const listSections = [
  'services',
  'subjectCategories',
  'dataCategories',
  'sources',
  'purposes',
  'recipients',
  'systems',
  'retention',
  'collectionPoints',
  'communications',
] as const;

/** What changed between two declarations, entry by entry. */
export function diffDeclarations(a: Declaration, b: Declaration): SectionChange[] {
  const changes: SectionChange[] = [];
  const keyOf = (entry: object): string =>
    'id' in entry ? String(entry.id) : 'key' in entry ? String(entry.key) : JSON.stringify(entry);
  const compare = (section: string, left: readonly object[], right: readonly object[]) => {
    const l = new Map(left.map((e) => [keyOf(e), JSON.stringify(e)]));
    const r = new Map(right.map((e) => [keyOf(e), JSON.stringify(e)]));
    const added = [...r.keys()].filter((k) => !l.has(k));
    const removed = [...l.keys()].filter((k) => !r.has(k));
    const changed = [...r.keys()].filter((k) => l.has(k) && l.get(k) !== r.get(k));
    if (added.length + removed.length + changed.length > 0)
      changes.push({ section, added, removed, changed });
  };
  for (const section of listSections) compare(section, a[section], b[section]);
  compare(
    'cookies',
    a.cookies.items.map((c) => ({ id: c.name, ...c })),
    b.cookies.items.map((c) => ({ id: c.name, ...c })),
  );
  for (const section of ['controller', 'rights', 'children', 'analytics', 'statistics', 'gpc'] as const) {
    if (JSON.stringify(a[section]) !== JSON.stringify(b[section]))
      changes.push({ section, added: [], removed: [], changed: [section] });
  }
  return changes;
}

export async function diffVersions(
  store: Store,
  declarationId: string,
  from: number,
  to: number,
): Promise<VersionDiff> {
  const [a, b] = await Promise.all([
    getVersion(store, declarationId, from),
    getVersion(store, declarationId, to),
  ]);
  const { source: sa, declaration: da, ...infoA } = a;
  const { source: sb, declaration: db, ...infoB } = b;
  return {
    from: infoA,
    to: infoB,
    sections: diffDeclarations(da, db),
    patch: createTwoFilesPatch(`${declarationId}@${from}`, `${declarationId}@${to}`, sa, sb),
  };
}
