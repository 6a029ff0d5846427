import { describe, expect, it } from 'vitest';
import { EmulatorApiError } from './api-errors.js';
import { authenticate, type AuthInput } from './auth.js';

function input(headers: Record<string, string>, keyQueryParameter?: string): AuthInput {
  return { header: (name) => headers[name.toLowerCase()], keyQueryParameter };
}

function thrown(run: () => unknown): EmulatorApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof EmulatorApiError) return error;
    throw error;
  }
  throw new Error('expected an EmulatorApiError');
}

describe('authenticate', () => {
  const none = new Set<string>();

  it('takes the key from x-goog-api-key before ?key=', () => {
    expect(authenticate(input({ 'x-goog-api-key': 'header-key' }, 'query-key'), none)).toEqual({
      kind: 'api-key',
      apiKey: 'header-key',
    });
  });

  it('takes the key from ?key= when there is no header', () => {
    expect(authenticate(input({}, 'query-key'), none)).toEqual({ kind: 'api-key', apiKey: 'query-key' });
  });

  it('accepts a bearer token', () => {
    expect(authenticate(input({ authorization: 'Bearer ya29.token' }), none)).toEqual({
      kind: 'bearer',
      token: 'ya29.token',
    });
  });

  it('answers 403 PERMISSION_DENIED with the real wording when nothing identifies the caller', () => {
    const error = thrown(() => authenticate(input({ authorization: 'Basic abc' }), none));
    expect(error.httpStatus).toBe(403);
    expect(error.body.error.status).toBe('PERMISSION_DENIED');
    expect(error.body.error.message).toContain("Method doesn't allow unregistered callers");
  });

  it('answers 400 API_KEY_INVALID with an ErrorInfo detail for a listed key', () => {
    const error = thrown(() => authenticate(input({ 'x-goog-api-key': 'revoked' }), new Set(['revoked'])));
    expect(error.httpStatus).toBe(400);
    expect(error.body.error).toMatchObject({
      code: 400,
      status: 'INVALID_ARGUMENT',
      message: 'API key not valid. Please pass a valid API key.',
    });
    expect(error.body.error.details?.[0]).toMatchObject({
      reason: 'API_KEY_INVALID',
      domain: 'googleapis.com',
    });
  });

  it('answers 400 API_KEY_INVALID for a key outside the accepted list, and still takes bearer tokens', () => {
    const accepted = new Set(['k1']);
    expect(authenticate(input({ 'x-goog-api-key': 'k1' }), none, accepted)).toEqual({
      kind: 'api-key',
      apiKey: 'k1',
    });
    expect(thrown(() => authenticate(input({}, 'k2'), none, accepted)).httpStatus).toBe(400);
    expect(authenticate(input({ authorization: 'Bearer t' }), none, accepted).kind).toBe('bearer');
  });
});
