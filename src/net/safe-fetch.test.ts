import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { safeFetch, type ResolvedAddress } from './safe-fetch.js';
import { SafeFetchError, SsrfRefusedError } from './safe-fetch-errors.js';

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

interface TestServer {
  port: number;
  received: ReceivedRequest[];
}

const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections();
          server.close(() => resolve());
        }),
    ),
  );
});

async function startServer(
  host: string,
  handle: (request: ReceivedRequest, response: ServerResponse) => void,
): Promise<TestServer> {
  const received: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(entry);
      handle(entry, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { port: (server.address() as AddressInfo).port, received };
}

/** A resolver answering from a fixed table, recording every name asked. */
function fakeDns(table: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    asked.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw new Error(`ENOTFOUND ${hostname}`);
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { asked, lookup };
}

async function refusal(promise: Promise<unknown>): Promise<SsrfRefusedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SsrfRefusedError);
  return error as SsrfRefusedError;
}

describe('safeFetch refusals', () => {
  const noDns = async (): Promise<ResolvedAddress[]> => {
    throw new Error('an IP literal must not be resolved');
  };

  it.each([
    ['http://127.0.0.1/', '127.0.0.1'],
    ['http://10.0.0.1/hook', '10.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254'],
    ['http://[::1]:8080/', '::1'],
    ['https://[::ffff:127.0.0.1]/', '::ffff:7f00:1'],
    ['http://2130706433/', '127.0.0.1'],
    ['http://0x7f.1/', '127.0.0.1'],
  ])('refuses %s before connecting', async (url, address) => {
    const error = await refusal(safeFetch(url, { lookup: noDns }));
    expect(error.address).toBe(address);
    expect(error.message).toContain('refused: private address');
    expect(error.message).toContain('allowPrivateNetworks');
  });

  it('refuses a hostname that resolves to a private address', async () => {
    const dns = fakeDns({ 'images.example': ['10.1.2.3'] });
    const error = await refusal(safeFetch('https://images.example/cat.png', { lookup: dns.lookup }));
    expect(error.url).toBe('https://images.example/cat.png');
    expect(error.address).toBe('10.1.2.3');
    // The caller learns that the URL is refused, never what an internal name resolves to.
    expect(error.message).toContain('refused: private address');
    expect(error.message).not.toContain('10.1.2.3');
    expect(error.reason).toBe('private');
  });

  it('refuses a hostname when any one of its addresses is forbidden', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.216.34', '169.254.169.254'] });
    const error = await refusal(safeFetch('http://mixed.example/', { lookup: dns.lookup }));
    expect(error.address).toBe('169.254.169.254');
  });

  it.each([
    'file:///etc/passwd',
    'ftp://example.com/a.png',
    'gopher://example.com/',
    'data:image/png;base64,AA==',
  ])('refuses the scheme of %s', async (url) => {
    const error = await refusal(safeFetch(url));
    expect(error.message).toContain('only http: and https:');
  });

  it('names an unparseable URL', async () => {
    await expect(safeFetch('not a url')).rejects.toMatchObject({ failure: 'invalid_url' });
  });
});

