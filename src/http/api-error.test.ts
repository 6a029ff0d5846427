import { Hono } from 'hono';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ApiError, apiErrorFromZod, errorResponse, fieldPath, rateLimited } from './api-error.js';

function firstError(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  if (result.success) throw new Error('expected a failure');
  return apiErrorFromZod(result.error, 'request body', input);
}

describe('fieldPath', () => {
  it('writes array indexes in brackets and nested keys with dots', () => {
    expect(fieldPath(['images', 2, 'url'])).toBe('images[2].url');
    expect(fieldPath(['metadata', 'order'])).toBe('metadata.order');
    expect(fieldPath([])).toBe('');
  });
});

describe('apiErrorFromZod', () => {
  const body = z.strictObject({
    ratio: z.union([z.enum(['1:1', '16:9']), z.literal('auto')]).optional(),
    format: z.enum(['png', 'jpeg']).optional(),
    count: z.number().int().max(8).optional(),
    name: z.string(),
  });

  it('lists the allowed values of an enum, and of a union of enums, quoting what was sent', () => {
    const format = firstError(body, { name: 'x', format: 'gif' });
    expect(format.param).toBe('format');
    expect(format.message).toBe('Invalid "format" "gif": allowed values are "png", "jpeg".');
    const ratio = firstError(body, { name: 'x', ratio: '7:3' });
    expect(ratio.message).toBe('Invalid "ratio" "7:3": allowed values are "1:1", "16:9", "auto".');
  });

  it('names a missing field, an unknown field and an out-of-range number', () => {
    expect(firstError(body, {})).toMatchObject({ param: 'name', code: 'missing_field', status: 400 });
    expect(firstError(body, { name: 'x', extra: 1 })).toMatchObject({
      param: 'extra',
      code: 'unknown_field',
    });
    const count = firstError(body, { name: 'x', count: 9 });
    expect(count).toMatchObject({ param: 'count', code: 'invalid_value' });
    expect(count.message).toContain('9');
  });

  it('serialises as {error: {type, code, message, param}}', () => {
    expect(firstError(body, {}).body).toEqual({
      error: {
        type: 'invalid_request_error',
        code: 'missing_field',
        message: 'Missing required field "name".',
        param: 'name',
      },
    });
  });
});

describe('rateLimited', () => {
  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect(rateLimited('slow down', 1001).headers['Retry-After']).toBe('2');
    expect(rateLimited('slow down', 10).headers['Retry-After']).toBe('1');
    expect(rateLimited('slow down', 1001)).toMatchObject({
      status: 429,
      type: 'rate_limit_exceeded',
      code: 'rate_limit_exceeded',
    });
    expect(rateLimited('budget spent', 60_000, 'monthly_budget_exceeded')).toMatchObject({
      status: 429,
      code: 'monthly_budget_exceeded',
      headers: { 'Retry-After': '60' },
    });
  });
});

describe('errorResponse', () => {
  it('answers the error shape with the status and extra headers', async () => {
    const app = new Hono();
    app.get('/', (c) =>
      errorResponse(
        c,
        new ApiError(413, 'request_too_large', 'payload_too_large', 'too big', 'image', { 'x-limit': '10' }),
      ),
    );
    const response = await app.request('/');
    expect(response.status).toBe(413);
    expect(response.headers.get('x-limit')).toBe('10');
    expect(await response.json()).toEqual({
      error: { type: 'request_too_large', code: 'payload_too_large', message: 'too big', param: 'image' },
    });
  });
});
