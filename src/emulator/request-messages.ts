import type { ApiVersion } from './api-path.js';
import type { Platform } from '../catalog/index.js';
import {
  anyJson,
  enumeration,
  message,
  repeatedScalar,
  scalar,
  type MessageDescriptor,
} from './proto-json.js';

/**
 * The request messages of the Gemini API (`google/ai/generativelanguage/v1beta/generative_service.proto`,
 * `content.proto`) as far as the emulator checks them, in JSON names. Messages the emulator does not act
 * on and whose shape is large (tools, tool config, response schemas, speech config, function calls) are
 * `anyJson`: the real API checks them, the emulator lets them through. Vertex AI-only fields the SDK sends
 * in Vertex mode (labels, image output options, person generation) are accepted on both platforms.
 */

const modalities = ['MODALITY_UNSPECIFIED', 'TEXT', 'IMAGE', 'AUDIO', 'VIDEO'] as const;
const thinkingLevels = ['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH'] as const;
const mediaResolutions = [
  'MEDIA_RESOLUTION_UNSPECIFIED',
  'MEDIA_RESOLUTION_LOW',
  'MEDIA_RESOLUTION_MEDIUM',
  'MEDIA_RESOLUTION_HIGH',
] as const;

const blob: MessageDescriptor = {
  name: 'Blob',
  fields: { mimeType: scalar('TYPE_STRING'), data: scalar('TYPE_BYTES'), displayName: scalar('TYPE_STRING') },
};

const fileData: MessageDescriptor = {
  name: 'FileData',
  fields: {
    mimeType: scalar('TYPE_STRING'),
    fileUri: scalar('TYPE_STRING'),
    displayName: scalar('TYPE_STRING'),
  },
};

const videoMetadata: MessageDescriptor = {
  name: 'VideoMetadata',
  fields: {
    startOffset: scalar('TYPE_STRING'),
    endOffset: scalar('TYPE_STRING'),
    fps: scalar('TYPE_DOUBLE'),
  },
};

const part: MessageDescriptor = {
  name: 'Part',
  fields: {
    text: scalar('TYPE_STRING'),
    inlineData: message(() => blob),
    fileData: message(() => fileData),
    functionCall: anyJson,
    functionResponse: anyJson,
    executableCode: anyJson,
    codeExecutionResult: anyJson,
    videoMetadata: message(() => videoMetadata),
    thought: scalar('TYPE_BOOL'),
    thoughtSignature: scalar('TYPE_BYTES'),
    partMetadata: anyJson,
    mediaResolution: anyJson,
  },
};

export const contentMessage: MessageDescriptor = {
  name: 'Content',
  fields: { role: scalar('TYPE_STRING'), parts: message(() => part, true) },
};

const imageOutputOptions: MessageDescriptor = {
  name: 'ImageOutputOptions',
  fields: { mimeType: scalar('TYPE_STRING'), compressionQuality: scalar('TYPE_INT32') },
};

const imageConfig: MessageDescriptor = {
  name: 'ImageConfig',
  fields: {
    aspectRatio: scalar('TYPE_STRING'),
    imageSize: scalar('TYPE_STRING'),
    personGeneration: scalar('TYPE_STRING'),
    prominentPeople: scalar('TYPE_STRING'),
    imageOutputOptions: message(() => imageOutputOptions),
  },
};

const thinkingConfig: MessageDescriptor = {
  name: 'ThinkingConfig',
  fields: {
    includeThoughts: scalar('TYPE_BOOL'),
    thinkingBudget: scalar('TYPE_INT32'),
    thinkingLevel: enumeration('ThinkingConfig.ThinkingLevel', thinkingLevels),
  },
};

