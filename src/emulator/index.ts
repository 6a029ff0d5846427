export { createEmulator, type Emulator, type EmulatorOptions } from './create-emulator.js';
export { startEmulator, type RunningEmulator, type StartEmulatorOptions } from './start-emulator.js';
export {
  parseApiPath,
  apiVersions,
  type ApiVersion,
  type ApiOperation,
  type ParsedApiPath,
} from './api-path.js';
export {
  googleErrorBody,
  serializeGoogleError,
  canonicalStatusByHttpStatus,
  detailTypes,
  type GoogleErrorBody,
  type ErrorDetail,
  type ErrorHttpStatus,
  type CanonicalStatus,
} from './google-error.js';
export {
  EmulatorClock,
  EmulatorStats,
  Faults,
  parseScenario,
  loadScenarioFile,
  scenarioSchema,
  ScenarioError,
  type Scenario,
  type ScenarioInput,
  type StatsSnapshot,
} from './faults/index.js';
export { FfmpegNotFoundError, ffmpegMissingMessage, locateFfmpeg } from './art/index.js';
