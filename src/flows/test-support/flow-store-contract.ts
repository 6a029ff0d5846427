import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import type { FlowDocument } from '../flow-document-schema.js';
import type { FlowRun, NodeOutput, NodeRun } from '../flow-run-record.js';
import { RunIdempotencyConflictError, type FlowStore } from '../flow-store.js';
import type { NodeCacheLimits } from '../node-cache-limits.js';

const DAY_MS = 86_400_000;
const startMs = Date.UTC(2026, 2, 1, 12);

/** A document whose node order is not alphabetical: stores must keep the author's order. */
function document(name: string, model = 'image_fast'): FlowDocument {
  return {
    name,
    inputs: { brief: { type: 'string' } },
    nodes: {
      direction: { type: 'text', model: 'text_fast', prompt: 'Direction for {{inputs.brief}}' },
      hero: {
        type: 'image',
        model,
        prompt: '{{nodes.direction.text}}',
        variants: 2,
        format: 'png',
        references: [],
      },
      out: { type: 'output', results: { images: '{{nodes.hero.images}}' } },
    },
  } as unknown as FlowDocument;
}

function run(id: string, createdAtMs: number, overrides: Partial<FlowRun> = {}): FlowRun {
  return {
    id,
    flowName: 'poster',
    version: 1,
    versionSha256: 'a'.repeat(64),
    document: document('poster'),
    status: 'running',
    inputs: { brief: 'a lighthouse' },
    generation: 0,
    noCache: false,
    createdAtMs,
    updatedAtMs: createdAtMs,
    warnings: [],
    ...overrides,
  };
}

function nodeRuns(runId: string): NodeRun[] {
  // Not alphabetical either, so an adapter that sorts by id fails.
  return ['out', 'direction', 'hero'].map((nodeId) => ({
    runId,
    nodeId,
    type: nodeId === 'out' ? 'output' : nodeId === 'hero' ? 'image' : 'text',
    status: 'pending',
    cached: false,
    taskIds: [],
    warnings: [],
  }));
}

const text = (value: string): NodeOutput => ({ text: value });

export interface FlowStoreFactoryOptions {
  clock: ManualClock;
  nodeCache: NodeCacheLimits;
}

/**
 * The behaviour every `FlowStore` adapter must show, as one vitest suite. An adapter's test file calls
 * this with a factory that returns a fresh, empty store on the given clock and cache limits.
 */
