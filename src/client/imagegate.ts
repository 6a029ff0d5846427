import { createHash } from 'node:crypto';
import { builtInCatalog } from '../catalog/index.js';
import type { Catalog, Platform } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import { loadConfig, type ImagegateConfig } from '../config/index.js';
import { Engine, type Attempt, type ImageResult, type UpstreamGuards } from '../engine/index.js';
import { checkMediaBytes, readMediaFile, type ReadMediaOptions, loadSharp } from '../media/index.js';
import type { VerifiedImage } from '../outcome/index.js';
import type { ImageProvider } from '../provider/index.js';
import {
  generationParametersOf,
  imageRequestSchema,
  inlineDataPart,
  mimeTypeOfFormat,
  userTurn,
  type ConversationContent,
  type ImageRequest,
  type MediaInput,
  type OutputFormat,
} from '../request/index.js';
import { Registry, type Route } from '../registry/index.js';
import { connectProvider } from './connect-provider.js';
import {
  chatOptionsSchema,
  editImageOptionsSchema,
  generateImageOptionsSchema,
  MAX_REFERENCE_IMAGE_BYTES,
  MAX_VIDEO_BYTES,
  REFERENCE_IMAGE_TYPES,
  thumbnailOptionsSchema,
  VIDEO_TYPES,
  type ChatOptions,
  type EditImageOptions,
  type GenerateImageOptions,
  type MediaSource,
  type SharedOptions,
  type ThumbnailOptions,
} from './generate-options.js';
import { parseInput } from '../errors/index.js';

export interface ImagegateOptions {
  /** A config object, or the path of an imagegate.config.yaml. Default: the usual lookup (see docs). */
  config?: ImagegateConfig | string;
  /** Default: `process.env`. Credentials are read from the variables the config names. */
  env?: NodeJS.ProcessEnv;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: the Gemini provider on `@google/genai`, or the built-in emulator when no key is set. */
  provider?: ImageProvider;
  /** Default: the built-in catalog. */
  catalog?: Catalog;
  /** Receives one-line notices (for example "using the built-in emulator"). Default: ignored. */
  onNotice?: (line: string) => void;
  /**
   * Largest reference image accepted, in bytes. Default 20 MB: far above what the models use (they
   * downsample) and the Vertex inline limit, small enough to refuse an accidental raw photo dump.
   */
  maxReferenceImageBytes?: number;
  /** Where per-model quotas and circuit breakers live. Default: this process (see `EngineOptions`). */
  upstreamGuards?: UpstreamGuards;
}

/** Observers of one call; they see every attempt and warning as it happens. */
export interface CallHooks {
  onAttempt?: (attempt: Attempt) => void;
  onWarning?: (warning: string) => void;
}

/** Where and how `runRequest` runs a request. */
export interface RunRequestOptions extends CallHooks {
  /** Logical name or concrete model ID. */
  model: string;
  /** Restrict a concrete model ID to one platform. Default: the route's platforms. */
  platform?: Platform | undefined;
  /** Cancels the run: no further call of any kind is made. */
  signal?: AbortSignal | undefined;
}

export type GenerationResult = ImageResult & {
  /** The logical name or model ID the call asked for. */
  requestedModel: string;
};

/**
 * The library's front door: resolves a logical name, runs the request through the engine and returns a
 * typed result. Failures throw `ImageGenerationError` (with the outcome and every attempt) or
 * `InvalidInputError` (nothing was sent).
 */
export class Imagegate {
  private constructor(
    readonly registry: Registry,
    private readonly engine: Engine,
    private readonly provider: ImageProvider,
    private readonly closeProvider: () => Promise<void>,
    /** `emulator` when the built-in emulator answers instead of Google. */
    readonly target: 'google' | 'emulator' | 'custom',
    private readonly referenceOptions: ReadMediaOptions,
    private readonly checkVideoSupport: () => Promise<void>,
  ) {}

