import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/emulator/index.js';
import {
  FlowRunner,
  parseFlowInputs,
  promoteRun,
  registryModelNames,
  variantGroups,
  validateFlowDocument,
  type FlowDocument,
  type NodeImage,
} from '../../src/flows/index.js';
import { systemClock } from '../../src/clock/index.js';
import { exampleFlow, finalRun, flowHarness, type FlowHarness, type FlowStack } from './flow-harness.js';

let harness: FlowHarness;

beforeAll(async () => {
  harness = await flowHarness();
});

afterAll(async () => {
  await harness?.close();
});

const owner = { keyId: 'key_owner' };

async function publish(stack: FlowStack, text: string): Promise<{ document: FlowDocument; version: number }> {
  const validation = validateFlowDocument(text, { file: 'flow.yaml' });
  if (!validation.ok) throw new Error(JSON.stringify(validation.problems));
  await stack.library.saveDraft(validation.document, owner);
  const { version } = await stack.library.publish(validation.document.name, { message: 'v1' }, owner);
  return { document: version.document, version: version.version };
}

function start(
  stack: FlowStack,
  published: { document: FlowDocument; version: number },
  raw: Record<string, unknown>,
) {
  return stack.runner.start({
    document: published.document,
    version: published.version,
    inputs: parseFlowInputs(published.document, raw),
    access: owner,
  });
}

