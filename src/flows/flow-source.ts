import { isCollection, isMap, isSeq, parse as parseYaml, parseDocument, type Document } from 'yaml';
import { canonicalJson, flowContent } from './canonical-json.js';
import { diffFlowDocuments } from './diff-flow-documents.js';
import { flowDocumentSchema, type FlowDocument } from './flow-document-schema.js';

/*
 * A flow's source: the text its author pushed (YAML or JSON). A save that sends only a document (the
 * canvas, the API) patches that text with what changed, so comments, quoting, key order and every
 * untouched line stay as they were, and `flow pull` gives back the author's file plus the edit.
 */

type Path = Array<string | number>;
type Patch = { op: 'set'; path: Path; value: unknown } | { op: 'delete'; path: Path };

/**
 * The source of a new draft, from the source of the draft it replaces: only the paths that changed are
 * written. `next` is the draft as sent (no defaults filled in), `nextDocument` the same validated.
 * Changed content is found by the documents' diff (so a default the sender filled in is no change), the
 * layout by comparing it as written. Undefined when the old source cannot be read as a flow any more.
 */
export function patchFlowSource(
  source: string,
  next: unknown,
  nextDocument: FlowDocument,
): string | undefined {
  let written: unknown;
  try {
    written = parseYaml(source);
  } catch {
    return undefined;
  }
  const previous = flowDocumentSchema.safeParse(written);
  if (!previous.success || !isPlainObject(next)) return undefined;
  const patches: Patch[] = [];
  const isDefault = defaultTest(next, nextDocument);
  for (const change of diffFlowDocuments(previous.data, nextDocument)) {
    const path = change.field.split('.');
    collectPatches(patches, path, valueAt(written, path), valueAt(next, path), isDefault);
  }
  collectPatches(patches, ['layout'], valueAt(written, ['layout']), next.layout, () => false);
  if (patches.length === 0) return source;
  try {
    return isJsonSource(source) ? patchJson(source, patches) : patchYaml(source, patches);
  } catch {
    // A source the patch cannot be applied to is dropped rather than the save refused: the draft then
    // pulls as YAML, as a flow made without a file does.
    return undefined;
  }
}

/**
 * The patches that turn `before` into `after` (both as written), recursing into maps and equally long
 * lists so a change deep in a value rewrites only that leaf. A value `after` adds that is a schema
 * default (the document is the same without it) is not written.
 */
function collectPatches(
  patches: Patch[],
  path: Path,
  before: unknown,
  after: unknown,
  isDefault: (path: Path) => boolean,
): void {
  if (canonicalJson(before) === canonicalJson(after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      collectPatches(patches, [...path, key], before[key], after[key], isDefault);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    after.forEach((item, index) => collectPatches(patches, [...path, index], before[index], item, isDefault));
    return;
  }
  if (after === undefined) patches.push({ op: 'delete', path });
  else if (before !== undefined || !isDefault(path)) patches.push({ op: 'set', path, value: after });
}

/** Whether leaving `path` out of `next` gives the same document: the value there is the schema's default. */
function defaultTest(next: Record<string, unknown>, nextDocument: FlowDocument): (path: Path) => boolean {
  const content = canonicalJson(flowContent(nextDocument));
  return (path) => {
    const without = structuredClone(next);
    deleteAt(without, path);
    const parsed = flowDocumentSchema.safeParse(without);
    return parsed.success && canonicalJson(flowContent(parsed.data)) === content;
  };
}

function patchYaml(source: string, patches: Patch[]): string {
  const document = parseDocument(source);
  for (const patch of patches) {
    if (patch.op === 'delete') {
      document.deleteIn(patch.path);
      continue;
    }
    if (typeof patch.value !== 'object' || patch.value === null) {
      // A plain value: an existing scalar keeps its node, so its quoting and comment stay.
      document.setIn(patch.path, patch.value);
      continue;
    }
    const node = document.createNode(patch.value);
    // A new entry beside flow-style siblings (`review: { x: 640, y: 0 }`) is written the same way.
    if (isCollection(node) && siblingsAreFlow(document, patch.path.slice(0, -1))) node.flow = true;
    document.setIn(patch.path, node);
  }
  return document.toString({ lineWidth: 0, ...indentationOf(source) });
}

function siblingsAreFlow(document: Document, parentPath: Path): boolean {
  const parent = parentPath.length === 0 ? document.contents : document.getIn(parentPath, true);
  if (!isMap(parent) && !isSeq(parent)) return false;
  const items = parent.items.map((item) => (isMap(parent) ? (item as { value: unknown }).value : item));
  const collections = items.filter(isCollection);
  return collections.length > 0 && collections.every((item) => item.flow === true);
}

/** The source's indentation, so lines the patch rewrites keep the file's shape. */
function indentationOf(source: string): { indent: number; indentSeq: boolean } {
  const lines = source.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
  const indents = lines.map((line) => line.length - line.trimStart().length).filter((width) => width > 0);
  const indent = indents.length > 0 ? Math.min(...indents) : 2;
  // `key:` followed by `- item` at the same column: sequences are not indented under their key.
  const flushSequence = lines.some((line, index) => {
    const following = lines[index + 1];
    if (!following || !/:\s*$/.test(line) || !following.trimStart().startsWith('- ')) return false;
    return following.length - following.trimStart().length === line.length - line.trimStart().length;
  });
  return { indent, indentSeq: !flushSequence };
}

function isJsonSource(source: string): boolean {
  if (!source.trimStart().startsWith('{')) return false;
  try {
    JSON.parse(source);
    return true;
  } catch {
    return false;
  }
}

/** JSON has no comments or quoting styles: patch the object (keys keep their order) and print it alike. */
function patchJson(source: string, patches: Patch[]): string {
  const value = JSON.parse(source) as Record<string, unknown>;
  for (const patch of patches) {
    if (patch.op === 'delete') deleteAt(value, patch.path);
    else setAt(value, patch.path, patch.value);
  }
  const indent = /\n([ \t]+)"/.exec(source)?.[1];
  return `${JSON.stringify(value, null, indent)}${source.endsWith('\n') ? '\n' : ''}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: Path): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function setAt(target: Record<string, unknown>, path: Path, value: unknown): void {
  let current: Record<string | number, unknown> = target;
  for (const key of path.slice(0, -1)) {
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Record<string | number, unknown>;
  }
  current[path[path.length - 1]!] = value;
}

function deleteAt(target: unknown, path: Path): void {
  const parent = valueAt(target, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') parent.splice(key, 1);
  else if (typeof parent === 'object' && parent !== null) delete (parent as Record<string, unknown>)[key];
}