export function describeFlowStoreContract(
  adapterName: string,
  /** The cleanup closes the store (again: the suite may have closed it) and what the factory opened. */
  createStore: (options: FlowStoreFactoryOptions) => Promise<{ store: FlowStore; cleanup(): Promise<void> }>,
): void {
  describe(`FlowStore contract: ${adapterName}`, () => {
    let clock: ManualClock;
    let store: FlowStore;
    const cleanups: Array<() => Promise<void>> = [];

    const open = async (nodeCache: NodeCacheLimits = { maxAgeMs: 30 * DAY_MS, maxEntries: 100 }) => {
      const created = await createStore({ clock, nodeCache });
      cleanups.push(() => created.cleanup());
      return created.store;
    };

    beforeEach(async () => {
      clock = new ManualClock(startMs);
      store = await open();
    });
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    describe('drafts', () => {
      it('creates a flow with its owner, keeps owner and creation time on a later save', async () => {
        const created = await store.saveDraft(document('poster'), 'key_a', 'name: poster\n');
        expect(created).toEqual({
          name: 'poster',
          ownerKeyId: 'key_a',
          draft: document('poster'),
          draftSource: 'name: poster\n',
          createdAtMs: startMs,
          updatedAtMs: startMs,
        });
        clock.advance(1_000);
        const saved = await store.saveDraft(document('poster', 'image_quality'), 'key_b');
        expect(saved).toEqual({
          name: 'poster',
          ownerKeyId: 'key_a',
          draft: document('poster', 'image_quality'),
          createdAtMs: startMs,
          updatedAtMs: startMs + 1_000,
        });
        expect(await store.getFlow('poster')).toEqual(saved);
        expect(await store.getFlow('missing')).toBeUndefined();
      });

      it("keeps the document's node order as written", async () => {
        await store.saveDraft(document('poster'), undefined);
        expect(Object.keys((await store.getFlow('poster'))!.draft.nodes)).toEqual([
          'direction',
          'hero',
          'out',
        ]);
      });

      it('lists flows by name, all of them or one key’s', async () => {
        await store.saveDraft(document('zebra'), 'key_a');
        await store.saveDraft(document('apple'), 'key_b');
        await store.saveDraft(document('mango'), 'key_a');
        expect((await store.listFlows()).map((flow) => flow.name)).toEqual(['apple', 'mango', 'zebra']);
        expect((await store.listFlows('key_a')).map((flow) => flow.name)).toEqual(['mango', 'zebra']);
        expect(await store.listFlows('key_nobody')).toEqual([]);
      });
    });

    describe('versions', () => {
      it('numbers versions from 1, keeps each immutable and reports the newest on the flow', async () => {
        await store.saveDraft(document('poster'), 'key_a', 'source v1');
        const first = await store.insertVersion({
          flowName: 'poster',
          sha256: '1'.repeat(64),
          document: document('poster'),
          message: 'first',
          publishedBy: 'key_a',
          source: 'source v1',
        });
        expect(first).toEqual({
          flowName: 'poster',
          version: 1,
          sha256: '1'.repeat(64),
          document: document('poster'),
          message: 'first',
          publishedBy: 'key_a',
          publishedAtMs: startMs,
          source: 'source v1',
        });
        clock.advance(60_000);
        await store.saveDraft(document('poster', 'image_quality'), 'key_a');
        const second = await store.insertVersion({
          flowName: 'poster',
          sha256: '2'.repeat(64),
          document: document('poster', 'image_quality'),
          message: 'pro',
        });
        const rollback = await store.insertVersion({
          flowName: 'poster',
          sha256: first.sha256,
          document: first.document,
          message: 'rollback to version 1',
          rollbackOf: 1,
        });
        expect([second.version, rollback.version]).toEqual([2, 3]);
        expect(await store.getVersion('poster', 1)).toEqual(first);
        expect(await store.getVersion('poster', 3)).toEqual(rollback);
        expect(rollback).toMatchObject({ rollbackOf: 1, publishedAtMs: startMs + 60_000 });
        expect(await store.getVersion('poster', 4)).toBeUndefined();
        expect((await store.listVersions('poster')).map((version) => version.version)).toEqual([3, 2, 1]);
        expect((await store.getFlow('poster'))?.latestVersion).toBe(3);
      });

      it('lists every version of every flow by flow name, then number', async () => {
        for (const name of ['zebra', 'apple']) {
          await store.saveDraft(document(name), undefined);
          for (let index = 0; index < 2; index += 1) {
            await store.insertVersion({
              flowName: name,
              sha256: 'f'.repeat(64),
              document: document(name),
              message: 'm',
            });
          }
        }
        expect(
          (await store.allVersions()).map((version) => `${version.flowName}@${version.version}`),
        ).toEqual(['apple@1', 'apple@2', 'zebra@1', 'zebra@2']);
      });

      it('gives concurrent publishes of one flow distinct, consecutive numbers', async () => {
        await store.saveDraft(document('poster'), undefined);
        const published = await Promise.all(
          Array.from({ length: 12 }, (_, index) =>
            store.insertVersion({
              flowName: 'poster',
              sha256: 'c'.repeat(64),
              document: document('poster'),
              message: `publish ${index}`,
            }),
          ),
        );
        expect(published.map((version) => version.version).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 12 }, (_, index) => index + 1),
        );
      });
    });

    describe('runs', () => {
      it('stores a run with its node runs, in the order given, and saves changes to both', async () => {
        await store.insertRun(run('flowrun_a', startMs), nodeRuns('flowrun_a'));
        expect(await store.getRun('flowrun_a')).toEqual(run('flowrun_a', startMs));
        expect((await store.nodeRuns('flowrun_a')).map((node) => node.nodeId)).toEqual([
          'out',
          'direction',
          'hero',
        ]);

        const [, direction] = nodeRuns('flowrun_a');
        await store.saveNodeRun({
          ...direction!,
          status: 'succeeded',
          output: text('bold'),
          finishedAtMs: startMs + 5,
        });
        const nodes = await store.nodeRuns('flowrun_a');
        expect(nodes.map((node) => node.nodeId)).toEqual(['out', 'direction', 'hero']);
        expect(nodes[1]).toMatchObject({
          status: 'succeeded',
          output: text('bold'),
          finishedAtMs: startMs + 5,
        });

        const finished = run('flowrun_a', startMs, { status: 'succeeded', result: { direction: 'bold' } });
        await store.saveRun(finished);
        expect(await store.getRun('flowrun_a')).toEqual(finished);
        expect(await store.getRun('flowrun_missing')).toBeUndefined();
        expect(await store.nodeRuns('flowrun_missing')).toEqual([]);
      });

      it('lists runs newest first, filtered by flow, owner and status, up to the limit', async () => {
        await store.insertRun(run('flowrun_1', startMs, { ownerKeyId: 'key_a' }), []);
        await store.insertRun(run('flowrun_2', startMs + 1, { flowName: 'other' }), []);
        await store.insertRun(run('flowrun_3', startMs + 2, { ownerKeyId: 'key_a', status: 'failed' }), []);
        // Same time: the larger id first.
        await store.insertRun(run('flowrun_5', startMs + 3), []);
        await store.insertRun(run('flowrun_4', startMs + 3), []);
        const ids = async (filter: Parameters<FlowStore['listRuns']>[0]) =>
          (await store.listRuns(filter)).map((entry) => entry.id);
        expect(await ids({})).toEqual(['flowrun_5', 'flowrun_4', 'flowrun_3', 'flowrun_2', 'flowrun_1']);
        expect(await ids({ flowName: 'poster', limit: 2 })).toEqual(['flowrun_5', 'flowrun_4']);
        expect(await ids({ ownerKeyId: 'key_a' })).toEqual(['flowrun_3', 'flowrun_1']);
        expect(await ids({ status: 'running', flowName: 'poster' })).toEqual([
          'flowrun_5',
          'flowrun_4',
          'flowrun_1',
        ]);
        await store.saveRun(run('flowrun_5', startMs + 3, { status: 'succeeded' }));
        expect(await ids({ status: 'running', limit: 1 })).toEqual(['flowrun_4']);
      });
    });

    describe('run drivers', () => {
      it('lets one holder drive a run at a time, until it releases it or closes', async () => {
        expect(await store.acquireRunDriver('flowrun_a')).toBe(true);
        expect(await store.acquireRunDriver('flowrun_a')).toBe(false);
        expect(await store.acquireRunDriver('flowrun_b')).toBe(true);
        await store.releaseRunDriver('flowrun_a');
        expect(await store.acquireRunDriver('flowrun_a')).toBe(true);
        // Releasing what it does not hold changes nothing.
        await store.releaseRunDriver('flowrun_c');
        expect(await store.acquireRunDriver('flowrun_b')).toBe(false);
        await store.close();
        expect(await store.acquireRunDriver('flowrun_b')).toBe(true);
      });
    });

    describe('node cache', () => {
      it('serves an entry until its maximum age has passed, then refuses it', async () => {
        const cache = await open({ maxAgeMs: 2 * DAY_MS, maxEntries: 100 });
        await cache.cacheOutput('sig-a', text('first'), 0.01);
        clock.advance(2 * DAY_MS - 1);
        expect(await cache.cachedOutput('sig-a')).toEqual({ output: text('first'), costUsd: 0.01 });
        clock.advance(1);
        expect(await cache.cachedOutput('sig-a')).toBeUndefined();
      });

      it('ages an entry from when its output was produced, not from when it was cached', async () => {
        const cache = await open({ maxAgeMs: 2 * DAY_MS, maxEntries: 100 });
        await cache.cacheOutput('sig-a', text('made a day before'), undefined, startMs - DAY_MS);
        clock.advance(DAY_MS - 1);
        expect(await cache.cachedOutput('sig-a')).toEqual({ output: text('made a day before') });
        clock.advance(1);
        expect(await cache.cachedOutput('sig-a')).toBeUndefined();
      });

      it('keeps the first live entry under a signature, replaces an expired one, and drops expired entries', async () => {
        const cache = await open({ maxAgeMs: DAY_MS, maxEntries: 100 });
        await cache.cacheOutput('sig-a', text('first'), undefined);
        await cache.cacheOutput('sig-b', text('other'), undefined);
        await cache.cacheOutput('sig-a', text('second'), undefined);
        expect((await cache.cachedOutput('sig-a'))?.output).toEqual(text('first'));
        clock.advance(DAY_MS);
        await cache.cacheOutput('sig-a', text('third'), undefined);
        expect((await cache.cachedOutput('sig-a'))?.output).toEqual(text('third'));
        // sig-b expired and was deleted by that write.
        expect(await cache.nodeCacheSize()).toBe(1);
      });

      it('keeps at most maxEntries, evicting the oldest first', async () => {
        const cache = await open({ maxAgeMs: 30 * DAY_MS, maxEntries: 3 });
        for (const signature of ['sig-1', 'sig-2', 'sig-3', 'sig-4', 'sig-5']) {
          await cache.cacheOutput(signature, text(signature), undefined);
          clock.advance(1_000);
        }
        expect(await cache.nodeCacheSize()).toBe(3);
        const outputs = await Promise.all(
          ['sig-1', 'sig-2', 'sig-3', 'sig-4', 'sig-5'].map(
            async (signature) => (await cache.cachedOutput(signature))?.output,
          ),
        );
        expect(outputs).toEqual([undefined, undefined, text('sig-3'), text('sig-4'), text('sig-5')]);
      });

      it("saves a node's success and its cache entry together", async () => {
        await store.insertRun(run('flowrun_a', startMs), nodeRuns('flowrun_a'));
        const [, direction] = nodeRuns('flowrun_a');
        await store.saveNodeRun(
          { ...direction!, status: 'succeeded', output: text('bold'), signature: 'sig-direction' },
          { signature: 'sig-direction', costUsd: 0.002 },
        );
        expect(await store.cachedOutput('sig-direction')).toEqual({ output: text('bold'), costUsd: 0.002 });
        // Without an output there is nothing to cache.
        await store.saveNodeRun({ ...direction!, status: 'failed' }, { signature: 'sig-failed', costUsd: 0 });
        expect(await store.cachedOutput('sig-failed')).toBeUndefined();
      });

      it('takes concurrent writes of many runs without an error, and stays within its size', async () => {
        const cache = await open({ maxAgeMs: 30 * DAY_MS, maxEntries: 10 });
        await Promise.all(
          Array.from({ length: 40 }, (_, index) =>
            // Half of them write the same signatures, as runs of one flow with the same inputs do.
            cache.cacheOutput(`sig-${index % 20}`, text(`output ${index}`), 0.01),
          ),
        );
        expect(await cache.nodeCacheSize()).toBeLessThanOrEqual(10);
      });
    });

    describe('run idempotency keys', () => {
      it('finds the run a live key made, refuses another request under it, and forgets it once expired', async () => {
        await store.rememberIdempotentRun('key_a:poster:k1', 'hash-1', 'flowrun_a', 60_000);
        expect(await store.findIdempotentRun('key_a:poster:k1', 'hash-1')).toBe('flowrun_a');
        expect(await store.findIdempotentRun('key_a:poster:other', 'hash-1')).toBeUndefined();
        const conflict = await store
          .findIdempotentRun('key_a:poster:k1', 'hash-2')
          .catch((error: unknown) => error);
        expect(conflict).toBeInstanceOf(RunIdempotencyConflictError);
        expect((conflict as RunIdempotencyConflictError).existingRunId).toBe('flowrun_a');
        clock.advance(60_000);
        expect(await store.findIdempotentRun('key_a:poster:k1', 'hash-2')).toBeUndefined();
        await store.rememberIdempotentRun('key_a:poster:k1', 'hash-2', 'flowrun_b', 60_000);
        expect(await store.findIdempotentRun('key_a:poster:k1', 'hash-2')).toBe('flowrun_b');
      });
    });
  });
}
