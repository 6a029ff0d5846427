import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { runCli } from '../../src/cli/run-cli.js';
import { parseScenario } from '../../src/emulator/index.js';
import { flowDocumentSchema } from '../../src/flows/index.js';
import { captureIo } from '../support/capture-io.js';
import { checkPage, openPage, signIn, startConsoleFixture, type ConsoleFixture } from './console-harness.js';
import { findChromium } from './find-chromium.js';

/*
 * The headline: a flow built on the canvas by dragging node types from the palette and
 * connecting ports (a refused connection explained), checked while typing, published, run, its six
 * variants seen and one opened full size, promoted with its lineage; a failed node retried alone with
 * its retries shown; and a round trip with `imagegate flow push` / `flow pull`.
 */
const chromiumPath = findChromium();
const underCi = process.env.CI === 'true';
const brandAssets = fileURLToPath(new URL('../../docs/examples/flows/brand-assets.yaml', import.meta.url));
/** The model `image_fast` is served by on the emulator (scripted faults name served models). */
const imageFastModel = 'gemini-3.1-flash-image';

const draftSchema = z.object({
  draft: z.object({
    inputs: z.record(z.string(), z.object({ type: z.string() })),
    nodes: z.record(z.string(), z.record(z.string(), z.unknown())),
    layout: z.record(z.string(), z.object({ x: z.number(), y: z.number() })).optional(),
  }),
  latest_version: z.number().nullable(),
});
const runSchema = z.object({ id: z.string(), status: z.string() });

