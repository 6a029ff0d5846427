import { describe, expect, it } from 'vitest';
import { parseConfig } from './parse-config.js';
import { describeDeployment, resolveDeploymentSettings } from './deployment-settings.js';

describe('resolveDeploymentSettings', () => {
  it('defaults to SQLite, files and in-process coordination', () => {
    expect(resolveDeploymentSettings({}, {})).toEqual({
      store: { kind: 'sqlite' },
      blobs: { kind: 'file' },
      coordination: { kind: 'local' },
    });
  });

  it('takes the config, and the environment over it', () => {
    const settings = resolveDeploymentSettings(
      {
        store: { kind: 'postgres', url: 'postgres://db/one', migrate: false, poolSize: 10 },
        blobs: { kind: 's3', bucket: 'images', region: 'eu-west-1', forcePathStyle: false, prefix: '' },
      },
      {
        IMAGEGATE_POSTGRES_URL: 'postgres://db/two',
        IMAGEGATE_POSTGRES_MIGRATE: 'true',
        IMAGEGATE_S3_ENDPOINT: 'http://minio:9000',
        IMAGEGATE_S3_FORCE_PATH_STYLE: 'true',
        IMAGEGATE_COORDINATION: 'redis',
        IMAGEGATE_REDIS_URL: 'redis://redis:6379',
        IMAGEGATE_REDIS_KEY_PREFIX: 'team-a:',
      },
    );
    expect(settings).toEqual({
      store: { kind: 'postgres', url: 'postgres://db/two', migrate: true, poolSize: 10 },
      blobs: {
        kind: 's3',
        bucket: 'images',
        endpoint: 'http://minio:9000',
        region: 'eu-west-1',
        forcePathStyle: true,
        prefix: '',
      },
      coordination: { kind: 'redis', url: 'redis://redis:6379', keyPrefix: 'team-a:' },
    });
  });

  it('names the variable or field and what is allowed', () => {
    expect(() => resolveDeploymentSettings({}, { IMAGEGATE_STORE: 'mysql' })).toThrow(
      /IMAGEGATE_STORE.*kind "mysql"/,
    );
    expect(() => resolveDeploymentSettings({}, { IMAGEGATE_STORE: 'postgres' })).toThrow(/url/);
    expect(() =>
      resolveDeploymentSettings({}, { IMAGEGATE_STORE: 'postgres', IMAGEGATE_POSTGRES_URL: 'mysql://x' }),
    ).toThrow(/postgres:\/\/ or postgresql:\/\//);
    expect(() => resolveDeploymentSettings({}, { IMAGEGATE_BLOBS: 's3' })).toThrow(/bucket/);
    expect(() =>
      resolveDeploymentSettings(
        {},
        { IMAGEGATE_BLOBS: 's3', IMAGEGATE_S3_BUCKET: 'b', IMAGEGATE_S3_FORCE_PATH_STYLE: 'yes' },
      ),
    ).toThrow(/IMAGEGATE_S3_FORCE_PATH_STYLE="yes": allowed: true, false/);
    expect(() => resolveDeploymentSettings({}, { IMAGEGATE_COORDINATION: 'redis' })).toThrow(/url/);
  });

  it('is part of the server config', () => {
    const { config } = parseConfig(
      'server:\n  store: { kind: postgres, url: "postgres://db/x" }\n  blobs: { kind: s3, bucket: imgs, forcePathStyle: true }\n',
      {
        fileName: 'imagegate.config.yaml',
        clock: { nowMs: () => Date.UTC(2026, 2, 1), sleep: async () => {} },
      },
    );
    expect(config.server.store).toEqual({
      kind: 'postgres',
      url: 'postgres://db/x',
      migrate: false,
      poolSize: 10,
    });
    expect(config.server.blobs).toMatchObject({ kind: 's3', bucket: 'imgs', forcePathStyle: true });
    expect(config.server.coordination).toEqual({ kind: 'local' });
  });

  it('describes what is used without passwords', () => {
    expect(
      describeDeployment({
        store: { kind: 'postgres', url: 'postgres://app:secret@db:5432/x', migrate: false, poolSize: 10 },
        blobs: { kind: 'file' },
        coordination: { kind: 'redis', url: 'redis://default:pw@redis:6379', keyPrefix: 'imagegate:' },
      }),
    ).toBe(
      'store: postgres postgres://app:***@db:5432/x; blobs: files (data directory); coordination: redis redis://default:***@redis:6379',
    );
  });
});
