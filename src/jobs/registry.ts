import { verifyLedgerJob } from '../audit/jobs.js';
import type { JobDefinition } from './queue.js';

/** Every job type a worker runs. A feature adds its definitions here. */
export const jobDefinitions: readonly JobDefinition[] = [verifyLedgerJob];

/** Recurring jobs: the definition and how often it runs. */
export const recurringJobs: readonly { definition: JobDefinition; periodMs: number }[] = [
  { definition: verifyLedgerJob, periodMs: 60 * 60 * 1000 },
];
