import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configJsonSchema } from './config-json-schema.js';

/** Regenerates schema/imagegate.config.schema.json: `npx tsx src/config/write-json-schema.ts`. */
export const jsonSchemaFile = fileURLToPath(
  new URL('../../schema/imagegate.config.schema.json', import.meta.url),
);

export function renderJsonSchema(): string {
  return `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(jsonSchemaFile, renderJsonSchema());
  console.log(`wrote ${jsonSchemaFile}`);
}
