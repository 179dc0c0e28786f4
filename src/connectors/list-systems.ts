/**
 * What operators may read about connected systems: the list with each one's last check, and the
 * dataset maps (which tables hold which personal data, how each is erased). Never the connection
 * settings: only whether they exist.
 */
import type { Actor } from '../access/actor.js';
import { requirePermission } from '../access/actor.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { SystemCheck } from './check-system.js';
import { lastChecks } from './check-system.js';
import type { SystemEntry } from './contract.js';
import type { Dataset } from './dataset.js';
import type { DatasetVersionInfo } from './dataset-versions.js';
import { getDatasetVersion, listDatasetVersions } from './dataset-versions.js';

export interface SystemView extends SystemEntry {
  readonly lastCheck: SystemCheck | null;
}

type Ctx = Pick<AppContext, 'store' | 'systems'>;

/** Every declared system, configured or not, with its dataset in force and last check. */
export async function listSystems(ctx: Ctx, actor: Actor): Promise<SystemView[]> {
  requirePermission(actor, 'systems:read');
  await ctx.systems.refresh();
  const checks = await lastChecks(ctx.store);
  return ctx.systems.list().map((entry) => ({ ...entry, lastCheck: checks.get(entry.id) ?? null }));
}

async function declared(ctx: Ctx, actor: Actor, system: string): Promise<SystemEntry> {
  requirePermission(actor, 'systems:read');
  await ctx.systems.refresh();
  const entry = ctx.systems.list().find((s) => s.id === system);
  if (entry === undefined) throw notFound(`System "${system}"`);
  return entry;
}

export interface DatasetView {
  readonly system: string;
  readonly version: DatasetVersionInfo;
  readonly dataset: Dataset;
}

/**
 * A system's dataset: the version in force (the latest published; a proposal says so by having no
 * `reviewed`), or the version numbered `number`.
 */
export async function readDataset(
  ctx: Ctx,
  actor: Actor,
  system: string,
  number?: number,
): Promise<DatasetView> {
  const entry = await declared(ctx, actor, system);
  const {
    source: _source,
    dataset,
    ...version
  } = await getDatasetVersion(ctx.store, entry.declarationId, system, number);
  return { system, version, dataset };
}

/** The published versions of a system's dataset, oldest first. */
export async function datasetVersions(ctx: Ctx, actor: Actor, system: string): Promise<DatasetVersionInfo[]> {
  const entry = await declared(ctx, actor, system);
  return listDatasetVersions(ctx.store, entry.declarationId, system);
}
