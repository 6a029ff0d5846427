export { emulatedMethodSchema, type CallContext, type EmulatedMethod } from './call-context.js';
export { createControlRoutes, type ControlRouteDependencies } from './control-routes.js';
export { EmulatorClock } from './emulator-clock.js';
export { EmulatorStats, type ModelStats, type StatsSnapshot } from './emulator-stats.js';
export type { BlockedFinishReason, BlockReason, InjectedFault, SafetyVerdict } from './fault-kinds.js';
export { Faults, type FaultsOptions } from './faults.js';
export { loadScenarioFile, parseScenario } from './parse-scenario.js';
export { ScenarioError, type ScenarioProblem } from './scenario-error.js';
export {
  batchEndSchema,
  scenarioSchema,
  type BatchEnd,
  type Scenario,
  type ScenarioInput,
} from './scenario-schema.js';
export { parseDurationMs } from './duration.js';
