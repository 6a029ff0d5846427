import type { Catalog } from '../catalog/index.js';
import type { ImagegateConfig } from '../config/index.js';
import { flowModelUsages, SqliteFlowStore, type FlowModelUsage } from '../flows/index.js';
import { MissingDataDirectoryError, openDataDirectory } from '../tasks/index.js';
import type { CliIo } from './cli-io.js';

/**
 * The models every published flow version in a data directory uses, for `guard`. A directory without a
 * database has no flows: that is not an error for a report about models.
 */
export async function publishedFlowUsages(
  io: CliIo,
  dataDirectory: string,
  config: ImagegateConfig,
  catalog: Catalog,
): Promise<FlowModelUsage[]> {
  let data;
  try {
    data = openDataDirectory(dataDirectory, { cwd: io.cwd, create: false });
  } catch (error) {
    if (error instanceof MissingDataDirectoryError) return [];
    throw error;
  }
  try {
    return flowModelUsages(await new SqliteFlowStore(data.handle).allVersions(), config, catalog);
  } finally {
    data.handle.close();
  }
}
