#!/usr/bin/env node
/**
 * The `steward` command. Each subcommand parses its arguments, calls the same use cases the API
 * calls, and prints a human answer (or JSON with --json). Exit codes: 0 done, 1 the thing checked
 * failed (lint errors, a broken ledger), 2 bad usage or settings.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { readFile, writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ZodError } from 'zod';
import { actorRef } from '../access/actor.js';
import { createApiKey, createOperator } from '../access/operators.js';
import { isPermission, permissions, roles } from '../access/roles.js';
import type { Permission } from '../access/roles.js';
import { DeclarationRefused, closeContext, createContext, createLogger } from '../app.js';
import { verifyLedger } from '../audit/ledger.js';
import { ConfigError, loadConfig } from '../config.js';
import { communicationOf, suppressionIndex } from '../consent/suppression.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { jobDefinitions } from '../worker-jobs.js';
import { Worker } from '../jobs/queue.js';
import type { LintIssue } from '../policy/lint.js';
import { lintSource } from '../policy/lint.js';
import { PolicyModel } from '../policy/model.js';
import { renderNotice } from '../policy/render-notice.js';
import { offeredLanguage } from '../i18n/declaration.js';
import { catalogLanguage, shippedLanguages } from '../i18n/messages.js';
import { renderRopa } from '../policy/ropa.js';
import type { Declaration } from '../policy/schema.js';
import { declarationJsonSchema } from '../policy/schema.js';
import {
  diffDeclarations,
  diffVersions,
  getVersion,
  listVersions,
  publishDeclaration,
} from '../policy/versions.js';
import { publishDatasets } from '../connectors/dataset-versions.js';
import { datasetFilesBeside, lintDatasetFiles } from '../connectors/lint-dataset.js';
import type { DrpAgentView } from '../rights/drp/agents.js';
import { addDrpAgent, listDrpAgents, revokeDrpAgent } from '../rights/drp/agents.js';
import { toErrorBody } from '../server/errors.js';
import { hostActor } from './host-actor.js';
import { registerImportCommand } from './import-command.js';
import { registerLifecycleCommand } from './lifecycle-command.js';
import { registerLogsCommand } from './logs-command.js';
import { registerRetentionCommand } from './retention-command.js';
import { systemsScanCommands } from './systems-scan-command.js';
import { registerSystemsCommand } from './systems-command.js';
import { start } from './start.js';

const program = new Command('steward')
  .description('Privacy operations: your privacy policy, enforced.')
  .showHelpAfterError();

/** Opens the store with the configured settings, runs `fn`, and closes it again. */
async function withContext<T>(fn: (ctx: AppContext) => Promise<T>, publishFiles = false): Promise<T> {
  const ctx = await createContext(loadConfig(), { publishFiles, log: createLogger('warn') });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

function printIssues(file: string, issues: readonly LintIssue<string>[]): void {
  for (const i of issues) {
    process.stdout.write(
      `${file}:${i.line ?? 0} ${i.severity} ${i.code} ${i.path ? `[${i.path}] ` : ''}${i.message}\n    fix: ${i.hint}\n`,
    );
  }
}

async function parseFile(file: string): Promise<Declaration> {
  const result = lintSource(await readFile(file, 'utf8'));
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (result.declaration === undefined || errors.length > 0) {
    printIssues(file, errors);
    throw new CliFailure(`${file} has ${errors.length} error(s); run \`steward policy lint ${file}\``, 1);
  }
  return result.declaration;
}

class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

async function output(text: string, out: string | undefined): Promise<void> {
  if (out === undefined) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  else await writeFile(out, text);
}

program
  .command('start')
  .description('Start Steward (web server, workers, or both)')
  .addOption(
    new Option('--role <role>', 'what this process does').choices(['web', 'worker', 'all']).default('all'),
  )
  .action(async (opts: { role: 'web' | 'worker' | 'all' }) => {
    await start(loadConfig(), opts.role);
  });

program
  .command('migrate')
  .description('Apply pending database migrations and exit')
  .action(async () => {
    await withContext(async (ctx) => {
      process.stdout.write(`Database schema is current (${ctx.store.dialect}).\n`);
    });
  });

const policy = program.command('policy').description('Declarations: lint, render, publish, compare');

policy
  .command('lint')
  .description('Check declaration files; exits 1 when any has an error')
  .argument('<files...>')
  .option('--json', 'machine-readable output')
  .action(async (files: string[], opts: { json?: boolean }) => {
    const results = await Promise.all(
      files.map(async (file) => {
        const result = lintSource(await readFile(file, 'utf8'));
        // The datasets beside a declaration (datasets/*.yaml) are checked against it.
        const datasets =
          result.declaration === undefined
            ? []
            : lintDatasetFiles(
                result.declaration,
                await Promise.all(
                  datasetFilesBeside(file).map(async (f) => ({ file: f, source: await readFile(f, 'utf8') })),
                ),
              );
        return { file, ...result, datasets };
      }),
    );
    const hasErrors = (issues: readonly { severity: string }[]) => issues.some((i) => i.severity === 'error');
    const failed = results.some((r) => hasErrors(r.issues) || r.datasets.some((d) => hasErrors(d.issues)));
    if (opts.json) {
      const files = results.map((r) => ({
        file: r.file,
        contentHash: r.contentHash,
        issues: r.issues,
        datasets: r.datasets.map((d) => ({ file: d.file, contentHash: d.contentHash, issues: d.issues })),
      }));
      process.stdout.write(`${JSON.stringify({ ok: !failed, files }, null, 2)}\n`);
    } else {
      const summary = (file: string, issues: readonly LintIssue<string>[]) => {
        printIssues(file, issues);
        const errors = issues.filter((i) => i.severity === 'error').length;
        const warnings = issues.length - errors;
        process.stdout.write(
          `${file}: ${errors === 0 ? 'ok' : 'FAILED'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})\n`,
        );
      };
      for (const r of results) {
        summary(r.file, r.issues);
        for (const d of r.datasets) summary(d.file, d.issues);
      }
    }
    process.exitCode = failed ? 1 : 0;
  });

policy
  .command('render')
  .description('Write the privacy notice of a declaration')
  .argument('<file>')
  .addOption(new Option('--format <format>').choices(['html', 'md']).default('html'))
  .option('--lang <language>', 'language of the notice')
  .option('-o, --out <path>', 'write to a file instead of standard output')
  .action(async (file: string, opts: { format: 'html' | 'md'; lang?: string; out?: string }) => {
    const declaration = await parseFile(file);
    // An explicit --lang the declaration does not offer is refused, never rendered half in English.
    const language =
      opts.lang === undefined ? declaration.languages[0] : offeredLanguage(declaration, opts.lang);
    if (language === undefined) {
      throw new CliFailure(
        `--lang ${opts.lang}: the declaration offers ${declaration.languages.join(', ')}${catalogLanguage(opts.lang ?? '') === undefined ? `, and Steward has no wording in ${opts.lang} (shipped: ${shippedLanguages.join(', ')})` : ''}`,
        2,
      );
    }
    const text = renderNotice(new PolicyModel(declaration), {
      format: opts.format,
      language,
      versionInfo: { version: declaration.version, effectiveDate: declaration.effectiveDate },
    });
    await output(text, opts.out);
  });

policy
  .command('ropa')
  .description('Write the record of processing activities (GDPR Art. 30)')
  .argument('<file>')
  .addOption(new Option('--format <format>').choices(['csv', 'json', 'html']).default('csv'))
  .option('-o, --out <path>', 'write to a file instead of standard output')
  .action(async (file: string, opts: { format: 'csv' | 'json' | 'html'; out?: string }) => {
    await output(renderRopa(new PolicyModel(await parseFile(file)), opts.format), opts.out);
  });

policy
  .command('schema')
  .description('Print the JSON Schema of the declaration format, for editors')
  .action(() => {
    process.stdout.write(`${JSON.stringify(declarationJsonSchema(), null, 2)}\n`);
  });

policy
  .command('publish')
  .description(
    'Store a declaration as a new version (if its content changed), and the datasets beside it (datasets/*.yaml)',
  )
  .argument('<file>')
  .option('--effective <date>', 'effective date (YYYY-MM-DD); defaults to the one in the file', (v) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new InvalidArgumentError('write the date as YYYY-MM-DD');
    return v;
  })
  .action(async (file: string, opts: { effective?: string }) => {
    const source = await readFile(file, 'utf8');
    await withContext(async (ctx) => {
      const result = await publishDeclaration(
        ctx,
        actorRef(hostActor()),
        source,
        opts.effective ? { effectiveDate: opts.effective } : {},
      );
      const v = result.version;
      printIssues(file, result.warnings);
      process.stdout.write(
        result.created
          ? `Published ${v.declarationId} version ${v.number} (${v.version}, in force from ${v.effectiveDate}, sha256 ${v.contentHash}).\n`
          : `Unchanged: ${v.declarationId} version ${v.number} already has this content.\n`,
      );
      const datasets = await Promise.all(
        datasetFilesBeside(file).map(async (f) => ({ file: f, source: await readFile(f, 'utf8') })),
      );
      if (datasets.length === 0) return;
      const { declaration } = await getVersion(ctx.store, v.declarationId, v.number);
      for (const d of await publishDatasets(ctx, actorRef(hostActor()), declaration, datasets)) {
        printIssues(d.file, d.warnings);
        const dv = d.version;
        const state =
          dv.reviewed === undefined
            ? 'a proposal, not reviewed'
            : `reviewed by ${dv.reviewed.by} on ${dv.reviewed.on}`;
        process.stdout.write(
          d.created
            ? `Published the dataset of ${dv.system} version ${dv.number} (${state}).\n`
            : `Unchanged: the dataset of ${dv.system} version ${dv.number} already has this content.\n`,
        );
      }
    });
  });

