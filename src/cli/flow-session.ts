import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BlobStore } from '../blobs/index.js';
import { builtInCatalog } from '../catalog/index.js';
import { Imagegate } from '../client/index.js';
import { systemClock } from '../clock/index.js';
import { resolveDeploymentSettings, type ImagegateConfig } from '../config/index.js';
import {
  catalogTaskCostEstimator,
  FlowInputError,
  FlowLibrary,
  FlowRunner,
  nodeCacheLimits,
  registryModelNames,
  SqliteFlowStore,
  type FlowModelNames,
  type FlowRunEvent,
  type StoreImageInput,
} from '../flows/index.js';
import { sniffImageMimeType } from '../media/index.js';
import { Registry } from '../registry/index.js';
import { storeReferences } from '../server/index.js';
import {
  imagegateTaskRunner,
  openDataDirectory,
  SqliteTaskStore,
  TaskEventHub,
  TaskWorker,
} from '../tasks/index.js';
import type { CliIo } from './cli-io.js';
import { dataDirectoryFromFlags } from './data-directory-flag.js';
import { loadCliConfig } from './load-cli-config.js';

export interface FlowSession {
  config: ImagegateConfig;
  library: FlowLibrary;
  store: SqliteFlowStore;
  runner: FlowRunner;
  blobs: BlobStore;
  models: FlowModelNames;
  storeImageInput: StoreImageInput;
  /** Starts the in-process worker (only commands that run flows need it). */
  startWorker(): void;
  close(): Promise<void>;
}

/**
 * Flows on the embedded store: the data directory `imagegate serve` uses (so a flow pushed here is the
 * server's), the engine (the built-in emulator when no key is set) and an in-process task worker. Every
 * model call is a task in that directory, exactly as on the server.
 */
export async function openFlowSession(
  io: CliIo,
  flags: { dataDir?: string | undefined; config?: string | undefined },
  onEvent?: (event: FlowRunEvent) => void,
): Promise<FlowSession> {
  const clock = systemClock;
  const catalog = builtInCatalog();
  const { config } = await loadCliConfig(io, flags.config, catalog);
  if (resolveDeploymentSettings(config.server, io.env).store.kind === 'postgres') {
    // The servers keep their flows in PostgreSQL; this process works on its own data directory only.
    io.stderr(
      'note: the configured store is postgres, where the servers keep their flows; without --server this works on the local data directory, which they do not read\n',
    );
  }
  const data = openDataDirectory(await dataDirectoryFromFlags(io, flags), { cwd: io.cwd });
  const tasks = new SqliteTaskStore(data.handle, { clock, closeDatabase: false });
  const blobs = new BlobStore({ directory: data.blobs });
  let imagegate: Imagegate | undefined;
  let worker: TaskWorker | undefined;
  const events = new TaskEventHub();
  const engine = async () =>
    (imagegate ??= await Imagegate.create({
      config,
      env: io.env,
      clock,
      catalog,
      onNotice: (line) => io.stderr(`${line}\n`),
    }));
  const store = new SqliteFlowStore(data.handle, { clock, nodeCache: nodeCacheLimits(config) });
  const registry = new Registry({ config, catalog, clock });
  const models = registryModelNames(registry);
  const library = new FlowLibrary({ store, config, catalog, clock, models });
  const runner = new FlowRunner({
    store,
    tasks,
    clock,
    taskEvents: events,
    onTaskCreated: () => worker?.wake(),
    cancelTask: (taskId) => worker?.cancel(taskId),
    estimateTaskCost: catalogTaskCostEstimator(registry),
    pollIntervalMs: 50,
    ...(onEvent ? { onEvent } : {}),
  });
  const storeImageInput: StoreImageInput = async (value, field) => {
    if (/^(file_|data:|https:)/.test(value)) {
      const stored = await storeReferences([value], field, {
        blobs,
        allowPrivateNetworks: config.server.allowPrivateNetworks,
        maxImageBytes: config.server.maxUploadImageBytes,
      });
      const [image] = stored.references;
      if (!image) throw new FlowInputError(field, 'expected an image, got a video');
      return image;
    }
    // On the command line an image input may also be a local file.
    const bytes = await readFile(resolve(io.cwd, value)).catch(() => {
      throw new FlowInputError(field, `cannot read the file "${value}"`);
    });
    const mimeType = sniffImageMimeType(bytes);
    if (!mimeType) throw new FlowInputError(field, `"${value}" is not a PNG, JPEG, WebP or HEIC image`);
    const stored = await blobs.put(bytes, mimeType);
    return { sha256: stored.sha256, mimeType };
  };
  return {
    config,
    library,
    store,
    runner,
    blobs,
    models,
    storeImageInput,
    startWorker() {
      if (worker) return;
      void engine().then((ready) => {
        worker = new TaskWorker({
          store: tasks,
          blobs,
          run: imagegateTaskRunner(ready),
          clock,
          events,
          concurrency: config.server.workerConcurrency,
          pollIntervalMs: 50,
        });
        worker.start();
      });
    },
    async close() {
      await runner.detach();
      await worker?.stop({ graceMs: 0 });
      await imagegate?.close();
      await tasks.close();
      data.handle.close();
    },
  };
}
