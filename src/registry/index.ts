export { Registry } from './registry.js';
export type { RegistryOptions, ResolveOptions } from './registry.js';
export type {
  RetryBudget,
  ParameterPolicy,
  RoutePolicy,
  RouteCandidate,
  Route,
  ModelLimits,
} from './route.js';
export { routePolicyFor } from './route-policy.js';
export { UnknownModelError, NoUsableCandidateError } from './resolve-errors.js';
export { adaptRequest, nearestImageSize, nearestAspectRatio } from './adapt-request.js';
export type { AdaptedRequest } from './adapt-request.js';
export { credentialsFromConfig, readCredentials, defaultVertexLocation } from './credentials.js';
export type {
  GeminiApiCredentials,
  VertexAiCredentials,
  PlatformCredentials,
  CredentialValues,
} from './credentials.js';
