import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { forbiddenAddressReason } from './is-forbidden-address.js';
import { SafeFetchError, SsrfRefusedError } from './safe-fetch-errors.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export interface SafeFetchOptions {
  /** Let requests reach private, loopback, link-local and metadata addresses. Default: false. */
  allowPrivateNetworks?: boolean;
  /**
   * Exact IP addresses that may be reached even though they are forbidden (an internal webhook receiver,
   * say), checked after DNS resolution like everything else. Default: none.
   */
  allowedAddresses?: readonly string[];
  /** Largest response body accepted, in bytes; larger bodies abort the request. Default: 20 MiB. */
  maxBytes?: number;
  /** Time for the whole exchange, redirects included. Default: 10000 ms. */
  timeoutMs?: number;
  /** Redirects followed before giving up. Default: 5. */
  maxRedirects?: number;
  /** Default: GET. */
  method?: string;
  /** Default: none. */
  headers?: Record<string, string>;
  /** Request body, sent on the first hop (and on 307/308 redirects). Default: none. */
  body?: string;
  /** Resolves a hostname to every address. Default: `dns.promises.lookup` with `all: true`. */
  lookup?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface SafeFetchResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
  /** The URL that answered, after redirects. */
  finalUrl: string;
}

export const DEFAULT_SAFE_FETCH_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_SAFE_FETCH_TIMEOUT_MS = 10_000;
export const DEFAULT_SAFE_FETCH_MAX_REDIRECTS = 5;

const redirectStatuses = new Set([301, 302, 303, 307, 308]);

/**
 * An HTTP(S) request that cannot be pointed at the inside of the network. Each hop's host is resolved,
 * every address it resolves to is checked, and the connection goes to the checked address itself (the
 * socket's lookup is pinned), so a DNS answer that changes between check and connect (rebinding) cannot
 * slip through. Redirects are followed by hand and every hop is checked again.
 */
