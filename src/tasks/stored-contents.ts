import { InvalidInputError } from '../client/index.js';
import type { ConversationContent } from '../request/index.js';

/*
 * A task's conversation (the history it was given, the `next_turn_contents` it returns) refers to media in
 * the blob store instead of carrying its bytes, so a task record stays a few KB whatever the image size.
 * The reference is a Gemini `fileData` part whose `fileUri` is the path the server serves the blob at, so
 * a client can fetch it as it is, and the seeds' contract still holds: copy `next_turn_contents` into
 * `contents`, append the new instruction, submit. Other fields of a part (a `thoughtSignature` on a model
 * image) stay beside the reference and go back to the model unchanged.
 */

/** Where the server serves a stored blob by its SHA-256: `/v1/images/<sha256>`. */
export const storedMediaPathPrefix = '/v1/images/';

/** A relative path, or an absolute URL of any imagegate server: the hash names the content either way. */
const storedMediaUriPattern = new RegExp(
  `^(?:https?://[^/?#]+)?${storedMediaPathPrefix.replaceAll('/', '\\/')}([0-9a-f]{64})$`,
);

export interface BlobsForContents {
  put(bytes: Uint8Array, mimeType: string): Promise<{ sha256: string }>;
  get(sha256: string): Promise<{ bytes: Uint8Array } | undefined>;
}

export function storedMediaUri(sha256: string): string {
  return `${storedMediaPathPrefix}${sha256}`;
}

/** The SHA-256 a part refers to, when it is a reference to a stored blob. */
export function storedMediaSha256(part: Record<string, unknown>): string | undefined {
  const fileData = part['fileData'] as { fileUri?: unknown } | undefined;
  if (typeof fileData?.fileUri !== 'string') return undefined;
  return storedMediaUriPattern.exec(fileData.fileUri)?.[1];
}

/**
 * Moves every `inlineData` part into the blob store and puts a reference in its place. References already
 * there are normalised to the relative path; other parts are kept as they are.
 */
export async function storeInlineMedia(
  contents: readonly ConversationContent[],
  blobs: Pick<BlobsForContents, 'put'>,
): Promise<ConversationContent[]> {
  return Promise.all(
    contents.map(async (content) => ({
      ...content,
      parts: await Promise.all(content.parts.map((part) => storedPart(part, blobs))),
    })),
  );
}

async function storedPart(
  part: Record<string, unknown>,
  blobs: Pick<BlobsForContents, 'put'>,
): Promise<Record<string, unknown>> {
  const referenced = storedMediaSha256(part);
  const fileData = part['fileData'] as { mimeType?: unknown } | undefined;
  if (referenced) return { ...part, fileData: { ...fileData, fileUri: storedMediaUri(referenced) } };
  const inline = part['inlineData'] as { mimeType?: unknown; data?: unknown } | undefined;
  if (typeof inline?.data !== 'string' || typeof inline.mimeType !== 'string') return part;
  const { inlineData: _inline, ...rest } = part;
  const stored = await blobs.put(Buffer.from(inline.data, 'base64'), inline.mimeType);
  return { ...rest, fileData: { mimeType: inline.mimeType, fileUri: storedMediaUri(stored.sha256) } };
}

/**
 * The conversation as the model must receive it: every stored reference loaded back as `inlineData`.
 * A reference to a blob that is not there is the caller's to fix, never worth a retry.
 */
export async function loadStoredMedia(
  contents: readonly ConversationContent[],
  blobs: Pick<BlobsForContents, 'get'>,
  field: string,
): Promise<ConversationContent[]> {
  return Promise.all(
    contents.map(async (content, contentIndex) => ({
      ...content,
      parts: await Promise.all(
        content.parts.map(async (part, partIndex) => {
          const sha256 = storedMediaSha256(part);
          if (!sha256) return part;
          const stored = await blobs.get(sha256);
          const where = `${field}[${contentIndex}].parts[${partIndex}].fileData.fileUri`;
          if (!stored) {
            throw new InvalidInputError(
              `${where}: no stored image ${sha256.slice(0, 12)}…; submit it inline or upload it again.`,
              where,
            );
          }
          const { fileData, ...rest } = part as { fileData: { mimeType?: string } };
          return {
            ...rest,
            inlineData: {
              mimeType: fileData.mimeType ?? 'application/octet-stream',
              data: Buffer.from(stored.bytes).toString('base64'),
            },
          };
        }),
      ),
    })),
  );
}
