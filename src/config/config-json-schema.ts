import { z } from 'zod';
import { configSchema } from './config-schema.js';

/** The JSON Schema of what a user writes (defaults optional), for editor completion of the YAML file. */
export function configJsonSchema(): object {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' });
}
