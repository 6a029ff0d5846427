import sharp from 'sharp';
import { knownValue, outputPixelSize } from '../catalog/queries.js';
import {
  aspectRatioSchema,
  type AspectRatio,
  type ImageSize,
  type PixelSize,
  type Platform,
} from '../catalog/schema.js';
import { extractVideoFrames, renderImage, VideoDecodeError } from './art/index.js';
import { invalidArgument } from './api-errors.js';
import type { SafetyVerdict } from './faults/index.js';
import type { Content } from './generate-request.js';
import type { GenerationPlan, MediaInput } from './generation-plan.js';
import { seedFromText, thoughtSignatureFor } from './response-ids.js';
import type { GenerateContentResponse, ResponseCandidate, ResponsePart } from './response-shape.js';
import { estimateTextTokens, outputImageTokens, promptTokens } from './token-estimate.js';

/**
 * Runs a checked plan: renders the images and builds the full response. Streaming and batches reuse
 * this and reshape its result, so every path answers the same way.
 */

export interface GenerationContext {
  responseId: string;
  platform: Platform;
  nowMs: number;
  contents: readonly Content[];
  systemInstruction: Content | undefined;
  /** A scripted safety outcome for this call, if any. */
  safetyVerdict?: SafetyVerdict;
  /** A scripted silent downgrade: the size actually served instead of the one asked. */
  servedImageSize?: ImageSize;
  /** For a request without a seed: its number in the scenario run, so every call draws a new picture. */
  unseededDraw?: number;
}

/**
 * The seed one candidate is drawn with: the request's, else one derived from the prompt and the call's
 * number in the run. Candidates of one call differ by their index.
 */
export function drawSeed(plan: GenerationPlan, context: GenerationContext, candidateIndex: number): number {
  const base = plan.seed ?? seedFromText(`${plan.prompt}\u0000draw ${context.unseededDraw ?? 0}`);
  return base + candidateIndex;
}

/** The side of a square with the area of a 1K image, for models whose pixel table the catalog lacks. */
const fallbackArea = 1024 * 1024;

const unreadableImageMessage =
  'Unable to process input image. Please retry or report in https://developers.generativeai.google/guide/troubleshooting';

/** What the emulator answers when a model cannot draw (NO_IMAGE). */
const noImageText =
  "I'm unable to create an image for this request. Try describing what you would like to see.";

function ratioValue(ratio: AspectRatio): number {
  const [width, height] = ratio.split(':').map(Number) as [number, number];
  return width / height;
}

/** The supported ratio closest (in log space) to an image's shape. */
export function nearestAspectRatio(size: PixelSize, supported: readonly AspectRatio[]): AspectRatio {
  const target = Math.log(size.width / size.height);
  return supported.reduce((best, candidate) =>
    Math.abs(Math.log(ratioValue(candidate)) - target) < Math.abs(Math.log(ratioValue(best)) - target)
      ? candidate
      : best,
  );
}

/** The output pixel size: the catalog's, or a 1-megapixel rectangle of the ratio rounded to 16 when unknown. */
export function pixelSizeFor(
  plan: GenerationPlan,
  imageSize: ImageSize | undefined,
  ratio: AspectRatio,
): PixelSize {
  const known = imageSize ? outputPixelSize(plan.model, imageSize, ratio) : undefined;
  if (known) return known;
  const value = ratioValue(ratio);
  const roundTo16 = (pixels: number) => Math.max(16, Math.round(pixels / 16) * 16);
  return {
    width: roundTo16(Math.sqrt(fallbackArea * value)),
    height: roundTo16(Math.sqrt(fallbackArea / value)),
  };
}

/** Reference images as raster bytes: videos contribute their first frame. */
async function referenceImages(media: readonly MediaInput[]): Promise<Uint8Array[]> {
  const images: Uint8Array[] = [];
  for (const item of media) {
    if (item.kind === 'image') {
      const decodes = await sharp(item.bytes)
        .metadata()
        .then((metadata) => Boolean(metadata.width && metadata.height))
        .catch(() => false);
      // Also the answer for HEIC/HEIF, which sharp's prebuilt libvips cannot decode (docs/emulator.md).
      if (!decodes) throw invalidArgument(unreadableImageMessage);
      images.push(item.bytes);
      continue;
    }
    try {
      images.push(...(await extractVideoFrames(item.bytes, { frameCount: 1 })));
    } catch (error) {
      if (error instanceof VideoDecodeError) {
        throw invalidArgument(`The video input (${item.mimeType}) could not be processed: ${error.message}`);
      }
      throw error;
    }
  }
  return images;
}

