import { describe, expect, it } from 'vitest';
import { isOtherSchemaDropped } from './postgres-migrations.js';

function postgresError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isOtherSchemaDropped', () => {
  it('runs the migration again when another schema vanished while Kysely read the catalog', () => {
    const error = postgresError('3F000', 'schema "imagegate_webhooks_1826125e8f0b" does not exist');
    expect(isOtherSchemaDropped(error, 'imagegate_copy_01')).toBe(true);
    expect(isOtherSchemaDropped(error, undefined)).toBe(true);
  });

  it('does not when its own schema is missing or the error is another one', () => {
    expect(isOtherSchemaDropped(postgresError('3F000', 'schema "mine" does not exist'), 'mine')).toBe(false);
    expect(isOtherSchemaDropped(postgresError('42P07', 'relation "tasks" already exists'), 'mine')).toBe(
      false,
    );
    expect(isOtherSchemaDropped(undefined, 'mine')).toBe(false);
  });
});
