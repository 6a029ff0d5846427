import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './config-json-schema.js';
import { jsonSchemaFile, renderJsonSchema } from './write-json-schema.js';

describe('configJsonSchema', () => {
  it('matches the committed schema/imagegate.config.schema.json', () => {
    const committed = readFileSync(jsonSchemaFile, 'utf8');
    expect(
      committed,
      'schema/imagegate.config.schema.json is stale: regenerate it with `npx tsx src/config/write-json-schema.ts`',
    ).toBe(renderJsonSchema());
  });

  it('describes the input a user writes: strict objects, optional sections, enums for closed sets', () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      required?: string[];
      properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([]);
    expect(Object.keys(schema.properties)).toEqual([
      'version',
      'routes',
      'defaults',
      'limits',
      'credentials',
      'lifecycle',
      'server',
      'flows',
    ]);
    expect(schema.properties.defaults?.properties?.parameterPolicy?.enum).toEqual([
      'translate',
      'drop-with-warning',
      'refuse',
    ]);
  });
});
