/**
 * Retention through the API, as an operator: POST with an expected status, and a rule's run on
 * Steward's store carried out by the worker's jobs and read back.
 */
import assert from 'node:assert/strict';
import { Worker } from '../../src/jobs/queue.js';
import { jobDefinitions } from '../../src/worker-jobs.js';
import type { TestApp } from './app.js';

/** A finished run as `GET /api/v1/retention/runs/:id` shows it. */
export interface RunBody {
  id: string;
  status: string;
  deleted: number;
  anonymised: number;
  collections: Record<string, { deleted: number; anonymised: number; held: number }>;
  receiptSeq: number | null;
}

/** Helpers bound to an app and an operator's headers (a session cookie and JSON content type). */
export function retentionApi(app: () => TestApp, headers: () => Record<string, string>) {
  const post = async (url: string, payload: object, expected: number) => {
    const res = await app().request({ method: 'POST', url, headers: headers(), payload });
    assert.equal(res.statusCode, expected, `${url}: ${res.body}`);
    return res.json<Record<string, unknown>>();
  };

  /** Runs `rule` of a declaration on Steward's store now and returns the finished run. */
  async function runRule(declarationId: string, rule: string): Promise<RunBody> {
    const started = await post(`/api/v1/retention/${rule}/run`, { declarationId, system: 'steward' }, 202);
    const [run] = started['runs'] as { id: string }[];
    assert.ok(run);
    await new Worker(app().ctx, jobDefinitions).drain();
    const res = await app().request({
      method: 'GET',
      url: `/api/v1/retention/runs/${run.id}`,
      headers: headers(),
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json<{ run: RunBody }>().run;
    assert.equal(body.status, 'done', `the run of ${rule} ended: ${JSON.stringify(body)}`);
    return body;
  }

  return { post, runRule };
}
