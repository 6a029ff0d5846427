import { describe, expect, it } from 'vitest';
import { decideDefaultAuth, isLoopbackHost } from './default-auth.js';

describe('decideDefaultAuth', () => {
  const base = { hasKeys: false, requireApiKey: false, allowUnauthenticated: false };

  it('answers without auth on a loopback host while no key exists, and says so', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) {
      const decision = decideDefaultAuth({ ...base, host });
      expect(decision.kind, host).toBe('open');
    }
  });

  it('refuses a reachable host without keys unless allowUnauthenticated is set', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.4', 'images.example']) {
      const refused = decideDefaultAuth({ ...base, host });
      expect(refused).toEqual({ kind: 'refuse', message: expect.stringContaining('allowUnauthenticated') });
      expect(decideDefaultAuth({ ...base, host, allowUnauthenticated: true }).kind).toBe('open');
    }
  });

  it('needs keys everywhere once any key exists or keys are required', () => {
    expect(decideDefaultAuth({ ...base, host: '0.0.0.0', hasKeys: true }).kind).toBe('keys');
    expect(decideDefaultAuth({ ...base, host: '127.0.0.1', requireApiKey: true }).kind).toBe('keys');
  });

  it('knows loopback addresses from the rest', () => {
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
    expect(isLoopbackHost('localhost.example')).toBe(false);
    expect(isLoopbackHost('::ffff:127.0.0.1')).toBe(true);
  });
});
