import Database from 'better-sqlite3';
import { describe } from 'vitest';
import { postgresAvailable, temporaryPostgresSchema } from '../../tasks/test-support/temporary-postgres.js';
import { ApiKeyStore } from './api-key-store.js';
import { PostgresApiKeyStore } from './postgres-api-key-store.js';
import { describeApiKeyDirectoryContract } from './test-support/api-key-directory-contract.js';

describeApiKeyDirectoryContract('SQLite', async (clock) => {
  const database = new Database(':memory:');
  return {
    store: new ApiKeyStore(database, { clock }),
    samePrefix: async (prefix) => void database.prepare('UPDATE api_keys SET prefix = ?').run(prefix),
    cleanup: async () => {
      database.close();
    },
  };
});

const available = await postgresAvailable();
describe.skipIf(!available)('PostgreSQL keys', () => {
  const schema = temporaryPostgresSchema();
  describeApiKeyDirectoryContract('PostgreSQL', async (clock) => {
    const temporary = await schema();
    await temporary.truncate();
    const pool = temporary.pool();
    return {
      store: new PostgresApiKeyStore(pool, { clock }),
      samePrefix: async (prefix) => void (await pool.query('UPDATE api_keys SET prefix = $1', [prefix])),
      cleanup: () => pool.end(),
    };
  });
});