async function chosenAspectRatio(
  plan: GenerationPlan,
  references: readonly Uint8Array[],
): Promise<AspectRatio> {
  if (plan.aspectRatio) return plan.aspectRatio;
  const first = references[0];
  if (!first) return '1:1';
  const metadata = await sharp(first)
    .metadata()
    .catch(() => undefined);
  if (!metadata?.width || !metadata.height) return '1:1';
  const supported = knownValue(plan.model.capabilities.aspectRatios) ?? aspectRatioSchema.options;
  return nearestAspectRatio({ width: metadata.width, height: metadata.height }, supported);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}

function replyText(plan: GenerationPlan, candidateIndex: number): string {
  const subject = excerpt(plan.latestUserText || plan.prompt);
  const variant = plan.candidateCount > 1 ? ` (variation ${candidateIndex + 1})` : '';
  if (!plan.wantsImage) return `This is a text-only reply about "${subject}".`;
  return plan.referenceMedia.length > 0
    ? `Here is the edited image${variant}: "${subject}".`
    : `Here is the image you asked for${variant}: "${subject}".`;
}

function signParts(
  parts: ResponsePart[],
  plan: GenerationPlan,
  responseId: string,
  candidateIndex: number,
): ResponsePart[] {
  if (knownValue(plan.model.capabilities.thinking) !== true) return parts;
  // Gemini 3 image models sign the first part and every image part.
  return parts.map((part, partIndex) =>
    partIndex === 0 || part.inlineData
      ? { ...part, thoughtSignature: thoughtSignatureFor(responseId, candidateIndex, partIndex) }
      : part,
  );
}

export async function generateContentResponse(
  plan: GenerationPlan,
  context: GenerationContext,
): Promise<GenerateContentResponse> {
  const prompt = promptTokens(context.contents, context.systemInstruction, plan.model);
  const base = {
    modelVersion: plan.model.id,
    responseId: context.responseId,
    ...(context.platform === 'vertex-ai' ? { createTime: new Date(context.nowMs).toISOString() } : {}),
  };
  const verdict = context.safetyVerdict;
  if (verdict?.kind === 'block-prompt') {
    return {
      promptFeedback: { blockReason: verdict.blockReason },
      usageMetadata: {
        promptTokenCount: prompt.total,
        totalTokenCount: prompt.total,
        promptTokensDetails: prompt.details,
      },
      ...base,
    };
  }
  const references = await referenceImages(plan.referenceMedia);
  const imageSize = context.servedImageSize ?? plan.imageSize;
  const ratio = await chosenAspectRatio(plan, references);
  const pixels = pixelSizeFor(plan, imageSize, ratio);
  const drawImage = plan.wantsImage && verdict === undefined;
  const candidates: ResponseCandidate[] = [];
  let textTokens = 0;
  let imageTokens = 0;
  for (let index = 0; index < plan.candidateCount; index++) {
    const parts: ResponsePart[] = [];
    if (verdict?.finishReason === 'NO_IMAGE') parts.push({ text: noImageText });
    if (verdict === undefined && (plan.wantsText || !plan.wantsImage))
      parts.push({ text: replyText(plan, index) });
    if (drawImage) {
      const image = await renderImage({
        family: plan.model.family,
        modelId: plan.model.id,
        prompt: plan.latestUserText || plan.prompt,
        seed: drawSeed(plan, context, index),
        width: pixels.width,
        height: pixels.height,
        mimeType: plan.outputMimeType,
        referenceImages: references,
      });
      parts.push({ inlineData: { mimeType: plan.outputMimeType, data: image.toString('base64') } });
      imageTokens += outputImageTokens(plan.model, imageSize);
    }
    textTokens += parts.reduce((sum, part) => sum + estimateTextTokens(part.text ?? ''), 0);
    const signed = signParts(parts, plan, context.responseId, index);
    candidates.push({
      content: { role: 'model', ...(signed.length > 0 ? { parts: signed } : {}) },
      finishReason: verdict?.finishReason ?? 'STOP',
      index,
    });
  }
  const candidatesTokenCount = textTokens + imageTokens;
  return {
    candidates,
    usageMetadata: {
      promptTokenCount: prompt.total,
      ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
      totalTokenCount: prompt.total + candidatesTokenCount,
      promptTokensDetails: prompt.details,
      ...(imageTokens > 0
        ? { candidatesTokensDetails: [{ modality: 'IMAGE' as const, tokenCount: imageTokens }] }
        : {}),
    },
    ...base,
  };
}
