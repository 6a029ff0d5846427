import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/clock/index.js';
import { createEmulator } from '../../src/emulator/index.js';
import { beforeShutdowns } from './sdk-harness.js';

/**
 * Request → exact error body, for bodies Google's JSON parser refuses before the model sees them
 * (reference section 4, "Unknown and mistyped fields"). Each row is the whole body, byte for byte.
 */

const { app, clock } = createEmulator({ clock: new ManualClock(beforeShutdowns) });
clock.setNow(beforeShutdowns, { frozen: true });

const badRequest = 'type.googleapis.com/google.rpc.BadRequest';
const prompt = { contents: [{ parts: [{ text: 'a kite' }] }] };

interface Row {
  name: string;
  path?: string;
  body: Record<string, unknown>;
  message: string;
  violations: { field?: string; description: string }[];
}

const unknown = (name: string, at?: string) =>
  `Invalid JSON payload received. Unknown name "${name}"${at === undefined ? '' : ` at '${at}'`}: Cannot find field.`;

const rows: Row[] = [
  {
    name: 'an unknown top-level field',
    body: { ...prompt, bogusField: 1 },
    message: unknown('bogusField'),
    violations: [{ description: unknown('bogusField') }],
  },
  {
    name: 'an unknown generation_config field',
    body: { ...prompt, generationConfig: { fooBar: true } },
    message: unknown('fooBar', 'generation_config'),
    violations: [{ field: 'generation_config', description: unknown('fooBar', 'generation_config') }],
  },
  {
    name: 'an unknown image_config field, spelt snake_case as sent',
    body: { ...prompt, generation_config: { image_config: { zzz: 1, aspect_ratio: '1:1' } } },
    message: unknown('zzz', 'generation_config.image_config'),
    violations: [
      {
        field: 'generation_config.image_config',
        description: unknown('zzz', 'generation_config.image_config'),
      },
    ],
  },
  {
    name: 'an unknown field inside a part, with its index',
    body: { contents: [{ parts: [{ text: 'x' }, { text: 'y', colour: 'red' }] }] },
    message: unknown('colour', 'contents[0].parts[1]'),
    violations: [{ field: 'contents[0].parts[1]', description: unknown('colour', 'contents[0].parts[1]') }],
  },
  {
    name: 'two unknown fields: one sentence each, joined by a newline',
    body: { ...prompt, bogusField: 1, generationConfig: { fooBar: 2 } },
    message: `${unknown('bogusField')}\n${unknown('fooBar', 'generation_config')}`,
    violations: [
      { description: unknown('bogusField') },
      { field: 'generation_config', description: unknown('fooBar', 'generation_config') },
    ],
  },
  {
    name: 'a string for an int32',
    body: { ...prompt, generationConfig: { candidateCount: 'abc' } },
    message: `Invalid value at 'generation_config.candidate_count' (TYPE_INT32), "abc"`,
    violations: [
      {
        field: 'generation_config.candidate_count',
        description: `Invalid value at 'generation_config.candidate_count' (TYPE_INT32), "abc"`,
      },
    ],
  },
  {
    name: 'a fraction for an int32',
    body: { ...prompt, generationConfig: { seed: 1.5 } },
    message: `Invalid value at 'generation_config.seed' (TYPE_INT32), 1.5`,
    violations: [
      {
        field: 'generation_config.seed',
        description: `Invalid value at 'generation_config.seed' (TYPE_INT32), 1.5`,
      },
    ],
  },
  {
    name: 'a word for a float',
    body: { ...prompt, generationConfig: { temperature: 'hot' } },
    message: `Invalid value at 'generation_config.temperature' (TYPE_FLOAT), "hot"`,
    violations: [
      {
        field: 'generation_config.temperature',
        description: `Invalid value at 'generation_config.temperature' (TYPE_FLOAT), "hot"`,
      },
    ],
  },
  {
    name: 'a number for a string',
    body: { contents: [{ parts: [{ text: 5 }] }] },
    message: `Invalid value at 'contents[0].parts[0].text' (TYPE_STRING), 5`,
    violations: [
      {
        field: 'contents[0].parts[0].text',
        description: `Invalid value at 'contents[0].parts[0].text' (TYPE_STRING), 5`,
      },
    ],
  },
  {
    name: 'an unknown enum value names the enum type',
    body: { ...prompt, generationConfig: { responseModalities: ['IMAGE', 'SMELL'] } },
    message:
      `Invalid value at 'generation_config.response_modalities[1]' ` +
      `(type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), "SMELL"`,
    violations: [
      {
        field: 'generation_config.response_modalities[1]',
        description:
          `Invalid value at 'generation_config.response_modalities[1]' ` +
          `(type.googleapis.com/google.ai.generativelanguage.v1beta.GenerationConfig.Modality), "SMELL"`,
      },
    ],
  },
  {
    name: 'a scalar for a message names the message type and the API version',
    path: '/v1/models/gemini-2.5-flash-image:generateContent',
    body: { ...prompt, generationConfig: 5 },
    message: `Invalid value at 'generation_config' (type.googleapis.com/google.ai.generativelanguage.v1.GenerationConfig), 5`,
    violations: [
      {
        field: 'generation_config',
        description: `Invalid value at 'generation_config' (type.googleapis.com/google.ai.generativelanguage.v1.GenerationConfig), 5`,
      },
    ],
  },
  {
    name: 'a list for a singular field',
    body: { ...prompt, generationConfig: { imageConfig: [] } },
    message: `Invalid JSON payload received. Unknown name "imageConfig" at 'generation_config': Proto field is not repeating, cannot start list.`,
    violations: [
      {
        field: 'generation_config',
        description: `Invalid JSON payload received. Unknown name "imageConfig" at 'generation_config': Proto field is not repeating, cannot start list.`,
      },
    ],
  },
  {
    name: 'a batch create checks its inline requests, with the whole path',
    path: '/v1beta/models/gemini-2.5-flash-image:batchGenerateContent',
    body: {
      batch: {
        displayName: 'd',
        inputConfig: {
          requests: { requests: [{ request: { ...prompt, generationConfig: { fooBar: 1 } } }] },
        },
      },
    },
    message: unknown('fooBar', 'batch.input_config.requests.requests[0].request.generation_config'),
    violations: [
      {
        field: 'batch.input_config.requests.requests[0].request.generation_config',
        description: unknown('fooBar', 'batch.input_config.requests.requests[0].request.generation_config'),
      },
    ],
  },
  {
    name: 'countTokens checks its own message',
    path: '/v1beta/models/gemini-2.5-flash-image:countTokens',
    body: { ...prompt, generationConfig: {} },
    message: unknown('generationConfig'),
    violations: [{ description: unknown('generationConfig') }],
  },
];

