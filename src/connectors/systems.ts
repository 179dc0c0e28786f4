/**
 * The connected systems of the app context (`ctx.systems`): every system the declarations in
 * force declare, with whether it has connection settings and which dataset version is in force,
 * and each system's connector, created once from its settings and its reviewed dataset and
 * closed with the context. A system without settings, without a reviewed dataset, or of a kind
 * this build has no connector for gets no connector: the refusal is a `ConnectorError` that
 * says what to do and never contains the connection URL.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { systemSettingsFor, systemUrlVariable } from '../config.js';
import { deriveKey } from '../crypto.js';
import type { PolicyRegistry } from '../policy/registry.js';
import { localise } from '../policy/text.js';
import type { Store } from '../store/database.js';
import type { Connector, ConnectorFactory, MaskKeys, SystemEntry, SystemRegistry } from './contract.js';
import { ConnectorError, redactSecrets } from './contract.js';
import type { Dataset } from './dataset.js';
import type { StoredDataset } from './dataset-versions.js';
import { datasetsFingerprint, latestDatasets } from './dataset-versions.js';
import { connectorFactories } from './registry.js';

/** The masking keys of one system: derived from the root secret, different for every system. */
export function maskKeysFor(secret: Buffer, system: string): MaskKeys {
  return { hash: deriveKey(secret, `systems:${system}:mask-hash`) };
}

interface Known {
  readonly entry: SystemEntry;
  /** The latest published dataset of the system under its declaration. */
  readonly dataset?: StoredDataset;
}

export interface SystemsDeps {
  readonly store: Store;
  readonly config: Pick<Config, 'systems' | 'secret'>;
  readonly policies: PolicyRegistry;
  readonly log: Logger;
}

/** The `SystemRegistry` of the app context. */
export class Systems implements SystemRegistry {
  private known = new Map<string, Known>();
  private fingerprint: string | undefined;
  private readonly connectors = new Map<
    string,
    { readonly number: number; readonly connector: Promise<Connector> }
  >();
  private readonly scanners: Promise<Connector>[] = [];
  private closed = false;

  /** `factories` defaults to the registry of connector kinds. */
  constructor(
    private readonly deps: SystemsDeps,
    private readonly factories: Readonly<Record<string, ConnectorFactory>> = connectorFactories,
  ) {}

  async refresh(): Promise<void> {
    await this.deps.policies.refresh();
    const active = this.deps.policies.list();
    const fingerprint = `${active.map((a) => `${a.model.id}@${a.version.number}`).join(',')};${await datasetsFingerprint(this.deps.store)}`;
    if (fingerprint === this.fingerprint) return;
    const datasets = await latestDatasets(
      this.deps.store,
      active.map((a) => a.model.id),
    );
    const next = new Map<string, Known>();
    for (const { model } of [...active].sort((a, b) => a.model.id.localeCompare(b.model.id))) {
      const d = model.declaration;
      for (const system of d.systems) {
        if (next.has(system.id)) {
          this.deps.log.warn(
            { system: system.id, declaration: d.id, declaredBy: next.get(system.id)?.entry.declarationId },
            'a system id is declared by two declarations; the first one is used',
          );
          continue;
        }
        const dataset = datasets.find((x) => x.declarationId === d.id && x.system === system.id);
        const entry: SystemEntry = {
          id: system.id,
          kind: system.kind,
          declarationId: d.id,
          name: localise(system.name, d.languages[0] ?? 'en'),
          configured: systemSettingsFor(this.deps.config, system.id) !== undefined,
          ...(dataset?.reviewed !== undefined
            ? { datasetVersion: dataset.number, reviewed: dataset.reviewed }
            : dataset !== undefined
              ? { datasetProposal: dataset.number }
              : {}),
        };
        next.set(system.id, { entry, ...(dataset !== undefined ? { dataset } : {}) });
      }
    }
    this.known = next;
    this.fingerprint = fingerprint;
  }