policy
  .command('versions')
  .description('List the published versions of a declaration')
  .argument('<id>')
  .action(async (id: string) => {
    await withContext(async (ctx) => {
      const versions = await listVersions(ctx.store, id);
      if (versions.length === 0) throw new CliFailure(`No published versions of "${id}".`, 1);
      for (const v of versions)
        process.stdout.write(
          `${v.number}\t${v.version}\t${v.effectiveDate}\t${v.publishedAt}\t${v.contentHash}\n`,
        );
    });
  });

policy
  .command('diff')
  .description('Show what changed between two declarations: files, or published versions as ID@N')
  .argument('<a>')
  .argument('<b>')
  .option('--json', 'machine-readable output')
  .action(async (a: string, b: string, opts: { json?: boolean }) => {
    const isFile = (x: string) => existsSync(x);
    let sections;
    let patch: string | undefined;
    if (isFile(a) && isFile(b)) {
      sections = diffDeclarations(await parseFile(a), await parseFile(b));
    } else {
      const ref = (x: string) => {
        const m = /^([a-z][a-z0-9_-]*)@(\d+)$/.exec(x);
        if (!m) throw new CliFailure(`"${x}" is neither a file nor a version reference like reference@2`, 2);
        return { id: m[1] as string, n: Number(m[2]) };
      };
      const [ra, rb] = [ref(a), ref(b)];
      if (ra.id !== rb.id) throw new CliFailure('Compare two versions of the same declaration.', 2);
      const diff = await withContext((ctx) => diffVersions(ctx.store, ra.id, ra.n, rb.n));
      sections = diff.sections;
      patch = diff.patch;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ sections, patch }, null, 2)}\n`);
      return;
    }
    if (sections.length === 0) process.stdout.write('No differences in content.\n');
    for (const s of sections) {
      const parts = [
        s.added.length ? `added ${s.added.join(', ')}` : '',
        s.removed.length ? `removed ${s.removed.join(', ')}` : '',
        s.changed.length ? `changed ${s.changed.join(', ')}` : '',
      ].filter(Boolean);
      process.stdout.write(`${s.section}: ${parts.join('; ')}\n`);
    }
    if (patch !== undefined) process.stdout.write(`\n${patch}`);
  });

const audit = program.command('audit').description('The tamper-evident audit ledger');
audit
  .command('verify')
  .description('Check every entry of the hash chain; exits 1 and names the first bad entry')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    const result = await withContext((ctx) => verifyLedger(ctx.store));
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.ok)
      process.stdout.write(`Audit ledger verifies: ${result.entries} entries, head ${result.headHash}.\n`);
    else
      process.stdout.write(
        `Audit ledger FAILED at entry #${result.firstBad.seq}: ${result.firstBad.reason}. ${result.entries} entries verified before it.\n`,
      );
    process.exitCode = result.ok ? 0 : 1;
  });

