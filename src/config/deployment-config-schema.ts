import { z } from 'zod';

/*
 * Where `imagegate serve` keeps tasks and images and how instances share limits: the embedded defaults
 * (SQLite, local files, in-process) for one instance, or PostgreSQL, S3 and Redis for several. Secrets
 * never go here: PostgreSQL and Redis read passwords from their URL given by environment variable
 * (IMAGEGATE_POSTGRES_URL, IMAGEGATE_REDIS_URL) or PGPASSWORD; S3 uses the AWS SDK's usual sources.
 */

export const postgresUrlSchema = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'a postgres:// or postgresql:// URL, e.g. postgres://user@host:5432/db');
export const redisUrlSchema = z
  .string()
  .max(2_048)
  .regex(/^rediss?:\/\/.+/, 'a redis:// or rediss:// URL, e.g. redis://host:6379');

export const storeConfigSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sqlite') }),
    z.strictObject({
      kind: z.literal('postgres'),
      url: postgresUrlSchema.describe('Connection URL; the password is better left to PGPASSWORD.'),
      schema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter or _')
        .optional()
        .describe("Tables live in this schema. Default: the server's search_path (public)."),
      migrate: z
        .boolean()
        .default(false)
        .describe('Run pending migrations at start (else run "imagegate migrate" first). Default false.'),
      poolSize: z
        .number()
        .int()
        .min(1)
        .max(200)
        .default(10)
        .describe('Connections per instance. Default 10.'),
    }),
  ])
  .default({ kind: 'sqlite' })
  .describe('Task store: sqlite (in the data directory, one machine) or postgres (several instances).');

export const blobsConfigSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file') }),
    z.strictObject({
      kind: z.literal('s3'),
      bucket: z.string().min(3, 'a bucket name (3 to 63 characters)').max(63, 'at most 63 characters'),
      endpoint: z.url('an http:// or https:// URL').optional().describe('For MinIO, R2, Ceph… Default: AWS.'),
      region: z.string().min(1).default('us-east-1').describe('Default us-east-1.'),
      forcePathStyle: z
        .boolean()
        .default(false)
        .describe('Address the bucket in the path (MinIO and most non-AWS servers need it). Default false.'),
      prefix: z
        .string()
        .regex(/^([A-Za-z0-9._-]+\/)*$/, 'folder names ending in /, e.g. imagegate/')
        .default('')
        .describe('Put before every key. Default none.'),
    }),
  ])
  .default({ kind: 'file' })
  .describe('Image blobs: file (in the data directory) or s3 (any S3-compatible bucket).');

export const coordinationConfigSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('local') }),
    z.strictObject({
      kind: z.literal('redis'),
      url: redisUrlSchema,
      keyPrefix: z
        .string()
        .max(100)
        .regex(/^[A-Za-z0-9_:.-]*$/, 'letters, digits and _ : . -')
        .default('imagegate:')
        .describe(
          'Put before every Redis key, so several deployments (or test runs) can share one Redis. Default imagegate:.',
        ),
    }),
  ])
  .default({ kind: 'local' })
  .describe(
    'What instances share in real time (per-key rate limits, per-model quotas and circuit breakers): local (this process only) or redis.',
  );

export type StoreConfig = z.infer<typeof storeConfigSchema>;
export type BlobsConfig = z.infer<typeof blobsConfigSchema>;
export type CoordinationConfig = z.infer<typeof coordinationConfigSchema>;
