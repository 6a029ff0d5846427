import { badRequest, invalidArgument } from './api-errors.js';

/**
 * Google's front end parses request JSON into protocol buffers before any handler sees it, so a field the
 * proto lacks, or a value of the wrong type, is refused with the parser's own words (reference section 4):
 *
 *   Invalid JSON payload received. Unknown name "fooBar" at 'generation_config': Cannot find field.
 *   Invalid value at 'generation_config.candidate_count' (TYPE_INT32), "abc"
 *
 * This module is that parser's check: message descriptors (written in request-messages.ts) and a walker
 * that reports every problem in document order, one sentence each, joined by newlines, with one
 * `google.rpc.BadRequest` field violation per sentence.
 */

export type ScalarType =
  'TYPE_STRING' | 'TYPE_BYTES' | 'TYPE_BOOL' | 'TYPE_INT32' | 'TYPE_INT64' | 'TYPE_FLOAT' | 'TYPE_DOUBLE';

export type FieldType =
  | { kind: 'scalar'; type: ScalarType }
  | { kind: 'enum'; name: string; values: readonly string[] }
  /** Lazy, so that messages can refer to each other (a Content inside a GenerateContentRequest inside a batch). */
  | { kind: 'message'; message: () => MessageDescriptor }
  /** `google.protobuf.Struct`/`Value`, or a message the emulator does not model (tools): any JSON passes, as sent. */
  | { kind: 'any' };

export interface FieldDescriptor {
  type: FieldType;
  repeated?: boolean;
}

export interface MessageDescriptor {
  /** The proto message name within the API package, e.g. `GenerationConfig`. */
  name: string;
  /** Fields by their JSON (lowerCamelCase) name; the snake_case proto name is derived. */
  fields: Readonly<Record<string, FieldDescriptor>>;
}

export interface ProtoProblem {
  /** The snake_case path of the offending field (of the enclosing message for an unknown name); '' at the top. */
  field: string;
  description: string;
}

export const scalar = (type: ScalarType): FieldDescriptor => ({ type: { kind: 'scalar', type } });
export const repeatedScalar = (type: ScalarType): FieldDescriptor => ({
  type: { kind: 'scalar', type },
  repeated: true,
});
export const message = (descriptor: () => MessageDescriptor, repeated = false): FieldDescriptor => ({
  type: { kind: 'message', message: descriptor },
  ...(repeated ? { repeated } : {}),
});
export const enumeration = (name: string, values: readonly string[], repeated = false): FieldDescriptor => ({
  type: { kind: 'enum', name, values },
  ...(repeated ? { repeated } : {}),
});
export const anyJson: FieldDescriptor = { type: { kind: 'any' } };

export function snakeCaseName(jsonName: string): string {
  return jsonName.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function childPath(parent: string, name: string): string {
  return parent === '' ? name : `${parent}.${name}`;
}

/** How Google prints the offending value: strings quoted, everything else as compact JSON. */
function shownValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

const int32Range = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const base64Pattern = /^[A-Za-z0-9+/_-]*={0,2}$/;

function scalarAccepts(type: ScalarType, value: unknown): boolean {
  switch (type) {
    case 'TYPE_STRING':
      return typeof value === 'string';
    case 'TYPE_BYTES':
      return typeof value === 'string' && base64Pattern.test(value.replace(/\s/g, ''));
    case 'TYPE_BOOL':
      return typeof value === 'boolean';
    case 'TYPE_INT32':
    case 'TYPE_INT64': {
      // Proto JSON takes integers as numbers or as decimal strings (int64 is usually a string).
      const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isInteger(number)) return false;
      return type === 'TYPE_INT64' || (number >= int32Range.min && number <= int32Range.max);
    }
    case 'TYPE_FLOAT':
    case 'TYPE_DOUBLE':
      return (
        typeof value === 'number' ||
        (typeof value === 'string' &&
          (/^(NaN|-?Infinity)$/.test(value) || (value.trim() !== '' && Number.isFinite(Number(value)))))
      );
  }
}

function typeLabel(type: FieldType, typeUrlPrefix: string): string {
  if (type.kind === 'scalar') return type.type;
  if (type.kind === 'enum') return `${typeUrlPrefix}.${type.name}`;
  if (type.kind === 'message') return `${typeUrlPrefix}.${type.message().name}`;
  return 'google.protobuf.Value';
}

