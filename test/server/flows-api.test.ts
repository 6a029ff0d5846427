import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { BlobStore } from '../../src/blobs/index.js';
import { builtInCatalog } from '../../src/catalog/index.js';
import { Imagegate } from '../../src/client/index.js';
import { ManualClock, systemClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import { ApiKeyStore } from '../../src/server/auth/index.js';
import { createServerApp } from '../../src/server/create-server-app.js';
import { createFlowService, type FlowService } from '../../src/server/flow-service.js';
import {
  imagegateTaskRunner,
  openSqliteDatabase,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
} from '../../src/tasks/index.js';
import { exampleFlow } from '../flows/flow-harness.js';
import { nodeCacheLimits, SqliteFlowStore } from '../../src/flows/index.js';

/** The brand-asset example's models are all live on this day. */
const judgedAtMs = Date.UTC(2026, 7, 1);

let emulator: RunningEmulator;
let imagegate: Imagegate;
let folder: string;
let app: ReturnType<typeof createServerApp>;
let flows: FlowService;
let worker: TaskWorker;
let clock: ManualClock;
let owner: string;
let stranger: string;
let frugal: string;
const finishedRuns: Array<{ id: string; status: string }> = [];

beforeAll(async () => {
  emulator = await startEmulator({ clock: new ManualClock(judgedAtMs) });
  emulator.clock.setNow(judgedAtMs, { frozen: true });
  clock = new ManualClock(judgedAtMs);
  imagegate = await Imagegate.create({
    provider: new GeminiProvider({ geminiApi: { apiKey: 'k', baseUrl: emulator.url } }),
    config: defaultConfig,
    clock,
  });
  folder = await mkdtemp(join(tmpdir(), 'imagegate-flows-api-'));
  const database = openSqliteDatabase(join(folder, 'tasks.sqlite'));
  const store = new SqliteTaskStore(database, { closeDatabase: false });
  const blobs = new BlobStore({ directory: join(folder, 'blobs') });
  const events = new TaskEventHub();
  const keys = new ApiKeyStore(database, { clock });
  owner = keys.create({ name: 'owner' }).secret;
  stranger = keys.create({ name: 'stranger' }).secret;
  frugal = keys.create({ name: 'frugal', monthlyBudgetUsd: 0.05 }).secret;
  // Polling and leases on the system clock (nothing asserts on time); lifecycle on the manual clock.
  worker = new TaskWorker({
    store,
    blobs,
    events,
    run: imagegateTaskRunner(imagegate),
    clock: systemClock,
    pollIntervalMs: 5,
    concurrency: 8,
  });
  worker.start();
  flows = createFlowService({
    store: new SqliteFlowStore(database, { clock, nodeCache: nodeCacheLimits(defaultConfig) }),
    tasks: store,
    blobs,
    registry: imagegate.registry,
    config: defaultConfig,
    catalog: builtInCatalog(),
    clock,
    taskEvents: events,
    onTaskCreated: () => worker.wake(),
    cancelTask: (taskId) => worker.cancel(taskId),
    onRunFinished: (run) => finishedRuns.push({ id: run.id, status: run.status }),
    // Runs wait on the system clock (nothing asserts on time); lifecycle is judged on the manual clock.
    waitClock: systemClock,
    pollIntervalMs: 5,
  });
  app = createServerApp({
    store,
    blobs,
    registry: imagegate.registry,
    catalog: builtInCatalog(),
    config: defaultConfig,
    clock,
    events,
    keys,
    flows: flows.routes,
    logError: (error) => {
      throw error;
    },
  });
});

afterAll(async () => {
  await flows?.detach();
  await worker?.stop({ graceMs: 0 });
  await imagegate?.close();
  await emulator?.close();
  await rm(folder, { recursive: true, force: true });
});

function call(
  method: string,
  path: string,
  secret: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  return app.request(path, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

const brand = parseYaml(exampleFlow('brand-assets.yaml')) as Record<string, unknown>;

describe('flows over HTTP', () => {
  it('creates a draft, publishes, diffs and rolls back', async () => {
    const draft = await call('PUT', '/v1/flows/brand-assets/draft', owner, brand);
    expect(draft.status).toBe(200);
    const first = await call('POST', '/v1/flows/brand-assets/publish', owner, { message: 'first' });
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ object: 'flow_version', version: 1, message: 'first' });

    const nodes = brand.nodes as Record<string, Record<string, unknown>>;
    const edited = { ...brand, nodes: { ...nodes, variants: { ...nodes.variants, imageSize: '2K' } } };
    expect((await call('PUT', '/v1/flows/brand-assets/draft', owner, edited)).status).toBe(200);
    expect((await call('POST', '/v1/flows/brand-assets/publish', owner, { message: '2K' })).status).toBe(201);
    const diff = await (await call('GET', '/v1/flows/brand-assets/diff?from=1&to=2', owner)).json();
    expect(diff.text).toBe('~ nodes.variants.imageSize: "1K" → "2K"');
    const rollback = await call('POST', '/v1/flows/brand-assets/rollback', owner, { to: 1 });
    expect(await rollback.json()).toMatchObject({ version: 3, rollback_of: 1 });
    const versions = await (await call('GET', '/v1/flows/brand-assets/versions', owner)).json();
    expect(versions.data.map((version: { version: number }) => version.version)).toEqual([3, 2, 1]);
  });

  it('hides flows and runs of another key', async () => {
    expect((await call('GET', '/v1/flows/brand-assets', stranger)).status).toBe(404);
    expect(
      (await call('POST', '/v1/flows/brand-assets/runs', stranger, { inputs: { brief: 'x y z' } })).status,
    ).toBe(404);
    const listed = await (await call('GET', '/v1/flows', stranger)).json();
    expect(listed.data).toEqual([]);
  });

  it('refuses a run whose estimate would take the key over its monthly budget', async () => {
    expect(
      (await call('PUT', '/v1/flows/frugal-assets/draft', frugal, { ...brand, name: 'frugal-assets' }))
        .status,
    ).toBe(200);
    expect((await call('POST', '/v1/flows/frugal-assets/publish', frugal, { message: 'v1' })).status).toBe(
      201,
    );
    const refused = await call('POST', '/v1/flows/frugal-assets/runs', frugal, {
      inputs: { brief: 'six posters' },
    });
    expect(refused.status).toBe(429);
    expect((await refused.json()).error).toMatchObject({ code: 'monthly_budget_exceeded' });
    const runs = await (await call('GET', '/v1/flows/frugal-assets/runs', frugal)).json();
    expect(runs.data).toEqual([]);
  });

  it('names the field of an invalid document and of invalid inputs', async () => {
    const nodes = brand.nodes as Record<string, Record<string, unknown>>;
    const bad = { ...brand, nodes: { ...nodes, variants: { ...nodes.variants, variants: 12 } } };
    const refused = await call('PUT', '/v1/flows/brand-assets/draft', owner, bad);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatchObject({
      code: 'invalid_flow',
      param: 'nodes.variants.variants',
      message: 'draft: node "variants", nodes.variants.variants: 12 is out of range; allowed 1–8',
    });
    const noBrief = await call('POST', '/v1/flows/brand-assets/runs', owner, { inputs: {} });
    expect(noBrief.status).toBe(400);
    expect((await noBrief.json()).error).toMatchObject({ param: 'inputs.brief', code: 'invalid_input' });
    const tooMany = await call('POST', '/v1/flows/brand-assets/runs', owner, {
      inputs: { brief: 'a b c', count: 20 },
    });
    expect((await tooMany.json()).error).toMatchObject({ param: 'inputs.count' });
  });

  it('keeps a flow file sent as application/yaml as the source, and patches it on a JSON save', async () => {
    const text = exampleFlow('brand-assets.yaml').replace('name: brand-assets', 'name: brand-file');
    const yaml = { 'content-type': 'application/yaml' };
    const pushed = await app.request('/v1/flows/brand-file/draft', {
      method: 'PUT',
      headers: { authorization: `Bearer ${owner}`, ...yaml },
      body: text,
    });
    expect(pushed.status).toBe(200);
    const flow = (await pushed.json()) as { draft: Record<string, unknown>; source: string };
    expect(flow.source).toBe(text);

    // The draft as JSON (defaults filled in), one field edited: the source changes in that line only.
    const draft = structuredClone(flow.draft) as { nodes: Record<string, Record<string, unknown>> };
    draft.nodes.variants!.imageSize = '2K';
    expect((await call('PUT', '/v1/flows/brand-file/draft', owner, draft)).status).toBe(200);
    const saved = (await (await call('GET', '/v1/flows/brand-file', owner)).json()) as { source: string };
    expect(saved.source).toBe(text.replace('imageSize: 1K', 'imageSize: 2K'));
    expect((await call('POST', '/v1/flows/brand-file/publish', owner, { message: '2K' })).status).toBe(201);
    const version = await (await call('GET', '/v1/flows/brand-file/versions/1', owner)).json();
    expect(version.source).toBe(saved.source);

    // A refused file names its line; a file naming another flow is refused.
    const refused = await app.request('/v1/flows/brand-file/draft', {
      method: 'PUT',
      headers: { authorization: `Bearer ${owner}`, ...yaml },
      body: text.replace("aspectRatio: '1:1'", "aspectRatio: '1:7'"),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(
      /^draft:29: node "variants", nodes\.variants\.aspectRatio/,
    );
    const renamed = await app.request('/v1/flows/brand-other/draft', {
      method: 'PUT',
      headers: { authorization: `Bearer ${owner}`, ...yaml },
      body: text,
    });
    expect(renamed.status).toBe(400);
    expect((await renamed.json()).error).toMatchObject({ param: 'name' });
  });

  it('runs the published version with ?wait, honours Idempotency-Key, streams node events, promotes', async () => {
    const headers = { 'idempotency-key': 'brief-1' };
    const started = await call(
      'POST',
      '/v1/flows/brand-assets/runs?wait=60',
      owner,
      { inputs: { brief: 'a night market', count: 2 }, webhook_url: 'https://example.com/hook' },
      headers,
    );
    expect(started.status).toBe(200);
    const run = await started.json();
    expect(run).toMatchObject({ object: 'flow_run', status: 'succeeded', version: 3 });
    expect(run.nodes.map((node: { node: string; status: string }) => [node.node, node.status])).toEqual([
      ['direction', 'succeeded'],
      ['variants', 'succeeded'],
      ['review', 'succeeded'],
    ]);
    expect(run.variants[0]).toMatchObject({ node: 'variants', requestedModel: 'image_fast' });
    expect(finishedRuns).toContainEqual({ id: run.id, status: 'succeeded' });

    const again = await call(
      'POST',
      '/v1/flows/brand-assets/runs',
      owner,
      { inputs: { brief: 'a night market', count: 2 }, webhook_url: 'https://example.com/hook' },
      headers,
    );
    expect((await again.json()).id).toBe(run.id);
    const conflict = await call(
      'POST',
      '/v1/flows/brand-assets/runs',
      owner,
      { inputs: { brief: 'other' } },
      headers,
    );
    expect(conflict.status).toBe(409);

    const events = await (await call('GET', `/v1/flow-runs/${run.id}/events`, owner)).text();
    expect(events.match(/^event: node$/gm)).toHaveLength(3);
    expect(events).toMatch(/event: run\ndata: \{"object":"flow_run"/);

    const promoted = await call('POST', `/v1/flow-runs/${run.id}/promote`, owner, {
      node: 'variants',
      variant: 1,
      model: 'image_quality',
    });
    expect(promoted.status).toBe(202);
    const promotedRun = await flows.runner.waitForFinal((await promoted.json()).id);
    expect(promotedRun).toMatchObject({ status: 'succeeded', lineage: { parentRunId: run.id, variant: 1 } });
    expect((await call('GET', `/v1/flow-runs/${run.id}`, stranger)).status).toBe(404);
    expect((await call('POST', `/v1/flow-runs/${run.id}/retry`, owner)).status).toBe(409);
  });

  it('validates a document without storing it: the save rules, every problem with its field', async () => {
    const nodes = brand.nodes as Record<string, Record<string, unknown>>;
    const imageIntoText = {
      ...brand,
      name: 'checked',
      nodes: {
        ...nodes,
        direction: { ...nodes.direction, prompt: 'Brief: {{nodes.variants.images}}' },
        variants: { ...nodes.variants, variants: 12 },
      },
    };
    const answer = await call('POST', '/v1/flows/checked/validate', owner, imageIntoText);
    expect(answer.status).toBe(200);
    const validation = (await answer.json()) as { ok: boolean; problems: Array<Record<string, string>> };
    expect(validation.ok).toBe(false);
    expect(validation.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'nodes.direction.prompt',
          node: 'direction',
          message: '{{nodes.variants.images}} is images, but a text field takes text, numbers or booleans',
        }),
      ]),
    );
    expect(validation.problems.map((problem) => problem.field)).toEqual(
      expect.arrayContaining(['nodes.direction.prompt']),
    );
    // Nothing was stored.
    expect((await call('GET', '/v1/flows/checked', owner)).status).toBe(404);
    const fine = await (
      await call('POST', '/v1/flows/checked/validate', owner, { ...brand, name: 'checked' })
    ).json();
    expect(fine).toMatchObject({ object: 'flow_validation', ok: true, problems: [] });
    // Another key's flow name reads as taken, as a save would say.
    const taken = await (await call('POST', '/v1/flows/brand-assets/validate', stranger, brand)).json();
    expect(taken).toMatchObject({
      ok: false,
      problems: [{ field: 'name', message: 'the name "brand-assets" is taken' }],
    });
    const notAnObject = await call('POST', '/v1/flows/checked/validate', owner, ['nodes']);
    expect(notAnObject.status).toBe(400);
    const otherName = await call('POST', '/v1/flows/checked/validate', owner, brand);
    expect(((await otherName.json()) as { error: { param: string } }).error.param).toBe('name');
  });

  it('retries one failed node of a run, with what failed because of it, and leaves other failures', async () => {
    const document = {
      name: 'two-failures',
      inputs: { prompt: { type: 'string' } },
      nodes: {
        hero: { type: 'image', model: 'image_fast', prompt: 'forbidden hero {{inputs.prompt}}' },
        badge: { type: 'image', model: 'image_fast', prompt: 'forbidden badge {{inputs.prompt}}' },
        framed: {
          type: 'image',
          model: 'image_fast',
          prompt: 'frame',
          references: ['{{nodes.hero.images}}'],
        },
        out: {
          type: 'output',
          results: { framed: '{{nodes.framed.images}}', badge: '{{nodes.badge.images}}' },
        },
      },
    };
    expect((await call('PUT', '/v1/flows/two-failures/draft', owner, document)).status).toBe(200);
    expect((await call('POST', '/v1/flows/two-failures/publish', owner, { message: 'v1' })).status).toBe(201);
    const statuses = (run: { nodes: Array<{ node: string; status: string }> }) =>
      Object.fromEntries(run.nodes.map((node) => [node.node, node.status]));
    const finalRun = async (id: string) => {
      // Its own deadline: a run that never ends comes back as it is, and the assertions name its state.
      await flows.runner.waitForFinal(id, AbortSignal.timeout(30_000));
      return (await (await call('GET', `/v1/flow-runs/${id}`, owner)).json()) as {
        status: string;
        nodes: Array<{ node: string; status: string; error: { type: string } | null }>;
      };
    };
    emulator.faults.replaceScenario(
      parseScenario('safety:\n  - { verdict: IMAGE_SAFETY, pattern: forbidden }\n', 'scenario.yaml'),
    );
    let runId: string;
    try {
      const started = await call('POST', '/v1/flows/two-failures/runs', owner, {
        inputs: { prompt: 'a cat' },
      });
      runId = ((await started.json()) as { id: string }).id;
      const failed = await finalRun(runId);
      expect(statuses(failed)).toEqual({ hero: 'failed', badge: 'failed', framed: 'failed', out: 'failed' });
    } finally {
      emulator.faults.replaceScenario(parseScenario('{}', 'scenario.yaml'));
    }
    const retryNode = (node: string, secret = owner) =>
      call('POST', `/v1/flow-runs/${runId}/retry?node=${node}`, secret);
    expect((await retryNode('hero', stranger)).status).toBe(404);
    const unknown = await retryNode('ghost');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('node_not_found');
    expect((await call('POST', `/v1/flow-runs/${runId}/retry?node=Not%20a%20node`, owner)).status).toBe(400);

    expect((await retryNode('hero')).status).toBe(202);
    const afterHero = await finalRun(runId);
    // hero and framed ran again; badge was not retried, so the output still cannot run.
    expect(statuses(afterHero)).toEqual({
      hero: 'succeeded',
      badge: 'failed',
      framed: 'succeeded',
      out: 'failed',
    });
    expect(afterHero.nodes.find((node) => node.node === 'badge')?.error?.type).toBe('blocked_output');
    expect(afterHero.status).toBe('failed');
    expect((await retryNode('hero')).status).toBe(409);

    expect((await retryNode('badge')).status).toBe(202);
    const afterBadge = await finalRun(runId);
    expect(afterBadge.status).toBe('succeeded');
    expect(statuses(afterBadge)).toEqual({
      hero: 'succeeded',
      badge: 'succeeded',
      framed: 'succeeded',
      out: 'succeeded',
    });
  });

  it('names published flow versions in /v1/models/deprecations', async () => {
    const dated = {
      name: 'dated',
      nodes: {
        hero: { type: 'image', model: 'gemini-2.5-flash-image', prompt: 'a lighthouse' },
        out: { type: 'output', results: { images: '{{nodes.hero.images}}' } },
      },
    };
    expect((await call('PUT', '/v1/flows/dated/draft', owner, dated)).status).toBe(200);
    const published = await call('POST', '/v1/flows/dated/publish', owner, { message: 'pin' });
    expect(published.status).toBe(201);
    expect((await published.json()).warnings[0].message).toMatch(/shuts down on 2026-10-02/);
    const list = await (await call('GET', '/v1/models/deprecations', owner)).json();
    const row = list.data.find(
      (entry: { model: string; platform: string }) =>
        entry.model === 'gemini-2.5-flash-image' && entry.platform === 'gemini-api',
    );
    expect(row.used_by).toContain('flow dated v1 node hero');
  });

  it("runs a version whose model retired since with a warning, by the engine's fallback rules", async () => {
    clock.set(Date.UTC(2026, 9, 3));
    try {
      const response = await call('POST', '/v1/flows/dated/runs?wait=60', owner, { inputs: {} });
      const run = await response.json();
      expect(run.warnings.join('\n')).toMatch(
        /gemini-2\.5-flash-image on gemini-api was shut down on 2026-10-02/,
      );
      // A retired GA model is replaced only by a twin of its own family; there is none, so the node fails.
      expect(run).toMatchObject({ status: 'failed' });
      expect(run.nodes[0]).toMatchObject({ node: 'hero', status: 'failed' });
    } finally {
      clock.set(judgedAtMs);
    }
  });

  it('lists its routes in the OpenAPI document', async () => {
    const document = await (
      await app.request('/openapi.json', { headers: { authorization: `Bearer ${owner}` } })
    ).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/flows',
        '/v1/flows/{name}/draft',
        '/v1/flows/{name}/publish',
        '/v1/flows/{name}/versions',
        '/v1/flows/{name}/versions/{version}',
        '/v1/flows/{name}/diff',
        '/v1/flows/{name}/rollback',
        '/v1/flows/{name}/runs',
        '/v1/flow-runs/{id}',
        '/v1/flow-runs/{id}/events',
        '/v1/flow-runs/{id}/cancel',
        '/v1/flow-runs/{id}/retry',
        '/v1/flow-runs/{id}/promote',
        '/v1/flows/{name}/validate',
      ]),
    );
  });
});
