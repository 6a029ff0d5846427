import Database from 'better-sqlite3';
import { describe } from 'vitest';
import { postgresAvailable, temporaryPostgresSchema } from '../tasks/test-support/temporary-postgres.js';
import { PostgresWebhookDeliveries } from './postgres-webhook-deliveries.js';
import { describeWebhookDeliveryStoreContract } from './test-support/webhook-delivery-store-contract.js';
import { SqliteWebhookDeliveries } from './webhook-delivery-store.js';

describeWebhookDeliveryStoreContract('SQLite', async () => {
  const database = new Database(':memory:');
  return {
    store: new SqliteWebhookDeliveries(database),
    secondView: new SqliteWebhookDeliveries(database),
    cleanup: async () => void database.close(),
  };
});

const available = await postgresAvailable();
describe.skipIf(!available)('on PostgreSQL', () => {
  const schema = temporaryPostgresSchema('imagegate_webhooks');
  describeWebhookDeliveryStoreContract('PostgreSQL, two pools', async () => {
    const temporary = await schema();
    await temporary.truncate();
    const pools = [temporary.pool(), temporary.pool()];
    return {
      store: new PostgresWebhookDeliveries(pools[0]!),
      secondView: new PostgresWebhookDeliveries(pools[1]!),
      cleanup: async () => {
        await Promise.all(pools.map((pool) => pool.end()));
      },
    };
  });
});
