/**
 * What a worker runs: every feature's job definitions and the recurring ones, listed here at the
 * composition root so src/jobs/ (the queue) knows nothing of features. A feature that defines a
 * job adds it to `jobDefinitions`, and to `recurringJobs` when it runs on a period.
 */
import { verifyLedgerJob } from './audit/jobs.js';
import { receiptJob } from './execution/receipt.js';
import { planJob, runStepJob } from './execution/run-step.js';
import type { JobDefinition } from './jobs/queue.js';
import { housekeepingJob } from './retention/housekeeping.js';
import { RETENTION_PERIOD_MS, retentionScheduleJob, retentionSweepJob } from './retention/run-sweep.js';
import { drpCallbackJob } from './rights/drp/callback.js';
import { legacyRunTaskJob } from './rights/fulfil.js';
import { tellRequesterJob } from './rights/tell-requester.js';
import { sendCodeJob } from './rights/verify-request.js';
import { deadlineSweepJob } from './rights/workflow.js';
import { deleteOldSaltsJob } from './web/salts.js';

/** Every job type a worker runs. */
export const jobDefinitions: readonly JobDefinition[] = [
  verifyLedgerJob,
  sendCodeJob,
  planJob,
  runStepJob,
  receiptJob,
  legacyRunTaskJob,
  deadlineSweepJob,
  tellRequesterJob,
  drpCallbackJob,
  deleteOldSaltsJob,
  retentionScheduleJob,
  retentionSweepJob,
  housekeepingJob,
];

/** Recurring jobs: the definition and how often it runs. */
export const recurringJobs: readonly { definition: JobDefinition; periodMs: number }[] = [
  { definition: verifyLedgerJob, periodMs: 60 * 60 * 1000 },
  { definition: deadlineSweepJob, periodMs: 60 * 60 * 1000 },
  { definition: deleteOldSaltsJob, periodMs: 60 * 60 * 1000 },
  { definition: retentionScheduleJob, periodMs: RETENTION_PERIOD_MS },
  { definition: housekeepingJob, periodMs: 60 * 60 * 1000 },
];
