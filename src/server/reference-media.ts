import type { BlobStore } from '../blobs/index.js';
import { MAX_REFERENCE_IMAGE_BYTES, REFERENCE_IMAGE_TYPES, VIDEO_TYPES } from '../client/index.js';
import { checkMediaBytes, isVideoType, MediaInputError } from '../media/index.js';
import { safeFetch, SafeFetchError, SsrfRefusedError } from '../net/index.js';
import type { StoredMediaReference } from '../tasks/index.js';
import { ApiError, invalidRequest, tooLarge } from '../http/index.js';
import type { BlobOwnership, CallerScope } from './auth/index.js';
import { MAX_URL_LENGTH, quoteValue } from '../http/index.js';

/** `file_<sha256>`: an uploaded file is addressed by its content, so its id needs no table. */
export const FILE_ID_PREFIX = 'file_';
const FILE_ID_PATTERN = /^file_([0-9a-f]{64})$/;
const DATA_URL_PATTERN = /^data:([a-z]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,(.*)$/is;

export function fileIdOf(sha256: string): string {
  return `${FILE_ID_PREFIX}${sha256}`;
}

export interface ReferenceOptions {
  blobs: BlobStore;
  /** Let https references reach private and loopback addresses. Default false. */
  allowPrivateNetworks?: boolean;
  /** Largest reference image in bytes. Default: the library's reference image limit (20 MiB). */
  maxImageBytes?: number;
  /** Time to fetch one https reference. Default 10000 ms. */
  fetchTimeoutMs?: number;
  /**
   * Blob ownership and who is submitting: a file id must be the caller's own upload, and every stored
   * reference becomes the caller's. Default: not checked.
   */
  owners?: { owners: BlobOwnership; scope: CallerScope };
}

export interface StoredReferences {
  references: StoredMediaReference[];
  video?: StoredMediaReference;
}

/**
 * Puts every reference (file id, data URL or https URL) into the blob store, in order, so the task holds
 * only hashes and survives restarts. A video file id becomes the request's video (at most one).
 * Failures are 400s (413 when too large) naming `<field>[i]`.
 */
export async function storeReferences(
  entries: readonly string[],
  field: string,
  options: ReferenceOptions,
): Promise<StoredReferences> {
  const stored = await Promise.all(
    entries.map((entry, index) => storeOne(entry, `${field}[${index}]`, options)),
  );
  const videos = stored.filter((reference) => isVideoType(reference.mimeType));
  if (videos.length > 1) {
    throw invalidRequest(`At most one video reference is allowed; got ${videos.length}.`, field);
  }
  const references = stored.filter((reference) => !isVideoType(reference.mimeType));
  return { references, ...(videos[0] ? { video: videos[0] } : {}) };
}

async function storeOne(
  entry: string,
  param: string,
  options: ReferenceOptions,
): Promise<StoredMediaReference> {
  const fileId = FILE_ID_PATTERN.exec(entry);
  if (fileId) {
    const sha256 = fileId[1]!;
    // Another key's upload answers exactly like one that was never made: no existence oracle.
    const reachable = options.owners
      ? await options.owners.owners.reachable(options.owners.scope, sha256)
      : true;
    const blob = reachable ? await options.blobs.get(sha256) : undefined;
    if (!blob)
      throw invalidRequest(
        `"${param}": no uploaded file "${entry}". Upload it with POST /v1/files first.`,
        param,
        'unknown_file',
      );
    return { sha256, mimeType: blob.mimeType };
  }
  if (entry.startsWith('data:')) return storeBytes(decodeDataUrl(entry, param), param, options);
  if (/^https?:\/\//i.test(entry)) {
    if (entry.length > MAX_URL_LENGTH) {
      throw invalidRequest(
        `"${param}" is a URL of ${entry.length} characters; at most ${MAX_URL_LENGTH} are allowed.`,
        param,
      );
    }
    return storeBytes(await download(entry, param, options), param, options);
  }
  throw invalidRequest(
    `"${param}" must be an uploaded file id (file_…), a data: URL or an https URL; got ${quoteValue(entry)}.`,
    param,
  );
}

async function storeBytes(
  bytes: Uint8Array,
  param: string,
  options: ReferenceOptions,
): Promise<StoredMediaReference> {
  const maxBytes = options.maxImageBytes ?? MAX_REFERENCE_IMAGE_BYTES;
  if (bytes.byteLength > maxBytes) {
    throw tooLarge(
      `"${param}" is ${bytes.byteLength} bytes; the limit for a reference image is ${maxBytes}.`,
      param,
    );
  }
  const media = checkOrRefuse(bytes, param, maxBytes);
  const blob = await options.blobs.put(bytes, media.mimeType);
  await options.owners?.owners.add(blob.sha256, options.owners.scope.keyId);
  return { sha256: blob.sha256, mimeType: media.mimeType };
}

function checkOrRefuse(bytes: Uint8Array, param: string, maxBytes: number): { mimeType: string } {
  try {
    return checkMediaBytes(bytes, param, {
      allowedTypes: REFERENCE_IMAGE_TYPES,
      maxBytes,
      role: 'reference image',
    });
  } catch (error) {
    if (error instanceof MediaInputError) throw invalidRequest(error.message, param, 'unsupported_media');
    throw error;
  }
}

function decodeDataUrl(url: string, param: string): Buffer {
  const match = DATA_URL_PATTERN.exec(url);
  if (!match) {
    throw invalidRequest(`"${param}" is not a base64 data URL (data:image/png;base64,…).`, param);
  }
  return Buffer.from(match[3] ?? '', 'base64');
}

async function download(url: string, param: string, options: ReferenceOptions): Promise<Buffer> {
  const maxBytes = options.maxImageBytes ?? MAX_REFERENCE_IMAGE_BYTES;
  try {
    const response = await safeFetch(url, {
      allowPrivateNetworks: options.allowPrivateNetworks ?? false,
      maxBytes,
      ...(options.fetchTimeoutMs !== undefined ? { timeoutMs: options.fetchTimeoutMs } : {}),
    });
    if (response.status !== 200) {
      throw invalidRequest(
        `"${param}": fetching ${quoteValue(url)} answered HTTP ${response.status}.`,
        param,
        'fetch_failed',
      );
    }
    return response.bytes;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    if (error instanceof SsrfRefusedError) {
      throw invalidRequest(`"${param}": ${error.message}`, param, 'url_not_allowed');
    }
    if (error instanceof SafeFetchError) {
      if (error.failure === 'too_large') {
        throw tooLarge(
          `"${param}": ${quoteValue(url)} is larger than the ${maxBytes}-byte limit for a reference image.`,
          param,
        );
      }
      throw invalidRequest(
        `"${param}": could not fetch ${quoteValue(url)} (${error.failure}): ${error.message}`,
        param,
        'fetch_failed',
      );
    }
    throw error;
  }
}

/** Types `POST /v1/files` accepts, sniffed from the bytes. */
export const UPLOAD_TYPES: readonly string[] = [...REFERENCE_IMAGE_TYPES, ...VIDEO_TYPES];
