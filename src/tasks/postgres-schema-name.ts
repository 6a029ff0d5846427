import { z } from 'zod';

/** Unquoted identifier rules, so a schema name can go into `search_path` without escaping games. */
export const postgresSchemaNameSchema = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lower-case letters, digits and _, starting with a letter or _');
