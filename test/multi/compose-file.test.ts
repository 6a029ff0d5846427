import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { deploymentEnvironmentVariables } from '../../src/config/index.js';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
}

describe('compose.yaml', () => {
  it('runs two instances on PostgreSQL, Redis and MinIO, migrated first, with variables imagegate reads', async () => {
    const compose = parse(await readFile(new URL('../../compose.yaml', import.meta.url), 'utf8'), {
      merge: true,
    }) as { services: Record<string, ComposeService> };
    const services = compose.services;
    expect(Object.keys(services).sort()).toEqual(
      ['imagegate-a', 'imagegate-b', 'migrate', 'minio', 'minio-bucket', 'postgres', 'redis'].sort(),
    );
    const known = new Set<string>([
      ...Object.values(deploymentEnvironmentVariables),
      'PGPASSWORD',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'IMAGEGATE_WEBHOOK_SECRET',
      'GEMINI_API_KEY',
    ]);
    for (const name of ['imagegate-a', 'imagegate-b', 'migrate']) {
      const environment = services[name]!.environment!;
      for (const variable of Object.keys(environment))
        expect(known, `${name}: ${variable}`).toContain(variable);
      expect(environment).toMatchObject({
        IMAGEGATE_STORE: 'postgres',
        IMAGEGATE_BLOBS: 's3',
        IMAGEGATE_COORDINATION: 'redis',
      });
    }
    expect(services['imagegate-a']!.depends_on?.migrate).toEqual({
      condition: 'service_completed_successfully',
    });
    expect(services.migrate!.command).toEqual(['migrate']);
  });
});
