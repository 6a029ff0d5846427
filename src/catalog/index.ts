export {
  platformSchema,
  platforms,
  stageSchema,
  aspectRatioSchema,
  imageSizeSchema,
  isoDateSchema,
  UNKNOWN,
  factSchema,
  pixelSizeSchema,
  platformLifecycleSchema,
  capabilitiesSchema,
  pricingSchema,
  catalogModelSchema,
  catalogSchema,
} from './schema.js';
export type {
  Platform,
  Stage,
  AspectRatio,
  ImageSize,
  Fact,
  PixelSize,
  PlatformLifecycle,
  Capabilities,
  Pricing,
  CatalogModel,
  Catalog,
} from './schema.js';
export { builtInCatalog, loadCatalog } from './load-catalog.js';
export {
  knownValue,
  bareModelId,
  findModel,
  allModelIds,
  lifecycleOn,
  outputPixelSize,
  suggestModelIds,
  nearestNames,
  editDistance,
} from './queries.js';
export type { LifecycleStatus } from './queries.js';
export { catalogConsistencyProblems } from './catalog-consistency.js';
export type { CatalogProblem } from './catalog-consistency.js';
export {
  catalogSummaryColumns,
  catalogSummaryRows,
  catalogSummaryMarkdown,
  NOT_OFFERED,
  NONE_ANNOUNCED,
} from './catalog-summary.js';
export type { CatalogSummaryRow } from './catalog-summary.js';
export { defaultRoutes } from './data/default-routes.js';
