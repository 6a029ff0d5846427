import { createHash } from 'node:crypto';
import { FileState, GoogleGenAI, type Content, type GenerateContentResponse, type Part } from '@google/genai';
import type { GoogleAuthOptions } from 'google-auth-library';
import { builtInCatalog } from '../catalog/index.js';
import { bareModelId, findModel, knownValue } from '../catalog/index.js';
import type { Catalog, Platform } from '../catalog/index.js';
import { systemClock, type Clock } from '../clock/index.js';
import type { ImageProvider, ProviderCall } from './image-provider.js';
import {
  inlineDataPart,
  mimeTypeOfFormat,
  requestContents,
  samplingSettingsOf,
  type ContentPart,
  type MediaInput,
} from '../request/index.js';
import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/** Gemini API (Developer API) credentials. */
export interface GeminiApiConnection {
  apiKey: string;
  /** Default: the SDK's own (`GOOGLE_GEMINI_BASE_URL`, else Google's endpoint). */
  baseUrl?: string;
}

/** Vertex AI credentials: a project and location (Application Default Credentials), or an express-mode key. */
export interface VertexAiConnection {
  project?: string;
  location?: string;
  apiKey?: string;
  /** How to obtain OAuth tokens for project/location calls. Default: Application Default Credentials. */
  googleAuthOptions?: GoogleAuthOptions;
  /** Default: the SDK's own regional endpoint. */
  baseUrl?: string;
}

export interface GeminiProviderOptions {
  geminiApi?: GeminiApiConnection;
  vertexAi?: VertexAiConnection;
  /** Per-call HTTP timeout in ms. Default: none (the engine's budget and the caller's signal bound the call). */
  timeoutMs?: number;
  /** How often to look at an uploaded video that is still PROCESSING. Default 1000 ms. */
  filePollIntervalMs?: number;
  /** Longest wait for an uploaded file to become ACTIVE. Default 120000 ms. */
  filePollTimeoutMs?: number;
  /** Default: the built-in catalog (inline payload limits). */
  catalog?: Catalog;
  /** Default: the system clock. Only used to pace polling of uploaded files. */
  clock?: Clock;
}

/**
 * Thrown when an uploaded file did not become usable in time or failed processing. Transient: the
 * outcome classifier treats it as `unavailable`.
 */
export class FileProcessingError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_media', message, options);
  }
}

/** An upload the platform still holds, reused by retries and later calls instead of uploading again. */
interface UploadedFile {
  part: Part;
  expiresAtMs: number;
}

/** Uploaded files are kept 48 h by the Files API; stop reusing one well before it expires. */
const UPLOAD_REUSE_MARGIN_MS = 60 * 60 * 1000;

/** Thrown when a call names a platform the provider has no credentials for. */
export class PlatformNotConfiguredError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_config', message, options);
  }
}

const API_VERSION = { 'gemini-api': 'v1beta', 'vertex-ai': 'v1beta1' } as const;

/**
 * The Gemini provider on the official `@google/genai` SDK. It translates an `ImageRequest` into a
 * `generateContent` call and hands back the raw response. It never retries (the SDK's own retries stay
 * off) and never interprets errors: that is the outcome classifier's and the engine's job.
 */
export class GeminiProvider implements ImageProvider {
  private readonly clients = new Map<Platform, GoogleGenAI>();
  private readonly uploads = new Map<string, UploadedFile>();
  private readonly catalog: Catalog;
  private readonly clock: Clock;

  constructor(private readonly options: GeminiProviderOptions) {
    this.catalog = options.catalog ?? builtInCatalog();
    this.clock = options.clock ?? systemClock;
  }

  async generate(call: ProviderCall): Promise<GenerateContentResponse> {
    const client = this.client(call.platform);
    const contents = await this.buildContents(client, call);
    const { request } = call;
    const imageConfig: Record<string, string> = {};
    if (request.aspectRatio) imageConfig.aspectRatio = request.aspectRatio;
    if (request.imageSize) imageConfig.imageSize = request.imageSize;
    // Only Vertex lets the caller choose the encoding; on the Gemini API the SDK refuses the field, and the
    // library converts the PNG afterwards.
    if (call.platform === 'vertex-ai' && request.outputFormat !== 'png') {
      imageConfig.outputMimeType = mimeTypeOfFormat(request.outputFormat);
    }
    return client.models.generateContent({
      model: call.modelId,
      contents,
      config: {
        ...(request.responseModality === 'text'
          ? { responseModalities: ['TEXT'] }
          : { responseModalities: ['TEXT', 'IMAGE'], imageConfig }),
        ...(call.candidateCount > 1 ? { candidateCount: call.candidateCount } : {}),
        ...samplingSettingsOf(request),
        ...(call.signal ? { abortSignal: call.signal } : {}),
      },
    });
  }

  async listModelIds(platform: Platform): Promise<string[]> {
    const pager = await this.client(platform).models.list({ config: { pageSize: 1000 } });
    const ids: string[] = [];
    for await (const model of pager) {
      if (model.name) ids.push(bareModelId(model.name));
    }
    return ids;
  }

  private client(platform: Platform): GoogleGenAI {
    const existing = this.clients.get(platform);
    if (existing) return existing;
    const created = platform === 'vertex-ai' ? this.vertexClient() : this.geminiApiClient();
    this.clients.set(platform, created);
    return created;
  }

