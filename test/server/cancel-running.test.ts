import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/index.js';
import { serve, type ServerType } from '@hono/node-server';
import { createEmulator, parseScenario, type Emulator } from '../../src/emulator/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { readJson, taskSchema } from '../support/read-json.js';
import { waitUntil } from '../support/wait-until.js';

let directory: string;
let emulator: Emulator;
let emulatorServer: ServerType;
/** Generation calls the emulator has received (its stats count a call only once it is answered). */
let callsReceived = 0;
let server: RunningServer;
let receiver: Server;
let receiverUrl: string;
const deliveries: { type: string; data: { id: string; status: string } }[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-cancel-'));
  // A call that takes a minute: the cancel below lands while it is in flight, whatever the machine's speed.
  emulator = createEmulator({
    scenario: parseScenario('latency: { default: { medianMs: 60000, p95Ms: 60000 } }\n', 'slow.yaml'),
  });
  const emulatorUrl = await new Promise<string>((resolve) => {
    emulatorServer = serve(
      {
        fetch: (request) => {
          if (request.url.includes(':generateContent')) callsReceived += 1;
          return emulator.app.fetch(request);
        },
        port: 0,
        hostname: '127.0.0.1',
      },
      (info) => resolve(`http://127.0.0.1:${info.port}`),
    );
  });
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      deliveries.push(JSON.parse(text) as (typeof deliveries)[number]);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startServer({
    // A lease far longer than the call: the heartbeat never comes round, so only the cancel route
    // telling the worker can stop the call before the emulator answers.
    config: configSchema.parse({ server: { allowPrivateNetworks: true, leaseMs: 600_000 } }),
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'cancel-test', GOOGLE_GEMINI_BASE_URL: emulatorUrl },
  });
});
afterAll(async () => {
  await server.close();
  await new Promise((resolve) => emulatorServer.close(resolve));
  await new Promise((resolve) => receiver.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

describe('cancelling a running task', () => {
  it('aborts the in-flight upstream call, stores no image and ends cancelled with its attempts; the webhook says so', async () => {
    const submitted = await fetch(`${server.url}/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'a slow lighthouse', webhook_url: receiverUrl }),
    });
    const { id } = await readJson(submitted, taskSchema);
    const getTask = async () => readJson(await fetch(`${server.url}/v1/tasks/${id}`), taskSchema);
    await waitUntil(() => callsReceived > 0, { what: 'the upstream call to start', intervalMs: 25 });
    expect((await getTask()).status).toBe('processing');

    const cancel = await fetch(`${server.url}/v1/tasks/${id}/cancel`, { method: 'POST' });
    expect(cancel.status).toBe(200);

    const finished = await waitUntil(
      async () => {
        const task = await getTask();
        return task.status === 'processing' ? undefined : task;
      },
      { what: 'the task to end', intervalMs: 25 },
    );
    expect(finished.status).toBe('cancelled');
    expect(finished.error?.type).toBe('cancelled');
    expect(finished.result).toBeNull();
    expect(finished.attempts.map((attempt) => attempt.outcome)).toEqual(['cancelled']);
    // The emulator saw its caller hang up mid-call (499) rather than answering 200.
    const stats = await waitUntil(
      () => {
        const counted = emulator.stats.snapshot().models['gemini-3.1-flash-image'];
        return counted?.calls ? counted : undefined;
      },
      { what: 'the emulator to count the call', intervalMs: 25 },
    );
    expect(stats.byOutcome).toEqual({ '499': 1 });
    expect(await readdir(join(directory, 'data', 'blobs')).catch(() => [])).toEqual([]);

    const webhook = await waitUntil(() => deliveries.find((entry) => entry.data.id === id), {
      what: 'the webhook',
      intervalMs: 25,
    });
    expect(webhook).toMatchObject({ type: 'task.cancelled', data: { status: 'cancelled' } });
  });
});
