import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogPixelSize, startTestEmulator, type TestEmulator } from './sdk-harness.js';
import { chromiumArgs, chromiumForTests } from './chromium-location.js';

/**
 * A web page on another origin calls the emulator with @google/genai's browser build, in headless
 * Chromium: the preflight must be answered and every answer must name the page's origin, or the browser
 * refuses to hand it to the SDK.
 */

const executablePath = chromiumForTests();

/** @google/genai's browser entry (the `browser` export condition) bundled into one ES module. */
async function bundleGenai(): Promise<string> {
  const result = await build({
    stdin: { contents: "export * from '@google/genai';", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * The app page: a module script, as a real app would ship it, that exposes one function running the
 * calls. It is plain browser JavaScript (not compiled with this file), so the test runner cannot rewrite
 * its imports.
 */
const appScript = `
import { GoogleGenAI, ApiError } from '/genai.js';

window.runCalls = async (baseUrl) => {
  const ai = new GoogleGenAI({ apiKey: 'browser-key', httpOptions: { baseUrl, apiVersion: 'v1beta' } });
  const models = [];
  for await (const model of await ai.models.list()) models.push(model.name);
  const generated = await ai.models.generateContent({
    model: 'gemini-3.1-flash-image',
    contents: 'a kite over a beach',
    config: { imageConfig: { aspectRatio: '16:9', imageSize: '1K' } },
  });
  const image = generated.candidates[0].content.parts.find((part) => part.inlineData).inlineData;
  let chunks = 0;
  const stream = await ai.models.generateContentStream({
    model: 'gemini-2.5-flash-image',
    contents: 'a lamp',
    config: { responseModalities: ['TEXT'] },
  });
  for await (const chunk of stream) if (chunk) chunks += 1;
  let errorStatus = 0;
  let errorMessage = '';
  try {
    await ai.models.generateContent({ model: 'no-such-model', contents: 'x' });
  } catch (error) {
    if (error instanceof ApiError) {
      errorStatus = error.status;
      errorMessage = error.message;
    }
  }
  return { origin: location.origin, models, image: image.data, chunks, errorStatus, errorMessage };
};
`;

interface PageResult {
  origin: string;
  models: string[];
  image: string;
  chunks: number;
  errorStatus: number;
  errorMessage: string;
}

/** Serves the page and the bundle from its own port: a different origin from the emulator's. */
async function servePage(bundle: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/genai.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      return;
    }
    if (request.url === '/app.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(appScript);
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>app</title><script type="module" src="/app.js"></script>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe.runIf(executablePath !== undefined)('@google/genai in a browser page on another origin', () => {
  let harness: TestEmulator;
  let page: { server: Server; url: string };
  let browser: Browser;
  let tab: Page;

  beforeAll(async () => {
    harness = await startTestEmulator();
    page = await servePage(await bundleGenai());
    browser = await chromium.launch({ executablePath: executablePath!, args: chromiumArgs });
    tab = await browser.newPage();
    await tab.goto(page.url);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => page?.server.close(resolve));
    await harness?.emulator.close();
  });

  it('lists models, generates, streams and reads an error body', async () => {
    await tab.waitForFunction('typeof window.runCalls === "function"');
    const result = (await tab.evaluate(
      `window.runCalls(${JSON.stringify(harness.emulator.url)})`,
    )) as PageResult;

    expect(result.origin).not.toBe(new URL(harness.emulator.url).origin);
    expect(result.models).toContain('models/gemini-3.1-flash-image');
    const metadata = await sharp(Buffer.from(result.image, 'base64')).metadata();
    const expected = catalogPixelSize('gemini-3.1-flash-image', '1K', '16:9');
    expect({ width: metadata.width, height: metadata.height }).toEqual(expected);
    expect(result.chunks).toBeGreaterThanOrEqual(2);
    expect(result.errorStatus).toBe(404);
    expect(JSON.parse(result.errorMessage)).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  }, 60_000);
});
