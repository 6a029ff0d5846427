import type { z } from 'zod';
import type { catalogSchema, PixelSize } from '../schema.js';
import { textModels } from './text-models.js';

/**
 * The built-in facts about Gemini image models. Plain data: every value names its source and the day it
 * was checked. Facts nobody could confirm are `'unknown'`; a `null` date means "none announced".
 * See docs/catalog.md for how to read it and which questions are still open.
 */

type CatalogInput = z.input<typeof catalogSchema>;
type ModelInput = CatalogInput['models'][number];
type CapabilitiesInput = ModelInput['capabilities'];
type PricingInput = ModelInput['pricing'];

/** The day the facts below were read from their sources. */
const CHECKED_ON = '2026-11-21';

const fact = <Value>(value: Value, source: string, note?: string) => ({
  value,
  source,
  checkedOn: CHECKED_ON,
  note,
});
const unknown = (source: string, note?: string) => fact('unknown' as const, source, note);

const source = {
  deprecations: 'ai.google.dev/gemini-api/docs/deprecations (it copy)',
  imageGenerationDocs:
    'ai.google.dev/gemini-api/docs/image-generation ("aspect ratios and image size" tables)',
  pricing:
    'ai.google.dev/gemini-api/docs/pricing, as quoted by discuss.ai.google.dev t/101173, aifreeapi.com and laozhang.ai (Mar–Apr 2026)',
  modelsList: 'Gemini API models.list dump (~Dec 2025)',
  sdkModelUnion: '@google/genai 3.1.0 dist/genai.d.ts (Interactions Model_2 union)',
  gptproto: 'gptproto (quoting Google)',
  gemilab: 'gemilab.net (2026-06)',
  nekro: 'ai.google.dev/gemini-api/docs/deprecations (it copy); nekro.cloud',
  vertex25: 'docs.cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/2-5-flash-image',
  vertex3Pro: 'docs.cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/3-pro-image',
  vertex31Flash: 'docs.cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/3-1-flash-image',
  filesBlog: 'blog.google "gemini-api-new-file-limits" (Jan 2026)',
  nanoBananaSkill: 'skills.sh/jpcaparas/nanobanana (third-party page)',
  noSource: 'no source found (reference compiled 2026-11)',
} as const;

const previewNeverGa = 'A preview ID never becomes GA itself; its GA twin is listed as the successor.';

const commonAspectRatios = ['1:1', '2:3', '3:2', '3:4', '4:3', '4:5', '5:4', '9:16', '16:9', '21:9'] as const;
const extremeAspectRatios = ['1:4', '4:1', '1:8', '8:1'] as const;

const size = (width: number, height: number): PixelSize => ({ width, height });

/** The 2.5 Flash Image column (the 1290-token class); it only has a 1K tier. */
const flash25Pixels1K = {
  '1:1': size(1024, 1024),
  '2:3': size(832, 1248),
  '3:2': size(1248, 832),
  '3:4': size(864, 1184),
  '4:3': size(1184, 864),
  '4:5': size(896, 1152),
  '5:4': size(1152, 896),
  '9:16': size(768, 1344),
  '16:9': size(1344, 768),
  '21:9': size(1536, 672),
};