  private geminiApiClient(): GoogleGenAI {
    const connection = this.options.geminiApi;
    if (!connection) {
      throw new PlatformNotConfiguredError('No Gemini API key is configured (set GEMINI_API_KEY).');
    }
    return new GoogleGenAI({
      apiKey: connection.apiKey,
      httpOptions: this.httpOptions('gemini-api', connection.baseUrl),
    });
  }

  private vertexClient(): GoogleGenAI {
    const connection = this.options.vertexAi;
    if (!connection) {
      throw new PlatformNotConfiguredError(
        'Vertex AI is not configured (set GOOGLE_CLOUD_PROJECT and GOOGLE_CLOUD_LOCATION, or a Vertex API key).',
      );
    }
    return new GoogleGenAI({
      vertexai: true,
      ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
      ...(connection.project ? { project: connection.project } : {}),
      ...(connection.location ? { location: connection.location } : {}),
      ...(connection.googleAuthOptions ? { googleAuthOptions: connection.googleAuthOptions } : {}),
      httpOptions: this.httpOptions('vertex-ai', connection.baseUrl),
    });
  }

  private httpOptions(platform: Platform, baseUrl: string | undefined) {
    return {
      apiVersion: API_VERSION[platform],
      ...(baseUrl ? { baseUrl } : {}),
      ...(this.options.timeoutMs ? { timeout: this.options.timeoutMs } : {}),
    };
  }

  /** Earlier turns unchanged (their thought signatures included), then the new user turn. */
  private async buildContents(client: GoogleGenAI, call: ProviderCall): Promise<Content[]> {
    const { request } = call;
    const media = [...request.referenceImages, ...(request.video ? [request.video] : [])];
    const inlineLimitBytes = this.inlineLimitBytes(call.modelId);
    const inlineBytes = media.reduce((total, input) => total + base64Length(input.bytes.byteLength), 0);
    const useFiles =
      call.platform === 'gemini-api' && (inlineBytes > inlineLimitBytes || request.video !== undefined);
    const mediaParts: ContentPart[] = [];
    for (const input of media) {
      // A Files API part is a plain JSON object like any other part of a turn.
      const uploaded = useFiles ? await this.uploadedPart(client, input, call.signal) : undefined;
      mediaParts.push(uploaded ? { ...uploaded } : inlineDataPart(input));
    }
    return requestContents(request.history, request.prompt, mediaParts) as Content[];
  }

  /** An unknown limit sends everything through the Files API, which accepts any size we allow. */
  private inlineLimitBytes(modelId: string): number {
    const model = findModel(this.catalog, modelId);
    return (model && knownValue(model.capabilities.maxInlineRequestBytes)) ?? 0;
  }

  /** The Files API part for some media, uploading it only if no live upload of the same bytes exists. */
  private async uploadedPart(client: GoogleGenAI, input: MediaInput, signal?: AbortSignal): Promise<Part> {
    const key = createHash('sha256').update(input.bytes).digest('hex');
    const cached = this.uploads.get(key);
    if (cached && cached.expiresAtMs - UPLOAD_REUSE_MARGIN_MS > this.clock.nowMs()) return cached.part;
    const uploaded = await this.upload(client, input, signal);
    this.uploads.set(key, uploaded);
    return uploaded.part;
  }

  /**
   * Uploads through the Files API and waits until the file is ACTIVE. Waiting for processing is part of
   * preparing the request, not a retry: the poll is paced by the injected clock and bounded.
   */
  private async upload(client: GoogleGenAI, input: MediaInput, signal?: AbortSignal): Promise<UploadedFile> {
    const blob = new Blob([Buffer.from(input.bytes)], { type: input.mimeType });
    let file = await client.files.upload({
      file: blob,
      config: { mimeType: input.mimeType, ...(input.label ? { displayName: input.label } : {}) },
    });
    const pollIntervalMs = this.options.filePollIntervalMs ?? 1000;
    const deadlineMs = this.clock.nowMs() + (this.options.filePollTimeoutMs ?? 120_000);
    const name = file.name;
    if (!name) throw new FileProcessingError('The Files API answered an upload without a file name.');
    while (file.state === FileState.PROCESSING) {
      if (this.clock.nowMs() >= deadlineMs) {
        throw new FileProcessingError(`Uploaded file ${name} was still PROCESSING when the wait ran out.`);
      }
      await this.clock.sleep(pollIntervalMs, signal);
      file = await client.files.get({ name, config: signal ? { abortSignal: signal } : {} });
    }
    if (file.state !== FileState.ACTIVE || !file.uri) {
      const reason = file.error?.message ? `: ${file.error.message}` : '';
      throw new FileProcessingError(`Uploaded file ${name} ended in state ${file.state}${reason}.`);
    }
    const expiresAtMs = file.expirationTime ? Date.parse(file.expirationTime) : Number.NaN;
    return {
      part: { fileData: { fileUri: file.uri, mimeType: file.mimeType ?? input.mimeType } },
      // Without an expiry the upload is used for this call only.
      expiresAtMs: Number.isNaN(expiresAtMs) ? this.clock.nowMs() : expiresAtMs,
    };
  }
}

function base64Length(byteLength: number): number {
  return Math.ceil(byteLength / 3) * 4;
}
