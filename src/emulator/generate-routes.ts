import type { CatalogModel, Platform } from '../catalog/schema.js';
import { invalidArgument } from './api-errors.js';
import type { ApiCall, EmulatorState } from './emulator-state.js';
import type { CallContext } from './faults/index.js';
import { countTokensRequestSchema, generateContentRequestSchema, parseRequest } from './generate-request.js';
import { generateContentResponse } from './generation.js';
import { planGeneration } from './generation-plan.js';
import { jsonResponse } from './json-response.js';
import { servedModel } from './model-availability.js';
import type { GenerateContentResponse } from './response-shape.js';
import { responseIdFor } from './response-ids.js';
import { sseBody, sseContentType } from './stream.js';
import { textGenerationResponse } from './text-generation.js';
import { promptTokens } from './token-estimate.js';

/** generateContent, streamGenerateContent and countTokens, plus the generation step batches reuse. */

/**
 * Validates one GenerateContentRequest body against the model and answers it, applying the scenario's
 * safety verdict and silent size downgrade for this call.
 */
export async function runGeneration(
  state: EmulatorState,
  input: { model: CatalogModel; platform: Platform; body: unknown; context: CallContext },
): Promise<GenerateContentResponse> {
  const request = parseRequest(generateContentRequestSchema, input.body);
  if (input.model.modality === 'text') {
    return textGenerationResponse(input.model, request, {
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
  return generateContentResponse(plan, {
    responseId: responseIdFor(state.nextResponseNumber()),
    platform: input.platform,
    nowMs: state.clock.nowMs(),
    contents: request.contents,
    systemInstruction: request.systemInstruction,
    ...(safetyVerdict ? { safetyVerdict } : {}),
    ...(servedImageSize && servedImageSize !== plan.imageSize ? { servedImageSize } : {}),
  });
}

/** `ok`, `block-prompt:<reason>`, or the first finish reason other than STOP. */
export function generationOutcome(response: GenerateContentResponse): string {
  if (response.promptFeedback) return `block-prompt:${response.promptFeedback.blockReason}`;
  return response.candidates?.find((candidate) => candidate.finishReason !== 'STOP')?.finishReason ?? 'ok';
}

export async function handleGenerateContent(
  call: ApiCall,
  modelId: string,
  context: CallContext,
): Promise<Response> {
  const model = servedModel(call.state.catalog, modelId, call.path, call.state.clock.nowMs());
  const response = await runGeneration(call.state, {
    model,
    platform: call.path.platform,
    body: call.body,
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
  const response = await runGeneration(call.state, {
    model,
    platform: call.path.platform,
    body: call.body,
    context,
  });
  call.outcome = generationOutcome(response);
  return new Response(sseBody(response), {
    status: 200,
    headers: { 'content-type': sseContentType, 'cache-control': 'no-cache' },
  });
}

export function handleCountTokens(call: ApiCall, modelId: string): Response {
  const model = servedModel(call.state.catalog, modelId, call.path, call.state.clock.nowMs(), 'countTokens');
  const body = parseRequest(countTokensRequestSchema, call.body);
  const contents = body.contents ?? body.generateContentRequest?.contents;
  if (!contents || contents.length === 0) throw invalidArgument('contents is not specified');
  const counted = promptTokens(contents, body.generateContentRequest?.systemInstruction, model);
  return jsonResponse({ totalTokens: counted.total, promptTokensDetails: counted.details });
}
