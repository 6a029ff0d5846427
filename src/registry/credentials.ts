import type { ImagegateConfig } from '../config/index.js';

/** Where the Gemini API key is read from. */
export interface GeminiApiCredentials {
  platform: 'gemini-api';
  /** Name of the environment variable holding the key. Default GEMINI_API_KEY. */
  apiKeyEnv: string;
}

/** Where Vertex AI's project and location come from. */
export interface VertexAiCredentials {
  platform: 'vertex-ai';
  /** A literal project ID; wins over `projectEnv`. Default: none. */
  project?: string;
  /** Default GOOGLE_CLOUD_PROJECT. */
  projectEnv: string;
  /** A literal location; wins over `locationEnv`. Default: none. */
  location?: string;
  /** Default GOOGLE_CLOUD_LOCATION. */
  locationEnv: string;
  /** Express-mode API key variable. Default: none (application default credentials). */
  apiKeyEnv?: string;
}

export type PlatformCredentials = GeminiApiCredentials | VertexAiCredentials;

/** Values read from the environment at call time; secrets never pass through the config. */
export type CredentialValues =
  | { platform: 'gemini-api'; apiKey: string | undefined }
  | { platform: 'vertex-ai'; project: string | undefined; location: string; apiKey: string | undefined };

/** Vertex AI's location when neither the config nor the environment names one. */
export const defaultVertexLocation = 'global';

export function credentialsFromConfig(config: ImagegateConfig, platform: 'gemini-api'): GeminiApiCredentials;
export function credentialsFromConfig(config: ImagegateConfig, platform: 'vertex-ai'): VertexAiCredentials;
export function credentialsFromConfig(
  config: ImagegateConfig,
  platform: PlatformCredentials['platform'],
): PlatformCredentials;
export function credentialsFromConfig(
  config: ImagegateConfig,
  platform: PlatformCredentials['platform'],
): PlatformCredentials {
  if (platform === 'gemini-api') return { platform, ...config.credentials['gemini-api'] };
  const vertex = config.credentials['vertex-ai'];
  return {
    platform,
    projectEnv: vertex.projectEnv,
    locationEnv: vertex.locationEnv,
    ...(vertex.project !== undefined && { project: vertex.project }),
    ...(vertex.location !== undefined && { location: vertex.location }),
    ...(vertex.apiKeyEnv !== undefined && { apiKeyEnv: vertex.apiKeyEnv }),
  };
}

/** Reads the named variables; empty strings count as unset. */
export function readCredentials(credentials: PlatformCredentials, env: NodeJS.ProcessEnv): CredentialValues {
  const read = (name: string | undefined) => (name === undefined ? undefined : env[name] || undefined);
  if (credentials.platform === 'gemini-api') {
    return { platform: 'gemini-api', apiKey: read(credentials.apiKeyEnv) };
  }
  return {
    platform: 'vertex-ai',
    project: credentials.project ?? read(credentials.projectEnv),
    location: credentials.location ?? read(credentials.locationEnv) ?? defaultVertexLocation,
    apiKey: read(credentials.apiKeyEnv),
  };
}
