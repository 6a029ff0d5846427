import type { Catalog } from '../catalog/index.js';
import type { ImagegateConfig } from '../config/index.js';
import { InvalidInputError } from '../errors/index.js';
import { flowModelUsages, type FlowModelUsage } from '../flows/index.js';
import type { CliIo } from './cli-io.js';
import { openServerStore, type ServerStoreFlags } from './server-store.js';

/**
 * The models every published flow version in the server's store uses, for `guard`: the data directory's
 * SQLite file, or PostgreSQL when the config or environment says so (as `imagegate serve` decides). A
 * data directory that does not exist has no flows: that is not an error for a report about models.
 */
export async function publishedFlowUsages(
  io: CliIo,
  flags: Pick<ServerStoreFlags, 'dataDir' | 'config'>,
  config: ImagegateConfig,
  catalog: Catalog,
): Promise<FlowModelUsage[]> {
  let opened;
  try {
    opened = await openServerStore(io, flags, { create: false });
  } catch (error) {
    if (error instanceof InvalidInputError && error.field === 'dataDir') return [];
    throw error;
  }
  try {
    return flowModelUsages(await opened.flows.allVersions(), config, catalog);
  } finally {
    await opened.close();
  }
}
