import type { z } from 'zod';
import type { FieldPath } from './field-path.js';

interface SchemaDefinition {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
}

/** The keys an object schema accepts at `path` (for "unknown key … allowed keys are …"), or none. */
export function allowedKeysAt(schema: z.ZodType, path: FieldPath): string[] {
  let current: z.ZodType | undefined = schema;
  for (const segment of path) {
    current = childSchema(current, segment);
    if (!current) return [];
  }
  const shape = definitionOf(unwrap(current)).shape;
  return shape ? Object.keys(shape) : [];
}

function definitionOf(schema: z.ZodType): SchemaDefinition {
  return (schema as unknown as { _zod: { def: SchemaDefinition } })._zod.def;
}

/** Looks through wrappers that do not change the shape: optional, default, prefault, nullable, pipes. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const definition = definitionOf(current);
    const inner = definition.innerType ?? (definition.type === 'pipe' ? definition.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

function childSchema(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  const definition = definitionOf(unwrap(schema));
  if (definition.type === 'object') return definition.shape?.[String(segment)];
  if (definition.type === 'record') return definition.valueType;
  if (definition.type === 'array') return definition.element;
  return undefined;
}
