import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { BlobStore } from '../../blobs/index.js';
import type { Clock } from '../../clock/index.js';
import { isVideoType, sniffMediaType } from '../../media/index.js';
import { invalidRequest, tooLarge } from '../../http/index.js';
import { errorResponses } from '../api-schemas.js';
import { callerScope, type BlobOwnership } from '../auth/index.js';
import { openApiRouter, type ServerEnv } from '../openapi-router.js';
import { fileIdOf, UPLOAD_TYPES } from '../reference-media.js';

export interface FileRoutesOptions {
  blobs: BlobStore;
  clock: Clock;
  /** Largest uploaded image in bytes. */
  maxImageBytes: number;
  /** Largest uploaded video in bytes. */
  maxVideoBytes: number;
  /** With it, an upload belongs to the key that made it. Default: unchecked. */
  owners?: BlobOwnership | undefined;
}

const fileSchema = z
  .object({
    id: z
      .string()
      .openapi({ example: 'file_9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
    object: z.literal('file'),
    bytes: z.number(),
    mime_type: z.string(),
    sha256: z.string(),
    created_at: z.number(),
  })
  .openapi('File');

// Documented only: the body is bytes (multipart or raw), which the JSON/form validators would reject.
const uploadFile = {
  method: 'post',
  path: '/v1/files',
  summary: 'Upload a reference image or video; its type is sniffed from the bytes',
  description:
    'Send multipart/form-data with a "file" field, or the raw bytes as the body. The id is content-addressed: the same bytes give the same id. Use the id in "images".',
  request: {
    body: {
      required: true,
      content: {
        'multipart/form-data': {
          schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }) }),
        },
        'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) },
      },
    },
  },
  responses: {
    201: { description: 'Stored', content: { 'application/json': { schema: fileSchema } } },
    ...errorResponses(400, 401, 413, 503),
  },
} as const;

/** `POST /v1/files`. Sizes are checked against the declared length first, so an oversized body is never read. */
export function fileRoutes(options: FileRoutesOptions) {
  const largest = Math.max(options.maxImageBytes, options.maxVideoBytes);
  const router = openApiRouter();
  router.openAPIRegistry.registerPath(uploadFile);
  return router.post(uploadFile.path, async (c) => {
    const declaredLength = Number(c.req.header('Content-Length') ?? Number.NaN);
    if (declaredLength > largest + 64 * 1024) {
      throw tooLarge(`The upload is ${declaredLength} bytes; the limit is ${largest}.`, 'file');
    }
    const bytes = await uploadedBytes(c);
    const mimeType = sniffMediaType(bytes);
    if (!mimeType || !UPLOAD_TYPES.includes(mimeType)) {
      throw invalidRequest(
        `The file is ${mimeType ?? 'not a recognised image or video'} (checked from its bytes); allowed: ${UPLOAD_TYPES.join(', ')}.`,
        'file',
        'unsupported_media',
      );
    }
    const limit = isVideoType(mimeType) ? options.maxVideoBytes : options.maxImageBytes;
    if (bytes.byteLength > limit) {
      throw tooLarge(`The ${mimeType} file is ${bytes.byteLength} bytes; the limit is ${limit}.`, 'file');
    }
    const stored = await options.blobs.put(bytes, mimeType);
    await options.owners?.add(stored.sha256, callerScope(c).keyId);
    return c.json(
      {
        id: fileIdOf(stored.sha256),
        object: 'file' as const,
        bytes: stored.size,
        mime_type: mimeType,
        sha256: stored.sha256,
        created_at: Math.floor(options.clock.nowMs() / 1000),
      },
      201,
    );
  });
}

async function uploadedBytes(c: Context<ServerEnv>): Promise<Uint8Array> {
  const contentType = c.req.header('Content-Type') ?? '';
  if (contentType.toLowerCase().startsWith('multipart/form-data')) {
    const form = await c.req.formData().catch(() => {
      throw invalidRequest(
        'The multipart body could not be read (a part, its headers or the closing boundary is broken).',
        'file',
        'malformed_body',
      );
    });
    const file = form.get('file');
    if (!(file instanceof Blob)) {
      throw invalidRequest(
        'Missing required field "file" (a file part in the multipart form).',
        'file',
        'missing_field',
      );
    }
    return new Uint8Array(await file.arrayBuffer());
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0) throw invalidRequest('The upload is empty.', 'file', 'missing_field');
  return bytes;
}
