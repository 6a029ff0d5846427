import {
  imageSizeSchema,
  knownValue,
  type AspectRatio,
  type CatalogModel,
  type Fact,
  type ImageSize,
} from '../catalog/index.js';
import type { ParameterPolicy } from '../config/index.js';
import type { ImageRequest } from '../request/index.js';

export type AdaptedRequest =
  { ok: true; request: ImageRequest; warnings: string[] } | { ok: false; reason: string };

interface Adaptation {
  request: ImageRequest;
  warnings: string[];
  refusals: string[];
}

/**
 * Adapts a validated ImageRequest to one candidate's capabilities (catalog facts only), following the
 * route's parameter policy. Every change is reported as a warning and every refusal names the parameter,
 * the value and what the model allows: nothing degrades silently. Reference images are never dropped
 * unless the policy is 'drop-with-warning', and a video is never dropped.
 */
export function adaptRequest(
  request: ImageRequest,
  model: CatalogModel,
  policy: ParameterPolicy,
): AdaptedRequest {
  const adaptation: Adaptation = { request: { ...request }, warnings: [], refusals: [] };
  adaptVideo(adaptation, model);
  adaptReferenceImageTypes(adaptation, model, policy);
  adaptReferenceImageCount(adaptation, model, policy);
  adaptImageSize(adaptation, model, policy);
  adaptAspectRatio(adaptation, model, policy);
  if (adaptation.refusals.length > 0) return { ok: false, reason: adaptation.refusals.join('; ') };
  return { ok: true, request: adaptation.request, warnings: adaptation.warnings };
}

function unknownCapability(adaptation: Adaptation, model: CatalogModel, what: string): void {
  adaptation.warnings.push(`the catalog does not know ${what} for ${model.id}; sent unchanged`);
}

function adaptVideo(adaptation: Adaptation, model: CatalogModel): void {
  if (!adaptation.request.video) return;
  const videoInput = knownValue(model.capabilities.videoInput);
  if (videoInput === undefined) unknownCapability(adaptation, model, 'whether video input is accepted');
  else if (!videoInput) adaptation.refusals.push(`video: ${model.id} does not accept video input`);
}

function adaptReferenceImageTypes(
  adaptation: Adaptation,
  model: CatalogModel,
  policy: ParameterPolicy,
): void {
  const references = adaptation.request.referenceImages;
  if (references.length === 0) return;
  const accepted = knownValue(model.capabilities.inputImageMimeTypes);
  if (accepted === undefined) return unknownCapability(adaptation, model, 'the accepted input image types');
  const rejected = references.filter((reference) => !accepted.includes(reference.mimeType));
  if (rejected.length === 0) return;
  const listed = rejected.map(
    (reference) => `${describeReference(references, reference)} is ${reference.mimeType}`,
  );
  const allowed = `${model.id} accepts ${accepted.join(', ')}`;
  if (policy === 'drop-with-warning') {
    adaptation.request.referenceImages = references.filter((reference) => !rejected.includes(reference));
    adaptation.warnings.push(`referenceImages: dropped ${listed.join(', ')}; ${allowed}`);
  } else {
    adaptation.refusals.push(`referenceImages: ${listed.join(', ')}; ${allowed}`);
  }
}

function adaptReferenceImageCount(
  adaptation: Adaptation,
  model: CatalogModel,
  policy: ParameterPolicy,
): void {
  const references = adaptation.request.referenceImages;
  if (references.length === 0) return;
  const maxInputImages = knownValue(model.capabilities.maxInputImages);
  if (maxInputImages === undefined)
    return unknownCapability(adaptation, model, 'the maximum number of input images');
  if (references.length <= maxInputImages) return;
  if (policy === 'drop-with-warning') {
    const dropped = references.slice(maxInputImages);
    adaptation.request.referenceImages = references.slice(0, maxInputImages);
    adaptation.warnings.push(
      `referenceImages: ${model.id} accepts at most ${maxInputImages}; dropped ${dropped.length} of ${references.length} (${dropped.map((reference) => describeReference(references, reference)).join(', ')})`,
    );
    return;
  }
  adaptation.refusals.push(
    `referenceImages: ${references.length} images given but ${model.id} accepts at most ${maxInputImages} (references are dropped only under the "drop-with-warning" policy)`,
  );
}