export async function safeFetch(url: string, options: SafeFetchOptions = {}): Promise<SafeFetchResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SAFE_FETCH_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_SAFE_FETCH_MAX_REDIRECTS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let target = parseTarget(url);
  let method = (options.method ?? 'GET').toUpperCase();
  let body = options.body;
  let headers: Record<string, string> = { ...options.headers };
  try {
    for (let redirectsFollowed = 0; ; redirectsFollowed += 1) {
      const address = await resolveAllowedAddress(target, options);
      const exchange = { method, headers, body, signal: controller.signal };
      const response = await sendOnce(target, address, exchange).catch((error: unknown) => {
        throw controller.signal.aborted
          ? new SafeFetchError(`${target.href} did not answer within ${timeoutMs} ms`, target.href, 'timeout')
          : new SafeFetchError(`${target.href} failed: ${describe(error)}`, target.href, 'network', {
              cause: error,
            });
      });
      const location = response.headers.location;
      if (redirectStatuses.has(response.statusCode ?? 0) && location) {
        response.destroy();
        if (redirectsFollowed >= maxRedirects) {
          throw new SafeFetchError(
            `${url} redirected more than ${maxRedirects} times (maxRedirects)`,
            target.href,
            'too_many_redirects',
          );
        }
        const next = parseTarget(location, target);
        if (
          response.statusCode === 303 ||
          (method === 'POST' && response.statusCode !== 307 && response.statusCode !== 308)
        ) {
          method = 'GET';
          body = undefined;
          headers = withoutHeaders(headers, ['content-type', 'content-length']);
        }
        if (next.origin !== target.origin) headers = withoutHeaders(headers, ['authorization', 'cookie']);
        target = next;
        continue;
      }
      const bytes = await readBody(
        response,
        target.href,
        options.maxBytes ?? DEFAULT_SAFE_FETCH_MAX_BYTES,
      ).catch((error: unknown) => {
        if (error instanceof SafeFetchError) throw error;
        throw controller.signal.aborted
          ? new SafeFetchError(`${target.href} did not finish within ${timeoutMs} ms`, target.href, 'timeout')
          : new SafeFetchError(
              `${target.href} failed while reading: ${describe(error)}`,
              target.href,
              'network',
            );
      });
      return {
        status: response.statusCode ?? 0,
        headers: headersOf(response),
        bytes,
        finalUrl: target.href,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseTarget(raw: string, base?: URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw, base);
  } catch {
    throw new SafeFetchError(`"${raw}" is not a valid URL`, raw, 'invalid_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SsrfRefusedError(
      `refused ${parsed.href}: only http: and https: URLs are allowed, got ${parsed.protocol}`,
      parsed.href,
    );
  }
  return parsed;
}

/** The address to connect to: the first one the host resolves to, after every one of them passed. */
async function resolveAllowedAddress(target: URL, options: SafeFetchOptions): Promise<ResolvedAddress> {
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  const literalFamily = isIP(host);
  const addresses: ResolvedAddress[] =
    literalFamily !== 0
      ? [{ address: host, family: literalFamily }]
      : await (options.lookup ?? defaultLookup)(host).catch((error: unknown) => {
          throw new SafeFetchError(`could not resolve ${host}: ${describe(error)}`, target.href, 'network', {
            cause: error,
          });
        });
  const first = addresses[0];
  if (!first) throw new SafeFetchError(`${host} resolved to no address`, target.href, 'network');
  if (options.allowPrivateNetworks) return first;
  for (const { address } of addresses) {
    const reason = forbiddenAddressReason(address);
    if (reason !== undefined && !options.allowedAddresses?.includes(address)) {
      // The message goes back to callers: it must not tell them how an internal name resolves, so the
      // address and its kind stay on the error (for the server's log) and out of the text.
      throw new SsrfRefusedError(
        `refused: private address (${target.protocol}//${target.host}/…); ` +
          'set server.allowPrivateNetworks to reach it',
        target.href,
        address,
        reason,
      );
    }
  }
  return first;
}

async function defaultLookup(hostname: string): Promise<ResolvedAddress[]> {
  return dnsLookup(hostname, { all: true, verbatim: true });
}

/** A socket lookup that always answers with the address that was checked. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) {
      (callback as unknown as (error: null, addresses: ResolvedAddress[]) => void)(null, [pinned]);
    } else {
      callback(null, pinned.address, pinned.family);
    }
  };
}

function sendOnce(
  target: URL,
  address: ResolvedAddress,
  exchange: {
    method: string;
    headers: Record<string, string>;
    body: string | undefined;
    signal: AbortSignal;
  },
): Promise<IncomingMessage> {
  const transport = target.protocol === 'https:' ? https : http;
  const headers = { ...exchange.headers };
  if (exchange.body !== undefined && !hasHeader(headers, 'content-length')) {
    headers['content-length'] = String(Buffer.byteLength(exchange.body));
  }
  return new Promise((resolve, reject) => {
    const request = transport.request(target, {
      method: exchange.method,
      headers,
      signal: exchange.signal,
      lookup: pinnedLookup(address),
      // A fresh connection per hop: a pooled socket might lead to an address checked for another host.
      agent: false,
    });
    request.once('response', resolve);
    request.once('error', reject);
    request.end(exchange.body);
  });
}

function readBody(response: IncomingMessage, url: string, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    return Promise.reject(tooLarge(url, maxBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    response.on('data', (chunk: Buffer) => {
      receivedBytes += chunk.byteLength;
      if (receivedBytes > maxBytes) {
        // Reject before destroying: destroying emits 'aborted' synchronously.
        reject(tooLarge(url, maxBytes));
        response.destroy();
        return;
      }
      chunks.push(chunk);
    });
    response.once('end', () => resolve(Buffer.concat(chunks)));
    response.once('error', reject);
    response.once('aborted', () => reject(new Error('connection closed before the body ended')));
  });
}

function tooLarge(url: string, maxBytes: number): SafeFetchError {
  return new SafeFetchError(`${url} answered with more than ${maxBytes} bytes (maxBytes)`, url, 'too_large');
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (let index = 0; index + 1 < response.rawHeaders.length; index += 2) {
    try {
      headers.append(response.rawHeaders[index] as string, response.rawHeaders[index + 1] as string);
    } catch {
      // A header value the Fetch API rejects is dropped rather than failing the whole response.
    }
  }
  return headers;
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function withoutHeaders(headers: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([key]) => !names.includes(key.toLowerCase())));
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
