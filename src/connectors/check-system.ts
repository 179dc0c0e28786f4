/**
 * Checks that Steward reaches a connected system (connect, one trivial query) and keeps the
 * outcome, so every process and the console show the same last check. The answer carries the
 * server's version and the latency, or what went wrong, never the connection settings.
 */
import type { Actor } from '../access/actor.js';
import { actorRef, requirePermission } from '../access/actor.js';
import { appendAudit } from '../audit/ledger.js';
import type { AppContext } from '../context.js';
import { notFound } from '../errors.js';
import type { Store } from '../store/database.js';
import { transaction } from '../store/transaction.js';
import type { CheckResult } from './contract.js';
import { ConnectorError } from './contract.js';

export interface SystemCheck {
  readonly system: string;
  readonly checkedAt: string;
  readonly checkedBy: string;
  readonly ok: boolean;
  /** Server product and version, when it answered. */
  readonly server?: string;
  readonly latencyMs?: number;
  /** What went wrong, secrets removed. */
  readonly error?: string;
}

/** Connects to the system and runs its check; a refusal (no settings, no reviewed dataset) is a failed check. */
export async function checkSystem(
  ctx: Pick<AppContext, 'store' | 'clock' | 'systems'>,
  actor: Actor,
  system: string,
): Promise<SystemCheck> {
  requirePermission(actor, 'systems:manage');
  await ctx.systems.refresh();
  if (!ctx.systems.list().some((s) => s.id === system)) throw notFound(`System "${system}"`);
  let result: CheckResult;
  try {
    result = await (await ctx.systems.connector(system)).check();
  } catch (error) {
    // Connectors never throw from check(); this is the registry's refusal, already secret-free.
    if (!(error instanceof ConnectorError)) throw error;
    result = { ok: false, error: error.message };
  }
  const check: SystemCheck = {
    system,
    checkedAt: ctx.clock.now().toISOString(),
    checkedBy: actorRef(actor),
    ...(result.ok
      ? { ok: true, server: result.server, latencyMs: Math.round(result.latencyMs) }
      : { ok: false, error: result.error }),
  };
  const row = {
    system,
    checked_at: check.checkedAt,
    checked_by: check.checkedBy,
    ok: check.ok ? 1 : 0,
    server: check.server ?? null,
    latency_ms: check.latencyMs ?? null,
    error: check.error ?? null,
  };
  await transaction(ctx.store, async (tx) => {
    await tx.deleteFrom('system_checks').where('system', '=', system).execute();
    await tx.insertInto('system_checks').values(row).execute();
    await appendAudit(tx, ctx.store.dialect, ctx.clock, {
      actor: check.checkedBy,
      action: 'system.checked',
      target: `system:${system}`,
      details: { ok: check.ok, ...(check.server !== undefined ? { server: check.server } : {}) },
    });
  });
  return check;
}

/** The last check of each system that has one, by system id. */
export async function lastChecks(store: Store): Promise<Map<string, SystemCheck>> {
  const rows = await store.db.selectFrom('system_checks').selectAll().execute();
  return new Map(
    rows.map((r) => [
      r.system,
      {
        system: r.system,
        checkedAt: r.checked_at,
        checkedBy: r.checked_by,
        ok: r.ok === 1,
        ...(r.server !== null ? { server: r.server } : {}),
        ...(r.latency_ms !== null ? { latencyMs: Number(r.latency_ms) } : {}),
        ...(r.error !== null ? { error: r.error } : {}),
      },
    ]),
  );
}
