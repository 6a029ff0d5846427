import type { z } from 'zod';
import type { catalogSchema } from '../schema.js';

/**
 * Gemini text models, in the catalog only for flow text nodes (a prompt that drafts a visual direction),
 * so they get the same lifecycle, fallback and cost handling as image models. Facts are from the
 * reference's section 5.6; what it does not state is `'unknown'`. Image capabilities do not apply to a
 * text model and are recorded as unknown with a note saying so.
 */

type ModelInput = z.input<typeof catalogSchema>['models'][number];

const CHECKED_ON = '2026-11-29';

const fact = <Value>(value: Value, source: string, note?: string) => ({
  value,
  source,
  checkedOn: CHECKED_ON,
  note,
});
const unknown = (source: string, note?: string) => fact('unknown' as const, source, note);

const source = {
  deprecations: 'Google "Gemini deprecations" page (newest row 2026-09-22)',
  releaseNotes: 'Gemini API release notes (entries to 2026-10-13)',
  vertexLifecycle: 'Vertex AI "Model versions and lifecycle" (Oct 2026)',
  thinking: 'Gemini API "Gemini thinking" page',
  pricing: 'ai.google.dev/gemini-api/docs/pricing as quoted in the reference (section 5.6)',
  limits: 'reference section 5.6: 1,048,576 in / 65,536 out for the 3.x flash and pro models listed',
  noSource: 'no source found (reference compiled 2026-11-29)',
} as const;

const notImage = 'A text model: it produces no images.';

/** Image facts do not apply; the token limits and thinking differ per model. */
function textCapabilities(options: {
  inputTokenLimit: ReturnType<typeof fact<number>> | ReturnType<typeof unknown>;
  outputTokenLimit: ReturnType<typeof fact<number>> | ReturnType<typeof unknown>;
  thinking: ReturnType<typeof fact<boolean>>;
}): ModelInput['capabilities'] {
  return {
    aspectRatios: unknown(source.noSource, notImage),
    imageSizes: unknown(source.noSource, notImage),
    defaultImageSize: unknown(source.noSource, notImage),
    pixelSizes: unknown(source.noSource, notImage),
    maxInputImages: unknown(source.noSource),
    inputImageMimeTypes: unknown(source.noSource),
    maxInlineRequestBytes: unknown(source.noSource),
    videoInput: unknown(source.noSource),
    outputTokensPerImage: unknown(source.noSource, notImage),
    inputTokensPerImage: unknown(source.noSource),
    inputTokenLimit: options.inputTokenLimit,
    outputTokenLimit: options.outputTokenLimit,
    thinking: options.thinking,
    searchGrounding: unknown(source.noSource),
    maxCandidateCount: unknown(source.noSource),
  };
}

function textPricing(
  inputUsd: number | undefined,
  outputUsd: number | undefined,
  batchFactor: number | undefined,
): ModelInput['pricing'] {
  const priced = (value: number | undefined, note?: string) =>
    value === undefined ? unknown(source.pricing, 'Unconfirmed.') : fact(value, source.pricing, note);
  return {
    inputPerMillionTokensUsd: priced(inputUsd),
    textOutputPerMillionTokensUsd: priced(outputUsd, 'Thinking tokens are billed as output.'),
    imageOutputPerMillionTokensUsd: unknown(source.pricing, notImage),
    perImageUsd: unknown(source.pricing, notImage),
    batchPriceFactor: priced(batchFactor),
  };
}

export const textModels: ModelInput[] = [
  {
    id: 'gemini-2.5-flash',
    aliases: [],
    displayName: 'Gemini 2.5 Flash',
    family: 'gemini-2.5-flash',
    description: 'Gemini 2.5 Flash text model.',
    modality: 'text',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.deprecations),
        releaseDate: fact('2025-06-17', source.deprecations),
        gaDate: fact('2025-06-17', source.deprecations),
        shutdownDate: fact(
          null,
          source.deprecations,
          'The page says "not deprecated"; a third-party report of a 2026-12-01 shutdown is unconfirmed.',
        ),
        successor: fact(null, source.deprecations),
      },
      'vertex-ai': {
        stage: fact('ga', source.vertexLifecycle),
        releaseDate: fact('2025-06-17', source.vertexLifecycle),
        gaDate: fact('2025-06-17', source.vertexLifecycle),
        shutdownDate: fact('2026-10-20', source.vertexLifecycle),
        successor: unknown(source.vertexLifecycle),
      },
    },
    capabilities: textCapabilities({
      inputTokenLimit: unknown(source.noSource),
      outputTokenLimit: unknown(source.noSource),
      thinking: fact(true, source.thinking, 'thinkingBudget 0–24576 (0 off, -1 dynamic).'),
    }),
    pricing: textPricing(0.3, 2.5, 0.5),
  },
  {
    id: 'gemini-3.1-flash-lite',
    aliases: [],
    displayName: 'Gemini 3.1 Flash-Lite',
    family: 'gemini-3.1-flash-lite',
    description: 'Gemini 3.1 Flash-Lite text model.',
    modality: 'text',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.deprecations),
        releaseDate: fact('2026-05-07', source.deprecations),
        gaDate: fact('2026-05-07', source.deprecations),
        shutdownDate: fact('2027-05-07', source.deprecations, 'Earliest shutdown date.'),
        successor: fact('gemini-3.5-flash-lite', source.deprecations),
      },
    },
    capabilities: textCapabilities({
      inputTokenLimit: fact(1_048_576, source.limits),
      outputTokenLimit: fact(65_536, source.limits),
      thinking: fact(true, source.thinking, 'thinkingLevel minimal, low, medium or high.'),
    }),
    pricing: textPricing(undefined, undefined, undefined),
  },
  {
    id: 'gemini-3.5-flash-lite',
    aliases: [],
    displayName: 'Gemini 3.5 Flash-Lite',
    family: 'gemini-3.5-flash-lite',
    description: 'Gemini 3.5 Flash-Lite text model; the default for flow text nodes (text_fast).',
    modality: 'text',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.deprecations),
        releaseDate: fact('2026-07-21', source.deprecations),
        gaDate: fact('2026-07-21', source.deprecations),
        shutdownDate: fact(null, source.deprecations, 'None announced.'),
        successor: fact(null, source.deprecations),
      },
      'vertex-ai': {
        stage: fact('ga', source.vertexLifecycle),
        releaseDate: fact('2026-07-21', source.vertexLifecycle),
        gaDate: fact('2026-07-21', source.vertexLifecycle),
        shutdownDate: fact('2027-07-21', source.vertexLifecycle, 'Listed as "2027-07-21 or later".'),
        successor: unknown(source.vertexLifecycle),
      },
    },
    capabilities: textCapabilities({
      inputTokenLimit: fact(1_048_576, source.limits),
      outputTokenLimit: fact(65_536, source.limits),
      thinking: fact(true, source.thinking, 'Default thinkingLevel minimal.'),
    }),
    pricing: textPricing(0.3, 2.5, undefined),
  },
];
