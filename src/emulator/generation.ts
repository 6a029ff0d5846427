import { knownValue, outputPixelSize } from '../catalog/index.js';
import {
  aspectRatioSchema,
  type AspectRatio,
  type ImageSize,
  type PixelSize,
  type Platform,
} from '../catalog/index.js';
import { extractVideoFrames, renderImage, VideoDecodeError } from './art/index.js';
import { invalidArgument } from './api-errors.js';
import type { SafetyVerdict } from './faults/index.js';
import type { Content } from './generate-request.js';
import type { GenerationPlan, MediaInput } from './generation-plan.js';
import { seedFromText, thoughtSignatureFor } from './response-ids.js';
import type {
  GenerateContentResponse,
  ResponseCandidate,
  ResponsePart,
  UsageMetadata,
} from './response-shape.js';
import { estimateTextTokens, outputImageTokens, promptTokens } from './token-estimate.js';
import { loadSharp } from '../media/index.js';

/**
 * Runs a checked plan in two steps: a draft settles everything but the pixels (and throws the 400s a bad
 * reference deserves), then each part is produced, an image being drawn only then. generateContent and
 * batches produce every part at once; a stream produces them one by one as it sends them. One path, so
 * every method answers the same way.
 */

export interface GenerationContext {
  responseId: string;
  platform: Platform;
  nowMs: number;
  /** Where ffmpeg is looked up, for video inputs. */
  environment: NodeJS.ProcessEnv;
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
async function referenceImages(
  media: readonly MediaInput[],
  environment: NodeJS.ProcessEnv,
): Promise<Uint8Array[]> {
  const images: Uint8Array[] = [];
  for (const item of media) {
    if (item.kind === 'image') {
      const sharp = await loadSharp();
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
      images.push(...(await extractVideoFrames(item.bytes, { frameCount: 1, environment })));
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
  const sharp = await loadSharp();
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

/** What a thinking model says it thought about, when asked to include thoughts (reference 5.6, 5.7). */
function thoughtTexts(plan: GenerationPlan, ratio: AspectRatio, pixels: PixelSize): string[] {
  const subject = excerpt(plan.latestUserText || plan.prompt);
  const task = plan.referenceMedia.length > 0 ? 'edit' : 'picture';
  return [
    `**Reading the request**\n\nThe ${task} should show "${subject}". I will keep the subject central and the background simple.`,
    `**Composing the frame**\n\nA ${ratio} frame of ${pixels.width}x${pixels.height} pixels; I am balancing the main shapes before rendering.`,
  ];
}

/**
 * One part of a candidate before it is sent: text is known at once, an image is drawn only when the part
 * is produced, so a stream can send what comes before it while it renders.
 */
export interface PartDraft {
  text?: string;
  thought?: true;
  image?: { mimeType: string; render: () => Promise<Buffer> };
  thoughtSignature?: string;
}

export interface CandidateDraft {
  index: number;
  parts: PartDraft[];
  finishReason: string;
}

/** A response whose parts, usage and envelope are settled and whose images are not drawn yet. */
export interface ResponseDraft {
  envelope: Pick<GenerateContentResponse, 'modelVersion' | 'responseId' | 'createTime'>;
  promptFeedback?: { blockReason: string };
  candidates?: CandidateDraft[];
  usageMetadata: UsageMetadata;
}

/**
 * Gemini 3 image models sign the first part that is not a thought and every image part; thought parts
 * carry no signature (reference 5.7).
 */
function signParts(
  parts: PartDraft[],
  plan: GenerationPlan,
  responseId: string,
  candidateIndex: number,
): PartDraft[] {
  if (knownValue(plan.model.capabilities.thinking) !== true) return parts;
  const firstAnswer = parts.findIndex((part) => !part.thought);
  return parts.map((part, partIndex) =>
    !part.thought && (partIndex === firstAnswer || part.image)
      ? { ...part, thoughtSignature: thoughtSignatureFor(responseId, candidateIndex, partIndex) }
      : part,
  );
}

/** Checks and settles everything but the pixels; throws the 400s a bad reference image deserves. */
export async function draftResponse(
  plan: GenerationPlan,
  context: GenerationContext,
): Promise<ResponseDraft> {
  const prompt = promptTokens(context.contents, context.systemInstruction, plan.model);
  const envelope = {
    modelVersion: plan.model.id,
    responseId: context.responseId,
    ...(context.platform === 'vertex-ai' ? { createTime: new Date(context.nowMs).toISOString() } : {}),
  };
  const verdict = context.safetyVerdict;
  if (verdict?.kind === 'block-prompt') {
    return {
      envelope,
      promptFeedback: { blockReason: verdict.blockReason },
      usageMetadata: {
        promptTokenCount: prompt.total,
        totalTokenCount: prompt.total,
        promptTokensDetails: prompt.details,
      },
    };
  }
  const references = await referenceImages(plan.referenceMedia, context.environment);
  const imageSize = context.servedImageSize ?? plan.imageSize;
  const ratio = await chosenAspectRatio(plan, references);
  const pixels = pixelSizeFor(plan, imageSize, ratio);
  const drawImage = plan.wantsImage && verdict === undefined;
  const thinks = plan.includeThoughts && knownValue(plan.model.capabilities.thinking) === true;
  const candidates: CandidateDraft[] = [];
  let textTokens = 0;
  let imageTokens = 0;
  let thoughtTokens = 0;
  for (let index = 0; index < plan.candidateCount; index++) {
    const parts: PartDraft[] = [];
    if (thinks) {
      for (const text of thoughtTexts(plan, ratio, pixels)) {
        parts.push({ text, thought: true });
        thoughtTokens += estimateTextTokens(text);
      }
    }
    if (verdict?.finishReason === 'NO_IMAGE') parts.push({ text: noImageText });
    if (verdict === undefined && (plan.wantsText || !plan.wantsImage))
      parts.push({ text: replyText(plan, index) });
    if (drawImage) {
      const seed = drawSeed(plan, context, index);
      parts.push({
        image: {
          mimeType: plan.outputMimeType,
          render: () =>
            renderImage({
              family: plan.model.family,
              modelId: plan.model.id,
              prompt: plan.latestUserText || plan.prompt,
              seed,
              width: pixels.width,
              height: pixels.height,
              mimeType: plan.outputMimeType,
              referenceImages: references,
            }),
        },
      });
      imageTokens += outputImageTokens(plan.model, imageSize);
    }
    textTokens += parts
      .filter((part) => !part.thought)
      .reduce((sum, part) => sum + estimateTextTokens(part.text ?? ''), 0);
    candidates.push({
      index,
      parts: signParts(parts, plan, context.responseId, index),
      finishReason: verdict?.finishReason ?? 'STOP',
    });
  }
  const candidatesTokenCount = textTokens + imageTokens;
  return {
    envelope,
    candidates,
    usageMetadata: {
      promptTokenCount: prompt.total,
      ...(candidatesTokenCount > 0 ? { candidatesTokenCount } : {}),
      totalTokenCount: prompt.total + candidatesTokenCount + thoughtTokens,
      promptTokensDetails: prompt.details,
      ...(imageTokens > 0
        ? { candidatesTokensDetails: [{ modality: 'IMAGE' as const, tokenCount: imageTokens }] }
        : {}),
      ...(thoughtTokens > 0 ? { thoughtsTokenCount: thoughtTokens } : {}),
    },
  };
}

/** Produces one part as it goes on the wire: an image part is drawn now. */
export async function producePart(part: PartDraft): Promise<ResponsePart> {
  const signature = part.thoughtSignature ? { thoughtSignature: part.thoughtSignature } : {};
  if (part.image) {
    const bytes = await part.image.render();
    return { inlineData: { mimeType: part.image.mimeType, data: bytes.toString('base64') }, ...signature };
  }
  return { text: part.text ?? '', ...(part.thought ? { thought: true } : {}), ...signature };
}

/** The whole response at once, every image drawn (generateContent, batches). */
export async function completeResponse(draft: ResponseDraft): Promise<GenerateContentResponse> {
  if (!draft.candidates) {
    return {
      ...(draft.promptFeedback ? { promptFeedback: draft.promptFeedback } : {}),
      usageMetadata: draft.usageMetadata,
      ...draft.envelope,
    };
  }
  const candidates: ResponseCandidate[] = [];
  for (const candidate of draft.candidates) {
    const parts: ResponsePart[] = [];
    for (const part of candidate.parts) parts.push(await producePart(part));
    candidates.push({
      content: { role: 'model', ...(parts.length > 0 ? { parts } : {}) },
      finishReason: candidate.finishReason,
      index: candidate.index,
    });
  }
  return { candidates, usageMetadata: draft.usageMetadata, ...draft.envelope };
}