/** The shared Gemini 3.x table, common ratios. */
const gemini3Pixels512 = {
  '1:1': size(512, 512),
  '2:3': size(424, 632),
  '3:2': size(632, 424),
  '3:4': size(448, 600),
  '4:3': size(600, 448),
  '4:5': size(464, 576),
  '5:4': size(576, 464),
  '9:16': size(384, 688),
  '16:9': size(688, 384),
  // The docs print 792x168, which is not 21:9 (a typo); 792x336 is the 1K size halved.
  '21:9': size(792, 336),
  '1:4': size(256, 1024),
  '4:1': size(1024, 256),
  '1:8': size(192, 1536),
  '8:1': size(1536, 192),
};
const gemini3Pixels1K = {
  '1:1': size(1024, 1024),
  '2:3': size(848, 1264),
  '3:2': size(1264, 848),
  '3:4': size(896, 1200),
  '4:3': size(1200, 896),
  '4:5': size(928, 1152),
  '5:4': size(1152, 928),
  '9:16': size(768, 1376),
  '16:9': size(1376, 768),
  '21:9': size(1584, 672),
};
const gemini3Pixels1KExtreme = {
  '1:4': size(512, 2048),
  '4:1': size(2048, 512),
  '1:8': size(384, 3072),
  '8:1': size(3072, 384),
};
const gemini3Pixels2K = {
  '1:1': size(2048, 2048),
  '2:3': size(1696, 2528),
  '3:2': size(2528, 1696),
  '3:4': size(1792, 2400),
  '4:3': size(2400, 1792),
  '4:5': size(1856, 2304),
  '5:4': size(2304, 1856),
  '9:16': size(1536, 2752),
  '16:9': size(2752, 1536),
  '21:9': size(3168, 1344),
};
const gemini3Pixels2KExtreme = {
  '1:4': size(1024, 4096),
  '4:1': size(4096, 1024),
  '1:8': size(768, 6144),
  '8:1': size(6144, 768),
};
const gemini3Pixels4K = {
  '1:1': size(4096, 4096),
  '2:3': size(3392, 5056),
  '3:2': size(5056, 3392),
  '3:4': size(3584, 4800),
  '4:3': size(4800, 3584),
  '4:5': size(3712, 4608),
  '5:4': size(4608, 3712),
  '9:16': size(3072, 5504),
  '16:9': size(5504, 3072),
  '21:9': size(6336, 2688),
};
const gemini3Pixels4KExtreme = {
  '1:4': size(2048, 8192),
  '4:1': size(8192, 2048),
  '1:8': size(1536, 12288),
  '8:1': size(12288, 1536),
};

const GEMINI_API_INLINE_LIMIT_BYTES = 100_000_000;
const inlineLimit = fact(
  GEMINI_API_INLINE_LIMIT_BYTES,
  source.filesBlog,
  'Gemini API figure: 100 MB since Jan 2026 (20 MB before). Vertex AI accepts at most 7 MB per inline image.',
);

const classicMimeTypes = ['image/png', 'image/jpeg', 'image/webp'];
const gemini3MimeTypes = [...classicMimeTypes, 'image/heic', 'image/heif'];

/** Gemini 2.0 image generation predates imageConfig; almost nothing about its output is documented. */
const gemini20Capabilities: CapabilitiesInput = {
  aspectRatios: unknown(
    source.noSource,
    'Predates imageConfig; the only evidence is one recording (gemini-2.0-flash-preview-image-generation) that returned a 510x1024 PNG.',
  ),
  imageSizes: unknown(source.noSource, 'Predates imageConfig.imageSize.'),
  defaultImageSize: unknown(source.noSource),
  pixelSizes: unknown(
    source.noSource,
    'Only evidence: a recording of gemini-2.0-flash-preview-image-generation returning a 510x1024 PNG (~1.3 MB base64); no size table was published.',
  ),
  maxInputImages: unknown(source.noSource),
  inputImageMimeTypes: fact(
    classicMimeTypes,
    source.imageGenerationDocs,
    'The docs list png, jpeg and webp for image models before Gemini 3; not checked for 2.0 specifically.',
  ),
  maxInlineRequestBytes: inlineLimit,
  videoInput: unknown(source.noSource),
  outputTokensPerImage: unknown(source.noSource),
  inputTokensPerImage: unknown(source.noSource),
  inputTokenLimit: unknown(source.noSource),
  outputTokenLimit: unknown(source.noSource),
  thinking: unknown(source.noSource),
  searchGrounding: unknown(source.noSource),
  maxCandidateCount: unknown(source.noSource),
};