  static async create(options: ImagegateOptions = {}): Promise<Imagegate> {
    const env = options.env ?? process.env;
    const clock = options.clock ?? systemClock;
    const catalog = options.catalog ?? builtInCatalog();
    const config =
      typeof options.config === 'object'
        ? options.config
        : (await loadConfig({ ...(options.config ? { path: options.config } : {}), env, clock, catalog }))
            .config;
    const registry = new Registry({ config, catalog, clock });
    const connected = options.provider
      ? {
          provider: options.provider,
          target: 'custom' as const,
          notice: undefined,
          checkVideoSupport: async () => {},
          close: async () => {},
        }
      : await connectProvider({ config, env, catalog, clock });
    if (connected.notice) options.onNotice?.(connected.notice);
    const engine = new Engine({
      provider: connected.provider,
      clock,
      catalog,
      limitsFor: (platform, modelId) => registry.limitsFor(platform, modelId),
      ...(options.upstreamGuards ? { upstreamGuards: options.upstreamGuards } : {}),
    });
    const referenceOptions: ReadMediaOptions = {
      allowedTypes: REFERENCE_IMAGE_TYPES,
      maxBytes: options.maxReferenceImageBytes ?? MAX_REFERENCE_IMAGE_BYTES,
      role: 'reference image',
    };
    return new Imagegate(
      registry,
      engine,
      connected.provider,
      connected.close,
      connected.target,
      referenceOptions,
      connected.checkVideoSupport,
    );
  }

  async generateImage(options: GenerateImageOptions, hooks: CallHooks = {}): Promise<GenerationResult> {
    const parsed = parseInput(generateImageOptionsSchema, options, 'generateImage options');
    const referenceImages = await this.readReferenceImages(parsed.referenceImages);
    return this.runRequest(requestFrom(parsed, { referenceImages }), runOptionsFrom(parsed, hooks));
  }

  async editImage(options: EditImageOptions, hooks: CallHooks = {}): Promise<GenerationResult> {
    const parsed = parseInput(editImageOptionsSchema, options, 'editImage options');
    const referenceImages = await this.readReferenceImages(parsed.images);
    return this.runRequest(requestFrom(parsed, { referenceImages }), runOptionsFrom(parsed, hooks));
  }

  async thumbnailFromVideo(
    video: MediaSource,
    options: ThumbnailOptions = {},
    hooks: CallHooks = {},
  ): Promise<GenerationResult> {
    const parsed = parseInput(thumbnailOptionsSchema, options, 'thumbnailFromVideo options');
    const videoInput = await readMedia(video, {
      allowedTypes: VIDEO_TYPES,
      maxBytes: MAX_VIDEO_BYTES,
      role: 'video',
    });
    await this.checkVideoSupport();
    return this.runRequest(requestFrom(parsed, { video: videoInput }), runOptionsFrom(parsed, hooks));
  }

  /** A multi-turn editing session. Each turn sends the whole history back, thought signatures included. */
  chat(options: ChatOptions = {}): ChatSession {
    const parsed = parseInput(chatOptionsSchema, options, 'chat options');
    return new ChatSession(this, parsed);
  }

  /** The route a name resolves to right now, with each candidate's lifecycle. */
  resolve(name: string, platform?: Platform): Route {
    return this.registry.resolve(name, platform ? { platform } : undefined);
  }

  /** Model IDs the current credentials can see on a platform (`models.list`). */
  listVisibleModelIds(platform: Platform): Promise<string[]> {
    return this.provider.listModelIds(platform);
  }

  async close(): Promise<void> {
    await this.closeProvider();
  }

  /**
   * Reads reference images (file paths or bytes) and checks their type and size, before anything is sent.
   * @throws MediaInputError naming the file that cannot be used
   */
  readReferenceImages(sources: MediaSource[]): Promise<MediaInput[]> {
    return Promise.all(sources.map((source) => readMedia(source, this.referenceOptions)));
  }

