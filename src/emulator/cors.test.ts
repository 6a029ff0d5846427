import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { createEmulator } from './create-emulator.js';
import { corsAllowedMethods, corsExposedHeaders } from './cors.js';

const { app } = createEmulator({ clock: new ManualClock(Date.UTC(2026, 3, 1)) });
const origin = 'http://app.example:5173';

describe('CORS', () => {
  it('answers a preflight 200 without a key, echoing the origin and the headers asked for', async () => {
    const response = await app.request('/v1beta/models/gemini-2.5-flash-image:generateContent', {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-goog-api-client,x-goog-api-key',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')).toBe(corsAllowedMethods);
    expect(response.headers.get('access-control-allow-headers')).toBe(
      'content-type,x-goog-api-client,x-goog-api-key',
    );
  });

  it('names the origin on answers and on errors, exposing the upload headers', async () => {
    const listed = await app.request('/v1beta/models', { headers: { origin, 'x-goog-api-key': 'k' } });
    expect(listed.status).toBe(200);
    expect(listed.headers.get('access-control-allow-origin')).toBe(origin);
    expect(listed.headers.get('access-control-expose-headers')).toBe(corsExposedHeaders);
    const refused = await app.request('/v1beta/models', { headers: { origin } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('adds nothing for a same-origin or non-browser call', async () => {
    const listed = await app.request('/v1beta/models', { headers: { 'x-goog-api-key': 'k' } });
    expect(listed.headers.get('access-control-allow-origin')).toBeNull();
  });
});
