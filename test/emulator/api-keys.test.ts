import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiError, startTestEmulator, type TestEmulator } from './sdk-harness.js';

/** Only listed keys are accepted (start option and scenario); quotas can be given per key. */

let harness: TestEmulator;

beforeAll(async () => {
  harness = await startTestEmulator({
    apiKeys: ['started-key'],
    scenarioYaml: [
      'apiKeys: [team-a, team-b]',
      'quotas:',
      '  - { apiKey: team-a, model: "*", rpm: 1, retryDelay: none }',
    ].join('\n'),
  });
});

afterAll(async () => {
  await harness.emulator.close();
});

const generate = (apiKey: string) =>
  harness.client({ apiKey }).models.generateContent({
    model: 'gemini-2.5-flash-image',
    contents: 'a lamp',
    config: { responseModalities: ['TEXT'] },
  });

describe('API keys', () => {
  it('answers any other key with the real 400 API_KEY_INVALID body', async () => {
    const refused = await apiError(generate('someone-else'));
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      error: {
        code: 400,
        message: 'API key not valid. Please pass a valid API key.',
        status: 'INVALID_ARGUMENT',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_INVALID',
            domain: 'googleapis.com',
            metadata: { service: 'generativelanguage.googleapis.com' },
          },
          {
            '@type': 'type.googleapis.com/google.rpc.LocalizedMessage',
            locale: 'en-US',
            message: 'API key not valid. Please pass a valid API key.',
          },
        ],
      },
    });
  });

  it('accepts the keys of the start option and of the scenario', async () => {
    await expect(generate('started-key')).resolves.toBeDefined();
    await expect(generate('team-b')).resolves.toBeDefined();
  });

  it('applies a per-key quota to that key only', async () => {
    await expect(generate('team-a')).resolves.toBeDefined();
    const limited = await apiError(generate('team-a'));
    expect(limited.status).toBe(429);
    expect(limited.body.error.status).toBe('RESOURCE_EXHAUSTED');
    await expect(generate('team-b')).resolves.toBeDefined();
  });
});
