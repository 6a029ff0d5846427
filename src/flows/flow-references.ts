/**
 * References are the flow's wiring: `{{inputs.NAME}}`, `{{nodes.ID.text}}` and `{{nodes.ID.images}}`
 * (an image node's variants), written inside the fields that consume them. This file only reads their
 * syntax; whether they point somewhere real and carry the right type is the validator's job.
 */

export type FlowReference =
  { kind: 'input'; name: string; raw: string } | { kind: 'node'; node: string; port: string; raw: string };

const referencePattern = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Every reference in a string, in order; unreadable ones are returned as `{ kind: 'invalid' }`. */
export function findReferences(
  text: string,
): Array<FlowReference | { kind: 'invalid'; raw: string; problem: string }> {
  return [...text.matchAll(referencePattern)].map((match) => parseReference(match[1] ?? '', match[0]));
}

export function parseReference(
  body: string,
  raw = `{{${body}}}`,
): FlowReference | { kind: 'invalid'; raw: string; problem: string } {
  const segments = body.split('.');
  if (segments[0] === 'inputs' && segments.length === 2 && segments[1]) {
    return { kind: 'input', name: segments[1], raw };
  }
  if (segments[0] === 'nodes' && segments.length === 3 && segments[1] && segments[2]) {
    return { kind: 'node', node: segments[1], port: segments[2], raw };
  }
  return {
    kind: 'invalid',
    raw,
    problem: 'expected {{inputs.NAME}}, {{nodes.ID.text}} or {{nodes.ID.images}}',
  };
}

/** Replaces each reference by what `valueOf` returns for it. */
export function renderTemplate(text: string, valueOf: (reference: FlowReference) => string): string {
  return text.replace(referencePattern, (whole, body: string) => {
    const reference = parseReference(body, whole);
    return reference.kind === 'invalid' ? whole : valueOf(reference);
  });
}
