import { createHash } from 'node:crypto';
import { z } from '@hono/zod-openapi';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialJsBudgetKb } from '../../console/initial-js-size-plugin.js';
import { taskSchema } from '../../src/server/api-schemas.js';
import { taskRequestSchema } from '../../src/server/routes/task-request.js';
import {
  checkPage,
  openPage,
  signIn,
  slowModel,
  startConsoleFixture,
  type ConsoleFixture,
} from './console-harness.js';
import { findChromium } from './find-chromium.js';
import { waitUntil } from '../support/wait-until.js';

const chromiumPath = findChromium();
const underCi = process.env.CI === 'true';
/** Tasks in the store for the list measurement (docs/benchmarks.md); reported, not asserted. */
const benchTaskCount = 10_000;
if (!chromiumPath && !underCi) {
  console.log(
    'console browser tests skipped: no chromium on PATH (apt-get install chromium, or set CHROMIUM_PATH)',
  );
}

describe.skipIf(!chromiumPath && !underCi)('web console in Chromium', () => {
  let fixture: ConsoleFixture;
  let page: Page;
  let errors: string[];
  let base: string;

  beforeAll(async () => {
    if (!chromiumPath)
      throw new Error('CI=true but no chromium on PATH: the console browser tests must run in CI.');
    fixture = await startConsoleFixture(chromiumPath, { benchTasks: benchTaskCount });
    base = fixture.server.url;
    ({ page, errors } = await openPage(fixture.browser));
  }, 120_000);
  afterAll(async () => {
    await fixture?.close();
  });

  it('serves the console at / with immutable hashed assets, and leaves API paths to the API', async () => {
    const index = await fetch(`${base}/tasks/anything`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${base}${asset}`);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(script.headers.get('content-type')).toContain('javascript');
    const unknownApi = await fetch(`${base}/v1/nothing-here`);
    expect(unknownApi.status).toBe(401);
    const missingAsset = await fetch(`${base}/assets/missing-abcdefgh.js`);
    expect(missingAsset.status).toBe(404);
  });

  it(`builds a first load of at most ${initialJsBudgetKb} KB of JavaScript, gzipped`, () => {
    console.log(
      `console: initial JavaScript ${(fixture.initialJsGzipBytes / 1024).toFixed(1)} KB gzipped in the test build`,
    );
    expect(fixture.initialJsGzipBytes).toBeGreaterThan(0);
    expect(fixture.initialJsGzipBytes).toBeLessThanOrEqual(initialJsBudgetKb * 1024);
  });

  it('signs in with an API key kept in session storage, refusing a wrong one', async () => {
    // The refused key's 401 is logged by the browser, so it is tried in a tab of its own.
    const refused = await openPage(fixture.browser);
    await refused.page.goto(`${base}/`);
    await refused.page.getByRole('heading', { name: 'Sign in to imagegate' }).waitFor();
    await checkPage(refused.page, 'sign-in');
    await refused.page.getByLabel('API key').fill('igk_00000000000000000000000000000000');
    await refused.page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => refused.page.getByRole('alert').textContent()).toContain('not valid');
    expect(await refused.page.evaluate(() => sessionStorage.getItem('imagegate.apiKey'))).toBeNull();
    await refused.page.context().close();

    await signIn(page, base, fixture.adminKey);
    expect(await page.evaluate(() => sessionStorage.getItem('imagegate.apiKey'))).toBe(fixture.adminKey);
    await checkPage(page, 'overview');
  });

  it('works from the keyboard: a skip link first, then the navigation', async () => {
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Overview');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
  });

  const submit = async (body: Record<string, unknown>, key = fixture.adminKey) => {
    const response = await fetch(`${base}/v1/images/generations`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(202);
    return (await response.json()) as { id: string };
  };

  it('submits from the playground and shows the image live, then continues with a follow-up', async () => {
    await page.getByRole('link', { name: 'Playground' }).click();
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    await page.getByLabel('Prompt').fill('A lighthouse at dawn, watercolour');
    await page.getByRole('button', { name: 'Generate' }).click();
    const image = page.getByRole('img', { name: /A lighthouse at dawn, watercolour/ });
    await image.waitFor({ timeout: 20_000 });
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
    await checkPage(page, 'playground');
    await page.getByLabel('Follow-up instruction').fill('Now make the sky orange');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('img', { name: /Now make the sky orange/ }).waitFor({ timeout: 20_000 });
  });

  it('uploads a reference image dropped on the playground, shows its thumbnail and sends it with the request', async () => {
    await page.goto(`${base}/playground`);
    await page.getByRole('heading', { name: 'Playground' }).waitFor();
    // A real PNG, 64 px wide: the thumbnail the server makes of it (never enlarged) is 64 px wide too.
    const reference = await sharp({
      create: { width: 64, height: 48, channels: 3, background: { r: 20, g: 120, b: 200 } },
    })
      .png()
      .toBuffer();
    const dropzone = page.getByTestId('dropzone');
    // The files travel as a browser drag does: a DataTransfer built in the page, then dragenter, dragover and drop.
    const dataTransfer = await page.evaluateHandle(
      ({ base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (character) => character.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: 'image/png' }));
        return transfer;
      },
      { base64: reference.toString('base64'), name: 'blue-swatch.png' },
    );
    await dropzone.dispatchEvent('dragenter', { dataTransfer });
    await dropzone.dispatchEvent('dragover', { dataTransfer });
    await expect.poll(() => dropzone.getAttribute('class')).toContain('over');
    await dropzone.dispatchEvent('drop', { dataTransfer });
    const thumbnail = page.getByRole('img', { name: 'Reference image blue-swatch.png' });
    await thumbnail.waitFor({ timeout: 10_000 });
    await expect.poll(() => thumbnail.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(64);
    expect(await dropzone.getAttribute('class')).not.toContain('over');
    await checkPage(page, 'playground-reference');

    await page.getByLabel('Prompt').fill('The swatch as a stained-glass window');
    await page.getByRole('button', { name: 'Generate' }).click();
    const result = page.getByRole('region', { name: 'Result' });
    const image = result.getByRole('img', { name: /The swatch as a stained-glass window/ });
    await image.waitFor({ timeout: 20_000 });
    expect(await image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBeGreaterThan(0);
    const taskId = (await result
      .getByRole('link', { name: /^task_img_/ })
      .first()
      .textContent())!;
    const sent = await fetch(`${base}/v1/tasks/${taskId}/request`, {
      headers: { Authorization: `Bearer ${fixture.adminKey}` },
    });
    const request = taskRequestSchema.parse(await sent.json());
    expect(request.prompt).toBe('The swatch as a stained-glass window');
    const sha256 = createHash('sha256').update(reference).digest('hex');
    expect(request.images.map((image) => [image.file_id, image.mime_type])).toEqual([
      [`file_${sha256}`, 'image/png'],
    ]);
    await checkPage(page, 'playground-reference-result');
  });

  it('shows new tasks in the task list live, and their status as it changes', async () => {
    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.locator('.task-row').first().waitFor();
    const { id } = await submit({ prompt: 'A live task' });
    const row = page.locator(`[data-task-id="${id}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.getByText('success').waitFor({ timeout: 20_000 });
    await checkPage(page, 'tasks');
    await page.setViewportSize({ width: 1024, height: 700 });
    await checkPage(page, 'tasks-laptop');
    await page.setViewportSize({ width: 1366, height: 800 });
  });

  it("filters the task list by key for an admin: only that key's tasks, across pages and live", async () => {
    const headersOf = (key: string) => ({ Authorization: `Bearer ${key}` });
    const me = z
      .object({ id: z.string() })
      .parse(await (await fetch(`${base}/v1/keys/me`, { headers: headersOf(fixture.userKey) })).json());
    await submit({ prompt: 'A plain key task, first' }, fixture.userKey);
    await submit({ prompt: 'A plain key task, second' }, fixture.userKey);
    await submit({ prompt: 'An admin task, not to be listed' });
    // What the plain key owns, read with its own key (the ownership rule, not the filter under test).
    const owned = z
      .object({ data: z.array(taskSchema) })
      .parse(
        await (await fetch(`${base}/v1/tasks?limit=100`, { headers: headersOf(fixture.userKey) })).json(),
      )
      .data.map((task) => task.id);
    expect(owned.length).toBeGreaterThanOrEqual(2);

    await page.getByRole('link', { name: 'Tasks' }).click();
    await page.getByRole('heading', { name: 'Tasks', level: 1 }).waitFor();
    await page.getByLabel('Key', { exact: true }).selectOption(me.id);
    await page.waitForURL((url) => url.searchParams.get('key') === me.id);
    const shownIds = () =>
      page.locator('.task-row').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-task-id')));
    await expect.poll(async () => (await shownIds()).toSorted()).toEqual(owned.toSorted());

    // Live: a new task of that key enters the filtered list; one of another key does not.
    const other = await submit({ prompt: 'Another admin task while filtered' });
    const live = await submit({ prompt: 'A plain key task, live' }, fixture.userKey);
    await page.locator(`[data-task-id="${live.id}"]`).getByText('success').waitFor({ timeout: 20_000 });
    expect(await page.locator(`[data-task-id="${other.id}"]`).count()).toBe(0);
    expect((await shownIds()).toSorted()).toEqual([...owned, live.id].toSorted());
    await checkPage(page, 'tasks-by-key');
    await page.getByLabel('Key', { exact: true }).selectOption('');
    await page.locator(`[data-task-id="${other.id}"]`).waitFor();
  });

  it('cancels a running task from its page', async () => {
    const { id } = await submit({ prompt: 'A slow task to cancel', model: slowModel });
    await page.goto(`${base}/tasks/${id}`);
    await page.getByTestId('task-status').getByText('processing').waitFor({ timeout: 10_000 });
    await checkPage(page, 'task-running');
    await page.getByRole('button', { name: 'Cancel task' }).click();
    await page.getByTestId('task-status').getByText('cancelled').waitFor({ timeout: 10_000 });
  });

  it('shows a finished task with its parameters, attempts and image, and resubmits it', async () => {
    const { id } = await submit({ prompt: 'A kite over the sea', aspect_ratio: '16:9' });
    await page.goto(`${base}/tasks/${id}`);
    await page.getByRole('img', { name: /A kite over the sea/ }).waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByRole('heading', { name: 'Attempts' }).isVisible()).toBe(true);
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(0);
    await checkPage(page, 'task');
    await page.getByRole('button', { name: 'Resubmit' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/tasks/') && !url.pathname.endsWith(id));
    await page.getByRole('img', { name: /A kite over the sea/ }).waitFor({ timeout: 20_000 });
  });

  it('shows generated images in the gallery with server-made thumbnails, and opens the viewer', async () => {
    await page.getByRole('link', { name: 'Gallery' }).click();
    await page.getByRole('heading', { name: 'Gallery', level: 1 }).waitFor();
    const first = page.getByRole('button', { name: /Open image of task/ }).first();
    await first.waitFor();
    await expect
      .poll(() => first.locator('img').evaluate((image: HTMLImageElement) => image.naturalWidth))
      .toBe(256);
    await checkPage(page, 'gallery');
    await first.click();
    const viewer = page.getByRole('dialog');
    await viewer.getByRole('heading', { name: 'Image' }).waitFor();
    await viewer.getByText('Served by').waitFor();
    await expect.poll(() => viewer.locator('dd').first().textContent()).not.toBe('…');
    await checkPage(page, 'gallery-viewer');
    const download = page.waitForEvent('download');
    await viewer.getByRole('button', { name: 'Download' }).click();
    expect((await download).suggestedFilename()).toMatch(/^task_img_.*\.png$/);
    await viewer.getByRole('button', { name: 'Close' }).click();

    // The filters: by model as submitted, and by creation day (UTC) on the server's clock.
    const count = page.getByText(/^\d+ images$/);
    const all = (await count.textContent())!;
    expect(all).not.toBe('0 images');
    await page.getByLabel('Model').selectOption('gemini-3.1-flash-image-preview');
    await expect.poll(() => count.textContent()).toBe('0 images');
    await page.getByLabel('Model').selectOption('image_fast');
    await expect.poll(() => count.textContent()).toBe(all);
    await page.getByLabel('To (UTC)').fill('2026-06-09');
    await expect.poll(() => count.textContent()).toBe('0 images');
    await page.getByLabel('To (UTC)').fill('');
    await page.getByLabel('From (UTC)').fill('2026-06-10');
    await expect.poll(() => count.textContent()).toBe(all);
    await page.getByLabel('From (UTC)').fill('');
    const headers = { Authorization: `Bearer ${fixture.adminKey}` };
    const tasks = (await (await fetch(`${base}/v1/tasks?status=success&limit=1`, { headers })).json()) as {
      data: { result: { images: { url: string }[] } }[];
    };
    const imageUrl = tasks.data[0]!.result.images[0]!.url;
    const thumbnail = await fetch(`${base}${imageUrl}/thumbnail?width=128`, { headers });
    expect(thumbnail.headers.get('content-type')).toBe('image/webp');
    expect(thumbnail.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const badWidth = await fetch(`${base}${imageUrl}/thumbnail?width=100`, { headers });
    expect(badWidth.status).toBe(400);
    expect(((await badWidth.json()) as { error: { param: string } }).error.param).toBe('width');
  });

  it('draws the lifecycle calendar on the server clock: the 3.x previews shut down on 2026-06-25', async () => {
    await page.getByRole('link', { name: 'Models' }).click();
    await page.getByRole('heading', { name: 'Models and lifecycle' }).waitFor();
    expect(await page.getByTestId('server-today').textContent()).toBe('2026-06-10');
    const calendar = page.getByTestId('lifecycle-calendar');
    for (const preview of ['gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview']) {
      expect(await calendar.locator(`[data-row="${preview}|gemini-api"]`).textContent()).toContain(
        '2026-06-25',
      );
    }
    expect(await calendar.locator('.today-marker').textContent()).toContain('today 2026-06-10');
    expect(await calendar.textContent()).toContain('image_fast #1');
    await checkPage(page, 'models');
    await page.getByLabel('Show the lifecycle on (UTC)').fill('2026-07-01');
    await calendar.locator('.at-marker').getByText('at 2026-07-01').waitFor();
    await page.getByRole('heading', { name: 'Guard report on 2026-07-01' }).waitFor();
    await checkPage(page, 'models-at');
  });

  it('shows the overview: queue by status, last hour, spend against budgets, models in use', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Tasks by status' }).waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('count-success').locator('.stat').textContent()))
      .toBeGreaterThan(0);
    await page.getByRole('heading', { name: 'Models in use (last 24 hours)' }).waitFor();
    await page.getByText('gemini-3.1-flash-image', { exact: true }).first().waitFor();
    await checkPage(page, 'overview');
  });

  it('shows spend per day as a chart and by model, logical name and key, with budgets', async () => {
    await page.getByRole('link', { name: 'Cost' }).click();
    await page.getByRole('heading', { name: 'Spend per day' }).waitFor();
    await page.getByTestId('spend-chart').locator('canvas').waitFor();
    await page.getByRole('region', { name: 'By logical name' }).getByText('image_fast').waitFor();
    await checkPage(page, 'cost');
  });

  it('creates a key (secret shown once), which then works, and revokes it; a plain key may not manage keys', async () => {
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await page.getByLabel('Name').fill('console made');
    await page.getByLabel('Monthly budget (USD)').fill('5');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-secret').textContent())!;
    expect(secret).toMatch(/^igk_/);
    await checkPage(page, 'keys');
    const withNewKey = () =>
      fetch(`${base}/v1/tasks?limit=1`, { headers: { Authorization: `Bearer ${secret}` } });
    expect((await withNewKey()).status).toBe(200);
    await page.getByRole('button', { name: 'Revoke console made' }).click();
    await page
      .getByRole('row', { name: /console made/ })
      .getByText(/^revoked/)
      .waitFor();
    expect((await withNewKey()).status).toBe(401);

    const plain = await openPage(fixture.browser);
    await signIn(plain.page, base, fixture.userKey);
    await plain.page.goto(`${base}/keys`);
    await plain.page.getByRole('alert').getByText('needs an admin key').waitFor();
    await plain.page.context().close();
  });

  it('starts a comparison (a durable regress job), follows its progress and browses the pairs side by side', async () => {
    await page.getByRole('link', { name: 'Comparisons' }).click();
    await page.getByRole('heading', { name: 'Comparisons', level: 1 }).waitFor();
    await page.getByLabel('Baseline').selectOption('gemini-3.1-flash-image-preview');
    await page.getByLabel('Candidate').selectOption('gemini-3.1-flash-image');
    await page
      .getByLabel('Prompt set (one prompt per line)')
      .fill('A red kite over the sea\nA lighthouse at dawn');
    await page.getByRole('button', { name: 'Start comparison' }).click();
    await page.getByTestId('regression-progress').getByText('2 of 2 pairs').waitFor({ timeout: 30_000 });
    await page.getByTestId('verdict').waitFor({ timeout: 10_000 });
    const pair = page.getByRole('region', { name: 'Pair p-001' });
    await pair.getByText(/SSIM \d\.\d{3} · pHash distance \d+ · ΔE/).waitFor();
    await pair.getByRole('img', { name: /candidate image for "A red kite over the sea"/ }).waitFor();
    const category = (await pair.locator('.badge').first().textContent())!;
    await page.getByLabel('Category').selectOption(category);
    expect(await page.locator('.pair').count()).toBeGreaterThan(0);
    await checkPage(page, 'comparison');
  });

  it(`keeps the task list responsive with ${benchTaskCount} tasks (time to first rows, scroll to the end)`, async () => {
    const bench = await openPage(fixture.browser);
    await signIn(bench.page, base, fixture.benchKey);
    const started = performance.now();
    await bench.page.getByRole('link', { name: 'Tasks' }).click();
    await bench.page.locator('.task-row').first().waitFor();
    const firstRowsMs = performance.now() - started;
    const list = bench.page.getByTestId('task-list');
    const scrollStarted = performance.now();
    const lastRow = bench.page.locator(`[aria-rowindex="${benchTaskCount + 1}"]`);
    await waitUntil(
      async () => {
        if (await lastRow.isVisible()) return true;
        await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
        return false;
      },
      // Its own deadline, well inside the test's: 100 pages fetched one after another on a busy machine.
      { what: `row ${benchTaskCount} of the task list to be drawn while scrolling`, timeoutMs: 100_000 },
    );
    const scrollMs = performance.now() - scrollStarted;
    expect(await bench.page.getByText(`${benchTaskCount} tasks, newest first`).count()).toBe(1);
    expect(await bench.page.locator('.task-row').count()).toBeLessThan(100);
    console.log(
      `console bench: ${benchTaskCount} tasks: first rows in ${Math.round(firstRowsMs)} ms, scrolled to the last in ${Math.round(scrollMs)} ms`,
    );
    expect(bench.errors).toEqual([]);
    await bench.page.context().close();
  }, 120_000);

  it('logged no console errors on any page', () => {
    expect(errors).toEqual([]);
  });
});