describe('safeFetch against local servers', () => {
  it('fetches when private networks are allowed and reports status, headers, bytes and URL', async () => {
    const server = await startServer('127.0.0.1', (_request, response) => {
      response.writeHead(201, { 'content-type': 'text/plain', 'x-answer': '42' }).end('hello');
    });
    const url = `http://127.0.0.1:${server.port}/path?q=1`;
    const response = await safeFetch(url, { allowPrivateNetworks: true });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-answer')).toBe('42');
    expect(response.bytes.toString()).toBe('hello');
    expect(response.finalUrl).toBe(url);
    expect(server.received[0]?.url).toBe('/path?q=1');
  });

  it('connects to the address it checked, resolving the name once, and sends the name as Host', async () => {
    const server = await startServer('127.0.0.1', (_request, response) => response.end('pinned'));
    const dns = fakeDns({ 'receiver.test': ['127.0.0.1'] });
    const response = await safeFetch(`http://receiver.test:${server.port}/`, {
      lookup: dns.lookup,
      allowedAddresses: ['127.0.0.1'],
    });
    expect(response.bytes.toString()).toBe('pinned');
    expect(dns.asked).toEqual(['receiver.test']);
    expect(server.received[0]?.headers.host).toBe(`receiver.test:${server.port}`);
  });

  describe('redirects', () => {
    async function redirectingPair() {
      const inside = await startServer('127.0.0.2', (_request, response) => response.end('secret'));
      const outside = await startServer('127.0.0.1', (request, response) => {
        if (request.url === '/to-inside') {
          response.writeHead(302, { location: `http://inside.test:${inside.port}/admin` }).end();
        } else if (request.url === '/to-loopback-literal') {
          response.writeHead(301, { location: `http://[::1]:${inside.port}/` }).end();
        } else if (request.url === '/to-metadata') {
          response.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        } else if (request.url === '/relative') {
          response.writeHead(302, { location: '/final' }).end();
        } else {
          response.end('final');
        }
      });
      const dns = fakeDns({ 'outside.test': ['127.0.0.1'], 'inside.test': ['127.0.0.2'] });
      return { inside, outside, dns };
    }

    it('follows a redirect to an allowed address (control)', async () => {
      const { outside, dns } = await redirectingPair();
      const response = await safeFetch(`http://outside.test:${outside.port}/relative`, {
        lookup: dns.lookup,
        allowedAddresses: ['127.0.0.1'],
      });
      expect(response.bytes.toString()).toBe('final');
      expect(response.finalUrl).toBe(`http://outside.test:${outside.port}/final`);
      expect(outside.received.map((request) => request.url)).toEqual(['/relative', '/final']);
    });

    it('re-checks every hop: a redirect to a private host is refused and never reaches it', async () => {
      const { inside, outside, dns } = await redirectingPair();
      const error = await refusal(
        safeFetch(`http://outside.test:${outside.port}/to-inside`, {
          lookup: dns.lookup,
          allowedAddresses: ['127.0.0.1'],
        }),
      );
      expect(error.url).toBe(`http://inside.test:${inside.port}/admin`);
      expect(error.address).toBe('127.0.0.2');
      expect(dns.asked).toEqual(['outside.test', 'inside.test']);
      expect(outside.received).toHaveLength(1);
      expect(inside.received).toHaveLength(0);

      // The same redirect goes through once the second address is allowed: the refusal was the hop check.
      const allowed = await safeFetch(`http://outside.test:${outside.port}/to-inside`, {
        lookup: dns.lookup,
        allowedAddresses: ['127.0.0.1', '127.0.0.2'],
      });
      expect(allowed.bytes.toString()).toBe('secret');
    });

    it.each([
      ['/to-loopback-literal', '::1'],
      ['/to-metadata', '169.254.169.254'],
    ])('refuses the redirect from %s to %s', async (path, address) => {
      const { outside, dns } = await redirectingPair();
      const error = await refusal(
        safeFetch(`http://outside.test:${outside.port}${path}`, {
          lookup: dns.lookup,
          allowedAddresses: ['127.0.0.1'],
        }),
      );
      expect(error.address).toBe(address);
    });

    it('gives up after maxRedirects', async () => {
      const server = await startServer('127.0.0.1', (request, response) => {
        const hop = Number(request.url?.slice(1));
        response.writeHead(302, { location: `/${hop + 1}` }).end();
      });
      await expect(
        safeFetch(`http://127.0.0.1:${server.port}/0`, { allowPrivateNetworks: true, maxRedirects: 3 }),
      ).rejects.toMatchObject({ failure: 'too_many_redirects' });
      expect(server.received.map((request) => request.url)).toEqual(['/0', '/1', '/2', '/3']);
    });

    it('turns POST into GET on 303, keeps method and body on 307, drops credentials across origins', async () => {
      const other = await startServer('127.0.0.1', (_request, response) => response.end('other'));
      const server = await startServer('127.0.0.1', (request, response) => {
        if (request.url === '/see-other') response.writeHead(303, { location: '/done' }).end();
        else if (request.url === '/temporary') response.writeHead(307, { location: '/done' }).end();
        else if (request.url === '/elsewhere') {
          response.writeHead(307, { location: `http://127.0.0.1:${other.port}/x` }).end();
        } else response.end('done');
      });
      const post = {
        allowPrivateNetworks: true,
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json', authorization: 'Bearer s' },
      };
      await safeFetch(`http://127.0.0.1:${server.port}/see-other`, post);
      await safeFetch(`http://127.0.0.1:${server.port}/temporary`, post);
      await safeFetch(`http://127.0.0.1:${server.port}/elsewhere`, post);
      const done = server.received.filter((request) => request.url === '/done');
      expect(done.map((request) => [request.method, request.body])).toEqual([
        ['GET', ''],
        ['POST', '{"a":1}'],
      ]);
      expect(done[1]?.headers.authorization).toBe('Bearer s');
      expect(other.received[0]?.method).toBe('POST');
      expect(other.received[0]?.headers.authorization).toBeUndefined();
    });
  });

  it('stops reading past maxBytes, declared or streamed', async () => {
    const server = await startServer('127.0.0.1', (request, response) => {
      if (request.url === '/declared')
        response.writeHead(200, { 'content-length': '2000' }).end('x'.repeat(2000));
      else {
        response.writeHead(200);
        response.write('y'.repeat(600));
        response.end('y'.repeat(600));
      }
    });
    for (const path of ['/declared', '/streamed']) {
      await expect(
        safeFetch(`http://127.0.0.1:${server.port}${path}`, { allowPrivateNetworks: true, maxBytes: 1000 }),
      ).rejects.toMatchObject({ failure: 'too_large' });
    }
    const small = await safeFetch(`http://127.0.0.1:${server.port}/declared`, {
      allowPrivateNetworks: true,
      maxBytes: 2000,
    });
    expect(small.bytes.byteLength).toBe(2000);
  });

  it('fails with a timeout when the server never answers', async () => {
    const server = await startServer('127.0.0.1', () => {});
    const error = await safeFetch(`http://127.0.0.1:${server.port}/`, {
      allowPrivateNetworks: true,
      timeoutMs: 50,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SafeFetchError);
    expect(error).toMatchObject({ failure: 'timeout' });
  });

  it('reports a refused connection as a network failure', async () => {
    const server = await startServer('127.0.0.1', () => {});
    const port = server.port;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    await expect(
      safeFetch(`http://127.0.0.1:${port}/`, { allowPrivateNetworks: true }),
    ).rejects.toMatchObject({ failure: 'network' });
  });
});
