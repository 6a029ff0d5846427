import { describe, expect, it } from 'vitest';
import { EmulatorApiError } from './api-errors.js';
import { camelCaseKeys, isJsonContentType, parseJsonObject, readBodyBytes } from './request-body.js';

const encode = (text: string) => new TextEncoder().encode(text);

async function rejection(promise: Promise<unknown>): Promise<EmulatorApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmulatorApiError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('readBodyBytes', () => {
  it('returns the bytes of a body within the limit', async () => {
    const bytes = await readBodyBytes(new Request('http://x/', { method: 'POST', body: 'abc' }), 3);
    expect(Buffer.from(bytes).toString()).toBe('abc');
  });

  it('refuses a body over the limit with Google’s 400', async () => {
    const error = await rejection(
      readBodyBytes(new Request('http://x/', { method: 'POST', body: 'abcd' }), 3),
    );
    expect(error.httpStatus).toBe(400);
    expect(error.body.error.message).toBe('Request payload size exceeds the limit: 3 bytes.');
  });
});

describe('parseJsonObject', () => {
  it('parses JSON keeping the keys as sent, so errors can name fields in the caller’s spelling', () => {
    const parsed = parseJsonObject(
      encode('{"generation_config":{"image_config":{"aspect_ratio":"1:1"}},"metadata":{"my_key":1}}'),
      'application/json; charset=utf-8',
    );
    expect(parsed).toEqual({
      generation_config: { image_config: { aspect_ratio: '1:1' } },
      metadata: { my_key: 1 },
    });
  });

  it('reads an empty body as an empty object', () => {
    expect(parseJsonObject(new Uint8Array(), 'application/json')).toEqual({});
  });

  it('answers malformed JSON with "Invalid JSON payload received."', () => {
    try {
      parseJsonObject(encode('{"contents": [ }'), 'application/json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EmulatorApiError);
      const body = (error as EmulatorApiError).body.error;
      expect(body.code).toBe(400);
      expect(body.status).toBe('INVALID_ARGUMENT');
      expect(body.message).toMatch(/^Invalid JSON payload received\. Unexpected token\./);
      expect(body.message).toContain('^');
    }
  });

  it('refuses a top-level array', () => {
    expect(() => parseJsonObject(encode('[1]'), 'application/json')).toThrow(/Expected a JSON object/);
  });

  it('refuses a non-JSON content type, naming it', () => {
    expect(() => parseJsonObject(encode('{}'), 'text/plain')).toThrow(/Invalid Content-Type "text\/plain"/);
  });
});

describe('isJsonContentType', () => {
  it.each([
    [undefined, true],
    ['application/json', true],
    ['application/problem+json', true],
    ['text/plain', false],
    ['multipart/form-data; boundary=x', false],
  ])('%s → %s', (contentType, expected) => {
    expect(isJsonContentType(contentType)).toBe(expected);
  });
});

describe('camelCaseKeys', () => {
  it('converts nested keys inside arrays', () => {
    expect(camelCaseKeys({ contents: [{ parts: [{ inline_data: { mime_type: 'image/png' } }] }] })).toEqual({
      contents: [{ parts: [{ inlineData: { mimeType: 'image/png' } }] }],
    });
  });
});
