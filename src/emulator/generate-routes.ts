import type { CatalogModel, Platform } from '../catalog/index.js';
import { invalidArgument } from './api-errors.js';
import type { ApiCall, EmulatorState } from './emulator-state.js';
import type { CallContext } from './faults/index.js';
import { countTokensRequestSchema, generateContentRequestSchema, parseRequest } from './generate-request.js';
import { completeResponse, draftResponse, type ResponseDraft } from './generation.js';
import { planGeneration } from './generation-plan.js';
import { jsonResponse } from './json-response.js';
import { servedModel } from './model-availability.js';
import type { GenerateContentResponse } from './response-shape.js';
import { responseIdFor } from './response-ids.js';
import { sseContentType, sseStream } from './stream.js';
import { textGenerationDraft } from './text-generation.js';
import { promptTokens } from './token-estimate.js';
import { checkProtoJson, type MessageDescriptor } from './proto-json.js';
import {
  countTokensRequestMessage,
  generateContentRequestMessage,
  typeUrlPrefix,
} from './request-messages.js';

/** generateContent, streamGenerateContent and countTokens, plus the generation step batches reuse. */

/**
 * Validates one GenerateContentRequest body against the model and settles the answer (everything but the
 * pixels), applying the scenario's safety verdict and silent size downgrade for this call.
 */
async function draftGeneration(
  state: EmulatorState,
  input: { model: CatalogModel; platform: Platform; body: unknown; context: CallContext },
): Promise<ResponseDraft> {
  const request = parseRequest(generateContentRequestSchema, input.body);
  if (input.model.modality === 'text') {
    return textGenerationDraft(input.model, request, {
      responseId: responseIdFor(state.nextResponseNumber()),
      platform: input.platform,
      nowMs: state.clock.nowMs(),
    });
  }
  const plan = planGeneration({ model: input.model, platform: input.platform, request, files: state.files });
  const safetyVerdict = state.faults.safetyVerdict(input.context);
  const servedImageSize = plan.imageSize
    ? state.faults.servedImageSize(input.context, plan.imageSize)
    : undefined;
  return draftResponse(plan, {
    responseId: responseIdFor(state.nextResponseNumber()),
    platform: input.platform,
    nowMs: state.clock.nowMs(),
    environment: state.environment,
    contents: request.contents,
    systemInstruction: request.systemInstruction,
    ...(plan.seed === undefined ? { unseededDraw: state.faults.nextUnseededDraw() } : {}),
    ...(safetyVerdict ? { safetyVerdict } : {}),
    ...(servedImageSize && servedImageSize !== plan.imageSize ? { servedImageSize } : {}),
  });
}

/** One whole generateContent answer (generateContent itself and every batch request). */
export async function runGeneration(
  state: EmulatorState,
  input: { model: CatalogModel; platform: Platform; body: unknown; context: CallContext },
): Promise<GenerateContentResponse> {
  return completeResponse(await draftGeneration(state, input));
}

/** `ok`, `block-prompt:<reason>`, or the first finish reason other than STOP. */
export function generationOutcome(
  response: Pick<GenerateContentResponse, 'promptFeedback'> & {
    candidates?: readonly { finishReason: string }[];
  },
): string {
  if (response.promptFeedback) return `block-prompt:${response.promptFeedback.blockReason}`;
  return response.candidates?.find((candidate) => candidate.finishReason !== 'STOP')?.finishReason ?? 'ok';
}

/** Refuses unknown fields and mistyped values as Google's JSON parser does, before anything else. */
function protoBody(call: ApiCall, descriptor: MessageDescriptor): Record<string, unknown> {
  return checkProtoJson(descriptor, call.json, typeUrlPrefix(call.path.platform, call.path.version));
}

export async function handleGenerateContent(
  call: ApiCall,
  modelId: string,
  context: CallContext,
): Promise<Response> {
  const model = servedModel(call.state.catalog, modelId, call.path, call.state.clock.nowMs());
  const body = protoBody(call, generateContentRequestMessage);
  const response = await runGeneration(call.state, {
    model,
    platform: call.path.platform,
    body,
    context,
  });
  call.outcome = generationOutcome(response);
  return jsonResponse(response);
}

export async function handleStreamGenerateContent(
  call: ApiCall,
  modelId: string,
  context: CallContext,
): Promise<Response> {
  if (call.url.searchParams.get('alt') !== 'sse') {
    // Without alt=sse the real server answers a JSON array of chunks; the SDK always asks for SSE.
    throw invalidArgument('streamGenerateContent in the emulator needs the query parameter alt=sse.');
  }
  const model = servedModel(
    call.state.catalog,
    modelId,
    call.path,
    call.state.clock.nowMs(),
    'streamGenerateContent',
  );
  const body = protoBody(call, generateContentRequestMessage);
  const draft = await draftGeneration(call.state, { model, platform: call.path.platform, body, context });
  call.outcome = generationOutcome(draft);
  const state = call.state;
  const events = sseStream(draft, {
    ...state.faults.streamPacing(context),
    sleep: (durationMs, signal) => state.clock.sleep(durationMs, signal),
  });
  // No Content-Length: @hono/node-server then sends the events with chunked transfer, as they come.
  return new Response(events, {
    status: 200,
    headers: { 'content-type': sseContentType, 'cache-control': 'no-cache' },
  });
}

export function handleCountTokens(call: ApiCall, modelId: string): Response {
  const model = servedModel(call.state.catalog, modelId, call.path, call.state.clock.nowMs(), 'countTokens');
  const body = parseRequest(countTokensRequestSchema, protoBody(call, countTokensRequestMessage));
  const contents = body.contents ?? body.generateContentRequest?.contents;
  if (!contents || contents.length === 0) throw invalidArgument('contents is not specified');
  const counted = promptTokens(contents, body.generateContentRequest?.systemInstruction, model);
  return jsonResponse({ totalTokens: counted.total, promptTokensDetails: counted.details });
}