const operator = program.command('operator').description('Operator accounts');
operator
  .command('create')
  .description('Create an operator and print a one-time password')
  .requiredOption('--email <email>')
  .requiredOption('--name <name>')
  .addOption(new Option('--role <role>').choices([...roles]).makeOptionMandatory())
  .action(async (opts: { email: string; name: string; role: (typeof roles)[number] }) => {
    await withContext(async (ctx) => {
      const { operator: o, password } = await createOperator(ctx, hostActor(), opts);
      process.stdout.write(`Created ${o.role} ${o.email}. One-time password: ${password}\n`);
    });
  });

program
  .command('apikey')
  .description('API keys')
  .command('create')
  .description('Create an API key limited to the given permissions')
  .requiredOption('--name <name>')
  .requiredOption('--scopes <permissions>', `comma-separated, from: ${permissions.join(', ')}`, (v) => {
    const list = v.split(',').map((s) => s.trim());
    const bad = list.filter((s) => !isPermission(s));
    if (bad.length > 0) throw new InvalidArgumentError(`unknown permission ${bad.join(', ')}`);
    return list as Permission[];
  })
  .option('--declaration <id>', 'bind the key to one declaration (required with requests:account)')
  .action(async (opts: { name: string; scopes: Permission[]; declaration?: string }) => {
    await withContext(async (ctx) => {
      const key = await createApiKey(ctx, hostActor(), {
        name: opts.name,
        scopes: opts.scopes,
        ...(opts.declaration === undefined ? {} : { declarationId: opts.declaration }),
      });
      process.stdout.write(
        `API key ${key.id} (${key.scopes.join(', ')}): ${key.key}\nIt is shown only now.\n`,
      );
    });
  });

