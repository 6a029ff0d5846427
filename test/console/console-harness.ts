import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, type Rollup } from 'vite';
import { initialJsGzipBytes } from '../../console/initial-js-size-plugin.js';
import { expect } from 'vitest';
import type { Clock } from '../../src/clock/index.js';
import { configSchema } from '../../src/config/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { ApiKeyStore } from '../../src/server/auth/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { newTaskId, openDataDirectory, SqliteTaskStore } from '../../src/tasks/index.js';
import { chromiumArgs } from './find-chromium.js';

/** The day the console tests stand on: both 3.x previews (shutdown 2026-06-25) and their GA twins are live. */
export const consoleTestNow = Date.UTC(2026, 5, 10, 12, 0, 0);
/** A model the emulator answers only after a minute, so a task of it can be cancelled while it runs. */
export const slowModel = 'gemini-2.5-flash-image';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
export const screenshotDirectory = join(repositoryRoot, 'test', 'console', 'screenshots');

/** A clock that reads `startMs` now and ticks at real speed: lifecycle is judged on that day whatever today is. */
export function shiftedClock(startMs: number): Clock {
  const offsetMs = startMs - Date.now();
  return {
    nowMs: () => Date.now() + offsetMs,
    sleep: (durationMs, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const timer = setTimeout(resolve, durationMs);
        signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      }),
  };
}

export interface ConsoleFixture {
  server: RunningServer;
  emulator: RunningEmulator;
  browser: Browser;
  /** An admin key's secret and a plain key's secret. */
  adminKey: string;
  userKey: string;
  /** A key owning `benchTasks` finished tasks (for the 10,000-task list measurement). */
  benchKey: string;
  consoleDirectory: string;
  /** The built console's initial JavaScript, gzipped, as the build prints it. */
  initialJsGzipBytes: number;
  /** The server's data directory (the CLI's `--data-dir` reaches the same flows and tasks). */
  dataDirectory: string;
  close(): Promise<void>;
}

/**
 * Builds the console into a temporary folder (so the tests always see the current source); answers the
 * initial JavaScript's gzipped bytes, counted as the build's own figure is.
 */
export async function buildConsoleInto(outDir: string): Promise<number> {
  // Vite and the React plugin pick the production build from NODE_ENV, which vitest sets to "test".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    const output = await build({
      configFile: join(repositoryRoot, 'console', 'vite.config.ts'),
      mode: 'production',
      logLevel: 'silent',
      build: { outDir, emptyOutDir: true },
    });
    const outputs = (Array.isArray(output) ? output : [output]) as Rollup.RollupOutput[];
    const bundle = Object.fromEntries(
      outputs.flatMap((entry) => entry.output).map((file) => [file.fileName, file]),
    );
    return initialJsGzipBytes(bundle);
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

/** The console built, an emulator on the test day, `imagegate serve` with keys required, and Chromium. */
export async function startConsoleFixture(
  chromiumPath: string,
  options: { benchTasks?: number } = {},
): Promise<ConsoleFixture> {
  const directory = await mkdtemp(join(tmpdir(), 'imagegate-console-'));
  const consoleDirectory = join(directory, 'console');
  const initialJsBytes = await buildConsoleInto(consoleDirectory);
  const clock = shiftedClock(consoleTestNow);
  const emulator = await startEmulator({
    scenario: parseScenario(
      [
        `clock: { now: '${new Date(consoleTestNow).toISOString()}' }`,
        `latency: { models: { '${slowModel}': { medianMs: 60000, p95Ms: 60000 } } }`,
      ].join('\n'),
      'console.yaml',
    ),
  });
  const dataDirectory = join(directory, 'data');
  const data = openDataDirectory(dataDirectory, { cwd: directory, create: true });
  const keys = new ApiKeyStore(data.handle, { clock });
  const adminKey = keys.create({ name: 'console admin', admin: true }).secret;
  const userKey = keys.create({ name: 'console user', monthlyBudgetUsd: 25 }).secret;
  const bench = keys.create({ name: 'console bench' });
  await seedCancelledTasks(data.handle, bench.record.id, options.benchTasks ?? 0);
  data.handle.close();
  const server = await startServer({
    config: configSchema.parse({ server: { requireApiKey: true, monthlyBudgetUsd: 100 } }),
    port: 0,
    dataDirectory,
    cwd: directory,
    env: { GEMINI_API_KEY: 'console-test', GOOGLE_GEMINI_BASE_URL: emulator.url },
    clock,
    consoleDirectory,
  });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  await mkdir(screenshotDirectory, { recursive: true });
  return {
    server,
    emulator,
    browser,
    adminKey,
    userKey,
    benchKey: bench.secret,
    consoleDirectory,
    initialJsGzipBytes: initialJsBytes,
    dataDirectory,
    close: async () => {
      await browser.close();
      await server.close();
      await emulator.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * `count` tasks of one key, created a second apart before the test day and cancelled while queued, so
 * no worker runs them; written in one transaction (a few seconds for 10,000).
 */
async function seedCancelledTasks(
  database: ReturnType<typeof openDataDirectory>['handle'],
  apiKeyId: string,
  count: number,
) {
  if (count === 0) return;
  const store = new SqliteTaskStore(database, { closeDatabase: false });
  database.exec('BEGIN');
  for (let index = 0; index < count; index++) {
    const createdAtMs = consoleTestNow - 3_600_000 - index * 1000;
    const { task } = await store.create({
      id: newTaskId(createdAtMs),
      request: {
        model: 'image_fast',
        prompt: `bench ${index}`,
        outputFormat: 'png',
        references: [],
        history: [],
        imageCount: 1,
      },
      metadata: {},
      apiKeyId,
      estimatedCostUsd: 0.039,
      createdAtMs,
    });
    await store.requestCancel(task.id, createdAtMs + 500);
  }
  database.exec('COMMIT');
}

/** A new tab that records console errors, uncaught exceptions and any request to another host. */
export async function openPage(browser: Browser): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  // The console must work offline: nothing may be fetched from anywhere but the server itself.
  page.on('request', (request) => {
    if (!/^(http:\/\/127\.0\.0\.1[:/]|blob:|data:)/.test(request.url())) {
      errors.push(`request to another host: ${request.url()}`);
    }
  });
  return { page, errors };
}

/** Signs the tab in with a key through the sign-in form. */
export async function signIn(page: Page, baseUrl: string, key: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** No serious or critical axe violations on the page as it stands, and a screenshot kept for review. */
export async function checkPage(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshotDirectory, `${name}.png`), fullPage: true });
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
    );
  expect(serious.join('\n'), `axe on ${name}`).toBe('');
}