const gemini20Pricing: PricingInput = {
  inputPerMillionTokensUsd: unknown(source.pricing, 'Not on the pricing pages quoted.'),
  textOutputPerMillionTokensUsd: unknown(source.pricing, 'Not on the pricing pages quoted.'),
  imageOutputPerMillionTokensUsd: unknown(source.pricing, 'Not on the pricing pages quoted.'),
  perImageUsd: unknown(source.pricing, 'Not on the pricing pages quoted.'),
  batchPriceFactor: unknown(source.pricing, 'Not on the pricing pages quoted.'),
};

const flash25Capabilities: CapabilitiesInput = {
  aspectRatios: fact([...commonAspectRatios], source.imageGenerationDocs),
  imageSizes: fact(
    ['1K'],
    source.imageGenerationDocs,
    'Only the 1024-class tier. Whether the model rejects or ignores another imageSize is an open question.',
  ),
  defaultImageSize: fact('1K', source.imageGenerationDocs),
  pixelSizes: fact({ '1K': flash25Pixels1K }, source.imageGenerationDocs),
  maxInputImages: fact(3, source.imageGenerationDocs),
  inputImageMimeTypes: fact(classicMimeTypes, source.imageGenerationDocs),
  maxInlineRequestBytes: inlineLimit,
  videoInput: fact(false, source.vertex25),
  outputTokensPerImage: fact(
    { '1K': 1290 },
    source.imageGenerationDocs,
    'Also seen in real usageMetadata (candidatesTokensDetails IMAGE 1290).',
  ),
  inputTokensPerImage: unknown(source.noSource),
  inputTokenLimit: fact(32_768, source.modelsList),
  outputTokenLimit: fact(32_768, source.modelsList),
  thinking: fact(
    false,
    source.modelsList,
    'models.list shows no thinking flag; the Vertex model page says the model thinks.',
  ),
  searchGrounding: fact('none', source.imageGenerationDocs),
  maxCandidateCount: fact(8, source.vertex25, 'candidateCount 1–8; at most 10 output images per prompt.'),
};

const flash25Pricing: PricingInput = {
  inputPerMillionTokensUsd: fact(0.3, source.pricing),
  textOutputPerMillionTokensUsd: unknown(
    source.pricing,
    'The quoted pricing table shows no text-output price.',
  ),
  imageOutputPerMillionTokensUsd: fact(30, source.pricing),
  perImageUsd: fact({ '1K': 0.039 }, source.pricing, '1290 tokens at $30 per million.'),
  batchPriceFactor: fact(0.5, source.pricing, 'Batch price $0.0195 per image.'),
};

const pro3Capabilities: CapabilitiesInput = {
  aspectRatios: fact([...commonAspectRatios], source.imageGenerationDocs),
  imageSizes: fact(
    ['1K', '2K', '4K'],
    source.imageGenerationDocs,
    'On Vertex AI the 4K tier of gemini-3-pro-image is still labelled Preview.',
  ),
  defaultImageSize: fact('1K', source.imageGenerationDocs),
  pixelSizes: fact(
    { '1K': gemini3Pixels1K, '2K': gemini3Pixels2K, '4K': gemini3Pixels4K },
    source.imageGenerationDocs,
  ),
  maxInputImages: fact(
    14,
    source.imageGenerationDocs,
    'At most 6 object, 5 character and 3 style references.',
  ),
  inputImageMimeTypes: fact(gemini3MimeTypes, source.imageGenerationDocs),
  maxInlineRequestBytes: inlineLimit,
  videoInput: fact(false, source.vertex3Pro),
  outputTokensPerImage: fact({ '1K': 1120, '2K': 1120, '4K': 2000 }, source.imageGenerationDocs),
  inputTokensPerImage: fact(560, source.vertex3Pro),
  inputTokenLimit: fact(
    131_072,
    source.modelsList,
    'Gemini API figure; the Vertex AI model page says 65,536.',
  ),
  outputTokenLimit: fact(32_768, source.modelsList),
  thinking: fact(true, source.imageGenerationDocs, 'Always on; cannot be disabled.'),
  searchGrounding: fact('web', source.imageGenerationDocs),
  maxCandidateCount: fact(1, source.vertex3Pro),
};

