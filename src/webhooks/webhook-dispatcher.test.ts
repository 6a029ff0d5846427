import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { SafeFetchError, SsrfRefusedError, type safeFetch } from '../net/index.js';
import { generateWebhookSecret, signWebhook } from './sign-webhook.js';
import { DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS, WebhookDispatcher } from './webhook-dispatcher.js';

interface SentRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  atMs: number;
  options: Parameters<typeof safeFetch>[1];
}

/** A fetch whose answers are scripted (a status, or an error to throw), recording what was sent. */
function scriptedFetch(clock: ManualClock, answers: (number | Error)[]) {
  const sent: SentRequest[] = [];
  const fetch: typeof safeFetch = async (url, options) => {
    sent.push({
      url,
      headers: options?.headers ?? {},
      body: options?.body ?? '',
      atMs: clock.nowMs(),
      options,
    });
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return { status: answer ?? 200, headers: new Headers(), bytes: Buffer.alloc(0), finalUrl: url };
  };
  return { fetch, sent };
}

function setup(answers: (number | Error)[], retryScheduleMs?: number[]) {
  const clock = new ManualClock(Date.UTC(2026, 3, 1));
  const secret = generateWebhookSecret();
  const { fetch, sent } = scriptedFetch(clock, answers);
  const dispatcher = new WebhookDispatcher({
    database: new Database(':memory:'),
    secret,
    clock,
    fetch,
    ...(retryScheduleMs ? { retryScheduleMs } : {}),
  });
  return { clock, secret, sent, dispatcher };
}

const event = { taskId: 'task_img_1', url: 'https://hooks.example/imagegate', eventType: 'task.succeeded' };

