/**
 * The declarations in force: for each declaration id, its latest published version, parsed once.
 * Every process reads them from the store, so a version published by one process (or the CLI)
 * reaches the others at their next `refresh()`.
 */
import type { Store } from '../store/database.js';
import { PolicyModel } from './model.js';
import type { VersionInfo } from './versions.js';
import { getVersion } from './versions.js';

export interface ActiveDeclaration {
  readonly model: PolicyModel;
  readonly version: VersionInfo;
}

export class PolicyRegistry {
  private active = new Map<string, ActiveDeclaration>();
  private fingerprint = '';

  constructor(private readonly store: Store) {}

  /** Reloads when any declaration has a new version; cheap when nothing changed. */
  async refresh(): Promise<void> {
    const latest = await this.store.db
      .selectFrom('policy_versions')
      .select(['declaration_id', (eb) => eb.fn.max('number').as('number')])
      .groupBy('declaration_id')
      .orderBy('declaration_id')
      .execute();
    const fingerprint = latest.map((r) => `${r.declaration_id}@${r.number}`).join(',');
    if (fingerprint === this.fingerprint) return;
    const next = new Map<string, ActiveDeclaration>();
    for (const row of latest) {
      const stored = await getVersion(this.store, row.declaration_id, Number(row.number));
      const { source: _source, declaration, ...version } = stored;
      next.set(row.declaration_id, { model: new PolicyModel(declaration), version });
    }
    this.active = next;
    this.fingerprint = fingerprint;
  }

  list(): ActiveDeclaration[] {
    return [...this.active.values()];
  }

  get(id: string): ActiveDeclaration | undefined {
    return this.active.get(id);
  }
}
