import type { BlobStore } from '../blobs/index.js';
import { InvalidInputError } from '../errors/index.js';
import {
  contentSchema,
  definedOnly,
  generationParametersOf,
  imageRequestSchema,
  type ImageRequest,
  type MediaInput,
} from '../request/index.js';
import { loadStoredMedia } from './stored-contents.js';
import type { StoredMediaReference, TaskRequest } from './task-record.js';

/**
 * The engine's request for a stored task: media bytes loaded from the blob store, everything validated
 * again (the row is outside input). A missing blob or an invalid field is the request's fault, never
 * worth a retry, so it surfaces as `InvalidInputError`.
 */
export async function imageRequestFromTask(request: TaskRequest, blobs: BlobStore): Promise<ImageRequest> {
  const referenceImages = await Promise.all(
    request.references.map((reference, index) => loadMedia(blobs, reference, `references[${index}]`)),
  );
  const video = request.video ? await loadMedia(blobs, request.video, 'video') : undefined;
  const storedHistory = contentSchema.array().safeParse(request.history);
  const history = storedHistory.success
    ? await loadStoredMedia(storedHistory.data, blobs, 'contents')
    : request.history;
  const parsed = imageRequestSchema.safeParse({
    ...generationParametersOf(request),
    prompt: request.prompt,
    history,
    referenceImages,
    ...definedOnly({ video, responseModality: request.responseModality }),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'request';
    throw new InvalidInputError(`Invalid task request: ${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  return parsed.data;
}

async function loadMedia(
  blobs: BlobStore,
  reference: StoredMediaReference,
  field: string,
): Promise<MediaInput> {
  const stored = await blobs.get(reference.sha256);
  if (!stored) {
    throw new InvalidInputError(
      `${field}: blob ${reference.sha256} is not in the blob store; upload it again and resubmit.`,
      field,
    );
  }
  return { bytes: stored.bytes, mimeType: reference.mimeType, label: field };
}
