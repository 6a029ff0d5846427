import { z } from 'zod';
import { badRequest, EmulatorApiError, fileNotAccessible, invalidArgument } from '../api-errors.js';
import { resourceBaseUrl, type ApiCall, type EmulatorState } from '../emulator-state.js';
import { parseRequest, protoFieldPath } from '../generate-request.js';
import { jsonResponse } from '../json-response.js';
import { servedModel } from '../model-availability.js';
import { paginate } from '../pagination.js';
import { checkProtoJson, parseProtoJson } from '../proto-json.js';
import {
  batchFileLineMessage,
  batchGenerateContentRequestMessage,
  typeUrlPrefix,
} from '../request-messages.js';
import { generateBatchResults } from './batch-generation.js';
import { finalBatchStates, type BatchItem, type BatchItemResult, type StoredBatch } from './batch-store.js';

/**
 * The Batch API (reference 1.8): create with inline requests or a JSONL file, get, list, cancel and
 * delete. A job is a long-running Operation whose `metadata` holds everything the SDK reads.
 */

/** Inline batch requests must stay under 20 MB in total. */
export const maxInlineBatchBytes = 20 * 1024 * 1024;

const batchTypeUrl = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch';
const batchOutputTypeUrl =
  'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput';

const createBodySchema = z.looseObject({
  batch: z.looseObject({
    displayName: z.string().optional(),
    inputConfig: z
      .looseObject({
        requests: z
          .looseObject({
            requests: z
              .array(z.looseObject({ request: z.looseObject({}), metadata: z.unknown().optional() }))
              .min(1),
          })
          .optional(),
        fileName: z.string().optional(),
      })
      .refine((config) => (config.requests === undefined) !== (config.fileName === undefined), {
        message: 'exactly one of input_config.requests and input_config.file_name must be set',
      }),
  }),
});

const jsonlLineSchema = z.looseObject({ key: z.string().optional(), request: z.looseObject({}) });

function itemsFromFile(call: ApiCall, fileName: string): BatchItem[] {
  const fileId = fileName.replace(/^files\//, '');
  const file = call.state.files.get(fileId);
  if (!file) throw fileNotAccessible(fileId);
  const lines = Buffer.from(file.bytes).toString('utf8').split('\n');
  const items: BatchItem[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw invalidArgument(`Invalid JSON on line ${index + 1} of files/${fileId}.`);
    }
    const { problems, message: parsed } =
      typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        ? parseProtoJson(
            batchFileLineMessage,
            raw as Record<string, unknown>,
            typeUrlPrefix(call.path.platform, call.path.version),
          )
        : { problems: [], message: raw };
    if (problems.length > 0) {
      throw invalidArgument(
        problems.map((problem) => `Line ${index + 1} of files/${fileId}: ${problem.description}`).join('\n'),
        [badRequest(problems)],
      );
    }
    const item = jsonlLineSchema.safeParse(parsed);
    if (!item.success) {
      const issue = item.error.issues[0]!;
      throw invalidArgument(
        `Line ${index + 1} of files/${fileId}: '${protoFieldPath(issue.path)}' ${issue.message}.`,
      );
    }
    items.push({
      request: item.data.request,
      ...(item.data.key !== undefined ? { metadata: { key: item.data.key } } : {}),
    });
  });
  if (items.length === 0) throw invalidArgument(`files/${fileId} holds no batch requests.`);
  return items;
}

function batchStats(
  items: number,
  state: string,
  results: BatchItemResult[] | undefined,
): Record<string, string> {
  if (state === 'BATCH_STATE_SUCCEEDED' && results) {
    const failed = results.filter((result) => 'error' in result).length;
    return {
      requestCount: String(items),
      successfulRequestCount: String(items - failed),
      ...(failed > 0 ? { failedRequestCount: String(failed) } : {}),
    };
  }
  return { requestCount: String(items), pendingRequestCount: String(items) };
}

function outputOf(batch: StoredBatch): Record<string, unknown> | undefined {
  if (!batch.results) return undefined;
  if (batch.outputKind === 'file') return { responsesFile: `files/batch-${batch.id}` };
  return { inlinedResponses: { inlinedResponses: batch.results } };
}

