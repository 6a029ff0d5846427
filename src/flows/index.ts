export * from './flow-document-schema.js';
export { findReferences, parseReference, renderTemplate, type FlowReference } from './flow-references.js';
export { formatFlowProblem, InvalidFlowError, previewValue, type FlowProblem } from './flow-problem.js';
export { registryModelNames, type FlowModelNames, type ModelCheck } from './flow-models.js';
export {
  validateFlowDocument,
  validateFlowObject,
  upstreamOf,
  type FlowValidation,
} from './validate-flow-document.js';
export { canonicalJson, flowContent, flowContentHash, sha256Hex } from './canonical-json.js';
export { flowJsonSchema } from './flow-json-schema.js';
export * from './flow-run-record.js';
export { FlowNotFoundError, FlowStateError, localAccess, mayAccess, type FlowAccess } from './flow-access.js';
export { FlowLibrary, type FlowLibraryOptions } from './flow-library.js';
export { patchFlowSource } from './flow-source.js';
export { diffFlowDocuments, formatFlowChanges, type FlowChange } from './diff-flow-documents.js';
export { lifecycleProblems, modelsOfName, type LifecycleCheckOptions } from './publish-checks.js';
export {
  FlowVersionConflictError,
  RunIdempotencyConflictError,
  type CachedNodeOutput,
  type FlowRunFilter,
  type FlowStore,
  type FlowVersion,
  type NewFlowVersion,
  type NodeCacheWrite,
  type StoredFlow,
} from './flow-store.js';
export { SqliteFlowStore } from './sqlite-flow-store.js';
export { PostgresFlowStore, type PostgresFlowStoreOptions } from './postgres-flow-store.js';
export { nodeCacheLimits, type NodeCacheLimits } from './node-cache-limits.js';
export { newFlowRunId } from './flow-run-id.js';
export {
  FlowRunner,
  lostRuns,
  nodeSignature,
  sharedFlowResumeIntervalMs,
  variantCount,
  type FlowRunEvent,
  type FlowRunnerOptions,
  type StartRunRequest,
} from './flow-runner.js';
export {
  catalogTaskCostEstimator,
  assumedTextOutputTokens,
  type EstimateTaskCost,
} from './estimate-node-cost.js';
export {
  blobImageInputs,
  FlowInputError,
  parseFlowInputs,
  storeImageInputs,
  type StoreImageInput,
} from './flow-inputs.js';
export { promoteRun, promotedDocument, type PromoteRequest } from './promote-run.js';
export { variantGroups, type VariantGroup } from './ab-groups.js';
export { flowModelUsages, type FlowModelUsage } from './flow-model-usages.js';
