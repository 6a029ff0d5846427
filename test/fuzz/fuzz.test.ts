import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz-requests.js';

/** A full collection before each RSS reading, so the figures are memory held, not garbage not yet freed. */
function exposeGc(): () => Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Twice, with a turn of the event loop between: streams and buffers are freed by finalizers.
  return async () => {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

describe('fuzzing the HTTP API (bounded run; `npm run fuzz` runs 10 000+)', () => {
  it('answers thousands of generated requests and the hand-made attacks with no 5xx, no crash, in the error shape', async () => {
    const run = await runFuzz({ generated: 2500, seed: 20261129, attackScale: 1, gc: exposeGc() });
    console.log(
      `fuzz: ${run.requests} requests, RSS ${mb(run.rssBeforeBytes)} → ${mb(run.rssAfterAttacksBytes)} after the attacks → ${mb(run.rssAfterBytes)} MB`,
    );
    expect(run.findings.slice(0, 10)).toEqual([]);
    expect(run.serverErrors).toBe(0);
    expect(run.crashes).toBe(0);
    expect(run.requests).toBeGreaterThanOrEqual(2500);
    // 40 MB prompts, 10 MB values and 10 000-deep JSON come and go without staying in memory.
    // The whole run also stores the tasks of valid submits in an in-memory database; its figure is logged.
    expect(run.rssAfterAttacksBytes - run.rssBeforeBytes).toBeLessThan(50 * 1024 * 1024);
  }, 300_000);
});
