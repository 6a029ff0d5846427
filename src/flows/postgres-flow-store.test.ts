import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { loadPostgresAdapter } from '../tasks/index.js';
import { postgresAvailable, temporaryPostgresSchema } from '../tasks/test-support/temporary-postgres.js';
import type { FlowDocument } from './flow-document-schema.js';
import { PostgresFlowStore } from './postgres-flow-store.js';
import { describeFlowStoreContract } from './test-support/flow-store-contract.js';

const { postgresMigrationNames } = await loadPostgresAdapter();
const available = await postgresAvailable();

/** The tables of migration 0003-flows, emptied between tests (the task store's helper knows its own). */
const flowTables = 'flows, flow_versions, flow_runs, flow_node_runs, flow_node_cache, flow_run_idempotency';

describe.skipIf(!available)('PostgreSQL flow store', () => {
  const schema = temporaryPostgresSchema('imagegate_flows');
  const freshPool = async (): Promise<pg.Pool> => {
    const temporary = await schema();
    const pool = temporary.pool();
    await pool.query(`TRUNCATE ${flowTables} RESTART IDENTITY`);
    return pool;
  };

  describeFlowStoreContract('PostgreSQL', async (options) => {
    const pool = await freshPool();
    const store = new PostgresFlowStore(pool, options);
    return {
      store,
      cleanup: async () => {
        await store.close();
        await pool.end();
      },
    };
  });

  const startMs = Date.UTC(2026, 2, 1, 12);
  const document = { name: 'poster', inputs: {}, nodes: {} } as unknown as FlowDocument;

  describe('several instances on one database', () => {
    it('three stores publishing one flow at once get distinct, consecutive version numbers', async () => {
      const pools = [await freshPool(), (await schema()).pool(), (await schema()).pool()];
      const clock = new ManualClock(startMs);
      const stores = pools.map((pool) => new PostgresFlowStore(pool, { clock }));
      try {
        await stores[0]!.saveDraft(document, 'key_a');
        const published = await Promise.all(
          Array.from({ length: 24 }, (_, index) =>
            stores[index % 3]!.insertVersion({
              flowName: 'poster',
              sha256: 'a'.repeat(64),
              document,
              message: `from instance ${index % 3}`,
            }),
          ),
        );
        expect(published.map((version) => version.version).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 24 }, (_, index) => index + 1),
        );
        expect((await stores[2]!.getFlow('poster'))?.latestVersion).toBe(24);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });

    it('one instance drives a run at a time; when its process ends (its connection closes) another may', async () => {
      const pools = [await freshPool(), (await schema()).pool()];
      const [a, b] = pools.map((pool) => new PostgresFlowStore(pool)) as [
        PostgresFlowStore,
        PostgresFlowStore,
      ];
      try {
        const claims = await Promise.all([a, b, a, b].map((store) => store.acquireRunDriver('flowrun_x')));
        expect(claims.filter(Boolean)).toHaveLength(1);
        const holder = claims[0] || claims[2] ? a : b;
        const other = holder === a ? b : a;
        expect(await other.acquireRunDriver('flowrun_x')).toBe(false);
        await holder.close();
        expect(await other.acquireRunDriver('flowrun_x')).toBe(true);
        await other.releaseRunDriver('flowrun_x');
        expect(await holder.acquireRunDriver('flowrun_x')).toBe(true);
      } finally {
        await Promise.all([a.close(), b.close()]);
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });

    it('three stores writing the node cache at once never fail and keep it within its size', async () => {
      const pools = [await freshPool(), (await schema()).pool(), (await schema()).pool()];
      const clock = new ManualClock(startMs);
      const stores = pools.map(
        (pool) => new PostgresFlowStore(pool, { clock, nodeCache: { maxAgeMs: 86_400_000, maxEntries: 25 } }),
      );
      try {
        await Promise.all(
          Array.from({ length: 150 }, (_, index) =>
            stores[index % 3]!.cacheOutput(`sig-${index % 60}`, { text: `output ${index}` }, 0.01),
          ),
        );
        expect(await stores[0]!.nodeCacheSize()).toBeLessThanOrEqual(25);
        expect(await stores[1]!.nodeCacheSize()).toBeGreaterThan(0);
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });
  });

  it('keeps its tables in a migration of the shared tool', () => {
    expect(postgresMigrationNames).toContain('0003-flows');
  });
});
