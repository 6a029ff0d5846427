import { findModel, type Catalog, type Platform } from '../catalog/index.js';
import type { TaskRecord } from '../tasks/index.js';
import { deprecationHeaders } from './deprecation-headers.js';

/**
 * `Location` of the task, plus `Deprecation`/`Sunset`/`Link` when the model that served it (or, before
 * it has run, the model expected to serve it) has an announced shutdown date.
 */
export function taskHeaders(
  task: TaskRecord,
  catalog: Catalog,
  expected?: { modelId: string; platform: Platform },
): Record<string, string> {
  const target = task.servedBy ?? expected;
  const model = target ? findModel(catalog, target.modelId) : undefined;
  return {
    Location: `/v1/tasks/${task.id}`,
    ...(model && target ? deprecationHeaders(model, target.platform) : {}),
  };
}
