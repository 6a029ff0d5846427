import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { createControlRoutes } from './control-routes.js';
import { EmulatorClock } from './emulator-clock.js';
import { EmulatorStats } from './emulator-stats.js';
import { Faults } from './faults.js';

const start = Date.parse('2026-06-26T10:00:00Z');

function setup() {
  const base = new ManualClock(start);
  const clock = new EmulatorClock(base);
  const faults = new Faults({ clock });
  const stats = new EmulatorStats(clock);
  const app = createControlRoutes({ clock, faults, stats });
  return { base, clock, faults, stats, app };
}

function put(body: string, contentType = 'application/json') {
  return { method: 'PUT', body, headers: { 'content-type': contentType } } as const;
}

const generate = {
  platform: 'gemini-api',
  modelId: 'gemini-3-pro-image',
  method: 'generateContent',
} as const;

describe('control routes: clock', () => {
  it('reads the base time until set', async () => {
    const { app } = setup();
    const response = await app.request('/clock');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ now: '2026-06-26T10:00:00.000Z', frozen: false, set: false });
  });

  it('sets, freezes and resets the emulated time', async () => {
    const { app, base, clock } = setup();
    const set = await app.request('/clock', put('{"now":"2026-10-30T00:00:00Z","frozen":true}'));
    expect(await set.json()).toEqual({ now: '2026-10-30T00:00:00.000Z', frozen: true, set: true });
    base.advance(5_000);
    expect(clock.nowMs()).toBe(Date.parse('2026-10-30T00:00:00Z'));
    const reset = await app.request('/clock', { method: 'DELETE' });
    expect(await reset.json()).toEqual({ now: '2026-06-26T10:00:05.000Z', frozen: false, set: false });
  });

  it('rejects a bad time in Google error shape, naming the field', async () => {
    const { app } = setup();
    const response = await app.request('/clock', put('{"now":"soon","speed":2}'));
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { status: string; details: { fieldViolations: unknown[] }[] };
    };
    expect(body.error.status).toBe('INVALID_ARGUMENT');
    expect(body.error.details[0]?.fieldViolations).toEqual([
      { field: 'now', description: expect.stringContaining('expected an ISO 8601 instant') },
      { field: 'speed', description: expect.stringContaining('allowed keys: now, frozen') },
    ]);
  });

  it('rejects a body that is not JSON', async () => {
    const { app } = setup();
    const response = await app.request('/clock', put('now=today'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Invalid JSON payload received.');
  });
});

describe('control routes: scenario', () => {
  it('replaces the scenario from YAML and serves it back as JSON or YAML', async () => {
    const { app, faults, clock } = setup();
    const yamlScenario =
      'clock: { now: "2026-07-01T00:00:00Z" }\nscripted:\n  - { model: gemini-3-pro-image, responses: [503] }\n';
    const replaced = await app.request('/scenario', put(yamlScenario, 'application/yaml'));
    expect(replaced.status).toBe(200);
    expect(faults.beforeCall(generate)).toMatchObject({ kind: 'error', httpStatus: 503 });
    expect(clock.nowMs()).toBe(Date.parse('2026-07-01T00:00:00Z'));

    const asJson = (await (await app.request('/scenario')).json()) as { scripted: unknown[] };
    expect(asJson.scripted).toEqual([{ model: 'gemini-3-pro-image', responses: [503], repeat: false }]);
    const asYaml = await app.request('/scenario', { headers: { accept: 'application/yaml' } });
    expect(asYaml.headers.get('content-type')).toContain('application/yaml');
    expect(await asYaml.text()).toContain('model: gemini-3-pro-image');
  });

  it('accepts JSON, and refuses YAML sent as JSON', async () => {
    const { app, faults } = setup();
    const ok = await app.request('/scenario', put('{"seed": 9}'));
    expect(ok.status).toBe(200);
    expect(faults.scenario.seed).toBe(9);
    const notJson = await app.request('/scenario', put('seed: 10'));
    expect(notJson.status).toBe(400);
    expect(faults.scenario.seed).toBe(9);
  });

  it('keeps the old scenario and names the line and field when the new one is invalid', async () => {
    const { app, faults } = setup();
    const response = await app.request(
      '/scenario',
      put('seed: 1\nerrors:\n  - { status: 503 }\n', 'text/yaml'),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as {
      error: { message: string; details: { fieldViolations: unknown[] }[] };
    };
    expect(body.error.message).toContain('request body:3:5 errors[0].rate');
    expect(body.error.details[0]?.fieldViolations).toEqual([
      { field: 'errors[0].rate', description: expect.stringMatching(/^line 3: /) },
    ]);
    expect(faults.scenario.errors).toEqual([]);
  });

  it('refuses an unsupported content type', async () => {
    const { app } = setup();
    const response = await app.request('/scenario', put('seed: 1', 'application/xml'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Content-Type application/xml is not supported');
  });
});

describe('control routes: stats and reset', () => {
  it('serves the stats and resets them together with the quota windows', async () => {
    const { app, faults, stats, base } = setup();
    await app.request('/scenario', put('{"quotas":[{"model":"*","rpm":1}]}'));
    expect(faults.beforeCall(generate)).toBeUndefined();
    stats.record(generate.modelId, 'generateContent', 'ok');
    expect(faults.beforeCall(generate)).toMatchObject({ httpStatus: 429 });
    stats.record(generate.modelId, 'generateContent', '429');

    const snapshot = (await (await app.request('/stats')).json()) as {
      models: Record<string, { calls: number }>;
    };
    expect(snapshot.models['gemini-3-pro-image']?.calls).toBe(2);

    base.advance(1_000);
    const reset = await app.request('/reset', { method: 'POST' });
    expect(await reset.json()).toEqual({ since: '2026-06-26T10:00:01.000Z', models: {} });
    expect(faults.beforeCall(generate)).toBeUndefined();
  });

  it('answers unknown routes with a Google-shaped 404 listing the routes', async () => {
    const { app } = setup();
    const response = await app.request('/time');
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { status: string; message: string } };
    expect(body.error.status).toBe('NOT_FOUND');
    expect(body.error.message).toContain('GET|PUT /scenario');
  });
});