describe('unknown and mistyped fields get Google’s exact 400', () => {
  it.each(rows)('$name', async (row) => {
    const response = await app.request(row.path ?? '/v1beta/models/gemini-2.5-flash-image:generateContent', {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify(row.body),
    });
    expect(response.status).toBe(400);
    const expected = {
      error: {
        code: 400,
        message: row.message,
        status: 'INVALID_ARGUMENT',
        details: [{ '@type': badRequest, fieldViolations: row.violations }],
      },
    };
    expect(await response.text()).toBe(JSON.stringify(expected, null, 2));
  });

  it('still accepts every field the SDK sends, in either spelling, with null meaning unset', async () => {
    const response = await app.request('/v1beta/models/gemini-3-pro-image-preview:generateContent', {
      method: 'POST',
      headers: { 'x-goog-api-key': 'k', 'content-type': 'application/json' },
      body: JSON.stringify({
        contents: [{ role: 'user', parts: [{ text: 'a kite', thought_signature: 'c2ln' }] }],
        systemInstruction: { role: 'user', parts: [{ text: 'be brief' }] },
        safety_settings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_NONE' }],
        tools: [{ googleSearch: {} }],
        generationConfig: {
          temperature: '0.5',
          topP: 0.95,
          candidate_count: '1',
          seed: null,
          responseModalities: ['Text', 'Image'],
          thinkingConfig: { thinkingLevel: 'high', includeThoughts: false },
          imageConfig: { aspectRatio: '16:9', image_size: '1K' },
        },
      }),
    });
    expect(response.status).toBe(200);
  });
});

describe('a JSONL batch input file', () => {
  it('is parsed line by line, an error naming the line', async () => {
    const headers = { 'x-goog-api-key': 'k', 'content-type': 'application/json' };
    const lines = [
      JSON.stringify({ key: 'a', request: prompt }),
      JSON.stringify({ key: 'b', request: { contents: [{ parts: [{ text: 'x', colour: 'red' }] }] } }),
    ].join('\n');
    const start = await app.request('http://emulator.test/upload/v1beta/files', {
      method: 'POST',
      headers: {
        ...headers,
        'x-goog-upload-protocol': 'resumable',
        'x-goog-upload-command': 'start',
        'x-goog-upload-header-content-length': String(Buffer.byteLength(lines)),
        'x-goog-upload-header-content-type': 'application/jsonl',
      },
      body: JSON.stringify({ file: { name: 'files/lines' } }),
    });
    const uploaded = await app.request(start.headers.get('x-goog-upload-url')!, {
      method: 'POST',
      headers: { ...headers, 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '0' },
      body: lines,
    });
    expect(uploaded.status).toBe(200);
    const created = await app.request('/v1beta/models/gemini-2.5-flash-image:batchGenerateContent', {
      method: 'POST',
      headers,
      body: JSON.stringify({ batch: { inputConfig: { fileName: 'files/lines' } } }),
    });
    expect(created.status).toBe(400);
    const description = unknown('colour', 'request.contents[0].parts[0]');
    expect(JSON.parse(await created.text())).toEqual({
      error: {
        code: 400,
        message: `Line 2 of files/lines: ${description}`,
        status: 'INVALID_ARGUMENT',
        details: [
          { '@type': badRequest, fieldViolations: [{ field: 'request.contents[0].parts[0]', description }] },
        ],
      },
    });
  });
});
