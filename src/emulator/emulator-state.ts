import type { Catalog } from '../catalog/index.js';
import type { ParsedApiPath } from './api-path.js';
import type { BatchStore } from './batches/batch-store.js';
import type { EmulatorClock, EmulatorStats, Faults } from './faults/index.js';
import type { FileStore } from './files/file-store.js';
import type { ResumableUploads } from './files/resumable-upload.js';

/** Everything one emulator instance holds; handlers read and change it through this. */
export interface EmulatorState {
  catalog: Catalog;
  clock: EmulatorClock;
  faults: Faults;
  stats: EmulatorStats;
  files: FileStore;
  uploads: ResumableUploads;
  batches: BatchStore;
  /** Largest request body accepted, in bytes. */
  maxRequestBytes: number;
  /** API keys answered with 400 API_KEY_INVALID. */
  invalidApiKeys: ReadonlySet<string>;
  /**
   * The only API keys accepted (the option's and the live scenario's `apiKeys` together), or undefined when
   * neither lists any: then every key not in `invalidApiKeys` is accepted.
   */
  acceptedApiKeys(): ReadonlySet<string> | undefined;
  /** Overrides the origin (`http://host:port`) used in upload URLs and file URIs. */
  publicBaseUrl: string | undefined;
  /** Where ffmpeg is looked up for video frames. */
  environment: NodeJS.ProcessEnv;
  /** Counts generation responses, to derive reproducible response IDs. */
  nextResponseNumber(): number;
}

/** One API call as the handlers see it. */
export interface ApiCall {
  state: EmulatorState;
  request: Request;
  url: URL;
  path: ParsedApiPath;
  /** The JSON body as sent (snake_case or camelCase keys), or `{}` for calls without one. */
  json: Record<string, unknown>;
  /** The JSON body with camelCase keys, or `{}` for calls without one. */
  body: Record<string, unknown>;
  /** The raw body bytes (upload chunks). */
  rawBody: Uint8Array;
  /** The caller's API key, when it used one. */
  apiKey: string | undefined;
  /** How the call ended, for the stats: `ok` unless a handler says otherwise (e.g. `IMAGE_SAFETY`). */
  outcome: string;
}

/** `{origin}{prefix}/{version}`: where this call's resources (file URIs) live. */
export function resourceBaseUrl(call: Pick<ApiCall, 'state' | 'url' | 'path'>): string {
  return `${publicOrigin(call)}${call.path.prefix}/${call.path.version}`;
}

export function publicOrigin(call: Pick<ApiCall, 'state' | 'url'>): string {
  return (call.state.publicBaseUrl ?? call.url.origin).replace(/\/+$/, '');
}