program
  .command('jobs')
  .description('Background jobs')
  .command('run')
  .description('Run every due job once, then exit')
  .action(async () => {
    await withContext(async (ctx) => {
      const ran = await new Worker(ctx, jobDefinitions).drain();
      process.stdout.write(`Ran ${ran} job${ran === 1 ? '' : 's'}.\n`);
    });
  });

program
  .command('check')
  .description(
    'Suppression check: may this communication go to these addresses? Prints CSV: address,allowed,reason',
  )
  .requiredOption('--declaration <id>', 'declaration id')
  .requiredOption('--communication <id>', 'communication id')
  .option('--jurisdiction <code>', 'for addresses whose person has none on record', 'default')
  .argument('<file>', 'one address per line; - for standard input')
  .action(
    async (file: string, opts: { declaration: string; communication: string; jurisdiction: string }) => {
      const input = file === '-' ? process.stdin : createReadStream(file);
      await withContext(async (ctx) => {
        const index = suppressionIndex(ctx);
        const communication = communicationOf(ctx, opts.declaration, opts.communication);
        await index.sync({ declarationId: opts.declaration, communication });
        const lines = createInterface({ input, crlfDelay: Infinity });
        let batch: string[] = [];
        const flush = () => {
          const verdicts = index.checkMany(opts.declaration, communication, batch, opts.jurisdiction);
          process.stdout.write(
            batch
              .map(
                (a, i) =>
                  `${JSON.stringify(a)},${verdicts[i]?.allowed ?? false},${verdicts[i]?.reason ?? ''}`,
              )
              .join('\n') + '\n',
          );
          batch = [];
        };
        process.stdout.write('address,allowed,reason\n');
        for await (const line of lines) {
          if (line.trim() === '') continue;
          batch.push(line.trim());
          if (batch.length >= 10_000) flush();
        }
        if (batch.length > 0) flush();
      });
    },
  );

