import { EmulatorApiError, modelNotFound, pathNotFound } from './api-errors.js';
import { parseApiPath, type ApiOperation, type ParsedApiPath } from './api-path.js';
import { authenticate } from './auth.js';
import {
  handleBatchCancel,
  handleBatchCreate,
  handleBatchDelete,
  handleBatchGet,
  handleBatchList,
} from './batches/batch-routes.js';
import { promptOf } from './call-prompt.js';
import type { ApiCall, EmulatorState } from './emulator-state.js';
import type { CallContext, EmulatedMethod } from './faults/index.js';
import {
  handleFileDelete,
  handleFileDownload,
  handleFileGet,
  handleFileList,
  handleUpload,
} from './files/files-routes.js';
import { handleCountTokens, handleGenerateContent, handleStreamGenerateContent } from './generate-routes.js';
import { apiErrorResponse, googleErrorResponse } from './json-response.js';
import { handleModelsGet, handleModelsList } from './models-routes.js';
import { camelCaseKeys, parseJsonObject, readBodyBytes } from './request-body.js';

/**
 * One API request from start to finish: route, authenticate, read the body, ask the scenario whether
 * to fail the call, wait the emulated latency, answer, and count the outcome in the stats.
 */

function operationModelId(operation: ApiOperation): string | undefined {
  return 'modelId' in operation ? operation.modelId.replace(/^models\//, '') : undefined;
}

function isUploadChunk(path: ParsedApiPath, url: URL): boolean {
  return path.operation.method === 'files.upload' && url.searchParams.has('upload_id');
}

async function route(call: ApiCall, context: CallContext): Promise<Response> {
  const operation = call.path.operation;
  switch (operation.method) {
    case 'models.list':
      return handleModelsList(call);
    case 'models.get':
      return handleModelsGet(call, operation.modelId);
    case 'generateContent':
      return handleGenerateContent(call, operation.modelId, context);
    case 'streamGenerateContent':
      return handleStreamGenerateContent(call, operation.modelId, context);
    case 'countTokens':
      return handleCountTokens(call, operation.modelId);
    case 'batchGenerateContent':
      if (call.path.platform === 'vertex-ai')
        throw modelNotFound(operation.modelId, call.path.version, 'batchGenerateContent');
      return handleBatchCreate(call, operation.modelId);
    case 'unsupported-model-method':
      throw modelNotFound(operation.modelId.replace(/^models\//, ''), call.path.version, operation.verb);
    case 'files.upload':
      return handleUpload(call);
    case 'files.list':
      return handleFileList(call);
    case 'files.get':
      return handleFileGet(call, operation.fileId);
    case 'files.delete':
      return handleFileDelete(call, operation.fileId);
    case 'files.download':
      return handleFileDownload(call, operation.fileId);
    case 'batches.list':
      return handleBatchList(call);
    case 'batches.get':
      return handleBatchGet(call, operation.batchId);
    case 'batches.cancel':
      return handleBatchCancel(call, operation.batchId);
    case 'batches.delete':
      return handleBatchDelete(call, operation.batchId);
  }
}

/** Destroys the client's socket when served by @hono/node-server; elsewhere there is no socket to cut. */
function resetConnection(environment: unknown): Response {
  const socket = (environment as { incoming?: { socket?: { destroy(): void } } } | undefined)?.incoming
    ?.socket;
  if (!socket)
    throw new Error(
      'connection-reset fault: no Node socket to destroy (the app is not served by @hono/node-server)',
    );
  socket.destroy();
  // Nothing reaches the client; Hono still wants a Response.
  return new Response(null, { status: 200 });
}

/** A 200 whose body stops half-way: the JSON (or SSE stream) cannot be parsed. */
async function truncate(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(bytes.subarray(0, Math.floor(bytes.byteLength / 2)), { status: 200, headers });
}

interface Answer {
  response: Response;
  outcome: string;
}

async function answer(
  state: EmulatorState,
  request: Request,
  environment: unknown,
  url: URL,
  path: ParsedApiPath,
): Promise<Answer> {
  const streaming = path.operation.method === 'streamGenerateContent';
  const modelId = operationModelId(path.operation);
  const method = path.operation.method === 'unsupported-model-method' ? undefined : path.operation.method;
  try {
    const credential = authenticate(
      {
        header: (name) => request.headers.get(name) ?? undefined,
        keyQueryParameter: url.searchParams.get('key') ?? undefined,
      },
      state.invalidApiKeys,
      state.acceptedApiKeys(),
    );
    const apiKey = credential.kind === 'api-key' ? credential.apiKey : undefined;
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const rawBody = hasBody ? await readBodyBytes(request, state.maxRequestBytes) : new Uint8Array();
    const json =
      hasBody && !isUploadChunk(path, url)
        ? parseJsonObject(rawBody, request.headers.get('content-type'))
        : {};
    const body = camelCaseKeys(json) as Record<string, unknown>;
    const call: ApiCall = { state, request, url, path, json, body, rawBody, apiKey, outcome: 'ok' };
    if (!method)
      return {
        response: await route(call, { platform: path.platform, method: 'generateContent' }),
        outcome: 'ok',
      };
    const prompt = promptOf(body);
    const context: CallContext = {
      platform: path.platform,
      method: method as EmulatedMethod,
      ...(modelId !== undefined ? { modelId } : {}),
      ...(prompt !== undefined ? { prompt } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
    };
    const fault = state.faults.beforeCall(context);
    if (fault?.kind === 'error') {
      return {
        response: googleErrorResponse(fault.httpStatus, fault.body, { streaming, headers: fault.headers }),
        outcome: String(fault.httpStatus),
      };
    }
    if (fault?.kind === 'connection-reset')
      return { response: resetConnection(environment), outcome: 'connection-reset' };
    const latencyMs = state.faults.latencyMs(context);
    if (latencyMs > 0) {
      const waited = await state.clock.sleep(latencyMs, request.signal).then(
        () => true,
        () => false,
      );
      // The caller hung up during the emulated latency: nobody reads the answer.
      if (!waited) throw new EmulatorApiError(499, 'The operation was cancelled.');
    }
    const response = await route(call, context);
    if (fault?.kind === 'truncated-body')
      return { response: await truncate(response), outcome: 'truncated-body' };
    return { response, outcome: call.outcome };
  } catch (error) {
    if (error instanceof EmulatorApiError) {
      return { response: apiErrorResponse(error, { streaming }), outcome: String(error.httpStatus) };
    }
    throw error;
  }
}

/** Handles any request outside `/_emulator`. Unexpected errors propagate to the app's 500 handler. */
export async function handleApiRequest(
  state: EmulatorState,
  request: Request,
  environment: unknown,
): Promise<Response> {
  const url = new URL(request.url);
  const path = parseApiPath(request.method, url.pathname);
  if (!path) return apiErrorResponse(pathNotFound(request.method, url.pathname));
  const { response, outcome } = await answer(state, request, environment, url, path);
  if (path.operation.method !== 'unsupported-model-method') {
    state.stats.record(operationModelId(path.operation), path.operation.method, outcome);
  }
  return response;
}
