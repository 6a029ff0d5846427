export {
  configSchema,
  parameterPolicySchema,
  fallbackOutcomeSchema,
  defaultFallbackOn,
  defaultRetryBudget,
  defaultTotalBudgetMs,
  defaultRetentionDays,
  defaultNodeCacheMaxEntries,
  looksLikeSecret,
  serverConfigSchema,
} from './config-schema.js';
export type {
  ImagegateConfig,
  ImagegateConfigInput,
  ParameterPolicy,
  FallbackOutcome,
  RouteConfig,
  RouteCandidateConfig,
  ModelLimitConfig,
  ServerConfig,
  FlowsConfig,
} from './config-schema.js';
export { defaultConfig } from './default-config.js';
export { ConfigError, formatConfigIssue } from './config-error.js';
export type { ConfigIssue } from './config-error.js';
export { loadConfig, defaultConfigFileName, configPathEnvironmentVariable } from './load-config.js';
export type { LoadConfigOptions } from './load-config.js';
export { parseConfig, builtInDefaultsSource } from './parse-config.js';
export type { LoadedConfig, ParseConfigOptions } from './parse-config.js';
export { configJsonSchema } from './config-json-schema.js';
export { expandRoute, defaultPlatform } from './route-graph.js';
export type { ExpandedCandidate, RouteExpansion } from './route-graph.js';
export { describeLifecycle, isPreviewStage, isWithinWarningWindow } from './lifecycle-wording.js';
export { didYouMean, suggestLogicalNames } from './validate-config.js';
export {
  storeConfigSchema,
  blobsConfigSchema,
  coordinationConfigSchema,
  postgresUrlSchema,
  redisUrlSchema,
  type StoreConfig,
  type BlobsConfig,
  type CoordinationConfig,
} from './deployment-config-schema.js';
export {
  resolveDeploymentSettings,
  describeDeployment,
  describeStore,
  deploymentEnvironmentVariables,
  DeploymentSettingsError,
  type DeploymentSettings,
} from './deployment-settings.js';
export { parseYamlSource } from './yaml-source.js';
export type { YamlSource } from './yaml-source.js';
export { formatFieldPath } from './field-path.js';
export type { FieldPath } from './field-path.js';
