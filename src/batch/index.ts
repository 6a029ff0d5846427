export { BatchLane, type BatchLaneOptions } from './batch-lane.js';
export {
  BatchJobStore,
  type BatchJob,
  type BatchJobItem,
  type BatchJobView,
  type BatchItemState,
  batchItemStates,
} from './batch-job-store.js';
export {
  batchDeadline,
  defaultBatchDeadlineMs,
  maxBatchDeadlineMs,
  minBatchDeadlineMs,
  onlineMarginMs,
  type BatchDeadline,
} from './batch-deadline.js';
export {
  LocalBatchLane,
  type LocalBatchLaneOptions,
  type LocalBatchLaneSettings,
  type LocalBatchRequest,
} from './local-batch-lane.js';
