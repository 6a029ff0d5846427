import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { BlobStore } from '../../blobs/index.js';
import type { Catalog } from '../../catalog/index.js';
import type { Clock } from '../../clock/index.js';
import type { Registry, Route } from '../../registry/index.js';
import { generationParametersOf, type ConversationContent } from '../../request/index.js';
import { batchDeadline } from '../../batch/index.js';
import { storedMediaSha256, storeInlineMedia } from '../../tasks/index.js';
import { newTaskId } from '../../tasks/index.js';
import type { TaskRecord, TaskRequest } from '../../tasks/index.js';
import type { ImageCostEstimate } from '../../tools/cost/index.js';
import type { TaskStore } from '../../tasks/index.js';
import { invalidRequest } from '../../http/index.js';
import { errorResponses, taskSchema } from '../api-schemas.js';
import { callerScope, type BlobOwnership, type CallerScope } from '../auth/index.js';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../../http/index.js';
import { enforceMonthlyBudget, monthlyTaskBudget, rethrowBudgetExceeded } from '../monthly-budget.js';
import { openApiRouter } from '../openapi-router.js';
import { storeReferences } from '../reference-media.js';
import { canonicalSubmission, generationBodySchema, type GenerationSubmission } from '../request-body.js';
import { taskHeaders } from '../task-headers.js';
import { taskView } from '../task-view.js';
import { isFinal, waitForTask, type TaskChangeSource } from '../wait-for-task.js';

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Longest `?wait` in seconds. */
export const MAX_WAIT_SECONDS = 60;

export interface GenerationRoutesOptions {
  store: TaskStore;
  blobs: BlobStore;
  registry: Registry;
  catalog: Catalog;
  clock: Clock;
  events: TaskChangeSource;
  /** Let https references reach private addresses. Default false. */
  allowPrivateNetworks?: boolean;
  /** Largest reference image in bytes. Default: the library's limit. */
  maxImageBytes?: number;
  /** Spend cap for all keys together per UTC month. Default: none. */
  globalMonthlyBudgetUsd?: number | undefined;
  /** Called once a new task is committed (the server wakes its idle worker). Default: nothing. */
  onTaskSubmitted?: ((taskId: string) => void) | undefined;
  /**
   * Cost estimate from catalog prices, or the price that is missing (named when a budget refuses the
   * task). Default: no estimate.
   */
  estimateCost?: (route: Route, submission: GenerationSubmission) => ImageCostEstimate;
  /** How often `?wait` re-reads the store without an event. Default 1000 ms. */
  waitPollIntervalMs?: number;
  /** Blob ownership: file ids must be the caller's, stored references become the caller's. Default: unchecked. */
  owners?: BlobOwnership | undefined;
  /** A batch lane runs in this server, so `lane: "batch"` is accepted. Default false (refused with a 400). */
  batchLane?: boolean | undefined;
}

const submitGeneration = createRoute({
  method: 'post',
  path: '/v1/images/generations',
  summary: 'Submit an image generation or edit; answers 202 with a queued task',
  request: {
    headers: z.object({
      'idempotency-key': z.string().min(1).max(MAX_IDEMPOTENCY_KEY_LENGTH).optional().openapi({
        description: 'The same key and body return the same task for 24 h; another body is 409.',
      }),
    }),
    query: z.object({
      wait: z.coerce
        .number()
        .min(0)
        .max(MAX_WAIT_SECONDS)
        .optional()
        .openapi({
          description: `Hold the request up to this many seconds (0-${MAX_WAIT_SECONDS}) for the finished task.`,
        }),
    }),
    body: { required: true, content: { 'application/json': { schema: generationBodySchema } } },
  },
  responses: {
    200: { description: 'Finished within ?wait', content: { 'application/json': { schema: taskSchema } } },
    202: {
      description: 'Queued (or still running after ?wait)',
      content: { 'application/json': { schema: taskSchema } },
    },
    ...errorResponses(400, 401, 409, 413, 415, 429, 503),
  },
});

