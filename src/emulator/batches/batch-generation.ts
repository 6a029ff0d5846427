import { EmulatorApiError } from '../api-errors.js';
import type { EmulatorState } from '../emulator-state.js';
import { runGeneration } from '../generate-routes.js';
import { servedModel } from '../model-availability.js';
import { promptOf } from '../call-prompt.js';
import type { BatchItemResult, StoredBatch } from './batch-store.js';

/**
 * Runs every request of a finished batch through the same generation path as generateContent. A
 * request that fails validation, or that the scenario's `batches.itemErrors` fails, becomes an `error`
 * entry in its place, keeping request order; a model shut down while the batch ran fails every item with
 * the real 404.
 */
export async function generateBatchResults(
  state: EmulatorState,
  batch: StoredBatch,
): Promise<BatchItemResult[]> {
  const endTimeMs = state.batches.endTimeMs(batch);
  const results: BatchItemResult[] = [];
  for (const item of batch.items) {
    const metadata = item.metadata !== undefined ? { metadata: item.metadata } : {};
    const prompt = promptOf(item.request);
    const injected = state.faults.batchItemFault({
      platform: 'gemini-api',
      modelId: batch.modelId,
      ...(prompt ? { prompt } : {}),
      ...(batch.apiKey !== undefined ? { apiKey: batch.apiKey } : {}),
    });
    if (injected?.kind === 'error') {
      results.push({ error: injected.body.error, ...metadata });
      continue;
    }
    try {
      const model = servedModel(
        state.catalog,
        batch.modelId,
        { platform: 'gemini-api', version: 'v1beta' },
        endTimeMs,
        'batchGenerateContent',
      );
      const response = await runGeneration(state, {
        model,
        platform: 'gemini-api',
        body: item.request,
        context: {
          platform: 'gemini-api',
          modelId: batch.modelId,
          method: 'batchGenerateContent',
          ...(prompt ? { prompt } : {}),
        },
      });
      results.push({ response, ...metadata });
    } catch (error) {
      if (!(error instanceof EmulatorApiError)) throw error;
      results.push({ error: error.body.error, ...metadata });
    }
  }
  return results;
}
