import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findOnPath } from '../../src/media/find-on-path.js';
import { ManualClock } from '../../src/clock/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import type { ImageProvider } from '../../src/provider/image-provider.js';
import { GeminiProvider } from '../../src/provider/gemini-provider.js';
import { parsePromptSet, type RegressPrompt } from '../../src/tools/regress/index.js';

/** An instant when the 3.1 Flash preview and its GA twin both answer. */
export const beforePreviewShutdown = Date.UTC(2026, 3, 1);
export const previewModel = 'gemini-3.1-flash-image-preview';
export const gaModel = 'gemini-3.1-flash-image';

/** The GA model blocks two prompts the preview allows and silently serves 1K for 2K on "poster" prompts. */
export const candidateRegressionsScenario = `
safety:
  - { model: ${gaModel}, pattern: '(?i)\\b(knife|torch)\\b', verdict: IMAGE_SAFETY }
downgrades:
  - { model: ${gaModel}, from: 2K, to: 1K, pattern: '(?i)poster' }
`;

export const blockedOnCandidateIds = ['chef-knife', 'torch-relay'];
export const downgradedIds = ['poster-jazz', 'poster-film', 'poster-travel'];

/** Twenty prompts: fifteen ordinary ones at 512, two the candidate blocks, three posters asked at 2K. */
export function twentyPrompts(): RegressPrompt[] {
  const ordinary = [
    'a red fox in fresh snow',
    'a lighthouse at dusk',
    'a bowl of ramen, top view',
    'a city skyline at night',
    'portrait of a tabby cat',
    'a sailboat on a calm lake',
    'a bicycle leaning on a brick wall',
    'a cup of coffee with latte art',
    'mountains at sunrise',
    'a field of sunflowers',
    'an astronaut reading a book',
    'a vintage typewriter',
    'a rainy street in Tokyo',
    'a stack of pancakes with berries',
    'a hummingbird at a flower',
  ];
  const yaml = [
    ...ordinary.map(
      (prompt, index) => `- { id: ordinary-${String(index + 1).padStart(2, '0')}, prompt: '${prompt}' }`,
    ),
    `- { id: chef-knife, prompt: 'a chef knife on a cutting board' }`,
    `- { id: torch-relay, prompt: 'a runner carrying a torch' }`,
    `- { id: poster-jazz, prompt: 'a jazz festival poster', size: 2K }`,
    `- { id: poster-film, prompt: 'a retro film poster', size: 2K }`,
    `- { id: poster-travel, prompt: 'a travel poster of Lisbon', size: 2K }`,
  ].join('\n');
  return parsePromptSet(yaml, 'prompts.yaml');
}

export interface RegressHarness {
  emulator: RunningEmulator;
  clock: ManualClock;
  /** The provider to hand to runRegress; records the prompt of every call. */
  provider: ImageProvider;
  calledPrompts: string[];
  outDir: string;
  close(): Promise<void>;
}

export async function startRegressHarness(scenarioYaml = ''): Promise<RegressHarness> {
  const clock = new ManualClock(beforePreviewShutdown);
  const emulator = await startEmulator({ clock, scenario: parseScenario(scenarioYaml || '{}') });
  emulator.clock.setNow(beforePreviewShutdown, { frozen: true });
  const gemini = new GeminiProvider({ geminiApi: { apiKey: 'k', baseUrl: emulator.url } });
  const calledPrompts: string[] = [];
  const provider: ImageProvider = {
    generate: (call) => {
      calledPrompts.push(call.request.prompt);
      return gemini.generate(call);
    },
    listModelIds: (platform) => gemini.listModelIds(platform),
  };
  const outDir = await mkdtemp(join(tmpdir(), 'imagegate-regress-'));
  return { emulator, clock, provider, calledPrompts, outDir, close: () => emulator.close() };
}

/** Names Chromium goes by on PATH (Debian, Ubuntu, Google's builds). */
const chromiumNames = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];

export const chromiumMissingMessage = `no Chromium (CHROMIUM_PATH, or ${chromiumNames.join('/')} on PATH)`;

/** CHROMIUM_PATH when set, else the first Chromium on PATH. */
async function findChromium(): Promise<string | undefined> {
  const configured = process.env.CHROMIUM_PATH?.trim();
  if (configured) return existsSync(configured) ? configured : undefined;
  for (const name of chromiumNames) {
    const found = await findOnPath(name, process.env);
    if (found) return found;
  }
  return undefined;
}

/** Headless Chromium through playwright-core, or undefined when the browser is not installed. */
export async function launchChromium(): Promise<Browser | undefined> {
  const executablePath = await findChromium();
  if (!executablePath) return undefined;
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
