import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../catalog/index.js';
import { ManualClock } from '../clock/index.js';
import { defaultConfig } from '../config/index.js';
import { Registry } from '../registry/index.js';
import { openSqliteDatabase } from '../tasks/index.js';
import { flowContentHash } from './canonical-json.js';
import { formatFlowChanges } from './diff-flow-documents.js';
import { FlowNotFoundError } from './flow-access.js';
import { FlowLibrary } from './flow-library.js';
import { registryModelNames } from './flow-models.js';
import { InvalidFlowError } from './flow-problem.js';
import { SqliteFlowStore } from './sqlite-flow-store.js';

function library(atMs: number) {
  const clock = new ManualClock(atMs);
  const store = new SqliteFlowStore(openSqliteDatabase(':memory:'), { clock });
  const registry = new Registry({ config: defaultConfig, clock });
  return {
    clock,
    store,
    flows: new FlowLibrary({
      store,
      config: defaultConfig,
      catalog: builtInCatalog(),
      clock,
      models: registryModelNames(registry),
    }),
  };
}

const owner = { keyId: 'key_a' };
const other = { keyId: 'key_b' };

function poster(model: string, variants = 2) {
  return {
    name: 'poster',
    inputs: { brief: { type: 'string' } },
    nodes: {
      hero: { type: 'image', model, prompt: 'A poster about {{inputs.brief}}', variants },
      out: { type: 'output', results: { images: '{{nodes.hero.images}}' } },
    },
  };
}