describe.skipIf(!chromiumPath && !underCi)('a flow built on the canvas, in Chromium', () => {
  let fixture: ConsoleFixture;
  let page: Page;
  let errors: string[];
  let base: string;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('CI=true but no chromium on PATH: the console browser tests must run in CI.');
    fixture = await startConsoleFixture(chromiumPath);
    base = fixture.server.url;
    ({ page, errors } = await openPage(fixture.browser));
    await signIn(page, base, fixture.adminKey);
  }, 120_000);
  afterAll(async () => {
    await fixture?.close();
  });

  const request = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { Authorization: `Bearer ${fixture.adminKey}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const canvasNode = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
  const port = (name: string) => page.locator(`.flow-port[data-port="${name}"] .react-flow__handle`);
  const edges = () => page.locator('.flow-canvas .react-flow__edge').count();
  const panel = () => page.getByRole('complementary', { name: 'Selected node' });

  /** Drags a palette item onto the canvas at a point of the canvas pane. */
  const dropFromPalette = async (item: string, x: number, y: number) => {
    await page
      .locator(`[data-palette="${item}"]`)
      .dragTo(page.locator('.flow-canvas .react-flow__pane'), { targetPosition: { x, y } });
  };
  /** Drags from one port's handle to another's, as a user draws a wire. */
  const dragPorts = async (from: string, to: string) => {
    const source = (await port(from).boundingBox())!;
    const target = (await port(to).boundingBox())!;
    await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
    await page.mouse.down();
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await page.mouse.up();
  };
  const connect = async (from: string, to: string) => {
    const before = await edges();
    await dragPorts(from, to);
    await expect.poll(edges).toBe(before + 1);
  };

  it('builds the brand-asset pipeline by dragging and connecting, refuses an image into a text prompt, checks while typing, publishes', async () => {
    // An empty flow: nothing on the canvas but the trigger.
    expect((await request('PUT', '/v1/flows/brand-kit/draft', { name: 'brand-kit', nodes: {} })).status).toBe(
      200,
    );
    await page.goto(`${base}/flows/brand-kit`);
    await page.getByRole('heading', { level: 1, name: 'brand-kit' }).waitFor();
    await canvasNode('Inputs').waitFor();
    await page.getByRole('list', { name: 'Node palette' }).waitFor();

    // A trigger input, renamed in the side panel.
    await dropFromPalette('input-string', 40, 40);
    await panel().getByRole('heading', { name: 'Inputs' }).waitFor();
    const name = panel().getByLabel('Name');
    await name.fill('brief');
    await name.press('Enter');
    await port('Inputs.brief').waitFor();

    // Nodes where they are dropped: the trigger sits in the middle, the nodes around it.
    const pane = (await page.locator('.flow-canvas .react-flow__pane').boundingBox())!;
    await dropFromPalette('text', 20, 20);
    await dropFromPalette('image', pane.width - 260, 10);
    await dropFromPalette('image', pane.width - 260, pane.height - 170);
    await dropFromPalette('output', pane.width / 2 - 115, pane.height - 120);
    for (const id of ['text', 'image', 'image_2', 'output']) await canvasNode(id).waitFor();
    // The palette works from the keyboard too; a node placed by mistake is removed from the panel.
    await page.getByRole('button', { name: 'Add template node' }).press('Enter');
    await canvasNode('template').waitFor();
    await panel().getByRole('button', { name: 'Remove node template' }).click();
    await canvasNode('template').waitFor({ state: 'detached' });
    // Nothing is stored until the draft is saved.
    const stored = draftSchema.parse((await request('GET', '/v1/flows/brand-kit')).body);
    expect(stored.draft.nodes).toEqual({});
    await page.getByRole('button', { name: 'Fit View' }).click();

    await connect('Inputs.brief', 'text.prompt');
    await connect('text.text', 'image.prompt');
    await connect('text.text', 'image_2.prompt');
    await connect('image.images', 'output.results');
    await connect('image_2.images', 'output.results');
    // Without a mouse: the side panel's connect form makes the same connection; Undo takes it back.
    await canvasNode('output').locator('.flow-node-title').click();
    const connectForm = panel().getByRole('form', { name: 'Connect a port to output' });
    await connectForm.getByLabel('From').selectOption('text.text');
    expect(await connectForm.getByLabel('Into').inputValue()).toBe('results');
    await connectForm.getByRole('button', { name: 'Connect' }).press('Enter');
    await expect.poll(edges).toBe(6);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(edges).toBe(5);

    // An image output into a text prompt: refused, with both ports and the validator's reason.
    await dragPorts('image.images', 'image_2.prompt');
    const refusal = page.locator('.refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(
      'Connection image.images → image_2.prompt refused: {{nodes.image.images}} is images, but a text field takes text, numbers or booleans',
    );
    expect(await edges()).toBe(5);
    await checkPage(page, 'flow-editor-refused');

    // The side panel is checked as the user types, before any save.
    await canvasNode('image_2').locator('.flow-node-title').click();
    await panel()
      .getByRole('heading', { name: /image_2/ })
      .waitFor();
    expect(await panel().getByLabel('Prompt').inputValue()).toBe('{{nodes.text.text}}');
    await panel().getByLabel('Model').selectOption('image_quality');
    const variants = panel().getByLabel('Variants (1–8 or {{inputs.N}})');
    await variants.fill('9');
    const fieldError = panel().locator('#node-image_2-variants-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe('9 is out of range; allowed 1–8');
    await canvasNode('image_2').locator('.flow-node.has-error').waitFor();
    await checkPage(page, 'flow-editor-typing-error');
    await variants.fill('3');
    await fieldError.waitFor({ state: 'detached' });
    await canvasNode('image_2').locator('.flow-node.has-error').waitFor({ state: 'detached' });
    await canvasNode('image').locator('.flow-node-title').click();
    await panel()
      .getByRole('heading', { name: /^image image/ })
      .waitFor();
    await panel().getByLabel('Variants (1–8 or {{inputs.N}})').fill('3');
    await page.getByText('The flow is valid.').waitFor();
    await checkPage(page, 'flow-editor-built');

    await page.getByLabel('Publish message').fill('built on the canvas');
    await page.getByRole('button', { name: 'Publish' }).click();
    await expect.poll(() => page.locator('.hint').textContent()).toContain('Published version 1');
    const saved = draftSchema.parse((await request('GET', '/v1/flows/brand-kit')).body);
    expect(saved.latest_version).toBe(1);
    expect(saved.draft.inputs).toEqual({ brief: { type: 'string' } });
    expect(saved.draft.nodes).toEqual({
      text: { type: 'text', model: 'text_fast', prompt: '{{inputs.brief}}' },
      image: {
        type: 'image',
        model: 'image_fast',
        prompt: '{{nodes.text.text}}',
        variants: 3,
        format: 'png',
        references: [],
      },
      image_2: {
        type: 'image',
        model: 'image_quality',
        prompt: '{{nodes.text.text}}',
        variants: 3,
        format: 'png',
        references: [],
      },
      output: {
        type: 'output',
        results: { image: '{{nodes.image.images}}', image_2: '{{nodes.image_2.images}}' },
      },
    });
    expect(Object.keys(saved.draft.layout ?? {}).sort()).toEqual(
      ['Inputs', 'image', 'image_2', 'output', 'text'].sort(),
    );
  }, 120_000);

  it('runs it with a brief: six variants on two models, attempts per node, one full size, promoted with its lineage', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.getByRole('heading', { name: 'Run v1' }).waitFor();
    await page.getByLabel(/^brief/).fill('A logo for a bakery called Crumb, warm and friendly');
    await page.getByRole('button', { name: 'Run', exact: true }).last().click();
    const run = page.locator('section[data-run]');
    await run.locator('h2 .badge.succeeded').waitFor({ timeout: 60_000 });
    await expect.poll(() => run.locator('li.variant img').count(), { timeout: 20_000 }).toBe(6);
    expect(await run.locator('section[data-group="image"] h3').textContent()).toContain('image_fast');
    expect(await run.locator('section[data-group="image_2"] h3').textContent()).toContain('image_quality');
    // Attempts per node, from the tasks the engine recorded: one call per variant, no retry, no fallback.
    await expect
      .poll(() => run.locator('td[data-attempts="image"]').textContent())
      .toBe('3 attempts · 0 retries · no fallback');
    await expect
      .poll(() => run.locator('.react-flow__node[data-id="text"] .flow-node-attempts').textContent())
      .toBe('1 attempt · 0 retries · no fallback');
    await checkPage(page, 'flow-run-built');

    await run.getByRole('button', { name: 'Open image_2 variant 1 full size' }).click();
    const viewer = page.getByRole('dialog');
    await viewer.waitFor();
    const full = viewer.locator('img');
    await expect
      .poll(() => full.evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBeGreaterThan(256);
    const facts = (await viewer.locator('dl').textContent()) ?? '';
    expect(facts).toContain(await run.getAttribute('data-run'));
    expect(facts).toMatch(/Node, variantimage_2, variant 1, seed \d+/);
    expect(facts).toContain('Served by');
    await expect.poll(() => viewer.locator('dl').textContent()).toMatch(/Served by\S+ on gemini-api/);
    await checkPage(page, 'flow-variant-full-size');
    await viewer.getByRole('button', { name: 'Close' }).click();
    await viewer.waitFor({ state: 'detached' });

    const parentId = (await run.getAttribute('data-run'))!;
    const group = run.locator('section[data-group="image"]');
    await group.getByLabel('Promote to model').selectOption('image_quality');
    await group.getByRole('button', { name: 'Promote image variant 2' }).click();
    const promoted = page.locator(`section[data-run]:not([data-run="${parentId}"])`);
    await promoted.locator('h2 .badge.succeeded').waitFor({ timeout: 60_000 });
    expect(await promoted.locator('.lineage').textContent()).toContain(parentId);
    expect(await promoted.locator('.lineage').textContent()).toMatch(
      /node image, variant 2, on image_quality/,
    );
    await expect
      .poll(() => promoted.locator('section[data-group="image"] li.variant img').count(), { timeout: 20_000 })
      .toBe(1);
    expect(await promoted.locator('section[data-group="image"] h3').textContent()).toContain('image_quality');
    await checkPage(page, 'flow-promoted-built');
  }, 120_000);

  it('retries one failed node from the run view and shows its retry', async () => {
    const document = {
      name: 'fragile',
      inputs: { prompt: { type: 'string' } },
      nodes: {
        hero: { type: 'image', model: 'image_fast', prompt: '{{inputs.prompt}}' },
        out: { type: 'output', results: { hero: '{{nodes.hero.images}}' } },
      },
    };
    expect((await request('PUT', '/v1/flows/fragile/draft', document)).status).toBe(200);
    expect((await request('POST', '/v1/flows/fragile/publish', { message: 'v1' })).status).toBe(201);
    fixture.emulator.faults.replaceScenario(
      parseScenario('safety:\n  - { verdict: IMAGE_SAFETY, pattern: forbidden }\n', 'blocked.yaml'),
    );
    await page.goto(`${base}/flows/fragile?tab=run`);
    await page.getByLabel(/^prompt/).fill('a forbidden lighthouse');
    await page.getByRole('button', { name: 'Run', exact: true }).last().click();
    const run = page.locator('section[data-run]');
    await run.locator('h2 .badge.failed').waitFor({ timeout: 60_000 });
    expect(await run.locator('tr[data-node-state="hero"] .badge').textContent()).toBe('failed');

    // The next call of the model answers 503 once, then an image: the engine retries it.
    fixture.emulator.faults.replaceScenario(
      parseScenario(`scripted:\n  - { model: ${imageFastModel}, responses: [503, ok] }\n`, 'flaky.yaml'),
    );
    await run.getByRole('button', { name: 'Retry node hero' }).click();
    await run.locator('h2 .badge.succeeded').waitFor({ timeout: 60_000 });
    expect(await run.locator('tr[data-node-state="hero"] .badge').textContent()).toBe('succeeded');
    await expect.poll(() => run.locator('td[data-attempts="hero"]').textContent()).toMatch(/ · 1 retry · /);
    await expect
      .poll(() => run.locator('.react-flow__node[data-id="hero"] .flow-node-attempts').textContent())
      .toMatch(/1 retry/);
    const view = runSchema.parse(
      (await request('GET', `/v1/flow-runs/${await run.getAttribute('data-run')}`)).body,
    );
    expect(view.status).toBe('succeeded');
    fixture.emulator.faults.replaceScenario(parseScenario('{}', 'calm.yaml'));
  }, 120_000);

  it('round trip: a flow pushed with the CLI, edited on the canvas and pulled differs only in the edit and layout', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-round-trip-'));
    try {
      const cli = async (args: string[]) => {
        const io = captureIo({ cwd: directory });
        const code = await runCli([...args, '--data-dir', fixture.dataDirectory], io);
        return { code, out: io.out(), err: io.err() };
      };
      const original = await readFile(brandAssets, 'utf8');
      await writeFile(join(directory, 'brand-assets.yaml'), original);
      expect(await cli(['flow', 'push', 'brand-assets.yaml'])).toMatchObject({ code: 0 });
      expect(await cli(['flow', 'pull', 'brand-assets', '-o', 'before.yaml'])).toMatchObject({ code: 0 });
      // Pulled before any edit: the file as written, byte for byte.
      expect(await readFile(join(directory, 'before.yaml'), 'utf8')).toBe(original);

      await page.goto(`${base}/flows/brand-assets`);
      for (const id of ['Inputs', 'direction', 'variants', 'review']) await canvasNode(id).waitFor();
      await canvasNode('variants').locator('.flow-node-title').click();
      const ratio = panel().getByLabel('Aspect ratio');
      expect(await ratio.inputValue()).toBe('1:1');
      await ratio.fill('16:9');
      const review = (await canvasNode('review').boundingBox())!;
      await page.mouse.move(review.x + 40, review.y + 12);
      await page.mouse.down();
      await page.mouse.move(review.x + 40, review.y + 140, { steps: 8 });
      await page.mouse.up();
      await page.getByText('The flow is valid.').waitFor();
      await page.getByRole('button', { name: 'Save draft' }).click();
      await expect.poll(() => page.locator('.hint').textContent()).toContain('Draft saved');

      expect(await cli(['flow', 'pull', 'brand-assets', '-o', 'pulled.yaml'])).toMatchObject({ code: 0 });
      const pulledText = await readFile(join(directory, 'pulled.yaml'), 'utf8');
      const pulled = parseYaml(pulledText) as Record<string, unknown>;
      // Against the ORIGINAL file, line by line: comments, quoting, key order and the defaults the file
      // leaves out are as written; the edited line (its quoting kept) and, in the layout section, the
      // moved node's line are the only differences.
      const originalLines = original.split('\n');
      const after = pulledText.split('\n');
      expect(after).toHaveLength(originalLines.length);
      const changed = after.flatMap((line, index) =>
        line === originalLines[index] ? [] : [{ line: index + 1, before: originalLines[index], after: line }],
      );
      const layoutLine = originalLines.indexOf('layout:') + 1;
      expect(changed).toEqual([
        {
          line: originalLines.indexOf("    aspectRatio: '1:1'") + 1,
          before: "    aspectRatio: '1:1'",
          after: "    aspectRatio: '16:9'",
        },
        {
          line: expect.any(Number) as number,
          before: '  review: { x: 640, y: 0 }',
          after: expect.stringMatching(/^ {2}review: \{ x: [\d.]+, y: [\d.]+ \}$/) as string,
        },
      ]);
      expect(changed[1]!.line).toBeGreaterThan(layoutLine);
      // As a document: the original as the server reads it, with the edit.
      const read = flowDocumentSchema.parse(parseYaml(original)) as Record<string, unknown>;
      const withoutLayout = ({ layout: _layout, ...rest }: Record<string, unknown>) => rest;
      const expected = structuredClone(withoutLayout(read)) as {
        nodes: Record<string, Record<string, unknown>>;
      };
      expected.nodes.variants!.aspectRatio = '16:9';
      expect(withoutLayout(flowDocumentSchema.parse(pulled) as Record<string, unknown>)).toEqual(expected);
      // Layout: the moved node moved; the others kept the file's positions.
      const layouts = pulled.layout as Record<string, { x: number; y: number }>;
      expect(layouts.review!.y).toBeGreaterThan(60);
      expect(layouts.direction).toEqual({ x: 0, y: 0 });
      expect(layouts.variants).toEqual({ x: 320, y: 0 });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);

  it('logged no console errors and fetched nothing from another host', () => {
    expect(errors).toEqual([]);
  });
});