const pro3Pricing: PricingInput = {
  inputPerMillionTokensUsd: fact(2, source.pricing, 'An input image costs about $0.0011.'),
  textOutputPerMillionTokensUsd: fact(12, source.pricing, 'Text and thinking output.'),
  imageOutputPerMillionTokensUsd: fact(120, source.pricing),
  perImageUsd: fact({ '1K': 0.134, '2K': 0.134, '4K': 0.24 }, source.pricing),
  batchPriceFactor: fact(0.5, source.pricing, 'Batch $0.067 (1K/2K), $0.12 (4K).'),
};

const flash31Capabilities: CapabilitiesInput = {
  aspectRatios: fact([...commonAspectRatios, ...extremeAspectRatios], source.imageGenerationDocs),
  imageSizes: fact(['512', '1K', '2K', '4K'], source.imageGenerationDocs),
  defaultImageSize: fact('1K', source.imageGenerationDocs),
  pixelSizes: fact(
    {
      '512': gemini3Pixels512,
      '1K': { ...gemini3Pixels1K, ...gemini3Pixels1KExtreme },
      '2K': { ...gemini3Pixels2K, ...gemini3Pixels2KExtreme },
      '4K': { ...gemini3Pixels4K, ...gemini3Pixels4KExtreme },
    },
    source.imageGenerationDocs,
    'The docs print 792x168 for 512 at 21:9, which is not 21:9 (a typo copied by third-party code); recorded as 792x336, the 1K size 1584x672 halved.',
  ),
  maxInputImages: fact(14, source.imageGenerationDocs, 'At most 10 object and 4 character references.'),
  inputImageMimeTypes: fact(gemini3MimeTypes, source.imageGenerationDocs),
  maxInlineRequestBytes: inlineLimit,
  videoInput: fact(true, source.vertex31Flash),
  outputTokensPerImage: fact(
    { '512': 747, '1K': 1120, '2K': 1680, '4K': 2520 },
    source.vertex31Flash,
    'The ai.google.dev docs table says 747/1120/1120/2000; the Vertex figures are used because the published per-image prices match them at $60 per million.',
  ),
  inputTokensPerImage: unknown(source.noSource),
  inputTokenLimit: fact(131_072, source.vertex31Flash),
  outputTokenLimit: fact(32_768, source.vertex31Flash),
  thinking: fact(true, source.imageGenerationDocs, 'Always on; thinkingLevel minimal (default) or high.'),
  searchGrounding: fact('web-and-image', source.imageGenerationDocs),
  maxCandidateCount: fact(1, source.vertex31Flash),
};

const flash31Pricing: PricingInput = {
  inputPerMillionTokensUsd: fact(0.5, source.pricing),
  textOutputPerMillionTokensUsd: fact(3, source.pricing, 'Text and thinking output.'),
  imageOutputPerMillionTokensUsd: fact(60, source.pricing),
  perImageUsd: fact({ '512': 0.045, '1K': 0.067, '2K': 0.101, '4K': 0.151 }, source.pricing),
  batchPriceFactor: fact(0.5, source.pricing, 'Batch $0.022 / $0.034 / $0.050 / $0.076.'),
};

