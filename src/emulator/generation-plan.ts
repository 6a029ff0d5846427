import { knownValue } from '../catalog/index.js';
import {
  aspectRatioSchema,
  imageSizeSchema,
  type AspectRatio,
  type CatalogModel,
  type ImageSize,
  type Platform,
} from '../catalog/index.js';
import { EmulatorApiError, fieldViolation, invalidArgument } from './api-errors.js';
import type { FileStore } from './files/file-store.js';
import { fileIdFromUri } from './files/file-store.js';
import type { Content, GenerateContentRequest, Part } from './generate-request.js';

/**
 * Checks a generateContent request against what the catalog says the model accepts and turns it into
 * a plan: size, ratio, format, candidates and the reference media to draw from. The checks and their
 * 400 answers mirror the real API; a fact the catalog marks unknown is not enforced.
 */

export type MediaKind = 'image' | 'video';

export interface MediaInput {
  kind: MediaKind;
  mimeType: string;
  bytes: Uint8Array;
}

export interface GenerationPlan {
  model: CatalogModel;
  /** `undefined`: no ratio asked; the output follows the first reference image's shape, else 1:1. */
  aspectRatio: AspectRatio | undefined;
  imageSize: ImageSize | undefined;
  outputMimeType: 'image/png' | 'image/jpeg';
  candidateCount: number;
  wantsImage: boolean;
  wantsText: boolean;
  /** Every text part of every user turn and the system instruction, joined with newlines. */
  prompt: string;
  /** The text of the last user turn: what the reply talks about. */
  latestUserText: string;
  /** The media of the most recent turn that carries any: what an edit starts from. */
  referenceMedia: MediaInput[];
  inputImageCount: number;
  inputVideoCount: number;
  seed: number | undefined;
  /** `thinkingConfig.includeThoughts`: a thinking model then returns its thought summaries as parts. */
  includeThoughts: boolean;
}

const outputMimeTypes = ['image/png', 'image/jpeg'] as const;
const modalities = ['TEXT', 'IMAGE', 'AUDIO'] as const;

function partMimeType(part: Part): string | undefined {
  return part.inlineData?.mimeType ?? part.fileData?.mimeType;
}

function mediaKindOf(mimeType: string): MediaKind | undefined {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  return undefined;
}

function textOf(contents: readonly Content[]): string {
  return contents
    .flatMap((content) => content.parts)
    .filter((part) => !part.thought && part.text !== undefined)
    .map((part) => part.text!)
    .join('\n');
}

function checkImageSize(model: CatalogModel, requested: string | undefined): ImageSize | undefined {
  if (requested === undefined) return knownValue(model.capabilities.defaultImageSize);
  const parsed = imageSizeSchema.safeParse(requested);
  if (!parsed.success) {
    const hint = /^\d+k$/.test(requested) ? ` Use an uppercase K ("${requested.toUpperCase()}").` : '';
    throw invalidArgument(
      `Invalid value "${requested}" for generation_config.image_config.image_size.${hint} ` +
        `Allowed values: ${imageSizeSchema.options.join(', ')}.`,
      [
        fieldViolation(
          'generation_config.image_config.image_size',
          `"${requested}" is not a valid image size`,
        ),
      ],
    );
  }
  const supported = knownValue(model.capabilities.imageSizes);
  if (supported && !supported.includes(parsed.data)) {
    throw invalidArgument(
      `Image size "${requested}" is not supported by models/${model.id}. Supported sizes: ${supported.join(', ')}.`,
      [fieldViolation('generation_config.image_config.image_size', `unsupported by models/${model.id}`)],
    );
  }
  return parsed.data;
}

function checkAspectRatio(model: CatalogModel, requested: string | undefined): AspectRatio | undefined {
  if (requested === undefined) return undefined;
  const parsed = aspectRatioSchema.safeParse(requested);
  const supported = knownValue(model.capabilities.aspectRatios);
  if (!parsed.success || (supported && !supported.includes(parsed.data))) {
    const allowed = supported ?? aspectRatioSchema.options;
    throw invalidArgument(
      `Aspect ratio "${requested}" is not supported by models/${model.id}. Supported aspect ratios: ${allowed.join(', ')}.`,
      [fieldViolation('generation_config.image_config.aspect_ratio', `unsupported by models/${model.id}`)],
    );
  }
  return parsed.data;
}

function checkOutputMimeType(requested: string | undefined): 'image/png' | 'image/jpeg' {
  if (requested === undefined) return 'image/png';
  const allowed = outputMimeTypes.find((mimeType) => mimeType === requested.toLowerCase());
  if (!allowed) {
    throw invalidArgument(
      `Unsupported output MIME type "${requested}" in generation_config.image_config.image_output_options.mime_type. ` +
        `Allowed values: ${outputMimeTypes.join(', ')}.`,
    );
  }
  return allowed;
}

function checkModalities(requested: readonly string[] | undefined): {
  wantsImage: boolean;
  wantsText: boolean;
} {
  if (requested === undefined || requested.length === 0) return { wantsImage: true, wantsText: true };
  const upper = requested.map((modality) => modality.toUpperCase());
  const unknown = upper.find((modality) => !(modalities as readonly string[]).includes(modality));
  if (unknown !== undefined) {
    throw invalidArgument(
      `Invalid value "${unknown}" at 'generation_config.response_modalities'. Allowed values: ${modalities.join(', ')}.`,
    );
  }
  if (upper.includes('AUDIO')) {
    throw invalidArgument('Model does not support the requested response modalities: audio');
  }
  return { wantsImage: upper.includes('IMAGE'), wantsText: upper.includes('TEXT') };
}