  /**
   * Runs a validated request on a logical name or model: the one way every entry point runs one (the
   * methods above, chat sessions, the server's task worker, and through it the synchronous routes and flow
   * runs). Images come back in the request's `outputFormat`.
   * @throws ImageGenerationError with the deciding outcome and every attempt
   * @throws UnknownModelError or NoUsableCandidateError when the name resolves to nothing usable
   */
  async runRequest(request: ImageRequest, options: RunRequestOptions): Promise<GenerationResult> {
    const { model, platform, signal } = options;
    const route = this.registry.resolve(model, platform ? { platform } : undefined);
    for (const warning of route.warnings) options.onWarning?.(warning);
    const result = await this.engine.run(request, route, {
      ...(signal ? { signal } : {}),
      ...(options.onAttempt ? { onAttempt: options.onAttempt } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
    });
    const images = await Promise.all(result.images.map((image) => encodeAs(image, request.outputFormat)));
    return { ...result, images, requestedModel: model };
  }
}

/** One conversation: the history grows by the user turn and the model's reply after every success. */
export class ChatSession {
  private readonly turns: ConversationContent[] = [];
  private lastServedBy: string | undefined;

  constructor(
    private readonly imagegate: Imagegate,
    private readonly options: SharedOptions,
  ) {}

  get history(): readonly ConversationContent[] {
    return this.turns;
  }

  async send(
    message: string,
    turnOptions: { referenceImages?: MediaSource[] } = {},
    hooks: CallHooks = {},
  ): Promise<GenerationResult> {
    const prompt = parseInput(generateImageOptionsSchema.shape.prompt, message, 'chat message');
    const referenceImages = await this.imagegate.readReferenceImages(turnOptions.referenceImages ?? []);
    const request = requestFrom(this.options, { referenceImages, history: [...this.turns], prompt });
    const result = await this.imagegate.runRequest(request, runOptionsFrom(this.options, hooks));
    const reply = result.modelContents[0] as ConversationContent | undefined;
    if (reply) {
      this.turns.push(userTurn(prompt, referenceImages.map(inlineDataPart)), { ...reply, role: 'model' });
    }
    const servedBy = `${result.servedBy.modelId} on ${result.servedBy.platform}`;
    if (this.lastServedBy && this.lastServedBy !== servedBy) {
      // Thought signatures belong to the model that wrote them; another model gets them back next turn.
      const warning = `this turn was served by ${servedBy}, earlier turns by ${this.lastServedBy}; the history mixes models`;
      hooks.onWarning?.(warning);
      result.warnings.push(warning);
    }
    this.lastServedBy = servedBy;
    return result;
  }
}

/** Builds the engine's request from parsed options: the library's `n` is the request's `imageCount`. */
function requestFrom(
  options: SharedOptions & { prompt?: string },
  extra: {
    referenceImages?: MediaInput[];
    video?: MediaInput;
    history?: ConversationContent[];
    prompt?: string;
  },
): ImageRequest {
  return imageRequestSchema.parse({
    ...generationParametersOf({ ...options, imageCount: options.n }),
    prompt: extra.prompt ?? options.prompt,
    history: extra.history ?? [],
    referenceImages: extra.referenceImages ?? [],
    ...(extra.video ? { video: extra.video } : {}),
  });
}

function runOptionsFrom(options: SharedOptions, hooks: CallHooks): RunRequestOptions {
  return { model: options.model, platform: options.platform, signal: options.signal, ...hooks };
}

async function readMedia(source: MediaSource, options: ReadMediaOptions): Promise<MediaInput> {
  if (typeof source === 'string') return readMediaFile(source, options);
  return checkMediaBytes(source.bytes, source.label ?? `${options.role} bytes`, options);
}

/** The Gemini API always answers PNG; JPEG is encoded here so every platform honours `outputFormat`. */
async function encodeAs(image: VerifiedImage, format: OutputFormat): Promise<VerifiedImage> {
  const wantedMimeType = mimeTypeOfFormat(format);
  if (image.mimeType === wantedMimeType) return image;
  const sharp = await loadSharp();
  const bytes = await sharp(image.bytes)[format]().toBuffer();
  return {
    ...image,
    bytes,
    mimeType: wantedMimeType,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}
