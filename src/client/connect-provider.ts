import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { ImagegateConfig } from '../config/index.js';
import { FfmpegNotFoundError, ffmpegMissingMessage, locateFfmpeg } from '../media/index.js';
import { GeminiProvider } from '../provider/index.js';

export interface ConnectedProvider {
  provider: GeminiProvider;
  /** `emulator` when no credentials were found and the built-in emulator answers instead. */
  target: 'google' | 'emulator';
  /** One line for the user saying what the provider talks to. */
  notice: string | undefined;
  /**
   * Throws before any call when videos cannot be read: the built-in emulator needs ffmpeg for their
   * frames (Google does not, so this passes when talking to Google).
   */
  checkVideoSupport(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the provider from the config's credential *names* and the environment. With no Gemini API key
 * and no Vertex project, the built-in emulator starts in-process so every entry point still works.
 */
export async function connectProvider(options: {
  config: ImagegateConfig;
  env: NodeJS.ProcessEnv;
  catalog?: Catalog;
  clock?: Clock;
}): Promise<ConnectedProvider> {
  const { credentials } = options.config;
  const apiKey = options.env[credentials['gemini-api'].apiKeyEnv];
  const vertex = credentials['vertex-ai'];
  const vertexProject = options.env[vertex.projectEnv];
  const vertexLocation = options.env[vertex.locationEnv] ?? vertex.location;
  const vertexApiKey = vertex.apiKeyEnv ? options.env[vertex.apiKeyEnv] : undefined;
  const baseUrl = options.env.GOOGLE_GEMINI_BASE_URL;

  if (apiKey || vertexProject || vertexApiKey) {
    const provider = new GeminiProvider({
      ...(apiKey ? { geminiApi: { apiKey, ...(baseUrl ? { baseUrl } : {}) } } : {}),
      ...(vertexProject || vertexApiKey
        ? {
            vertexAi: {
              ...(vertexProject ? { project: vertexProject, location: vertexLocation } : {}),
              ...(vertexApiKey ? { apiKey: vertexApiKey } : {}),
              ...(options.env.GOOGLE_VERTEX_BASE_URL ? { baseUrl: options.env.GOOGLE_VERTEX_BASE_URL } : {}),
            },
          }
        : {}),
      ...(options.catalog ? { catalog: options.catalog } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    return {
      provider,
      target: 'google',
      notice: undefined,
      checkVideoSupport: async () => {},
      close: async () => {},
    };
  }

  // The in-process emulator and its provider share the caller's clock: the emulator's calendar decides
  // which models answer, and the provider compares upload expiry dates it sets against its own "now".
  // Loaded only here: a library user with a key never loads the emulator (its image synthesis included).
  const { startEmulator } = await import('../emulator/index.js');
  const emulator = await startEmulator({
    port: 0,
    environment: options.env,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const provider = new GeminiProvider({
    geminiApi: { apiKey: 'emulator', baseUrl: emulator.url },
    vertexAi: { apiKey: 'emulator', baseUrl: emulator.url },
    filePollIntervalMs: 100,
    ...(options.catalog ? { catalog: options.catalog } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return {
    provider,
    target: 'emulator',
    notice:
      `No ${credentials['gemini-api'].apiKeyEnv} set: using the built-in Gemini emulator at ${emulator.url} (synthetic images).` +
      // The base URL alone does not switch targets: no key means no remote API was chosen at all.
      (baseUrl
        ? ` GOOGLE_GEMINI_BASE_URL (${baseUrl}) is used only with a key: set ${credentials['gemini-api'].apiKeyEnv} to any value to talk to it.`
        : ''),
    checkVideoSupport: async () => {
      if (await locateFfmpeg(options.env)) return;
      throw new FfmpegNotFoundError(
        `${ffmpegMissingMessage()}. The built-in emulator needs it to read the video (with ${credentials['gemini-api'].apiKeyEnv} set, Google reads it instead).`,
      );
    },
    close: () => emulator.close(),
  };
}