const flashLite31Capabilities: CapabilitiesInput = {
  aspectRatios: fact([...commonAspectRatios], source.imageGenerationDocs),
  imageSizes: fact(['1K'], source.imageGenerationDocs),
  defaultImageSize: fact('1K', source.imageGenerationDocs),
  pixelSizes: fact(
    { '1K': gemini3Pixels1K },
    source.imageGenerationDocs,
    'Assumed: the published table covers 3 Pro Image and 3.1 Flash Image; its shared 3.x 1K column is used for Lite.',
  ),
  maxInputImages: fact(14, source.imageGenerationDocs, 'Up to 14 object references.'),
  inputImageMimeTypes: fact(gemini3MimeTypes, source.imageGenerationDocs),
  maxInlineRequestBytes: inlineLimit,
  videoInput: unknown(source.noSource),
  outputTokensPerImage: unknown(source.noSource, 'Open question 6: Lite limits are unconfirmed.'),
  inputTokensPerImage: unknown(source.noSource),
  inputTokenLimit: unknown(source.noSource, 'Open question 6: Lite limits are unconfirmed.'),
  outputTokenLimit: unknown(source.noSource, 'Open question 6: Lite limits are unconfirmed.'),
  thinking: fact(true, source.imageGenerationDocs, 'Gemini 3 image models always think.'),
  searchGrounding: fact('none', source.imageGenerationDocs),
  maxCandidateCount: unknown(source.noSource),
};

const unknownPricing = (note: string): PricingInput => ({
  inputPerMillionTokensUsd: unknown(source.pricing, note),
  textOutputPerMillionTokensUsd: unknown(source.pricing, note),
  imageOutputPerMillionTokensUsd: unknown(source.pricing, note),
  perImageUsd: unknown(source.pricing, note),
  batchPriceFactor: unknown(source.pricing, note),
});

const gemini20Flash = {
  family: 'gemini-2.0-flash-image-generation',
  capabilities: gemini20Capabilities,
  pricing: gemini20Pricing,
};