describe('flow runs on the task store, against the emulator', () => {
  it('runs the brand-asset pipeline: one text call, six image calls, results and costs recorded', async () => {
    const stack = await harness.stack('brand');
    stack.worker.start();
    const published = await publish(stack, exampleFlow('brand-assets.yaml'));
    const started = await start(stack, published, { brief: 'a coffee brand for night owls' });
    expect(started.estimatedCostUsd).toBeGreaterThan(0);
    const run = await finalRun(stack.runner, started.id);

    expect(run.status).toBe('succeeded');
    expect(run).toMatchObject({ version: 1, versionSha256: started.versionSha256 });
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 6 });
    expect(run.result?.direction).toMatch(
      /^Visual direction for "Write the visual direction for this brief: a coffee brand/,
    );
    const variants = run.result?.variants as NodeImage[];
    expect(variants.map((image) => image.variant)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(variants.map((image) => image.seed)).size).toBe(6);
    expect(new Set(variants.map((image) => image.sha256)).size).toBe(6);
    expect(run.actualCostUsd).toBeGreaterThan(0);
    const nodes = await stack.runner.nodes(run.id, owner);
    expect(nodes.map((node) => [node.nodeId, node.status, node.taskIds.length])).toEqual([
      ['direction', 'succeeded', 1],
      ['variants', 'succeeded', 6],
      ['review', 'succeeded', 0],
    ]);
    const task = await stack.tasks.get(nodes[0]!.taskIds[0]!);
    expect(task).toMatchObject({
      apiKeyId: 'key_owner',
      request: { responseModality: 'text', model: 'text_fast' },
    });

    // The same inputs again: every model node comes from the cache, no upstream call is made.
    const again = await finalRun(
      stack.runner,
      (await start(stack, published, { brief: 'a coffee brand for night owls' })).id,
    );
    expect(again.status).toBe('succeeded');
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 6 });
    expect((await stack.runner.nodes(again.id, owner)).map((node) => node.cached)).toEqual([
      true,
      true,
      false,
    ]);
    expect(again.result).toEqual(run.result);

    // Promote variant 4 to the quality model: the text node comes from the cache, one image call is made.
    const promoted = await promoteRun(
      stack.runner,
      { runId: run.id, node: 'variants', variant: 4, model: 'image_quality' },
      owner,
      registryModelNames(stack.registry),
    );
    const promotedRun = await finalRun(stack.runner, promoted.id);
    expect(promotedRun).toMatchObject({
      status: 'succeeded',
      version: 1,
      lineage: { parentRunId: run.id, nodeId: 'variants', variant: 4, model: 'image_quality' },
    });
    expect(stack.calls()).toEqual({
      'gemini-3.5-flash-lite': 1,
      'gemini-3.1-flash-image': 6,
      'gemini-3-pro-image': 1,
    });
    const [best] = promotedRun.result?.variants as NodeImage[];
    expect(best).toMatchObject({
      seed: variants[4]!.seed,
      servedModel: 'gemini-3-pro-image',
      requestedModel: 'image_quality',
    });
    expect(promotedRun.result?.direction).toBe(run.result?.direction);
    await expect(
      promoteRun(
        stack.runner,
        { runId: run.id, node: 'variants', variant: 9, model: 'image_quality' },
        owner,
      ),
    ).rejects.toThrow(/No variant "9 of node variants \(it has 6\)"/);
    await expect(
      promoteRun(
        stack.runner,
        { runId: run.id, node: 'variants', variant: 0, model: 'image_quality' },
        { keyId: 'key_other' },
      ),
    ).rejects.toThrow(/No run/);

    // Another brief changes the signature of both model nodes.
    await finalRun(stack.runner, (await start(stack, published, { brief: 'a tea brand', count: 2 })).id);
    expect(stack.calls()).toEqual({
      'gemini-3.5-flash-lite': 2,
      'gemini-3.1-flash-image': 8,
      'gemini-3-pro-image': 1,
    });
  });

  it('reuses cached nodes until flows.nodeCache.maxAgeDays (default server.retentionDays) has passed', async () => {
    const stack = await harness.stack('cache-expiry');
    stack.worker.start();
    const published = await publish(stack, exampleFlow('brand-assets.yaml'));
    const inputs = { brief: 'a lighthouse keeper', count: 1 };
    await finalRun(stack.runner, (await start(stack, published, inputs)).id);
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 1 });

    stack.clock.advance(30 * 86_400_000 - 1);
    const fresh = await finalRun(stack.runner, (await start(stack, published, inputs)).id);
    expect((await stack.runner.nodes(fresh.id, owner)).map((node) => node.cached)).toEqual([
      true,
      true,
      false,
    ]);
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 1 });

    stack.clock.advance(1);
    const expired = await finalRun(stack.runner, (await start(stack, published, inputs)).id);
    expect(expired.status).toBe('succeeded');
    expect((await stack.runner.nodes(expired.id, owner)).map((node) => node.cached)).toEqual([
      false,
      false,
      false,
    ]);
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 2, 'gemini-3.1-flash-image': 2 });
  });

  it('runs the A/B flow: the same prompt and seeds on both models', async () => {
    const stack = await harness.stack('ab');
    stack.worker.start();
    const published = await publish(stack, exampleFlow('ab-image-models.yaml'));
    const run = await finalRun(stack.runner, (await start(stack, published, { prompt: 'a red bicycle' })).id);
    expect(run.status).toBe('succeeded');
    expect(stack.calls()).toEqual({ 'gemini-3.1-flash-image': 2, 'gemini-3-pro-image': 2 });
    const flash = run.result?.flash as NodeImage[];
    const pro = run.result?.pro as NodeImage[];
    expect(flash.map((image) => [image.seed, image.servedModel])).toEqual([
      [7, 'gemini-3.1-flash-image'],
      [8, 'gemini-3.1-flash-image'],
    ]);
    expect(pro.map((image) => [image.seed, image.servedModel])).toEqual([
      [7, 'gemini-3-pro-image'],
      [8, 'gemini-3-pro-image'],
    ]);
    const groups = variantGroups(await stack.runner.nodes(run.id, owner));
    expect(
      groups.map((group) => [group.node, group.requestedModel, group.servedModels, group.variants.length]),
    ).toEqual([
      ['flash', 'gemini-3.1-flash-image', ['gemini-3.1-flash-image'], 2],
      ['pro', 'gemini-3-pro-image', ['gemini-3-pro-image'], 2],
    ]);
    expect(groups[1]!.costUsd).toBeGreaterThan(groups[0]!.costUsd!);
    expect(groups.every((group) => typeof group.latencyMs === 'number')).toBe(true);
  });

  it('fails the dependents of a failed node, keeps the rest, and retries only what did not succeed', async () => {
    const stack = await harness.stack('retry');
    stack.worker.start();
    const text = `name: partial
inputs:
  prompt: { type: string }
nodes:
  caption: { type: text, model: text_fast, prompt: 'Caption for {{inputs.prompt}}' }
  hero: { type: image, model: gemini-3-pro-image, prompt: 'forbidden {{inputs.prompt}}' }
  after: { type: template, template: 'hero made {{nodes.caption.text}}' }
  framed: { type: image, model: gemini-3-pro-image, prompt: 'frame', references: ['{{nodes.hero.images}}'] }
  out: { type: output, results: { caption: '{{nodes.caption.text}}', framed: '{{nodes.framed.images}}' } }
`;
    const published = await publish(stack, text);
    harness.emulator.faults.replaceScenario(
      parseScenario('safety:\n  - { verdict: IMAGE_SAFETY, pattern: forbidden }\n', 'scenario.yaml'),
    );
    try {
      const run = await finalRun(stack.runner, (await start(stack, published, { prompt: 'a cat' })).id);
      expect(run.status).toBe('failed');
      expect(run.error?.message).toMatch(/^node "hero" failed: task task_img_\w+: the output was blocked/);
      const byNode = Object.fromEntries(
        (await stack.runner.nodes(run.id, owner)).map((node) => [node.nodeId, node]),
      );
      expect(byNode.caption?.status).toBe('succeeded');
      expect(byNode.after?.status).toBe('succeeded');
      expect(byNode.hero).toMatchObject({ status: 'failed', error: { type: 'blocked_output' } });
      expect(byNode.framed).toMatchObject({ status: 'failed', error: { type: 'upstream_failed' } });
      expect(byNode.out).toMatchObject({ status: 'failed', error: { type: 'upstream_failed' } });
      const callsAfterFailure = stack.calls();
      expect(callsAfterFailure['gemini-3.5-flash-lite']).toBe(1);

      harness.emulator.faults.replaceScenario(parseScenario('{}', 'scenario.yaml'));
      const retried = await finalRun(stack.runner, (await stack.runner.retry(run.id, owner)).id);
      expect(retried).toMatchObject({ status: 'succeeded', generation: 1 });
      expect(stack.calls()['gemini-3.5-flash-lite']).toBe(1);
      expect(stack.calls()['gemini-3-pro-image']).toBe((callsAfterFailure['gemini-3-pro-image'] ?? 0) + 2);
    } finally {
      harness.emulator.faults.replaceScenario(parseScenario('{}', 'scenario.yaml'));
    }
  });

  it('leaves a run to the runner driving it: another resuming meanwhile does not drive it too', async () => {
    const stack = await harness.stack('one-driver');
    const published = await publish(stack, exampleFlow('brand-assets.yaml'));
    // The worker is not running yet: the first runner holds the run while it waits for the text task.
    const started = await start(stack, published, { brief: 'a bookshop', count: 2 });
    const secondEvents: string[] = [];
    const second = new FlowRunner({
      store: stack.store,
      tasks: stack.tasks,
      clock: systemClock,
      pollIntervalMs: 5,
      onEvent: (event) => secondEvents.push(`${event.type} ${event.runId}`),
    });
    try {
      expect(await second.resume()).toEqual([started.id]);
      stack.worker.start();
      expect((await finalRun(stack.runner, started.id)).status).toBe('succeeded');
      expect(secondEvents).toEqual([]);
      // Once the first runner let go, nothing is left to resume.
      expect(await second.resume()).toEqual([]);
    } finally {
      await second.detach();
    }
  });

  it('resumes a run whose runner stopped mid-run, making each model call exactly once', async () => {
    const stack = await harness.stack('resume');
    const published = await publish(stack, exampleFlow('brand-assets.yaml'));
    const started = await start(stack, published, { brief: 'a bakery', count: 3 });
    // The worker is not running yet: run the text task by hand, then wait for the image tasks to exist.
    const deadline = Date.now() + 30_000;
    while (!(await stack.worker.runOnce())) {
      if (Date.now() > deadline) throw new Error('the text task never appeared');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (;;) {
      const variants = (await stack.store.nodeRuns(started.id)).find((node) => node.nodeId === 'variants');
      if (variants?.taskIds.filter(Boolean).length === 3) break;
      if (Date.now() > deadline) throw new Error('the image tasks never appeared');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await stack.runner.detach();
    expect((await stack.store.getRun(started.id))?.status).toBe('running');

    const resumed = stack.newRunner();
    expect(await resumed.resume()).toEqual([started.id]);
    stack.worker.start();
    const run = await finalRun(resumed, started.id);
    expect(run.status).toBe('succeeded');
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 3 });
    expect((await stack.tasks.list({ limit: 100 })).tasks).toHaveLength(4);
  });

  it('cancels a run: pending and running nodes and their tasks', async () => {
    const stack = await harness.stack('cancel');
    const published = await publish(stack, exampleFlow('brand-assets.yaml'));
    const started = await start(stack, published, { brief: 'a florist' });
    const deadline = Date.now() + 30_000;
    while ((await stack.store.nodeRuns(started.id))[0]?.taskIds.length !== 1) {
      if (Date.now() > deadline) throw new Error('the text task never appeared');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const cancelled = await stack.runner.cancel(started.id, owner);
    expect(cancelled.status).toBe('cancelled');
    const nodes = await stack.store.nodeRuns(started.id);
    expect(nodes.map((node) => node.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect((await stack.tasks.get(nodes[0]!.taskIds[0]!))?.status).toBe('cancelled');
    expect(stack.calls()).toEqual({});

    // Retried at once, while the cancelled drive may still be winding down: it runs to the end.
    stack.worker.start();
    const retried = await finalRun(stack.runner, (await stack.runner.retry(started.id, owner)).id);
    expect(retried).toMatchObject({ status: 'succeeded', generation: 1 });
    expect(stack.calls()).toEqual({ 'gemini-3.5-flash-lite': 1, 'gemini-3.1-flash-image': 6 });
  });

  it('refuses a batch-lane image node where no batch lane runs, naming its lane, before storing anything', async () => {
    const stack = await harness.stack('no-batch-lane');
    const published = await publish(
      stack,
      exampleFlow('brand-assets.yaml').replace('    imageSize: 1K', '    imageSize: 1K\n    lane: batch'),
    );
    await expect(start(stack, published, { brief: 'a bakery', count: 2 })).rejects.toThrow(
      /nodes\.variants\.lane: "batch" needs a batch lane, and none runs here/,
    );
    expect(await stack.store.listRuns({ limit: 10 })).toHaveLength(0);
  });

  it('refuses inputs that fail the trigger schema, naming the field', async () => {
    const validation = validateFlowDocument(exampleFlow('brand-assets.yaml'), { file: 'flow.yaml' });
    if (!validation.ok) throw new Error('invalid example');
    const document = validation.document;
    expect(() => parseFlowInputs(document, {})).toThrow(/^inputs\.brief: required \(a string\)$/);
    expect(() => parseFlowInputs(document, { brief: 'ok brief', count: 9 })).toThrow(
      /^inputs\.count: .*got 9/,
    );
    expect(() => parseFlowInputs(document, { brief: 'ok brief', colour: 'red' })).toThrow(
      /^inputs\.colour: the flow has no input "colour"; its inputs: brief, count$/,
    );
    expect(parseFlowInputs(document, { brief: 'ok brief', count: '3' }, { fromStrings: true })).toEqual({
      brief: 'ok brief',
      count: 3,
    });
  });
});
