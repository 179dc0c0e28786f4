import { z } from 'zod';
import { defineJob } from '../jobs/queue.js';
import { verifyLedger } from './ledger.js';

/** Verifies the whole ledger on a schedule, so tampering is noticed without anyone asking. */
export const verifyLedgerJob = defineJob({
  type: 'audit.verify',
  version: 1,
  payload: z.object({}),
  leaseMs: 10 * 60_000,
  async handler(ctx) {
    const result = await verifyLedger(ctx.store);
    if (!result.ok) ctx.log.error({ firstBad: result.firstBad }, 'audit ledger failed verification');
    return result;
  },
});
