/**
 * `steward lifecycle report`: tells Steward that something happened that starts a retention clock
 * (C10.1), the same use case as `POST /api/v1/lifecycle-events`, for systems that can run a command
 * but not call an API, and for operators recording what they learnt by other means. The person is
 * named by subject id or identifier, or one record by its Steward id or a connected system's key.
 * Exit codes: 0 recorded (or already recorded), 1 refused (unknown person or record, event no rule
 * uses, a time in the future), 2 bad usage.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { AppContext } from '../context.js';
import type { LifecycleEventInput } from '../retention/report-lifecycle-event.js';
import { reportLifecycleEvent } from '../retention/report-lifecycle-event.js';
import { hostActor } from './host-actor.js';

/** Opens the store with the configured settings for the length of `fn`. */
export type WithContext = <T>(fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

interface ReportOptions {
  declaration: string;
  event: string;
  at?: string;
  subject?: string;
  email?: string;
  phone?: string;
  account?: string;
  customer?: string;
  record?: string;
  row?: string;
  key?: Record<string, string | number>;
  json?: boolean;
}

const identifierKinds = ['email', 'phone', 'account', 'customer'] as const;

const jsonKey = (value: string): Record<string, string | number> => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, string | number>;
  } catch {
    // refused below
  }
  throw new InvalidArgumentError('must be a JSON object such as {"id":42}');
};

/** The one target the options name, as the use case's input; a usage error otherwise. */
function targetOf(opts: ReportOptions): Pick<LifecycleEventInput, 'subject' | 'record'> {
  const given = [
    ...(opts.subject !== undefined ? ['--subject'] : []),
    ...identifierKinds.filter((k) => opts[k] !== undefined).map((k) => `--${k}`),
    ...(opts.record !== undefined ? ['--record'] : []),
    ...(opts.row !== undefined ? ['--row'] : []),
  ];
  if (given.length !== 1)
    throw new InvalidArgumentError(
      `name exactly one of --subject, --email, --phone, --account, --customer, --record or --row (given: ${given.join(', ') || 'none'})`,
    );
  if (opts.subject !== undefined) return { subject: { id: opts.subject } };
  for (const kind of identifierKinds) {
    const value = opts[kind];
    if (value !== undefined) return { subject: { kind, value } };
  }
  if (opts.record !== undefined) return { record: { id: opts.record } };
  const [system, collection, ...rest] = (opts.row ?? '').split('/');
  if (system === undefined || collection === undefined || rest.length > 0 || opts.key === undefined)
    throw new InvalidArgumentError('--row takes SYSTEM/COLLECTION, with the row’s --key as JSON');
  return { record: { system, collection, key: opts.key } };
}

/** Registers `steward lifecycle report`. */
export function registerLifecycleCommand(program: Command, withContext: WithContext): void {
  const lifecycle = program
    .command('lifecycle')
    .description('Lifecycle events that start retention clocks: a contract ended, an order was delivered');
  lifecycle
    .command('report')
    .description('Report that an event happened to a person or a record; a duplicate changes nothing')
    .requiredOption('--declaration <id>', 'the declaration whose rules count from the event')
    .requiredOption(
      '--event <id>',
      'the event: contract_end, account_closed, or one the declaration declares',
    )
    .option('--at <time>', 'when it happened (ISO 8601); default now')
    .option('--subject <id>', 'the person, by subject id')
    .option('--email <address>', 'the person, by email address')
    .option('--phone <number>', 'the person, by phone number')
    .option('--account <id>', 'the person, by account id')
    .option('--customer <id>', 'the person, by customer number')
    .option('--record <id>', 'one of Steward’s records, by id')
    .option('--row <system/collection>', 'a connected system’s row (with --key)')
    .option('--key <json>', 'the row’s key, as JSON: {"id":42}', jsonKey)
    .option('--json', 'machine-readable output')
    .action(async (opts: ReportOptions, command: Command) => {
      let target: ReturnType<typeof targetOf>;
      try {
        target = targetOf(opts);
      } catch (error) {
        if (!(error instanceof InvalidArgumentError)) throw error;
        command.error(`error: ${error.message}`, { exitCode: 2, code: 'steward.usage' });
      }
      const input: LifecycleEventInput = {
        declarationId: opts.declaration,
        event: opts.event,
        ...(opts.at !== undefined ? { occurredAt: opts.at } : {}),
        ...target,
      };
      const reported = await withContext((ctx) => reportLifecycleEvent(ctx, hostActor(), input, 'cli'));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(reported, null, 2)}\n`);
        return;
      }
      const { event } = reported;
      if (reported.duplicate) {
        process.stdout.write(
          `Already recorded: ${event.event} at ${event.occurredAt} (${event.id}, ${event.receivedAt}); nothing changed.\n`,
        );
        return;
      }
      process.stdout.write(`Recorded ${event.event} at ${event.occurredAt} (${event.id}).\n`);
      for (const r of reported.records)
        process.stdout.write(
          `  record ${r.id}: ${r.expiresAt === null ? 'kept until its other clocks start' : `expires ${r.expiresAt} (rule ${r.rule})`}\n`,
        );
      if (reported.recordCount > reported.records.length)
        process.stdout.write(`  … and ${reported.recordCount - reported.records.length} more records\n`);
    });
}