describe('WebhookDispatcher', () => {
  it('sends a signed Standard Webhooks request and marks it delivered', async () => {
    const { dispatcher, sent, secret, clock } = setup([204]);
    const { deliveryId } = await dispatcher.enqueue({
      ...event,
      payload: { id: 'task_img_1', status: 'success' },
    });
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await dispatcher.deliverDue()).toBe(1);
    const request = sent[0];
    expect(request?.url).toBe(event.url);
    expect(JSON.parse(request?.body ?? '')).toEqual({
      type: 'task.succeeded',
      timestamp: '2026-04-01T00:00:00.000Z',
      data: { id: 'task_img_1', status: 'success' },
    });
    const timestampSeconds = clock.nowMs() / 1000;
    expect(request?.headers).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(timestampSeconds),
      'webhook-signature': signWebhook({
        secret,
        messageId: deliveryId,
        timestampSeconds,
        payload: request?.body ?? '',
      }),
    });
    expect(request?.options).toMatchObject({ method: 'POST', allowPrivateNetworks: false, maxRedirects: 0 });
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({
      status: 'delivered',
      attempts: 1,
      lastStatusCode: 204,
      deliveredAtMs: clock.nowMs(),
    });
    expect(await dispatcher.deliverDue()).toBe(0);
  });

  it('retries on the default schedule, re-signing each attempt, then keeps a dead letter', async () => {
    const { dispatcher, sent, clock } = setup([500]);
    const start = clock.nowMs();
    const { deliveryId } = await dispatcher.enqueue({ ...event, payload: {} });
    await dispatcher.deliverDue();
    for (const waitMs of DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS) {
      clock.advance(waitMs - 1);
      expect(await dispatcher.deliverDue()).toBe(0);
      clock.advance(1);
      expect(await dispatcher.deliverDue()).toBe(1);
    }
    const offsets = sent.map((request) => request.atMs - start);
    let elapsed = 0;
    expect(offsets).toEqual([0, ...DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.map((waitMs) => (elapsed += waitMs))]);
    expect(offsets.at(-1)).toBeGreaterThan(24 * 3_600_000);
    expect(new Set(sent.map((request) => request.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    expect(new Set(sent.map((request) => request.headers['webhook-timestamp'])).size).toBe(8);
    const dead = (await dispatcher.deadLetters()).deliveries;
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      id: deliveryId,
      status: 'dead',
      attempts: 8,
      lastStatusCode: 500,
      lastError: 'the receiver answered HTTP 500 (gave up after 8 attempts)',
      deadAtMs: clock.nowMs(),
    });
    clock.advance(100 * 3_600_000);
    expect(await dispatcher.deliverDue()).toBe(0);
  });

  it('stops retrying once an attempt succeeds', async () => {
    const { dispatcher, sent, clock } = setup([
      503,
      new SafeFetchError('timed out', event.url, 'timeout'),
      200,
    ]);
    await dispatcher.enqueue({ ...event, payload: {} });
    await dispatcher.deliverDue();
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({
      lastError: 'the receiver answered HTTP 503',
    });
    clock.advance(5_000);
    await dispatcher.deliverDue();
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({
      attempts: 2,
      lastError: 'timed out',
    });
    clock.advance(5 * 60_000);
    await dispatcher.deliverDue();
    expect(sent).toHaveLength(3);
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
    });
    expect((await dispatcher.deadLetters()).deliveries).toEqual([]);
  });

  it('turns an SSRF refusal into a dead letter at once', async () => {
    const refusal = new SsrfRefusedError('refused http://10.0.0.1/: private', 'http://10.0.0.1/', '10.0.0.1');
    const { dispatcher } = setup([refusal]);
    await dispatcher.enqueue({ ...event, url: 'http://10.0.0.1/', payload: {} });
    await dispatcher.deliverDue();
    expect((await dispatcher.deadLetters()).deliveries[0]).toMatchObject({
      attempts: 1,
      lastError: refusal.message,
    });
  });

  it('counts a redirect as a failed attempt', async () => {
    const { dispatcher } = setup([new SafeFetchError('redirected', event.url, 'too_many_redirects')]);
    await dispatcher.enqueue({ ...event, payload: {} });
    await dispatcher.deliverDue();
    expect((await dispatcher.deliveries('task_img_1'))[0]).toMatchObject({
      status: 'pending',
      lastError: expect.stringContaining('redirects are not followed'),
    });
  });

  it('follows a custom schedule, pages dead letters newest first, and redelivers one', async () => {
    const { dispatcher, clock } = setup([500], [1_000]);
    const ids: string[] = [];
    for (const taskId of ['a', 'b', 'c']) {
      clock.advance(1);
      ids.push((await dispatcher.enqueue({ ...event, taskId, payload: {} })).deliveryId);
    }
    await dispatcher.deliverDue();
    clock.advance(1_000);
    expect(await dispatcher.deliverDue()).toBe(3);
    const first = await dispatcher.deadLetters({ limit: 2 });
    expect(first.deliveries.map((delivery) => delivery.id)).toEqual([ids[2], ids[1]]);
    const second = await dispatcher.deadLetters({
      limit: 2,
      ...(first.nextCursor ? { cursor: first.nextCursor } : {}),
    });
    expect(second).toEqual({ deliveries: [expect.objectContaining({ id: ids[0] })] });
    expect(await dispatcher.redeliver(ids[0] ?? '')).toBe(true);
    expect(await dispatcher.redeliver(ids[0] ?? '')).toBe(false);
    expect(await dispatcher.delivery(ids[0] ?? '')).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await dispatcher.deliverDue()).toBe(1);
  });

  it('never attempts one delivery twice at once, even from two dispatchers on one database', async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 1));
    const database = new Database(':memory:');
    const secret = generateWebhookSecret();
    const { fetch, sent } = scriptedFetch(clock, [200]);
    const first = new WebhookDispatcher({ database, secret, clock, fetch });
    const second = new WebhookDispatcher({ database, secret, clock, fetch });
    first.enqueue({ ...event, payload: {} });
    const counts = await Promise.all([first.deliverDue(), second.deliverDue()]);
    expect(counts.sort()).toEqual([0, 1]);
    expect(sent).toHaveLength(1);
  });

  it('polls after start() and stops cleanly', async () => {
    const clock = new ManualClock(Date.UTC(2026, 3, 1), { autoAdvance: false });
    const { fetch, sent } = scriptedFetch(clock, [200]);
    const dispatcher = new WebhookDispatcher({
      database: new Database(':memory:'),
      secret: generateWebhookSecret(),
      clock,
      fetch,
    });
    dispatcher.start(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    await dispatcher.enqueue({ ...event, payload: {} });
    expect(sent).toHaveLength(0);
    clock.advance(1_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(1);
    await dispatcher.stop();
    expect(clock.sleepsMs.every((waitMs) => waitMs === 1_000)).toBe(true);
  });

  it('refuses a malformed secret when constructed', () => {
    expect(() => new WebhookDispatcher({ database: new Database(':memory:'), secret: 'hunter2' })).toThrow(
      'whsec_',
    );
  });
});
