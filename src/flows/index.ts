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