interface Walk {
  problems: ProtoProblem[];
  /** `type.googleapis.com/google.ai.generativelanguage.v1beta`, named in type errors. */
  typeUrlPrefix: string;
}

function invalidValue(walk: Walk, path: string, type: FieldType, value: unknown): void {
  walk.problems.push({
    field: path,
    description: `Invalid value at '${path}' (${typeLabel(type, walk.typeUrlPrefix)}), ${shownValue(value)}`,
  });
}

/** The value as the proto holds it: numbers for numeric strings, enum names in upper case. */
function normalScalar(type: FieldType, value: unknown): unknown {
  if (type.kind === 'enum') {
    return typeof value === 'number' ? type.values[value] : String(value).toUpperCase();
  }
  if (type.kind !== 'scalar' || typeof value !== 'string') return value;
  if (type.type === 'TYPE_INT32' || type.type === 'TYPE_FLOAT' || type.type === 'TYPE_DOUBLE')
    return Number(value);
  return value;
}

function parseSingle(walk: Walk, path: string, type: FieldType, value: unknown): unknown {
  switch (type.kind) {
    case 'any':
      // Kept as sent: the emulator does not read these, except batch metadata, which is the caller's own.
      return value;
    case 'scalar':
      if (!scalarAccepts(type.type, value)) invalidValue(walk, path, type, value);
      return normalScalar(type, value);
    case 'enum': {
      // Google's parser matches enum names case-insensitively (docs samples send "Text", "Image").
      const known =
        (typeof value === 'string' && type.values.includes(value.toUpperCase())) ||
        (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < type.values.length);
      if (!known) invalidValue(walk, path, type, value);
      return normalScalar(type, value);
    }
    case 'message':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        invalidValue(walk, path, type, value);
        return value;
      }
      return parseMessage(walk, path, type.message(), value as Record<string, unknown>);
  }
}

function parseMessage(
  walk: Walk,
  path: string,
  descriptor: MessageDescriptor,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const parsed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const jsonName = Object.hasOwn(descriptor.fields, key)
      ? key
      : Object.keys(descriptor.fields).find((name) => snakeCaseName(name) === key);
    const field = jsonName === undefined ? undefined : descriptor.fields[jsonName];
    const at = path === '' ? '' : ` at '${path}'`;
    if (!field || jsonName === undefined) {
      walk.problems.push({
        field: path,
        description: `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}${at}: Cannot find field.`,
      });
      continue;
    }
    // Proto3 JSON reads null as "not set" for every field.
    if (item === null) continue;
    const fieldPath = childPath(path, snakeCaseName(jsonName));
    if (Array.isArray(item) && !field.repeated && field.type.kind !== 'any') {
      walk.problems.push({
        field: path,
        description: `Invalid JSON payload received. Unknown name ${JSON.stringify(key)}${at}: Proto field is not repeating, cannot start list.`,
      });
    } else if (field.repeated) {
      if (!Array.isArray(item)) invalidValue(walk, fieldPath, field.type, item);
      else
        parsed[jsonName] = item.map((element, index) =>
          parseSingle(walk, `${fieldPath}[${index}]`, field.type, element),
        );
    } else {
      parsed[jsonName] = parseSingle(walk, fieldPath, field.type, item);
    }
  }
  return parsed;
}

/**
 * Parses a JSON body as Google's front end does: every problem in document order (none: it parses), and the
 * message as the proto holds it (camelCase names, numbers for numeric strings, unset nulls dropped).
 */
export function parseProtoJson(
  descriptor: MessageDescriptor,
  json: Record<string, unknown>,
  typeUrlPrefix: string,
): { problems: ProtoProblem[]; message: Record<string, unknown> } {
  const walk: Walk = { problems: [], typeUrlPrefix };
  const parsed = parseMessage(walk, '', descriptor, json);
  return { problems: walk.problems, message: parsed };
}

/** The parsed message, or Google's 400 INVALID_ARGUMENT when the body does not parse as it. */
export function checkProtoJson(
  descriptor: MessageDescriptor,
  json: Record<string, unknown>,
  typeUrlPrefix: string,
): Record<string, unknown> {
  const { problems, message } = parseProtoJson(descriptor, json, typeUrlPrefix);
  if (problems.length === 0) return message;
  throw invalidArgument(problems.map((problem) => problem.description).join('\n'), [badRequest(problems)]);
}
