import { isIP } from 'node:net';

/** What `serve` does about auth at start, given its host and whether any API key exists. */
export type DefaultAuthDecision =
  /** Keys exist (or are required): every request needs a valid key, except /healthz and an open /metrics. */
  | { kind: 'keys' }
  /** No key yet, on a loopback host: answers without auth, and says so at start. */
  | { kind: 'open'; notice: string }
  /** No key, on a reachable host, not explicitly allowed: do not start. */
  | { kind: 'refuse'; message: string };

/** Whether a listen address only accepts connections from this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

/**
 * The default-auth rule: with no key created, the server answers without auth only where nobody else can
 * reach it (a loopback host) unless `server.allowUnauthenticated` says otherwise; once any key exists
 * (or `requireApiKey` is set), every request needs one.
 */
export function decideDefaultAuth(input: {
  host: string;
  hasKeys: boolean;
  requireApiKey: boolean;
  allowUnauthenticated: boolean;
}): DefaultAuthDecision {
  if (input.hasKeys || input.requireApiKey) return { kind: 'keys' };
  if (isLoopbackHost(input.host)) {
    return {
      kind: 'open',
      notice: `No API keys exist: answering without auth on ${input.host} (loopback only). Create one with "imagegate keys create --name <name>" and every request will need a key.`,
    };
  }
  if (input.allowUnauthenticated) {
    return {
      kind: 'open',
      notice: `No API keys exist and server.allowUnauthenticated is true: anyone who reaches ${input.host} can use this server without a key.`,
    };
  }
  return {
    kind: 'refuse',
    message: `Refusing to listen on ${input.host} without API keys: anyone who can reach it could use the server. Create a key with "imagegate keys create --name <name>", listen on 127.0.0.1, or set server.allowUnauthenticated: true.`,
  };
}
