import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { flowDocumentSchema } from './flow-document-schema.js';

/** schema/imagegate.flow.schema.json: what editors validate flow files with (defaults optional). */
export const flowJsonSchemaFile = fileURLToPath(
  new URL('../../schema/imagegate.flow.schema.json', import.meta.url),
);

export function flowJsonSchema(): object {
  return {
    ...z.toJSONSchema(flowDocumentSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'imagegate flow',
  };
}

export function renderFlowJsonSchema(): string {
  return `${JSON.stringify(flowJsonSchema(), null, 2)}\n`;
}

// Regenerate with `npx tsx src/flows/flow-json-schema.ts`.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(flowJsonSchemaFile, renderFlowJsonSchema());
  console.log(`wrote ${flowJsonSchemaFile}`);
}