describe('FlowLibrary: drafts, versions, diff and rollback', () => {
  it('publishes numbered immutable versions with the content hash, key, message and time', async () => {
    const { flows, clock } = library(Date.UTC(2026, 7, 1));
    await flows.saveDraft(poster('image_fast'), owner);
    const first = (await flows.publish('poster', { message: 'first' }, owner)).version;
    clock.advance(60_000);
    await flows.saveDraft(poster('image_quality', 3), owner);
    const second = (await flows.publish('poster', { message: 'use the pro model' }, owner)).version;
    expect(first).toMatchObject({
      version: 1,
      message: 'first',
      publishedBy: 'key_a',
      publishedAtMs: Date.UTC(2026, 7, 1),
    });
    expect(second.version).toBe(2);
    expect(second.sha256).toBe(flowContentHash(second.document));
    expect(second.sha256).not.toBe(first.sha256);
    expect((await flows.version('poster', 1, owner)).document.nodes.hero).toMatchObject({
      model: 'image_fast',
    });

    const changes = await flows.diff('poster', 1, 2, owner);
    expect(changes).toEqual([
      {
        change: 'changed',
        node: 'hero',
        field: 'nodes.hero.model',
        before: 'image_fast',
        after: 'image_quality',
      },
      { change: 'changed', node: 'hero', field: 'nodes.hero.variants', before: 2, after: 3 },
    ]);
    expect(formatFlowChanges(changes)).toBe(
      '~ nodes.hero.model: "image_fast" → "image_quality"\n~ nodes.hero.variants: 2 → 3',
    );

    const rolledBack = (await flows.rollback('poster', { to: 1 }, owner)).version;
    expect(rolledBack).toMatchObject({ version: 3, sha256: first.sha256, rollbackOf: 1 });
    expect((await flows.versions('poster', owner)).map((version) => version.version)).toEqual([3, 2, 1]);
    expect(await flows.diff('poster', 1, 3, owner)).toEqual([]);
    expect((await flows.flow('poster', owner)).draft.nodes.hero).toMatchObject({ model: 'image_fast' });
  });

  it('hides a flow from another key and refuses its name', async () => {
    const { flows } = library(Date.UTC(2026, 7, 1));
    await flows.saveDraft(poster('image_fast'), owner);
    await expect(flows.flow('poster', other)).rejects.toThrow(FlowNotFoundError);
    await expect(flows.publish('poster', { message: 'x' }, other)).rejects.toThrow(FlowNotFoundError);
    await expect(flows.saveDraft(poster('image_fast'), other)).rejects.toThrow(/name "poster" is taken/);
    expect(await flows.flows(other)).toEqual([]);
    expect((await flows.flows({ keyId: 'root', admin: true })).map((flow) => flow.name)).toEqual(['poster']);
  });

  it('refuses a version pinned to a dated preview after its shutdown, and before it unless allowed', async () => {
    const pinned = poster('gemini-3.1-flash-image-preview');
    const after = library(Date.UTC(2026, 5, 26));
    await after.flows.saveDraft(pinned, owner);
    const refused = await (async () => {
      try {
        await after.flows.publish('poster', { message: 'x', allowPreview: true }, owner);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(InvalidFlowError);
    expect((refused as InvalidFlowError).message).toMatch(
      /^flow poster: node "hero", nodes\.hero\.model: gemini-3\.1-flash-image-preview on gemini-api was shut down on 2026-06-25; successor gemini-3\.1-flash-image; pick a live model before publishing$/,
    );

    const before = library(Date.UTC(2026, 5, 1));
    await before.flows.saveDraft(pinned, owner);
    await expect(before.flows.publish('poster', { message: 'x' }, owner)).rejects.toThrow(
      /needs --allow-preview/,
    );
    const allowed = await before.flows.publish('poster', { message: 'x', allowPreview: true }, owner);
    expect(allowed.version.version).toBe(1);
    expect(allowed.warnings.map((warning) => warning.message)).toEqual([
      'gemini-3.1-flash-image-preview on gemini-api is a preview and shuts down on 2026-06-25 (in 24 days); successor gemini-3.1-flash-image',
    ]);
  });

  it('warns when a GA model in the flow is inside the guard window', async () => {
    const { flows } = library(Date.UTC(2026, 8, 15));
    await flows.saveDraft(poster('gemini-2.5-flash-image'), owner);
    const published = await flows.publish('poster', { message: 'x' }, owner);
    expect(published.warnings).toHaveLength(1);
    expect(published.warnings[0]).toMatchObject({
      severity: 'warning',
      node: 'hero',
      field: 'nodes.hero.model',
    });
    expect(published.warnings[0]!.message).toMatch(/shuts down on 2026-10-02 \(in 17 days\)/);
  });
});

describe('FlowLibrary: the source a flow was pushed as', () => {
  const source = `# The poster flow.
name: poster
inputs:
  brief: { type: string }
nodes:
  hero:
    type: image
    model: image_fast # fast first
    prompt: "A poster about {{inputs.brief}}"
  out:
    type: output
    results:
      images: '{{nodes.hero.images}}'
`;

  it('keeps the pushed text, patches it on a JSON save, and hashes only the canonical document', async () => {
    const { flows } = library(Date.UTC(2026, 7, 1));
    const pushed = (await flows.saveDraft(poster('image_fast', 1), owner, { source })).flow;
    expect(pushed.draftSource).toBe(source);
    const first = (await flows.publish('poster', { message: 'first' }, owner)).version;
    expect(first.source).toBe(source);

    // The canvas sends the stored draft back (defaults filled in), edited and with a layout.
    const edited = structuredClone({
      ...pushed.draft,
      layout: { hero: { x: 0, y: 0 }, out: { x: 320, y: 0 } },
    }) as unknown as { nodes: Record<string, Record<string, unknown>> };
    edited.nodes.hero!.model = 'image_quality';
    const saved = (await flows.saveDraft(edited, owner)).flow;
    expect(saved.draftSource).toBe(
      `${source.replace('model: image_fast # fast first', 'model: image_quality # fast first')}layout:\n  hero:\n    x: 0\n    y: 0\n  out:\n    x: 320\n    y: 0\n`,
    );
    const second = (await flows.publish('poster', { message: 'pro' }, owner)).version;
    expect(second.sha256).toBe(flowContentHash(saved.draft));

    // Only the layout moved: the same hash as a version without one.
    await flows.saveDraft({ ...saved.draft, layout: { hero: { x: 10, y: 10 } } }, owner);
    expect((await flows.publish('poster', { message: 'moved' }, owner)).version.sha256).toBe(second.sha256);

    // A rollback brings the old version's source back with its document.
    await flows.rollback('poster', { to: 1 }, owner);
    expect((await flows.flow('poster', owner)).draftSource).toBe(source);
  });

  it('leaves a draft saved as JSON only without a source', async () => {
    const { flows } = library(Date.UTC(2026, 7, 1));
    await flows.saveDraft(poster('image_fast'), owner);
    await flows.saveDraft(poster('image_quality'), owner);
    expect((await flows.flow('poster', owner)).draftSource).toBeUndefined();
  });
});
