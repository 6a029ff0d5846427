import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, openPage, signIn, startConsoleFixture, type ConsoleFixture } from './console-harness.js';
import { findChromium } from './find-chromium.js';

const chromiumPath = findChromium();
const underCi = process.env.CI === 'true';
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
    fixture = await startConsoleFixture(chromiumPath);
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

  it('signs in with an API key kept in session storage, refusing a wrong one', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('heading', { name: 'Sign in to imagegate' }).waitFor();
    await checkPage(page, 'sign-in');
    await page.getByLabel('API key').fill('igk_00000000000000000000000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    await signIn(page, base, fixture.adminKey);
    expect(await page.evaluate(() => sessionStorage.getItem('imagegate.apiKey'))).toBe(fixture.adminKey);
    await checkPage(page, 'overview');
  });

  it('logged no console errors on any page', () => {
    expect(errors.filter((error) => !error.includes('401'))).toEqual([]);
  });
});
