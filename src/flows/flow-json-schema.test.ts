import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flowJsonSchemaFile, renderFlowJsonSchema } from './flow-json-schema.js';

describe('schema/imagegate.flow.schema.json', () => {
  it('is generated from the flow document schema (regenerate: npx tsx src/flows/flow-json-schema.ts)', () => {
    expect(readFileSync(flowJsonSchemaFile, 'utf8')).toBe(renderFlowJsonSchema());
  });
});
