import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../src/catalog/index.js';
import { runCli } from '../../src/cli/run-cli.js';
import { ManualClock } from '../../src/clock/index.js';
import { defaultConfig } from '../../src/config/index.js';
import {
  flowContentHash,
  flowModelUsages,
  PostgresFlowStore,
  SqliteFlowStore,
  validateFlowDocument,
  type FlowStore,
  type FlowDocument,
} from '../../src/flows/index.js';
import { openDataDirectory } from '../../src/tasks/index.js';
import {
  postgresAvailable,
  temporaryPostgresSchema,
  testPostgresUrl,
} from '../../src/tasks/test-support/temporary-postgres.js';
import { buildGuardReport } from '../../src/tools/guard/index.js';
import { captureIo } from '../support/capture-io.js';

function document(model: string): FlowDocument {
  const result = validateFlowDocument(
    `name: dated\nnodes:\n  direction: { type: text, model: ${model}, prompt: hello }\n  out: { type: output, results: { text: '{{nodes.direction.text}}' } }\n`,
    { file: 'dated.yaml' },
  );
  if (!result.ok) throw new Error('invalid');
  return result.document;
}

/** Versions are written straight into the store: what guard reads does not depend on when they were published. */
async function publishInto(store: FlowStore, model: string) {
  const flow = document(model);
  await store.saveDraft(flow, undefined);
  await store.insertVersion({
    flowName: flow.name,
    sha256: flowContentHash(flow),
    document: flow,
    message: 'pin',
  });
}

describe('guard and published flow versions', () => {
  it('names each version a dated model breaks, judged at the asked date', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'imagegate-guard-flows-'));
    const data = openDataDirectory('data', { cwd: directory });
    const store = new SqliteFlowStore(data.handle, { clock: new ManualClock(Date.UTC(2026, 7, 1)) });
    await publishInto(store, 'gemini-3.1-flash-lite');
    await publishInto(store, 'text_fast');
    const usages = flowModelUsages(await store.allVersions(), defaultConfig, builtInCatalog());
    expect(usages.map((usage) => usage.location)).toEqual([
      'flow dated v1 node direction',
      'flow dated v2 node direction',
      'flow dated v2 node direction',
    ]);
    data.handle.close();

    const report = buildGuardReport({
      config: defaultConfig,
      atMs: Date.UTC(2027, 4, 8),
      flowUsages: usages,
    });
    const lite = report.findings.find((finding) => finding.model === 'gemini-3.1-flash-lite');
    expect(lite).toMatchObject({ level: 'error' });
    expect(lite?.usedBy).toEqual(['flow dated v1 node direction']);
    const flash = report.findings.find((finding) => finding.model === 'gemini-2.5-flash');
    expect(flash?.usedBy).toEqual(expect.arrayContaining(['text_fast', 'flow dated v2 node direction']));

    const io = captureIo({ cwd: directory });
    const code = await runCli(
      ['guard', '--at', '2027-05-08', '--data-dir', 'data', '--no-visibility', '--json'],
      io,
    );
    expect(code).toBe(2);
    const printed = JSON.parse(io.out()) as { findings: Array<{ model: string; usedBy: string[] }> };
    expect(printed.findings.find((finding) => finding.model === 'gemini-3.1-flash-lite')?.usedBy).toContain(
      'flow dated v1 node direction',
    );
  });
});

const postgres = await postgresAvailable();

describe.skipIf(!postgres)('guard and flows on PostgreSQL', () => {
  const schema = temporaryPostgresSchema('imagegate_guard_flows');

  it('reads the published versions from the store serve uses (store: postgres), not the data directory', async () => {
    const temporary = await schema();
    const pool = temporary.pool();
    const store = new PostgresFlowStore(pool, { clock: new ManualClock(Date.UTC(2026, 7, 1)) });
    try {
      await publishInto(store, 'gemini-3.1-flash-lite');
    } finally {
      await store.close();
      await pool.end();
    }
    const io = captureIo({
      cwd: await mkdtemp(join(tmpdir(), 'imagegate-guard-pg-')),
      env: {
        IMAGEGATE_STORE: 'postgres',
        IMAGEGATE_POSTGRES_URL: testPostgresUrl,
        IMAGEGATE_POSTGRES_SCHEMA: temporary.name,
      },
    });
    const code = await runCli(['guard', '--at', '2027-05-08', '--no-visibility', '--json'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(2);
    const printed = JSON.parse(io.out()) as { findings: Array<{ model: string; usedBy: string[] }> };
    expect(printed.findings.find((finding) => finding.model === 'gemini-3.1-flash-lite')?.usedBy).toEqual([
      'flow dated v1 node direction',
    ]);
  });
});
