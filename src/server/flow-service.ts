import type { BlobStore } from '../blobs/index.js';
import type { Catalog } from '../catalog/index.js';
import type { Clock } from '../clock/index.js';
import type { ImagegateConfig } from '../config/index.js';
import {
  catalogTaskCostEstimator,
  FlowLibrary,
  FlowRunner,
  registryModelNames,
  type FlowRun,
  type FlowStore,
  type StoreImageInput,
} from '../flows/index.js';
import type { Registry } from '../registry/index.js';
import { TaskEventHub, type TaskStore } from '../tasks/index.js';
import { invalidRequest } from '../http/index.js';
import { storeReferences } from './reference-media.js';
import { flowRunView, type FlowRoutesOptions } from './routes/flows.js';

export interface FlowServiceOptions {
  /** Where flows live: beside the tasks, in SQLite or PostgreSQL (see openServerStorage). */
  store: FlowStore;
  tasks: TaskStore;
  blobs: BlobStore;
  registry: Registry;
  config: ImagegateConfig;
  catalog: Catalog;
  clock: Clock;
  /** The local worker's task notifications, so node waits wake at once. */
  taskEvents?: TaskEventHub;
  onTaskCreated?: (taskId: string) => void;
  cancelTask?: (taskId: string) => void;
  /** Told when driving a run failed (the store was unreachable); the run is carried on by a later resume. */
  onError?: (error: unknown) => void;
  /** Called with the run and its API view once a run is final (the server sends the webhook). */
  onRunFinished?: (run: FlowRun, view: ReturnType<typeof flowRunView>) => void;
  pollIntervalMs?: number;
  /**
   * The clock runs are timed, polled and waited on. Default: `clock`. Tests judge lifecycle on a manual
   * clock and let waits run on the system clock.
   */
  waitClock?: Clock;
  /** Whether the server runs a batch lane, so image nodes may use `lane: batch`. */
  batchLane?: boolean;
}

export interface FlowService {
  routes: FlowRoutesOptions;
  runner: FlowRunner;
  library: FlowLibrary;
  store: FlowStore;
  /** Carries on runs a previous process left running; returns their ids. */
  resume(): Promise<string[]>;
  /** Stops driving runs (they stay running in the store for the next start). */
  detach(): Promise<void>;
}

/** Flows wired onto the server's stores: the pieces `flowRoutes` needs, and resume/detach for start and stop. */
export function createFlowService(options: FlowServiceOptions): FlowService {
  const { store } = options;
  const models = registryModelNames(options.registry);
  const library = new FlowLibrary({
    store,
    config: options.config,
    catalog: options.catalog,
    clock: options.clock,
    models,
  });
  const runEvents = new TaskEventHub();
  const waitClock = options.waitClock ?? options.clock;
  const runner = new FlowRunner({
    store,
    tasks: options.tasks,
    clock: waitClock,
    ...(options.taskEvents ? { taskEvents: options.taskEvents } : {}),
    ...(options.onTaskCreated ? { onTaskCreated: options.onTaskCreated } : {}),
    ...(options.cancelTask ? { cancelTask: options.cancelTask } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
    estimateTaskCost: catalogTaskCostEstimator(options.registry),
    batchLane: options.batchLane ?? false,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    onEvent: (event) => runEvents.notify(event.runId),
    onRunFinished: (run, nodes) => options.onRunFinished?.(run, flowRunView(run, nodes)),
  });
  const storeImageInput: StoreImageInput = async (value, field) => {
    const stored = await storeReferences([value], field, {
      blobs: options.blobs,
      allowPrivateNetworks: options.config.server.allowPrivateNetworks,
      maxImageBytes: options.config.server.maxUploadImageBytes,
    });
    const [image] = stored.references;
    if (!image) throw invalidRequest(`${field}: expected an image, got a video`, field);
    return image;
  };
  return {
    routes: {
      library,
      runner,
      store,
      models,
      storeImageInput,
      runEvents,
      tasks: options.tasks,
      globalMonthlyBudgetUsd: options.config.server.monthlyBudgetUsd,
      clock: waitClock,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    },
    runner,
    library,
    store,
    resume: () => runner.resume(),
    detach: () => runner.detach(),
  };
}