const drp = program.command('drp').description('Data Rights Protocol 1.0');
const drpAgent = drp
  .command('agent')
  .description('Authorized agents trusted to send requests (they pair with the key given here)');

function printAgent(agent: DrpAgentView): void {
  const state =
    agent.revokedAt !== null
      ? `revoked ${agent.revokedAt}`
      : agent.pairedAt !== null
        ? `paired ${agent.pairedAt}`
        : 'not paired yet';
  process.stdout.write(`${agent.id}\t${state}\tverify key ${agent.verifyKey}\tadded ${agent.addedAt}\n`);
}

drpAgent
  .command('add')
  .description('Trust an agent: its id from the DRP agent directory and its Ed25519 verify key')
  .argument('<id>', 'the agent id, e.g. CR_AA_DRP_ID_001')
  .requiredOption('--verify-key <key>', "the agent's 32-byte Ed25519 verify key, base64 or hex")
  .option('--json', 'machine-readable output')
  .action(async (id: string, opts: { verifyKey: string; json?: boolean }) => {
    await withContext(async (ctx) => {
      const agent = await addDrpAgent(ctx, hostActor(), { id, verifyKey: opts.verifyKey });
      if (opts.json) process.stdout.write(`${JSON.stringify(agent)}\n`);
      else
        process.stdout.write(
          `Trusted DRP agent ${agent.id}. It can now pair at ${ctx.config.publicUrl}/v1/agent/${agent.id}.\n`,
        );
    });
  });

drpAgent
  .command('list')
  .description('List trusted and revoked agents')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    await withContext(async (ctx) => {
      const agents = await listDrpAgents(ctx, hostActor());
      if (opts.json) process.stdout.write(`${JSON.stringify(agents)}\n`);
      else if (agents.length === 0) process.stdout.write('No DRP agents.\n');
      else agents.forEach(printAgent);
    });
  });

drpAgent
  .command('revoke')
  .description('Stop trusting an agent: its token stops working at once')
  .argument('<id>')
  .action(async (id: string) => {
    await withContext(async (ctx) => {
      const agent = await revokeDrpAgent(ctx, hostActor(), id);
      process.stdout.write(`Revoked DRP agent ${agent.id} (${agent.revokedAt}).\n`);
    });
  });

registerImportCommand(program);
registerLifecycleCommand(program, withContext);
registerLogsCommand(program);
registerRetentionCommand(program, { withContext: (fn) => withContext(fn) });
// Discovery's `scan` and `diff` (systems-scan-command.ts) join the group.
registerSystemsCommand(program, [
  systemsScanCommands({ withSystems: (fn) => withContext((ctx) => fn(ctx.systems)) }),
]);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError || error instanceof DeclarationRefused) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof CliFailure) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof AppError || error instanceof ZodError) {
    const { body } = toErrorBody(error);
    const details = body.error.details ?? [];
    process.stderr.write(
      `${body.error.message}\n${details.map((d) => `  ${d.path}: ${d.message}\n`).join('')}`,
    );
    process.exitCode = 1;
  } else {
    throw error;
  }
}
