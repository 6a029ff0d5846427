import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 250;

export interface Drained {
  /** Wall-clock time (Date.now()) of the first submit. */
  firstSubmitMs: number;
  /** Wall-clock time at which the last task was first seen final (poll resolution: 250 ms). */
  lastFinishMs: number;
  succeeded: number;
  /** Failed or cancelled. */
  lost: number;
}

/**
 * Submits `count` image tasks (`image_fast`, 1K) to a running `imagegate serve` one by one, then polls the
 * task list until none is queued or processing (finished_at has one-second resolution, too coarse here).
 */
export async function submitAndDrain(
  serverUrl: string,
  count: number,
  promptPrefix: string,
): Promise<Drained> {
  const firstSubmitMs = Date.now();
  for (let index = 0; index < count; index += 1) {
    const response = await fetch(`${serverUrl}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'image_fast', prompt: `${promptPrefix} ${index}`, image_size: '1K' }),
    });
    if (response.status !== 202) throw new Error(`submit answered ${response.status}`);
  }
  const countWith = async (status: string) => {
    let total = 0;
    let cursor: string | undefined;
    do {
      const query = `status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (await (await fetch(`${serverUrl}/v1/tasks?${query}`)).json()) as {
        data: unknown[];
        next_cursor: string | null;
      };
      total += page.data.length;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return total;
  };
  let pending = count;
  let lastFinishMs = firstSubmitMs;
  while (pending > 0) {
    await sleep(POLL_MS);
    const nowPending = (await countWith('queued')) + (await countWith('processing'));
    if (nowPending < pending) lastFinishMs = Date.now();
    pending = nowPending;
  }
  const lost = (await countWith('failed')) + (await countWith('cancelled'));
  return { firstSubmitMs, lastFinishMs, succeeded: count - lost, lost };
}