  list(): readonly SystemEntry[] {
    return [...this.known.values()].map((k) => k.entry).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** The dataset in force of a declared system (reviewed or a proposal), if one is published. */
  dataset(system: string): StoredDataset | undefined {
    return this.known.get(system)?.dataset;
  }

  async connector(system: string): Promise<Connector> {
    if (this.closed) throw new ConnectorError(system, 'refused', 'the application is shutting down');
    await this.refresh();
    const known = this.known.get(system);
    if (known === undefined)
      throw new ConnectorError(system, 'refused', 'no declaration in force declares this system');
    const { entry, dataset } = known;
    const settings = systemSettingsFor(this.deps.config, system);
    if (settings === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `no connection settings: set ${systemUrlVariable(system)}, or add "${system}" to the STEWARD_SYSTEMS_FILE secrets file`,
      );
    if (dataset === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `no dataset is published: write datasets/${system}.yaml beside declaration ${entry.declarationId} (steward systems scan proposes one) and review it`,
      );
    if (dataset.reviewed === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `dataset version ${dataset.number} is a proposal nobody has reviewed: check it, add reviewed: { by, on } to datasets/${system}.yaml and publish it`,
      );
    const factory = this.factories[entry.kind];
    if (factory === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `this build of Steward has no connector for kind "${entry.kind}"`,
      );
    const cached = this.connectors.get(system);
    if (cached !== undefined && cached.number === dataset.number) return cached.connector;
    if (cached !== undefined) {
      this.connectors.delete(system);
      await this.closeOne(system, cached.connector);
    }
    const created = Promise.resolve().then(() => {
      try {
        return factory(settings, dataset.dataset, maskKeysFor(this.deps.config.secret, system));
      } catch (error) {
        if (error instanceof ConnectorError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new ConnectorError(system, 'failed', redactSecrets(message, [settings.url]));
      }
    });
    this.connectors.set(system, { number: dataset.number, connector: created });
    created.catch(() => {
      if (this.connectors.get(system)?.connector === created) this.connectors.delete(system);
    });
    return created;
  }

  /**
   * A connector that only reads a system's structure and samples values, for discovery's first
   * scan: it needs the system's settings but no reviewed dataset (its dataset names nothing, so
   * no person's rows can be read or changed through it).
   */
  async scanner(system: string): Promise<Pick<Connector, 'system' | 'introspect' | 'sample'>> {
    if (this.closed) throw new ConnectorError(system, 'refused', 'the application is shutting down');
    await this.refresh();
    const known = this.known.get(system);
    if (known === undefined)
      throw new ConnectorError(system, 'refused', 'no declaration in force declares this system');
    const settings = systemSettingsFor(this.deps.config, system);
    if (settings === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `no connection settings: set ${systemUrlVariable(system)}, or add "${system}" to the STEWARD_SYSTEMS_FILE secrets file`,
      );
    const factory = this.factories[known.entry.kind];
    if (factory === undefined)
      throw new ConnectorError(
        system,
        'refused',
        `this build of Steward has no connector for kind "${known.entry.kind}"`,
      );
    const created = Promise.resolve().then(() => {
      try {
        return factory(settings, structureOnly(system), maskKeysFor(this.deps.config.secret, system));
      } catch (error) {
        if (error instanceof ConnectorError) throw error;
        const message = error instanceof Error ? error.message : String(error);
        throw new ConnectorError(system, 'failed', redactSecrets(message, [settings.url]));
      }
    });
    this.scanners.push(created);
    const connector = await created;
    return {
      system,
      introspect: () => connector.introspect(),
      sample: (table, column, limit) => connector.sample(table, column, limit),
    };
  }

  private async closeOne(system: string, connector: Promise<Connector>): Promise<void> {
    let opened: Connector;
    try {
      opened = await connector;
    } catch {
      return; // It never opened: its refusal went to whoever asked for it.
    }
    try {
      await opened.close();
    } catch (error) {
      const url = systemSettingsFor(this.deps.config, system)?.url;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(
        { system, err: redactSecrets(message, url === undefined ? [] : [url]) },
        'closing a connector failed',
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const open = [...this.connectors.entries()];
    this.connectors.clear();
    const scanners = this.scanners.splice(0);
    await Promise.all([
      ...open.map(([system, c]) => this.closeOne(system, c.connector)),
      ...scanners.map(async (c) => this.closeOne((await c.catch(() => undefined))?.system ?? '', c)),
    ]);
  }
}

/** A dataset naming no table of the system: a connector built on it can only introspect and sample. */
function structureOnly(system: string): Dataset {
  return {
    steward: 1,
    kind: 'dataset',
    system,
    collections: [
      { name: 'steward_structure_only', primaryKey: ['id'], reference: true, fields: [{ name: 'id' }] },
    ],
  };
}