function describeReference(
  all: ImageRequest['referenceImages'],
  reference: ImageRequest['referenceImages'][number],
): string {
  const position = `reference ${all.indexOf(reference) + 1}`;
  return reference.label ? `${position} (${reference.label})` : position;
}

const sizeOrder: readonly ImageSize[] = imageSizeSchema.options;

/** The largest supported size not above the requested one, else the smallest above it: 4K→2K→1K, 512→1K. */
export function nearestImageSize(
  requested: ImageSize,
  supported: readonly ImageSize[],
): ImageSize | undefined {
  const rank = (size: ImageSize) => sizeOrder.indexOf(size);
  const sorted = [...supported].sort((a, b) => rank(a) - rank(b));
  const below = sorted.filter((size) => rank(size) <= rank(requested));
  return below.at(-1) ?? sorted[0];
}

/** The supported ratio closest in shape (log of width/height), the first listed on a tie. */
export function nearestAspectRatio(
  requested: AspectRatio,
  supported: readonly AspectRatio[],
): AspectRatio | undefined {
  const shape = (ratio: AspectRatio) => {
    const [width, height] = ratio.split(':').map(Number) as [number, number];
    return Math.log(width / height);
  };
  let best: AspectRatio | undefined;
  for (const ratio of supported) {
    if (
      best === undefined ||
      Math.abs(shape(ratio) - shape(requested)) < Math.abs(shape(best) - shape(requested))
    ) {
      best = ratio;
    }
  }
  return best;
}

function adaptImageSize(adaptation: Adaptation, model: CatalogModel, policy: ParameterPolicy): void {
  const requested = adaptation.request.imageSize;
  if (requested === undefined) return;
  adaptChoice(adaptation, model, policy, {
    field: 'imageSize',
    requested,
    supported: model.capabilities.imageSizes,
    defaultValue: knownValue(model.capabilities.defaultImageSize),
    nearest: (supported) => nearestImageSize(requested, supported),
    apply: (value) => {
      if (value === undefined) delete adaptation.request.imageSize;
      else adaptation.request.imageSize = value;
    },
  });
}

function adaptAspectRatio(adaptation: Adaptation, model: CatalogModel, policy: ParameterPolicy): void {
  const requested = adaptation.request.aspectRatio;
  if (requested === undefined) return;
  adaptChoice(adaptation, model, policy, {
    field: 'aspectRatio',
    requested,
    supported: model.capabilities.aspectRatios,
    defaultValue: undefined,
    nearest: (supported) => nearestAspectRatio(requested, supported),
    apply: (value) => {
      if (value === undefined) delete adaptation.request.aspectRatio;
      else adaptation.request.aspectRatio = value;
    },
  });
}

/** One enumerated parameter (size, ratio) against the model's list, under the policy. */
function adaptChoice<Value extends string>(
  adaptation: Adaptation,
  model: CatalogModel,
  policy: ParameterPolicy,
  choice: {
    field: string;
    requested: Value;
    supported: Fact<Value[]>;
    defaultValue: Value | undefined;
    nearest: (supported: Value[]) => Value | undefined;
    apply: (value: Value | undefined) => void;
  },
): void {
  const supported = knownValue(choice.supported);
  if (supported === undefined)
    return unknownCapability(adaptation, model, `the supported ${choice.field} values`);
  if (supported.includes(choice.requested)) return;
  const problem = `${choice.field} "${choice.requested}" is not supported by ${model.id} (it allows ${supported.join(', ')})`;
  if (policy === 'refuse') {
    adaptation.refusals.push(problem);
  } else if (policy === 'drop-with-warning') {
    choice.apply(undefined);
    const fallback = choice.defaultValue ? `the model default "${choice.defaultValue}"` : 'the model default';
    adaptation.warnings.push(`${problem}; left out, so ${fallback} is used`);
  } else {
    const nearest = choice.nearest(supported);
    choice.apply(nearest);
    adaptation.warnings.push(`${problem}; using "${nearest}" instead`);
  }
}
