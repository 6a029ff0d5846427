import { ApiError, GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import sharp from 'sharp';
import { expect } from 'vitest';
import {
  builtInCatalog,
  findModel,
  outputPixelSize,
  type AspectRatio,
  type ImageSize,
} from '../../src/catalog/index.js';
import { ManualClock } from '../../src/clock/index.js';
import {
  parseScenario,
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../../src/emulator/index.js';

/** Shared set-up for the tests that drive the emulator with the real @google/genai SDK. */

/** An instant when every preview image model is still served on the Gemini API. */
export const beforeShutdowns = Date.UTC(2026, 3, 1);

export interface TestEmulator {
  emulator: RunningEmulator;
  baseClock: ManualClock;
  /** A client on `apiVersion: 'v1beta'` whose base URL carries `prefix` (default none). */
  client(options?: { prefix?: string; apiVersion?: string; apiKey?: string }): GoogleGenAI;
}

/**
 * Starts an emulator on a random port with a manual base clock (latency waits cost no real time) and the
 * emulated time frozen at `atMs` (default 2026-04-01).
 */
export async function startTestEmulator(
  options: StartEmulatorOptions & { atMs?: number; scenarioYaml?: string } = {},
): Promise<TestEmulator> {
  const { atMs = beforeShutdowns, scenarioYaml, ...rest } = options;
  const baseClock = new ManualClock(atMs);
  const emulator = await startEmulator({
    clock: baseClock,
    ...(scenarioYaml !== undefined ? { scenario: parseScenario(scenarioYaml) } : {}),
    ...rest,
  });
  if (!emulator.clock.isSet) emulator.clock.setNow(atMs, { frozen: true });
  return {
    emulator,
    baseClock,
    client: ({ prefix = '', apiVersion = 'v1beta', apiKey = 'test-key' } = {}) =>
      new GoogleGenAI({ apiKey, httpOptions: { baseUrl: `${emulator.url}${prefix}`, apiVersion } }),
  };
}

export function imagePart(response: GenerateContentResponse, candidateIndex = 0) {
  return response.candidates?.[candidateIndex]?.content?.parts?.find((part) => part.inlineData)?.inlineData;
}

/** The joined text parts of a candidate, without the SDK's warning about image parts that `.text` prints. */
export function textOf(response: GenerateContentResponse, candidateIndex = 0): string {
  return (response.candidates?.[candidateIndex]?.content?.parts ?? [])
    .map((part) => part.text ?? '')
    .join('');
}

/** Decodes a base64 image and returns its format and pixel size. */
export async function decodedImage(
  base64: string | undefined,
): Promise<{ format: string; width: number; height: number }> {
  expect(base64, 'an image part').toBeDefined();
  const metadata = await sharp(Buffer.from(base64!, 'base64')).metadata();
  return { format: metadata.format, width: metadata.width, height: metadata.height };
}

/** The pixel size the catalog promises for (model, size, ratio). */
export function catalogPixelSize(modelId: string, size: ImageSize, ratio: AspectRatio) {
  const model = findModel(builtInCatalog(), modelId);
  expect(model, `catalog model ${modelId}`).toBeDefined();
  const pixels = outputPixelSize(model!, size, ratio);
  expect(pixels, `catalog pixel size for ${modelId} ${size} ${ratio}`).toBeDefined();
  return pixels!;
}

/** Runs a call that must fail with an ApiError and returns its status and parsed JSON body. */
export async function apiError(
  call: Promise<unknown>,
): Promise<{ status: number; body: { error: Record<string, unknown> } }> {
  try {
    await call;
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    return {
      status: apiError.status,
      body: JSON.parse(apiError.message) as { error: Record<string, unknown> },
    };
  }
  throw new Error('expected the call to fail with an ApiError');
}

/** A small PNG to use as a reference image. */
export async function referencePng(
  width: number,
  height: number,
  colour = { r: 200, g: 30, b: 30 },
): Promise<string> {
  const png = await sharp({ create: { width, height, channels: 3, background: colour } })
    .png()
    .toBuffer();
  return png.toString('base64');
}
