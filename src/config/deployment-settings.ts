import { z } from 'zod';
import {
  blobsConfigSchema,
  coordinationConfigSchema,
  storeConfigSchema,
  type BlobsConfig,
  type CoordinationConfig,
  type StoreConfig,
} from './deployment-config-schema.js';
import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

export interface DeploymentSettings {
  store: StoreConfig;
  blobs: BlobsConfig;
  coordination: CoordinationConfig;
}

/** The environment variables that override `server.store`, `server.blobs` and `server.coordination`. */
export const deploymentEnvironmentVariables = {
  store: 'IMAGEGATE_STORE',
  postgresUrl: 'IMAGEGATE_POSTGRES_URL',
  postgresSchema: 'IMAGEGATE_POSTGRES_SCHEMA',
  postgresMigrate: 'IMAGEGATE_POSTGRES_MIGRATE',
  blobs: 'IMAGEGATE_BLOBS',
  s3Bucket: 'IMAGEGATE_S3_BUCKET',
  s3Endpoint: 'IMAGEGATE_S3_ENDPOINT',
  s3Region: 'IMAGEGATE_S3_REGION',
  s3ForcePathStyle: 'IMAGEGATE_S3_FORCE_PATH_STYLE',
  s3Prefix: 'IMAGEGATE_S3_PREFIX',
  coordination: 'IMAGEGATE_COORDINATION',
  redisUrl: 'IMAGEGATE_REDIS_URL',
  redisKeyPrefix: 'IMAGEGATE_REDIS_KEY_PREFIX',
} as const;

/** Thrown for a bad override; names the variable and what it allows. */
export class DeploymentSettingsError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_config', message, options);
  }
}

const booleanText = z.enum(['true', 'false']).transform((value) => value === 'true');

/**
 * The config's deployment sections with the environment's overrides applied, validated again as a whole:
 * a kind set by variable takes its fields from variables (or from the config when it names the same kind).
 */
export function resolveDeploymentSettings(
  configured: Partial<DeploymentSettings>,
  env: NodeJS.ProcessEnv,
): DeploymentSettings {
  const names = deploymentEnvironmentVariables;
  const read = (name: string) => (env[name] === undefined || env[name] === '' ? undefined : env[name]);
  const bool = (name: string) => {
    const value = read(name);
    if (value === undefined) return undefined;
    const parsed = booleanText.safeParse(value);
    if (!parsed.success)
      throw new DeploymentSettingsError(`${name}=${JSON.stringify(value)}: allowed: true, false.`);
    return parsed.data;
  };

  const storeKind = read(names.store) ?? configured.store?.kind ?? 'sqlite';
  const storeBase = configured.store?.kind === storeKind ? configured.store : {};
  const store = parse(storeConfigSchema, `${names.store} / server.store`, {
    ...storeBase,
    kind: storeKind,
    ...defined({
      url: read(names.postgresUrl),
      schema: read(names.postgresSchema),
      migrate: bool(names.postgresMigrate),
    }),
    ...(storeKind === 'sqlite' ? { url: undefined, schema: undefined, migrate: undefined } : {}),
  });

  const blobsKind = read(names.blobs) ?? configured.blobs?.kind ?? 'file';
  const blobsBase = configured.blobs?.kind === blobsKind ? configured.blobs : {};
  const blobs = parse(blobsConfigSchema, `${names.blobs} / server.blobs`, {
    ...blobsBase,
    kind: blobsKind,
    ...(blobsKind === 's3'
      ? defined({
          bucket: read(names.s3Bucket),
          endpoint: read(names.s3Endpoint),
          region: read(names.s3Region),
          forcePathStyle: bool(names.s3ForcePathStyle),
          prefix: read(names.s3Prefix),
        })
      : {}),
  });

  const coordinationKind = read(names.coordination) ?? configured.coordination?.kind ?? 'local';
  const coordinationBase = configured.coordination?.kind === coordinationKind ? configured.coordination : {};
  const coordination = parse(coordinationConfigSchema, `${names.coordination} / server.coordination`, {
    ...coordinationBase,
    kind: coordinationKind,
    ...(coordinationKind === 'redis'
      ? defined({ url: read(names.redisUrl), keyPrefix: read(names.redisKeyPrefix) })
      : {}),
  });
  return { store, blobs, coordination };
}

/** One line for `imagegate serve`: what it uses, without passwords. */
export function describeDeployment(settings: DeploymentSettings): string {
  const store = describeStore(settings.store);
  const blobs =
    settings.blobs.kind === 's3'
      ? `s3 bucket ${settings.blobs.bucket}${settings.blobs.endpoint ? ` at ${settings.blobs.endpoint}` : ''}`
      : 'files (data directory)';
  const coordination =
    settings.coordination.kind === 'redis' ? `redis ${redactUrl(settings.coordination.url)}` : 'local';
  return `store: ${store}; blobs: ${blobs}; coordination: ${coordination}`;
}

/** The task store in a few words, without passwords (`postgres postgres://user:***@host/db`). */
export function describeStore(store: StoreConfig): string {
  return store.kind === 'postgres' ? `postgres ${redactUrl(store.url)}` : 'sqlite (data directory)';
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function parse<T>(schema: z.ZodType<T>, where: string, input: Record<string, unknown>): T {
  const cleaned = defined(input);
  const parsed = schema.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || 'kind';
  const value = field === 'kind' ? cleaned.kind : cleaned[String(issue.path[0])];
  throw new DeploymentSettingsError(
    `${where}: ${field} ${JSON.stringify(value)} is invalid: ${issue.message}${
      issue.code === 'invalid_union' ? ' (kinds: see docs/deployment.md)' : ''
    }.`,
  );
}
