import { configSchema, type ImagegateConfig } from './config-schema.js';

/** The configuration used when no file is found: the built-in routes and every documented default. */
export const defaultConfig: ImagegateConfig = configSchema.parse({});
