import { z } from 'zod';
import { EmulatorApiError, fileNotAccessible, invalidArgument } from '../api-errors.js';
import { publicOrigin, resourceBaseUrl, type ApiCall } from '../emulator-state.js';
import { parseRequest } from '../generate-request.js';
import { jsonResponse } from '../json-response.js';
import { paginate } from '../pagination.js';
import { fileResource, type StoredFile } from './file-store.js';
import { isValidFileId, parseUploadCommand, uploadResponseHeaders } from './resumable-upload.js';

/** The Files API: resumable upload (start and chunks), get, list, delete and download. */

/** Largest file the Files API takes: 2 GB. */
export const maxFileBytes = 2 * 1024 ** 3;

const uploadStartBodySchema = z.looseObject({
  file: z
    .looseObject({
      name: z.string().optional(),
      displayName: z.string().max(512).optional(),
      mimeType: z.string().optional(),
      sizeBytes: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).optional(),
    })
    .optional(),
});

function header(call: ApiCall, name: string): string | undefined {
  return call.request.headers.get(name) ?? undefined;
}

function fileJson(call: ApiCall, file: StoredFile): Record<string, unknown> {
  return fileResource(file, call.state.files.stateOf(file));
}

function startUpload(call: ApiCall): Response {
  const protocol = header(call, 'x-goog-upload-protocol')?.toLowerCase();
  if (protocol !== 'resumable') {
    throw invalidArgument(
      `Unsupported X-Goog-Upload-Protocol "${protocol ?? ''}": the emulator implements the resumable protocol only.`,
    );
  }
  const commands = parseUploadCommand(header(call, 'x-goog-upload-command'));
  if (!commands.has('start')) {
    throw invalidArgument('A resumable upload must begin with X-Goog-Upload-Command: start.');
  }
  const body = parseRequest(uploadStartBodySchema, call.body).file ?? {};
  const mimeType = body.mimeType ?? header(call, 'x-goog-upload-header-content-type');
  if (!mimeType) {
    throw invalidArgument(
      'Missing file.mime_type (or X-Goog-Upload-Header-Content-Type): the upload needs a MIME type.',
    );
  }
  const declaredHeader = header(call, 'x-goog-upload-header-content-length');
  const declaredSizeBytes =
    declaredHeader !== undefined
      ? Number(declaredHeader)
      : body.sizeBytes !== undefined
        ? Number(body.sizeBytes)
        : undefined;
  if (declaredSizeBytes !== undefined && (!Number.isInteger(declaredSizeBytes) || declaredSizeBytes < 0)) {
    throw invalidArgument(
      `Invalid X-Goog-Upload-Header-Content-Length "${declaredHeader}": expected a whole number of bytes.`,
    );
  }
  if (declaredSizeBytes !== undefined && declaredSizeBytes > maxFileBytes) {
    throw invalidArgument(
      `File size ${declaredSizeBytes} bytes exceeds the Files API limit of ${maxFileBytes} bytes.`,
    );
  }
  const requestedId = body.name?.replace(/^files\//, '');
  if (requestedId !== undefined && !isValidFileId(requestedId)) {
    throw invalidArgument(
      `Invalid file.name "${body.name}": the ID after files/ must be 1-40 characters of a-z, 0-9 and dashes, not starting or ending with a dash.`,
    );
  }
  if (requestedId !== undefined && call.state.files.get(requestedId)) {
    throw new EmulatorApiError(409, `File files/${requestedId} already exists.`);
  }
  const session = call.state.uploads.start({
    mimeType,
    resourceBaseUrl: resourceBaseUrl(call),
    ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
    ...(requestedId !== undefined ? { requestedId } : {}),
    ...(declaredSizeBytes !== undefined ? { declaredSizeBytes } : {}),
  });
  // The SDK swaps in its own host but keeps this path, so it must carry the caller's prefix.
  const uploadUrl =
    `${publicOrigin(call)}${call.path.prefix}/upload/${call.path.version}/files` +
    `?upload_id=${encodeURIComponent(session.uploadId)}&upload_protocol=resumable`;
  return new Response(null, {
    status: 200,
    headers: {
      [uploadResponseHeaders.url]: uploadUrl,
      [uploadResponseHeaders.status]: 'active',
      [uploadResponseHeaders.chunkGranularity]: String(256 * 1024),
      [uploadResponseHeaders.controlUrl]: uploadUrl,
    },
  });
}

function receiveChunk(call: ApiCall, uploadId: string): Response {
  const commands = parseUploadCommand(header(call, 'x-goog-upload-command'));
  const offsetHeader = header(call, 'x-goog-upload-offset');
  const offset = offsetHeader === undefined ? undefined : Number(offsetHeader);
  const result = call.state.uploads.receive(uploadId, commands, offset, call.rawBody);
  if (result.status === 'active') {
    return new Response(null, {
      status: 200,
      headers: {
        [uploadResponseHeaders.status]: 'active',
        [uploadResponseHeaders.sizeReceived]: String(result.receivedBytes),
      },
    });
  }
  const { session } = result;
  const file = call.state.files.add({
    mimeType: session.mimeType,
    bytes: result.bytes,
    source: 'UPLOADED',
    resourceBaseUrl: session.resourceBaseUrl,
    ...(session.requestedId !== undefined ? { id: session.requestedId } : {}),
    ...(session.displayName !== undefined ? { displayName: session.displayName } : {}),
  });
  return jsonResponse({ file: fileJson(call, file) }, 200, { [uploadResponseHeaders.status]: 'final' });
}

/** POST {prefix}/upload/{v}/files: the start call, or a chunk when the URL carries `upload_id`. */
export function handleUpload(call: ApiCall): Response {
  const uploadId = call.url.searchParams.get('upload_id');
  return uploadId ? receiveChunk(call, uploadId) : startUpload(call);
}

function existingFile(call: ApiCall, fileId: string): StoredFile {
  const file = call.state.files.get(fileId);
  if (!file) throw fileNotAccessible(fileId);
  return file;
}

export function handleFileGet(call: ApiCall, fileId: string): Response {
  return jsonResponse(fileJson(call, existingFile(call, fileId)));
}

export function handleFileDelete(call: ApiCall, fileId: string): Response {
  existingFile(call, fileId);
  call.state.files.delete(fileId);
  return jsonResponse({});
}

export function handleFileList(call: ApiCall): Response {
  const page = paginate(
    call.state.files.list(),
    {
      pageSize: call.url.searchParams.get('pageSize') ?? undefined,
      pageToken: call.url.searchParams.get('pageToken') ?? undefined,
    },
    { defaultPageSize: 10, maxPageSize: 100 },
  );
  return jsonResponse({
    ...(page.items.length > 0 ? { files: page.items.map((file) => fileJson(call, file)) } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

/** Only generated files (batch results) can be downloaded; uploaded bytes cannot, as on the real API. */
export function handleFileDownload(call: ApiCall, fileId: string): Response {
  const file = existingFile(call, fileId);
  if (call.url.searchParams.get('alt') !== 'media') {
    throw invalidArgument('files:download needs the query parameter alt=media.');
  }
  if (file.source !== 'GENERATED') {
    throw invalidArgument(
      `Cannot download files/${file.id}: only generated files can be downloaded, not uploaded ones.`,
    );
  }
  const batchId = file.id.startsWith('batch-') ? file.id.slice('batch-'.length) : undefined;
  if (batchId !== undefined && call.state.batches.failResultDownload(batchId)) {
    throw new EmulatorApiError(503, 'The service is currently unavailable.', { status: 'UNAVAILABLE' });
  }
  return new Response(Buffer.from(file.bytes), {
    status: 200,
    headers: { 'content-type': file.mimeType, 'content-length': String(file.bytes.byteLength) },
  });
}