const models: ModelInput[] = [
  {
    id: 'gemini-2.0-flash-exp-image-generation',
    aliases: [],
    displayName: 'Gemini 2.0 Flash (experimental image generation)',
    description: 'The first experimental Gemini image generation model.',
    ...gemini20Flash,
    platforms: {
      'gemini-api': {
        stage: fact('experimental', source.imageGenerationDocs),
        releaseDate: unknown(source.noSource),
        gaDate: fact(null, source.noSource, 'Experimental models never become GA.'),
        shutdownDate: unknown(
          source.noSource,
          'No date found; its sibling gemini-2.0-flash-preview-image-generation shut down 2025-10-31, so expect 404.',
        ),
        successor: fact('gemini-2.5-flash-image', source.imageGenerationDocs),
      },
    },
  },
  {
    id: 'gemini-2.0-flash-preview-image-generation',
    aliases: [],
    displayName: 'Gemini 2.0 Flash Preview Image Generation',
    description: 'Preview of Gemini 2.0 Flash image generation; superseded by Gemini 2.5 Flash Image.',
    ...gemini20Flash,
    platforms: {
      'gemini-api': {
        stage: fact('preview', source.gptproto),
        releaseDate: unknown(source.noSource),
        gaDate: fact(null, source.gptproto, previewNeverGa),
        shutdownDate: fact('2025-10-31', source.gptproto),
        successor: fact('gemini-2.5-flash-image', source.gptproto),
      },
    },
  },
  {
    id: 'gemini-2.5-flash-image-preview',
    aliases: [],
    displayName: 'Nano Banana (preview)',
    description: 'Gemini 2.5 Flash Image preview.',
    family: 'gemini-2.5-flash-image',
    platforms: {
      'gemini-api': {
        stage: fact('preview', source.deprecations),
        releaseDate: fact('2025-08-26', source.deprecations),
        gaDate: fact(null, source.deprecations, previewNeverGa),
        shutdownDate: fact(
          '2025-10-31',
          source.gptproto,
          'Earliest of two announced dates: the deprecations page (it copy) says 2026-01-15.',
        ),
        successor: fact('gemini-2.5-flash-image', source.deprecations),
      },
    },
    capabilities: flash25Capabilities,
    pricing: flash25Pricing,
  },
  {
    id: 'gemini-2.5-flash-image',
    aliases: [],
    displayName: 'Nano Banana',
    description: 'Gemini 2.5 Flash Image; the docs call it the legacy model.',
    family: 'gemini-2.5-flash-image',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.deprecations),
        releaseDate: fact('2025-10-02', source.deprecations),
        gaDate: fact('2025-10-02', source.deprecations),
        shutdownDate: fact(
          '2026-10-02',
          source.nekro,
          'Open question 6: not confirmed that it actually shut down on this date.',
        ),
        successor: fact(
          'gemini-3.1-flash-image',
          source.imageGenerationDocs,
          "The docs' recommended default image model.",
        ),
      },
      'vertex-ai': {
        stage: fact('ga', source.vertex25),
        releaseDate: unknown(source.vertex25),
        gaDate: unknown(source.vertex25),
        shutdownDate: unknown(source.vertex25),
        successor: fact(
          'gemini-3.1-flash-image',
          source.imageGenerationDocs,
          "The Gemini API docs' recommended default; Vertex names none.",
        ),
      },
    },
    capabilities: flash25Capabilities,
    pricing: flash25Pricing,
  },
  {
    id: 'gemini-3-pro-image-preview',
    aliases: ['nano-banana-pro-preview'],
    displayName: 'Nano Banana Pro (preview)',
    description: 'Gemini 3 Pro Image preview.',
    family: 'gemini-3-pro-image',
    platforms: {
      'gemini-api': {
        stage: fact('preview', source.gemilab),
        releaseDate: fact('2025-11-20', source.imageGenerationDocs),
        gaDate: fact(null, source.gemilab, previewNeverGa),
        shutdownDate: fact(
          '2026-06-25',
          source.gemilab,
          'Announced after the GA release; the deprecations page (it copy) had no date yet.',
        ),
        successor: fact('gemini-3-pro-image', source.gemilab),
      },
    },
    capabilities: pro3Capabilities,
    pricing: pro3Pricing,
  },
  {
    id: 'gemini-3-pro-image',
    aliases: [],
    displayName: 'Nano Banana Pro',
    description: 'Gemini 3 Pro Image; highest quality, up to 4K.',
    family: 'gemini-3-pro-image',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.sdkModelUnion),
        releaseDate: unknown(source.noSource, 'GA before the preview shut down on 2026-06-25.'),
        gaDate: unknown(source.noSource, 'GA before the preview shut down on 2026-06-25.'),
        shutdownDate: fact(null, source.deprecations, 'None found; open question 6.'),
        successor: fact(null, source.deprecations),
      },
      'vertex-ai': {
        stage: fact('ga', source.vertex3Pro, 'The 4K tier is still labelled Preview.'),
        releaseDate: fact('2026-05-28', source.vertex3Pro),
        gaDate: fact('2026-05-28', source.vertex3Pro),
        shutdownDate: fact(null, source.vertex3Pro, 'None found; open question 6.'),
        successor: fact(null, source.vertex3Pro),
      },
    },
    capabilities: pro3Capabilities,
    pricing: pro3Pricing,
  },
  {
    id: 'gemini-3.1-flash-image-preview',
    aliases: [],
    displayName: 'Nano Banana 2 (preview)',
    description: 'Gemini 3.1 Flash Image preview.',
    family: 'gemini-3.1-flash-image',
    platforms: {
      'gemini-api': {
        stage: fact('preview', source.gemilab),
        releaseDate: fact('2026-02-26', source.imageGenerationDocs),
        gaDate: fact(null, source.gemilab, previewNeverGa),
        shutdownDate: fact('2026-06-25', source.gemilab),
        successor: fact('gemini-3.1-flash-image', source.gemilab),
      },
      'vertex-ai': {
        stage: fact('preview', source.vertex31Flash),
        releaseDate: unknown(source.vertex31Flash),
        gaDate: fact(null, source.vertex31Flash, previewNeverGa),
        shutdownDate: fact('2026-07-17', source.vertex31Flash, 'Vertex model page copy.'),
        successor: fact('gemini-3.1-flash-image', source.vertex31Flash),
      },
    },
    capabilities: flash31Capabilities,
    pricing: flash31Pricing,
  },
  {
    id: 'gemini-3.1-flash-image',
    aliases: [],
    displayName: 'Nano Banana 2',
    description: "Gemini 3.1 Flash Image; the docs' recommended default image model.",
    family: 'gemini-3.1-flash-image',
    platforms: {
      'gemini-api': {
        stage: fact('ga', source.sdkModelUnion),
        releaseDate: fact('2026-05-28', source.nanoBananaSkill),
        gaDate: fact('2026-05-28', source.nanoBananaSkill),
        shutdownDate: unknown(
          source.nanoBananaSkill,
          'One third-party page claims 2026-10-29; no Google source confirms it (open question 6).',
        ),
        successor: fact(null, source.deprecations),
      },
      'vertex-ai': {
        stage: fact('ga', source.vertex31Flash),
        releaseDate: unknown(source.vertex31Flash),
        gaDate: unknown(source.vertex31Flash),
        shutdownDate: unknown(source.vertex31Flash),
        successor: fact(null, source.vertex31Flash),
      },
    },
    capabilities: flash31Capabilities,
    pricing: flash31Pricing,
  },
  {
    id: 'gemini-3.1-flash-lite-image',
    aliases: [],
    displayName: 'Nano Banana 2 Lite',
    description: 'Gemini 3.1 Flash Lite Image; cheapest, 1K only, no search grounding.',
    family: 'gemini-3.1-flash-lite-image',
    platforms: {
      'gemini-api': {
        stage: unknown(
          source.sdkModelUnion,
          'Listed without a -preview suffix, but no page states its stage (open question 6).',
        ),
        releaseDate: unknown(source.noSource),
        gaDate: unknown(source.noSource),
        shutdownDate: unknown(source.noSource),
        successor: fact(null, source.sdkModelUnion),
      },
    },
    capabilities: flashLite31Capabilities,
    pricing: unknownPricing('Open question 6: Lite prices are unconfirmed.'),
  },
  {
    id: 'gemini-nano-banana-2.1',
    aliases: [],
    displayName: 'gemini-nano-banana-2.1',
    description: 'Listed by the @google/genai 3.1.0 type definitions; nothing else is known.',
    family: 'gemini-nano-banana-2.1',
    platforms: {
      'gemini-api': {
        stage: unknown(source.sdkModelUnion, 'Only the ID is known (open question 6).'),
        releaseDate: unknown(source.sdkModelUnion),
        gaDate: unknown(source.sdkModelUnion),
        shutdownDate: unknown(source.sdkModelUnion),
        successor: unknown(source.sdkModelUnion),
      },
    },
    capabilities: {
      aspectRatios: unknown(source.sdkModelUnion),
      imageSizes: unknown(source.sdkModelUnion),
      defaultImageSize: unknown(source.sdkModelUnion),
      pixelSizes: unknown(source.sdkModelUnion),
      maxInputImages: unknown(source.sdkModelUnion),
      inputImageMimeTypes: unknown(source.sdkModelUnion),
      maxInlineRequestBytes: inlineLimit,
      videoInput: unknown(source.sdkModelUnion),
      outputTokensPerImage: unknown(source.sdkModelUnion),
      inputTokensPerImage: unknown(source.sdkModelUnion),
      inputTokenLimit: unknown(source.sdkModelUnion),
      outputTokenLimit: unknown(source.sdkModelUnion),
      thinking: unknown(source.sdkModelUnion),
      searchGrounding: unknown(source.sdkModelUnion),
      maxCandidateCount: unknown(source.sdkModelUnion),
    },
    pricing: unknownPricing('Only the ID is known (open question 6).'),
  },
];

export const catalogData: CatalogInput = {
  reviewedOn: '2026-11-29',
  models: [...models, ...textModels],
};