/** The Operation JSON; `includeResults: false` for list, which does not return inlined responses. */
function operationJson(
  state: EmulatorState,
  batch: StoredBatch,
  includeResults: boolean,
): Record<string, unknown> {
  const batchState = state.batches.stateOf(batch);
  const done = finalBatchStates.has(batchState);
  const nowMs = state.clock.nowMs();
  const endTimeMs = state.batches.endTimeMs(batch);
  const output = includeResults ? outputOf(batch) : undefined;
  return {
    name: `batches/${batch.id}`,
    metadata: {
      '@type': batchTypeUrl,
      name: `batches/${batch.id}`,
      model: `models/${batch.modelId}`,
      ...(batch.displayName !== undefined ? { displayName: batch.displayName } : {}),
      createTime: new Date(batch.createTimeMs).toISOString(),
      updateTime: new Date(done ? endTimeMs : nowMs).toISOString(),
      ...(done ? { endTime: new Date(endTimeMs).toISOString() } : {}),
      batchStats: batchStats(batch.items.length, batchState, batch.results),
      state: batchState,
      ...(output ? { output } : {}),
    },
    done,
    ...(done && output ? { response: { '@type': batchOutputTypeUrl, ...output } } : {}),
  };
}

/** Computes a finished batch's results once, when it is first read after its end. */
async function settle(state: EmulatorState, batch: StoredBatch): Promise<void> {
  if (batch.results || state.batches.stateOf(batch) !== 'BATCH_STATE_SUCCEEDED') return;
  const results = await generateBatchResults(state, batch);
  if (batch.results) return;
  batch.results = results;
  if (batch.outputKind === 'file') {
    const lines = results.map((result) => JSON.stringify({ key: keyOf(result.metadata), ...result }));
    state.files.add({
      id: `batch-${batch.id}`,
      mimeType: 'application/jsonl',
      bytes: Buffer.from(`${lines.join('\n')}\n`),
      source: 'GENERATED',
      resourceBaseUrl: batch.resourceBaseUrl,
    });
  }
}

function keyOf(metadata: unknown): unknown {
  return typeof metadata === 'object' && metadata !== null && 'key' in metadata ? metadata.key : undefined;
}

function existingBatch(call: ApiCall, batchId: string): StoredBatch {
  const batch = call.state.batches.get(batchId);
  if (!batch) throw new EmulatorApiError(404, `Batch batches/${batchId} not found.`);
  return batch;
}

export function handleBatchCreate(call: ApiCall, modelId: string): Response {
  const bareId = modelId.replace(/^models\//, '');
  servedModel(call.state.catalog, bareId, call.path, call.state.clock.nowMs(), 'batchGenerateContent');
  // The front end parses the whole create body, inline requests included, before the batch exists.
  const message = checkProtoJson(
    batchGenerateContentRequestMessage,
    call.json,
    typeUrlPrefix(call.path.platform, call.path.version),
  );
  const body = parseRequest(createBodySchema, message);
  const inputConfig = body.batch.inputConfig;
  if (inputConfig.requests && call.rawBody.byteLength > maxInlineBatchBytes) {
    throw invalidArgument(
      `Inline batch requests total ${call.rawBody.byteLength} bytes; the limit is ${maxInlineBatchBytes}. Use a JSONL file instead.`,
    );
  }
  const items: BatchItem[] = inputConfig.requests
    ? inputConfig.requests.requests.map((item) => ({
        request: item.request,
        ...(item.metadata !== undefined ? { metadata: item.metadata } : {}),
      }))
    : itemsFromFile(call, inputConfig.fileName!);
  const batch = call.state.batches.add({
    modelId: bareId,
    displayName: body.batch.displayName,
    items,
    outputKind: inputConfig.requests ? 'inline' : 'file',
    resourceBaseUrl: resourceBaseUrl(call),
    ...(call.apiKey !== undefined ? { apiKey: call.apiKey } : {}),
  });
  return jsonResponse(operationJson(call.state, batch, true));
}

export async function handleBatchGet(call: ApiCall, batchId: string): Promise<Response> {
  const batch = existingBatch(call, batchId);
  await settle(call.state, batch);
  return jsonResponse(operationJson(call.state, batch, true));
}

export async function handleBatchList(call: ApiCall): Promise<Response> {
  const page = paginate(
    call.state.batches.list(),
    {
      pageSize: call.url.searchParams.get('pageSize') ?? undefined,
      pageToken: call.url.searchParams.get('pageToken') ?? undefined,
    },
    { defaultPageSize: 50, maxPageSize: 1000 },
  );
  for (const batch of page.items) await settle(call.state, batch);
  return jsonResponse({
    operations: page.items.map((batch) => operationJson(call.state, batch, false)),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

export function handleBatchCancel(call: ApiCall, batchId: string): Response {
  const batch = existingBatch(call, batchId);
  const state = call.state.batches.stateOf(batch);
  if (finalBatchStates.has(state)) {
    throw new EmulatorApiError(
      400,
      `batches/${batchId} has already finished (${state}) and cannot be cancelled.`,
      {
        status: 'FAILED_PRECONDITION',
      },
    );
  }
  batch.cancelledAtMs = call.state.clock.nowMs();
  return jsonResponse({});
}

export function handleBatchDelete(call: ApiCall, batchId: string): Response {
  existingBatch(call, batchId);
  call.state.batches.delete(batchId);
  return jsonResponse({});
}
