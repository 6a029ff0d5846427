import { createHash } from 'node:crypto';
import type { FlowDocument } from './flow-document-schema.js';

/** JSON with object keys sorted at every level, so equal content always serialises to equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The flow's content without its layout: what a version hash and a diff are about. */
export function flowContent(document: FlowDocument): Omit<FlowDocument, 'layout'> {
  const { layout: _layout, ...content } = document;
  return content;
}

/** sha256 of the canonical content (defaults applied, layout left out). */
export function flowContentHash(document: FlowDocument): string {
  return sha256Hex(canonicalJson(flowContent(document)));
}
