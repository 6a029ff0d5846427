import type { BlobStore } from '../../blobs/index.js';
import type { Clock } from '../../clock/index.js';
import { generationParametersOf, type ImageRequest } from '../../request/index.js';
import type { Registry, Route } from '../../registry/index.js';
import { newTaskId, type TaskRecord, type TaskRequest, type TaskStore } from '../../tasks/index.js';
import type { ImageCostEstimate } from '../../tools/cost/index.js';
import type { BlobOwnership } from '../auth/index.js';
import { enforceMonthlyBudget, monthlyTaskBudget, rethrowBudgetExceeded } from '../monthly-budget.js';
import type { GenerationSubmission } from '../request-body.js';
import { isFinal, waitForTask, type TaskChangeSource } from '../wait-for-task.js';
import { openAiErrorForTask } from './openai-error.js';
import type { OpenAiGenerate, OpenAiImages } from './openai-routes.js';

export interface OpenAiTaskRunnerOptions {
  store: TaskStore;
  blobs: BlobStore;
  registry: Registry;
  clock: Clock;
  events: TaskChangeSource & { notify(taskId: string): void };
  /** The same estimate `POST /v1/images/generations` reserves. */
  estimateCost: (route: Route, submission: GenerationSubmission) => ImageCostEstimate;
  /** Spend cap for all keys together per UTC month. Default: none. */
  globalMonthlyBudgetUsd?: number | undefined;
  /** Called once the task is committed (the server wakes its worker). */
  onTaskSubmitted?: ((taskId: string) => void) | undefined;
  owners?: BlobOwnership | undefined;
  /** How often the wait re-reads the store without an event. Default 1000 ms. */
  pollIntervalMs?: number;
}

/**
 * The OpenAI-compatible endpoints answer synchronously, but run as tasks: the request is committed as a
 * task of the caller's key (reserving its budget in the same transaction as `/v1` submits do), the
 * worker runs it with retries and fallbacks, and the answer waits for the task. So their spend is
 * recorded, counted and capped like every other task's, and they show in `GET /v1/tasks`.
 */
export function openAiTaskRunner(options: OpenAiTaskRunnerOptions): OpenAiGenerate {
  const { store, clock } = options;
  return async (request, model, signal, caller) => {
    const route = options.registry.resolve(model);
    const submission = submissionOf(request, model);
    const estimate = options.estimateCost(route, submission);
    const estimatedCostUsd = 'costUsd' in estimate ? estimate.costUsd : undefined;
    const key = caller.apiKey;
    // Before the references are stored: a refused request costs nothing.
    await enforceMonthlyBudget({
      store,
      key,
      estimatedUsd: estimatedCostUsd,
      ...('missingPrice' in estimate ? { missingPrice: estimate.missingPrice } : {}),
      nowMs: clock.nowMs(),
      globalMonthlyBudgetUsd: options.globalMonthlyBudgetUsd,
    });
    const references = [];
    for (const media of request.referenceImages) {
      const stored = await options.blobs.put(media.bytes, media.mimeType);
      await options.owners?.add(stored.sha256, key?.id);
      references.push({ sha256: stored.sha256, mimeType: media.mimeType });
    }
    const taskRequest: TaskRequest = {
      model,
      prompt: request.prompt,
      ...generationParametersOf(request),
      references,
      history: [],
    };
    const nowMs = clock.nowMs();
    const { task } = await store
      .create(
        {
          id: newTaskId(nowMs),
          request: taskRequest,
          metadata: { source: 'openai' },
          ...(key ? { apiKeyId: key.id } : {}),
          ...(estimatedCostUsd !== undefined ? { estimatedCostUsd } : {}),
          createdAtMs: nowMs,
        },
        undefined,
        nowMs,
        monthlyTaskBudget(key, options.globalMonthlyBudgetUsd, nowMs),
      )
      .catch((error: unknown) => rethrowBudgetExceeded(error, key, nowMs));
    options.onTaskSubmitted?.(task.id);
    const final = await untilFinal(task.id, signal, options);
    if (final.status !== 'success' || !final.result) throw openAiErrorForTask(final);
    return imagesOf(final, options.blobs);
  };
}

/** Waits for the task; a client that hangs up cancels it, so nothing is spent for nobody. */
async function untilFinal(
  taskId: string,
  signal: AbortSignal | undefined,
  options: OpenAiTaskRunnerOptions,
): Promise<TaskRecord> {
  for (;;) {
    const task = await waitForTask(taskId, 60_000, {
      store: options.store,
      events: options.events,
      clock: options.clock,
      ...(signal ? { signal } : {}),
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    });
    if (!task) throw new Error(`Task ${taskId} disappeared while its OpenAI-compatible request waited.`);
    if (isFinal(task)) return task;
    if (signal?.aborted) {
      await options.store.requestCancel(taskId, options.clock.nowMs());
      options.events.notify(taskId);
      return (await options.store.get(taskId)) ?? task;
    }
  }
}

async function imagesOf(task: TaskRecord, blobs: BlobStore): Promise<OpenAiImages> {
  const images = await Promise.all(
    (task.result?.images ?? []).map(async (image) => {
      const blob = await blobs.get(image.sha256);
      if (!blob) throw new Error(`Image ${image.sha256} of task ${task.id} is missing from the blob store.`);
      return { bytes: blob.bytes, mimeType: image.mimeType, width: image.width, height: image.height };
    }),
  );
  return {
    images,
    servedBy: {
      platform: task.servedBy?.platform ?? 'gemini-api',
      modelId: task.servedBy?.modelId ?? task.request.model,
    },
    usage: {
      promptTokens: task.usage?.promptTokens ?? 0,
      totalTokens: task.usage?.totalTokens ?? 0,
    },
  };
}

/** The part of a `/v1` submission the cost estimate reads. */
function submissionOf(request: ImageRequest, model: string): GenerationSubmission {
  return {
    model,
    prompt: request.prompt,
    ...generationParametersOf(request),
    images: [],
    history: [],
    metadata: {},
  };
}