/** `POST /v1/images/generations`: validate, resolve, store references, commit the task, answer 202. */
export function generationRoutes(options: GenerationRoutesOptions) {
  const { store, registry, catalog, clock } = options;
  return openApiRouter().openapi(submitGeneration, async (c) => {
    const body = c.req.valid('json');
    const { wait } = c.req.valid('query');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const canonical = canonicalSubmission(body);
    if ('error' in canonical) throw canonical.error;
    const { submission } = canonical;
    if (submission.lane === 'batch' && !options.batchLane) {
      throw invalidRequest(
        'This server runs no batch lane (it needs a Gemini API key for the Batch API); send lane "online" or leave it out.',
        'lane',
      );
    }
    const batchWindow =
      submission.lane === 'batch' ? batchDeadline(clock.nowMs(), submission.deadlineMs) : undefined;
    if (batchWindow && 'error' in batchWindow)
      throw invalidRequest(`deadline: ${batchWindow.error}.`, 'deadline');
    const route = registry.resolve(submission.model);
    const apiKey = c.get('apiKey');
    const apiKeyId = apiKey?.id;
    const claim = idempotencyKey
      ? { key: `${apiKeyId ?? 'anonymous'}:${idempotencyKey}`, requestHash: requestHash(submission) }
      : undefined;
    /** Checks the budget, stores the references and commits the task (a concurrent twin may win). */
    const commitTask = async (): Promise<{ task: TaskRecord; created: boolean }> => {
      const estimate = options.estimateCost?.(route, submission);
      const estimatedCostUsd = estimate && 'costUsd' in estimate ? estimate.costUsd : undefined;
      // Before any reference is fetched: a refused request costs nothing.
      await enforceMonthlyBudget({
        store,
        key: apiKey,
        estimatedUsd: estimatedCostUsd,
        ...(estimate && 'missingPrice' in estimate ? { missingPrice: estimate.missingPrice } : {}),
        nowMs: clock.nowMs(),
        globalMonthlyBudgetUsd: options.globalMonthlyBudgetUsd,
      });
      const media = await storeReferences(submission.images, body.images ? 'images' : 'reference_images', {
        blobs: options.blobs,
        allowPrivateNetworks: options.allowPrivateNetworks ?? false,
        ...(options.maxImageBytes !== undefined ? { maxImageBytes: options.maxImageBytes } : {}),
        ...(options.owners ? { owners: { owners: options.owners, scope: callerScope(c) } } : {}),
      });
      const request: TaskRequest = {
        model: submission.model,
        prompt: submission.prompt,
        ...generationParametersOf(submission),
        references: media.references,
        ...(media.video ? { video: media.video } : {}),
        history: await storedHistory(
          submission.history,
          options.blobs,
          options.owners ? { owners: options.owners, scope: callerScope(c) } : undefined,
        ),
      };
      const nowMs = clock.nowMs();
      // The early check above cannot see concurrent submits; the store reserves atomically.
      const budget = monthlyTaskBudget(apiKey, options.globalMonthlyBudgetUsd, nowMs);
      return store
        .create(
          {
            id: newTaskId(nowMs),
            request,
            metadata: submission.metadata,
            ...(submission.webhookUrl ? { webhookUrl: submission.webhookUrl } : {}),
            ...(apiKeyId ? { apiKeyId } : {}),
            ...(estimatedCostUsd !== undefined ? { estimatedCostUsd } : {}),
            createdAtMs: nowMs,
            ...(batchWindow ? { batch: batchWindow } : {}),
          },
          claim ? { ...claim, expiresAtMs: nowMs + IDEMPOTENCY_WINDOW_MS } : undefined,
          nowMs,
          budget,
        )

        .catch((error: unknown) => rethrowBudgetExceeded(error, apiKey, nowMs));
    };
    // A retried submit gets its task back as it is: no second budget check, no second download.
    const replayed = claim ? await store.findIdempotent(claim, clock.nowMs()) : undefined;
    const created = replayed ? { task: replayed, created: false } : await commitTask();
    if (created.created) options.onTaskSubmitted?.(created.task.id);
    else c.header('Idempotent-Replayed', 'true');
    const task =
      wait !== undefined && wait > 0
        ? ((await waitForTask(created.task.id, Math.round(wait * 1000), {
            store,
            events: options.events,
            clock,
            signal: c.req.raw.signal,
            ...(options.waitPollIntervalMs !== undefined
              ? { pollIntervalMs: options.waitPollIntervalMs }
              : {}),
          })) ?? created.task)
        : created.task;
    const primary = route.candidates[0];
    for (const [name, value] of Object.entries(
      taskHeaders(
        task,
        catalog,
        primary ? { modelId: primary.modelId, platform: primary.platform } : undefined,
      ),
    )) {
      c.header(name, value);
    }
    return isFinal(task) ? c.json(taskView(task), 200) : c.json(taskView(task), 202);
  });
}

/**
 * Earlier turns as the task keeps them: image bytes moved to the blob store (and owned by the caller),
 * references checked now, so a wrong one is a 400 at submit rather than a failed task later. A reference
 * to an image the caller's key does not own gets the same answer as one nobody stored.
 */
async function storedHistory(
  history: readonly ConversationContent[],
  blobs: BlobStore,
  ownership: { owners: BlobOwnership; scope: CallerScope } | undefined,
): Promise<ConversationContent[]> {
  for (const [contentIndex, content] of history.entries()) {
    for (const [partIndex, part] of content.parts.entries()) {
      const sha256 = storedMediaSha256(part);
      if (!sha256) continue;
      const reachable = ownership ? await ownership.owners.reachable(ownership.scope, sha256) : true;
      if (!reachable || !(await blobs.has(sha256))) {
        throw invalidRequest(
          `No stored image ${sha256.slice(0, 12)}… on this server: send the image inline (inlineData) or submit the turn that made it here.`,
          `contents[${contentIndex}].parts[${partIndex}].fileData.fileUri`,
        );
      }
    }
  }
  return storeInlineMedia(history, {
    put: async (bytes, mimeType) => {
      const stored = await blobs.put(bytes, mimeType);
      await ownership?.owners.add(stored.sha256, ownership.scope.keyId);
      return stored;
    },
  });
}

/** SHA-256 of the canonical submission (aliases resolved, keys sorted), so `size` and `aspect_ratio` agree. */
export function requestHash(submission: GenerationSubmission): string {
  return createHash('sha256').update(stableJson(submission)).digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${stableJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
