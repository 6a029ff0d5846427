import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { clockStartingAt } from '../../src/clock/index.js';
import { configSchema } from '../../src/config/index.js';
import { startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { openApiDocumentSchema, parseJsonText, readJson, taskSchema } from '../support/read-json.js';
import { testDayMs } from '../support/test-day.js';
import { waitUntil } from '../support/wait-until.js';

/** A webhook delivery's body: the event type and the task it is about. */
const webhookBodySchema = z.object({ type: z.string(), data: taskSchema });
/** An OpenAI-compatible images answer, as far as these tests read it. */
const openAiImagesSchema = z.object({ data: z.array(z.unknown()) });

interface Delivery {
  headers: IncomingHttpHeaders;
  body: z.infer<typeof webhookBodySchema>;
}

let directory: string;
let emulator: RunningEmulator;
let server: RunningServer;
let receiver: Server;
let receiverUrl: string;
const deliveries: Delivery[] = [];
const notices: string[] = [];

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'imagegate-start-'));
  const clock = clockStartingAt(testDayMs);
  emulator = await startEmulator({ clock });
  receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      deliveries.push({ headers: request.headers, body: parseJsonText(text, webhookBodySchema, 'webhook') });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  server = await startServer({
    config: configSchema.parse({ server: { metrics: true, allowPrivateNetworks: true } }),
    port: 0,
    dataDirectory: join(directory, 'data'),
    env: { GEMINI_API_KEY: 'start', GOOGLE_GEMINI_BASE_URL: emulator.url },
    clock,
    onNotice: (line) => notices.push(line),
  });
});
afterAll(async () => {
  await server.close();
  await emulator.close();
  await new Promise((resolve) => receiver.close(resolve));
  await rm(directory, { recursive: true, force: true });
});

describe('startServer', () => {
  it('talks to the configured Gemini endpoint and keeps a generated webhook secret in the data directory', () => {
    expect(server.target).toBe('google');
    expect(server.dataDirectory).toBe(join(directory, 'data'));
    expect(notices.join('\n')).toContain(join(directory, 'data', 'webhook-secret'));
  });

  it('delivers a signed webhook with the finished task', async () => {
    const response = await fetch(`${server.url}/v1/images/generations?wait=30`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'A webhook kite', webhook_url: receiverUrl, metadata: { job: 'w1' } }),
    });
    const task = await readJson(response, taskSchema);
    expect(task.status).toBe('success');
    const delivery = await waitUntil(() => deliveries.find((entry) => entry.body.data.id === task.id), {
      what: `the webhook delivery of ${task.id}`,
      intervalMs: 50,
    });
    expect(delivery.body.type).toBe('task.success');
    expect(delivery.body.data.metadata).toEqual({ job: 'w1' });
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,/);
  });

  it('lists the OpenAI-compatible operations in /openapi.json with their bodies and error statuses', async () => {
    const document = await readJson(await fetch(`${server.url}/openapi.json`), openApiDocumentSchema);
    const generations = document.paths['/openai/v1/images/generations']?.post;
    const edits = document.paths['/openai/v1/images/edits']?.post;
    if (!generations?.requestBody || !edits?.requestBody) {
      throw new Error('/openapi.json lacks the OpenAI-compatible generations or edits operation with a body');
    }
    expect(Object.keys(generations.requestBody.content)).toEqual(['application/json']);
    expect(generations.requestBody.content['application/json']?.schema?.properties).toHaveProperty('prompt');
    expect(Object.keys(edits.requestBody.content)).toEqual(['multipart/form-data']);
    expect(Object.keys(generations.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '404', '410', '413', '429', '502', '503']),
    );
  });

  it('mounts the OpenAI-compatible routes and serves metrics', async () => {
    const response = await fetch(`${server.url}/openai/v1/images/generations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'An OpenAI-style kite' }),
    });
    expect(response.status).toBe(200);
    expect((await readJson(response, openAiImagesSchema)).data).toHaveLength(1);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('imagegate_tasks_total{status="success"');
  });
});
