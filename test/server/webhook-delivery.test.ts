import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { safeFetch, type ResolvedAddress } from '../../src/net/index.js';
import {
  DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS,
  WebhookDispatcher,
  createWebhookRoutes,
  generateWebhookSecret,
} from '../../src/webhooks/index.js';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const servers: Server[] = [];

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

/** A webhook receiver on 127.0.0.1 answering each request with the next status of the script. */
async function startReceiver(statuses: number[]): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString() });
      const status = statuses.length > 1 ? (statuses.shift() ?? 200) : (statuses[0] ?? 200);
      response.writeHead(status).end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received };
}

function webhookHeaders(received: Received): Record<string, string> {
  return {
    'webhook-id': String(received.headers['webhook-id']),
    'webhook-timestamp': String(received.headers['webhook-timestamp']),
    'webhook-signature': String(received.headers['webhook-signature']),
  };
}

describe('webhook delivery to a real receiver', () => {
  it('delivers a request that the standardwebhooks package verifies', async () => {
    const receiver = await startReceiver([200]);
    const secret = generateWebhookSecret();
    const dispatcher = new WebhookDispatcher({
      database: new Database(':memory:'),
      secret,
      allowPrivateNetworks: true,
    });
    const { deliveryId } = await dispatcher.enqueue({
      taskId: 'task_img_01',
      url: receiver.url,
      eventType: 'task.succeeded',
      payload: { id: 'task_img_01', status: 'success', images: [{ sha256: 'ab'.repeat(32) }] },
    });
    expect(await dispatcher.deliverDue()).toBe(1);
    const [request] = receiver.received;
    if (!request) throw new Error('the receiver got nothing');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['webhook-id']).toBe(deliveryId);
    const verified = new Webhook(secret).verify(request.body, webhookHeaders(request));
    expect(verified).toMatchObject({
      type: 'task.succeeded',
      data: { id: 'task_img_01', status: 'success' },
    });
    expect(() =>
      new Webhook(generateWebhookSecret()).verify(request.body, webhookHeaders(request)),
    ).toThrow();
    expect((await dispatcher.deliveries('task_img_01'))[0]?.status).toBe('delivered');
  });

  it('retries a failing receiver on the schedule, every attempt verifiable, then lists a dead letter', async () => {
    const receiver = await startReceiver([500, 502, 503, 500, 500, 500, 500, 500]);
    const secret = generateWebhookSecret();
    const clock = new ManualClock(Date.parse('2026-04-01T00:00:00Z'));
    const dispatcher = new WebhookDispatcher({
      database: new Database(':memory:'),
      secret,
      clock,
      allowPrivateNetworks: true,
    });
    await dispatcher.enqueue({
      taskId: 'task_img_02',
      url: receiver.url,
      eventType: 'task.failed',
      payload: {},
    });
    await dispatcher.deliverDue();
    for (const waitMs of DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS) {
      clock.advance(waitMs - 1_000);
      expect(await dispatcher.deliverDue()).toBe(0);
      clock.advance(1_000);
      expect(await dispatcher.deliverDue()).toBe(1);
    }
    const timestamps = receiver.received.map((request) => Number(request.headers['webhook-timestamp']));
    const start = Date.parse('2026-04-01T00:00:00Z') / 1000;
    let elapsedSeconds = 0;
    expect(timestamps).toEqual([
      start,
      ...DEFAULT_WEBHOOK_RETRY_SCHEDULE_MS.map((waitMs) => start + (elapsedSeconds += waitMs / 1000)),
    ]);
    // The reference library checks the timestamp against the wall clock: show it each attempt's time.
    vi.useFakeTimers({ toFake: ['Date'] });
    for (const request of receiver.received) {
      vi.setSystemTime(Number(request.headers['webhook-timestamp']) * 1000);
      expect(new Webhook(secret).verify(request.body, webhookHeaders(request))).toMatchObject({
        type: 'task.failed',
      });
    }
    vi.useRealTimers();

    const response = await createWebhookRoutes(dispatcher, { ownerOf: () => undefined }).request(
      '/dead-letters',
    );
    const body = (await response.json()) as { data: Record<string, unknown>[] };
    expect(body.data).toEqual([
      expect.objectContaining({ task_id: 'task_img_02', status: 'dead', attempts: 8, last_status_code: 500 }),
    ]);
  });

  it('refuses to deliver to a private address unless the config allows it', async () => {
    const receiver = await startReceiver([200]);
    const dispatcher = new WebhookDispatcher({
      database: new Database(':memory:'),
      secret: generateWebhookSecret(),
    });
    await dispatcher.enqueue({
      taskId: 'task_img_03',
      url: receiver.url,
      eventType: 'task.succeeded',
      payload: {},
    });
    await dispatcher.deliverDue();
    expect(receiver.received).toHaveLength(0);
    expect((await dispatcher.deadLetters()).deliveries[0]).toMatchObject({
      status: 'dead',
      lastError: expect.stringContaining('refused: private address'),
    });
  });

  it('refuses a receiver whose name resolves to the metadata address', async () => {
    const lookup = async (): Promise<ResolvedAddress[]> => [{ address: '169.254.169.254', family: 4 }];
    const dispatcher = new WebhookDispatcher({
      database: new Database(':memory:'),
      secret: generateWebhookSecret(),
      fetch: (url, options) => safeFetch(url, { ...options, lookup }),
    });
    await dispatcher.enqueue({
      taskId: 'task_img_04',
      url: 'https://hooks.customer.example/imagegate',
      eventType: 'task.succeeded',
      payload: {},
    });
    await dispatcher.deliverDue();
    const lastError = (await dispatcher.deadLetters()).deliveries[0]?.lastError;
    expect(lastError).toContain('refused: private address');
    expect(lastError).not.toContain('169.254');
  });
});