const generationConfig: MessageDescriptor = {
  name: 'GenerationConfig',
  fields: {
    candidateCount: scalar('TYPE_INT32'),
    stopSequences: repeatedScalar('TYPE_STRING'),
    maxOutputTokens: scalar('TYPE_INT32'),
    temperature: scalar('TYPE_FLOAT'),
    topP: scalar('TYPE_FLOAT'),
    topK: scalar('TYPE_INT32'),
    seed: scalar('TYPE_INT32'),
    responseMimeType: scalar('TYPE_STRING'),
    responseSchema: anyJson,
    responseJsonSchema: anyJson,
    responseModalities: enumeration('GenerationConfig.Modality', modalities, true),
    presencePenalty: scalar('TYPE_FLOAT'),
    frequencyPenalty: scalar('TYPE_FLOAT'),
    responseLogprobs: scalar('TYPE_BOOL'),
    logprobs: scalar('TYPE_INT32'),
    enableEnhancedCivicAnswers: scalar('TYPE_BOOL'),
    speechConfig: anyJson,
    thinkingConfig: message(() => thinkingConfig),
    imageConfig: message(() => imageConfig),
    mediaResolution: enumeration('GenerationConfig.MediaResolution', mediaResolutions),
    routingConfig: anyJson,
    audioTimestamp: scalar('TYPE_BOOL'),
  },
};

const safetySetting: MessageDescriptor = {
  name: 'SafetySetting',
  fields: {
    category: scalar('TYPE_STRING'),
    threshold: scalar('TYPE_STRING'),
    method: scalar('TYPE_STRING'),
  },
};

export const generateContentRequestMessage: MessageDescriptor = {
  name: 'GenerateContentRequest',
  fields: {
    model: scalar('TYPE_STRING'),
    systemInstruction: message(() => contentMessage),
    contents: message(() => contentMessage, true),
    tools: { ...anyJson, repeated: true },
    toolConfig: anyJson,
    safetySettings: message(() => safetySetting, true),
    generationConfig: message(() => generationConfig),
    cachedContent: scalar('TYPE_STRING'),
    labels: anyJson,
    serviceTier: scalar('TYPE_STRING'),
    store: scalar('TYPE_BOOL'),
  },
};

export const countTokensRequestMessage: MessageDescriptor = {
  name: 'CountTokensRequest',
  fields: {
    contents: message(() => contentMessage, true),
    generateContentRequest: message(() => generateContentRequestMessage),
  },
};

const inlinedRequest: MessageDescriptor = {
  name: 'InlinedRequest',
  fields: { request: message(() => generateContentRequestMessage), metadata: anyJson },
};

const inlinedRequests: MessageDescriptor = {
  name: 'InlinedRequests',
  fields: { requests: message(() => inlinedRequest, true) },
};

const inputConfig: MessageDescriptor = {
  name: 'InputConfig',
  fields: { fileName: scalar('TYPE_STRING'), requests: message(() => inlinedRequests) },
};

const generateContentBatch: MessageDescriptor = {
  name: 'GenerateContentBatch',
  fields: {
    model: scalar('TYPE_STRING'),
    name: scalar('TYPE_STRING'),
    displayName: scalar('TYPE_STRING'),
    inputConfig: message(() => inputConfig),
    output: anyJson,
    createTime: scalar('TYPE_STRING'),
    endTime: scalar('TYPE_STRING'),
    updateTime: scalar('TYPE_STRING'),
    batchStats: anyJson,
    state: scalar('TYPE_STRING'),
    priority: scalar('TYPE_INT64'),
    /** Sent by `@google/genai` 3.x (reference 1.8). */
    webhookConfig: anyJson,
  },
};

/** One line of a JSONL batch input file (reference 1.8): `{"key": …, "request": {…}}`. */
export const batchFileLineMessage: MessageDescriptor = {
  name: 'BatchFileLine',
  fields: {
    key: scalar('TYPE_STRING'),
    request: message(() => generateContentRequestMessage),
    metadata: anyJson,
  },
};

/** The body of `models/{id}:batchGenerateContent`: the whole batch, inline requests included. */
export const batchGenerateContentRequestMessage: MessageDescriptor = {
  name: 'BatchGenerateContentRequest',
  fields: { model: scalar('TYPE_STRING'), batch: message(() => generateContentBatch) },
};

/** The package type errors name: `type.googleapis.com/google.ai.generativelanguage.v1beta`. */
export function typeUrlPrefix(platform: Platform, version: ApiVersion): string {
  const protoPackage = platform === 'vertex-ai' ? 'google.cloud.aiplatform' : 'google.ai.generativelanguage';
  return `type.googleapis.com/${protoPackage}.${version}`;
}
