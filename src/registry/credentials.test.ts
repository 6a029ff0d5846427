import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/index.js';
import { credentialsFromConfig, readCredentials } from './credentials.js';

describe('readCredentials', () => {
  it('reads the Gemini API key from the named variable; empty counts as unset', () => {
    const config = configSchema.parse({ credentials: { 'gemini-api': { apiKeyEnv: 'TEAM_KEY' } } });
    const credentials = credentialsFromConfig(config, 'gemini-api');
    expect(readCredentials(credentials, { TEAM_KEY: 'k-1', GEMINI_API_KEY: 'other' })).toEqual({
      platform: 'gemini-api',
      apiKey: 'k-1',
    });
    expect(readCredentials(credentials, { TEAM_KEY: '' })).toEqual({
      platform: 'gemini-api',
      apiKey: undefined,
    });
  });

  it('takes Vertex project and location from the config first, then the environment, then "global"', () => {
    const fromEnv = credentialsFromConfig(configSchema.parse({}), 'vertex-ai');
    expect(
      readCredentials(fromEnv, { GOOGLE_CLOUD_PROJECT: 'p-env', GOOGLE_CLOUD_LOCATION: 'us-central1' }),
    ).toEqual({
      platform: 'vertex-ai',
      project: 'p-env',
      location: 'us-central1',
      apiKey: undefined,
    });
    expect(readCredentials(fromEnv, {})).toEqual({
      platform: 'vertex-ai',
      project: undefined,
      location: 'global',
      apiKey: undefined,
    });
    const literal = credentialsFromConfig(
      configSchema.parse({ credentials: { 'vertex-ai': { project: 'p-file', location: 'europe-west4' } } }),
      'vertex-ai',
    );
    expect(
      readCredentials(literal, { GOOGLE_CLOUD_PROJECT: 'p-env', GOOGLE_CLOUD_LOCATION: 'us' }),
    ).toMatchObject({
      project: 'p-file',
      location: 'europe-west4',
    });
  });
});