function checkCandidateCount(model: CatalogModel, requested: number | undefined): number {
  const count = requested ?? 1;
  const max = knownValue(model.capabilities.maxCandidateCount);
  if (max !== undefined && count > max) {
    throw invalidArgument(
      max === 1
        ? `Multiple candidates is not enabled for models/${model.id}.`
        : `candidate_count ${count} is more than models/${model.id} allows (at most ${max}).`,
      [fieldViolation('generation_config.candidate_count', `must be between 1 and ${max}`)],
    );
  }
  return count;
}

/** Checks one media part's type against the model and resolves its bytes (inline or from the Files API). */
function resolveMedia(
  part: Part,
  model: CatalogModel,
  files: FileStore,
  platform: Platform,
): MediaInput | undefined {
  const mimeType = partMimeType(part)?.toLowerCase();
  if (!part.inlineData && !part.fileData) return undefined;
  const fileId = part.fileData ? fileIdFromUri(part.fileData.fileUri) : undefined;
  const file = fileId ? files.get(fileId) : undefined;
  if (part.fileData && platform === 'vertex-ai' && !file) {
    throw invalidArgument(
      `The emulator cannot read file_data.file_uri "${part.fileData.fileUri}": only files it stores.`,
    );
  }
  if (part.fileData && !fileId) {
    throw invalidArgument(
      `Invalid file_data.file_uri "${part.fileData.fileUri}": expected a Files API URI (…/files/<id>).`,
    );
  }
  if (part.fileData && !file) {
    throw new EmulatorApiError(
      403,
      `You do not have permission to access the File ${fileId} or it may not exist.`,
    );
  }
  if (file && files.stateOf(file) !== 'ACTIVE') {
    throw invalidArgument(`The File ${file.id} is not in an ACTIVE state and usage is not allowed.`);
  }
  const effectiveMimeType = mimeType ?? file?.mimeType.toLowerCase() ?? '';
  const kind = mediaKindOf(effectiveMimeType);
  const imageTypes = knownValue(model.capabilities.inputImageMimeTypes);
  const videoInput = knownValue(model.capabilities.videoInput);
  const supported =
    (kind === 'image' && (imageTypes === undefined || imageTypes.includes(effectiveMimeType))) ||
    (kind === 'video' && videoInput !== false);
  if (!kind || !supported) {
    const allowed = [...(imageTypes ?? ['image/*']), ...(videoInput === true ? ['video/*'] : [])];
    throw invalidArgument(
      `Unsupported MIME type: ${effectiveMimeType || '(none)'}. models/${model.id} accepts ${allowed.join(', ')}.`,
    );
  }
  const bytes = file ? file.bytes : Buffer.from(part.inlineData!.data, 'base64');
  return { kind, mimeType: effectiveMimeType, bytes };
}

/** Builds the plan or throws the 400/403 the real API would answer. */
export function planGeneration(input: {
  model: CatalogModel;
  platform: Platform;
  request: GenerateContentRequest;
  files: FileStore;
}): GenerationPlan {
  const { model, platform, request, files } = input;
  const config = request.generationConfig ?? {};
  const imageConfig = config.imageConfig ?? {};
  const imageSize = checkImageSize(model, imageConfig.imageSize);
  const aspectRatio = checkAspectRatio(model, imageConfig.aspectRatio);
  const outputMimeType = checkOutputMimeType(imageConfig.imageOutputOptions?.mimeType);
  const { wantsImage, wantsText } = checkModalities(config.responseModalities);
  const candidateCount = checkCandidateCount(model, config.candidateCount);

  const mediaByTurn = request.contents.map((content) =>
    content.parts
      .map((part) => resolveMedia(part, model, files, platform))
      .filter((media) => media !== undefined),
  );
  const userMedia = mediaByTurn.filter((_, index) => request.contents[index]!.role !== 'model').flat();
  const inputImageCount = userMedia.filter((media) => media.kind === 'image').length;
  const inputVideoCount = userMedia.filter((media) => media.kind === 'video').length;
  const maxInputImages = knownValue(model.capabilities.maxInputImages);
  if (maxInputImages !== undefined && inputImageCount > maxInputImages) {
    throw invalidArgument(
      `Too many input images: the request has ${inputImageCount}; models/${model.id} accepts at most ${maxInputImages}.`,
    );
  }
  const inlineBytes = request.contents
    .flatMap((content) => content.parts)
    .reduce(
      (total, part) => total + (part.inlineData ? Math.floor((part.inlineData.data.length * 3) / 4) : 0),
      0,
    );
  const maxInlineBytes = knownValue(model.capabilities.maxInlineRequestBytes);
  if (maxInlineBytes !== undefined && inlineBytes > maxInlineBytes) {
    throw invalidArgument(
      `Request payload size exceeds the limit: ${maxInlineBytes} bytes. Upload large media with the Files API.`,
    );
  }
  const userContents = request.contents.filter((content) => content.role !== 'model');
  const latestWithMedia = [...mediaByTurn].reverse().find((media) => media.length > 0) ?? [];
  return {
    model,
    aspectRatio,
    imageSize,
    outputMimeType,
    candidateCount,
    wantsImage,
    wantsText,
    prompt: textOf([...(request.systemInstruction ? [request.systemInstruction] : []), ...userContents]),
    latestUserText: textOf(userContents.slice(-1)),
    referenceMedia: latestWithMedia,
    inputImageCount,
    inputVideoCount,
    seed: config.seed,
    includeThoughts: config.thinkingConfig?.includeThoughts === true,
  };
}
