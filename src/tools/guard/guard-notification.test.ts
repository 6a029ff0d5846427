import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { guardSlackPayload, sendGuardNotification } from './guard-notification.js';
import type { GuardReport } from './guard-report.js';

const report: GuardReport = {
  at: '2026-06-20T00:00:00.000Z',
  worst: 'warning',
  exitCode: 1,
  findings: [
    {
      model: 'preview-model',
      platform: 'gemini-api',
      stage: 'preview',
      shutdownDate: '2026-06-25',
      daysLeft: 5,
      successor: 'ga-model',
      visible: true,
      level: 'warning',
      window: 7,
      message: 'shuts down soon',
      regressCommand: 'imagegate regress --prompts prompts.txt --baseline preview-model --candidate ga-model',
      usedBy: ['drafts'],
    },
    {
      model: 'ga-model',
      platform: 'gemini-api',
      stage: 'ga',
      shutdownDate: null,
      daysLeft: null,
      successor: null,
      visible: true,
      level: 'ok',
      message: 'fine',
      usedBy: ['quality'],
    },
  ],
};

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A local receiver answering with the given statuses in turn, recording each body. */
async function receiver(statuses: number[]): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(statuses[bodies.length - 1] ?? 200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

describe('guardSlackPayload', () => {
  it('summarises and lists only the findings that need action, with the regress command', () => {
    const payload = guardSlackPayload(report);
    expect(payload.text).toBe(
      'imagegate guard 2026-06-20: 0 errors, 1 warnings\n- preview-model on gemini-api: shuts down soon',
    );
    expect(payload.blocks).toHaveLength(2);
    expect(JSON.stringify(payload.blocks?.[1])).toContain(
      '`imagegate regress --prompts prompts.txt --baseline preview-model --candidate ga-model`',
    );
  });
});

describe('sendGuardNotification', () => {
  it('retries 503s with doubling waits on the clock and delivers the payload', async () => {
    const { url, bodies } = await receiver([503, 503, 200]);
    const clock = new ManualClock();
    const payload = guardSlackPayload(report);
    const result = await sendGuardNotification({ url, payload, clock, allowPrivateNetwork: true });
    expect(result).toEqual({ delivered: true, attempts: 3, status: 200 });
    expect(clock.sleepsMs).toEqual([1000, 2000]);
    expect(bodies.map((body) => JSON.parse(body))).toEqual([payload, payload, payload]);
  });

  it('stops at a 4xx other than 408 and 429, and after the last attempt', async () => {
    const rejected = await receiver([400]);
    const clock = new ManualClock();
    const once = await sendGuardNotification({
      url: rejected.url,
      payload: { text: 'x' },
      clock,
      allowPrivateNetwork: true,
    });
    expect(once).toMatchObject({ delivered: false, attempts: 1, status: 400 });
    expect(clock.sleepsMs).toEqual([]);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    const failing = await receiver([500, 500, 500]);
    const exhausted = await sendGuardNotification({
      url: failing.url,
      payload: { text: 'x' },
      clock,
      maxAttempts: 3,
      allowPrivateNetwork: true,
    });
    expect(exhausted).toMatchObject({ delivered: false, attempts: 3, status: 500 });
    expect(clock.sleepsMs).toEqual([1000, 2000]);
  });

  it('refuses a loopback receiver unless private networks are allowed, without retrying', async () => {
    const { url, bodies } = await receiver([200]);
    const clock = new ManualClock();
    const result = await sendGuardNotification({ url, payload: { text: 'x' }, clock });
    expect(result.delivered).toBe(false);
    expect(result.attempts).toBe(1);
    expect(bodies).toEqual([]);
  });
});
