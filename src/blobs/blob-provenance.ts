import { z } from 'zod';

/** Where an image came from; embedded in the image file itself so it travels with every copy. */
export interface BlobProvenance {
  /** The logical name or model ID the caller asked for. */
  logicalModel: string;
  /** The model that actually produced the image (after any fallback). */
  servedModel: string;
  platform: string;
  /** Hex SHA-256 of the prompt: identifies it without publishing it. */
  promptSha256: string;
  taskId: string;
}

/** Provenance read back from a file is outside input: it passes this schema or counts as absent. */
export const blobProvenanceSchema = z.object({
  logicalModel: z.string(),
  servedModel: z.string(),
  platform: z.string(),
  promptSha256: z.string().regex(/^[0-9a-f]{64}$/),
  taskId: z.string(),
});

/** The keyword (PNG) and comment prefix (JPEG) that mark imagegate's provenance record. */
export const provenanceKeyword = 'imagegate-provenance';

export function serializeProvenance(provenance: BlobProvenance): string {
  const { logicalModel, servedModel, platform, promptSha256, taskId } = provenance;
  return JSON.stringify({ logicalModel, servedModel, platform, promptSha256, taskId });
}

export function parseProvenance(text: string): BlobProvenance | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = blobProvenanceSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
