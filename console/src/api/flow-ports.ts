import { triggerId, type FlowDocumentJson, type FlowNodeDocument, type FlowNodeType } from './flows.js';

/*
 * Ports are how the canvas draws and makes wiring, which in a flow document is only the references
 * written in node fields. A source port is what a node offers (the trigger: each input; a text or
 * template node: `text`; an image node: `images`); a target port is a field that reads references.
 * Connecting two ports writes a reference into the field; whether the reference is allowed (an image
 * into a text prompt is not) is decided by the server's validator, never restated here.
 */

/** The fields of each node type that take references, in the order the node shows them. */
export const targetPortsByType: Record<FlowNodeType, readonly string[]> = {
  text: ['prompt', 'system'],
  template: ['template'],
  image: ['prompt', 'references', 'variants'],
  output: ['results'],
};

/** What a node offers to others, by port name. */
export function sourcePorts(document: FlowDocumentJson, id: string): string[] {
  if (id === triggerId) return Object.keys(document.inputs ?? {});
  switch (document.nodes[id]?.type) {
    case 'text':
    case 'template':
      return ['text'];
    case 'image':
      return ['images'];
    default:
      return [];
  }
}

export interface PortConnection {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

/** `Inputs.brief`, `hero.images`, `copy.prompt`: how a port is named in messages. */
export const portLabel = (node: string, port: string) => `${node}.${port}`;

/** The reference a connection writes: `{{inputs.NAME}}` or `{{nodes.ID.PORT}}`. */
export function referenceOf(connection: Pick<PortConnection, 'source' | 'sourcePort'>): string {
  return connection.source === triggerId
    ? `{{inputs.${connection.sourcePort}}}`
    : `{{nodes.${connection.source}.${connection.sourcePort}}}`;
}

/**
 * The document with the connection written into the target field, and the field's path as the
 * server names it (`nodes.copy.prompt`, `nodes.hero.references.0`, `nodes.out.results.hero`). Text
 * fields get the reference appended; `references` gets another entry; `variants` becomes the
 * reference; an output gets a result named after the source.
 */
export function connectPorts(
  document: FlowDocumentJson,
  connection: PortConnection,
): { document: FlowDocumentJson; field: string; reference: string } {
  const reference = referenceOf(connection);
  const node: FlowNodeDocument = { ...document.nodes[connection.target]! };
  const base = `nodes.${connection.target}.${connection.targetPort}`;
  let field = base;
  if (connection.targetPort === 'references') {
    const references = Array.isArray(node.references) ? [...(node.references as unknown[])] : [];
    field = `${base}.${references.length}`;
    node.references = [...references, reference];
  } else if (connection.targetPort === 'results') {
    const results = isRecord(node.results) ? { ...node.results } : {};
    const wanted = connection.source === triggerId ? connection.sourcePort : connection.source;
    const name = freeName(wanted, (candidate) => candidate in results);
    field = `${base}.${name}`;
    node.results = { ...results, [name]: reference };
  } else if (connection.targetPort === 'variants') {
    node.variants = reference;
  } else {
    const current =
      typeof node[connection.targetPort] === 'string' ? (node[connection.targetPort] as string) : '';
    node[connection.targetPort] = current.trim() === '' ? reference : `${current} ${reference}`;
  }
  return {
    document: { ...document, nodes: { ...document.nodes, [connection.target]: node } },
    field,
    reference,
  };
}

/** `wanted`, or `wanted_2`, `wanted_3`… whichever is free first. */
export function freeName(wanted: string, taken: (name: string) => boolean): string {
  if (!taken(wanted)) return wanted;
  for (let index = 2; ; index++) if (!taken(`${wanted}_${index}`)) return `${wanted}_${index}`;
}

/** The target port a wire's field arrives at: `references.0` → `references`, `results.hero` → `results`. */
export const targetPortOfField = (field: string) => field.split('.')[0] ?? field;

/** What the palette places: a node type, or an input of the trigger. */
export type PaletteItem = FlowNodeType | 'input-string' | 'input-image';

export const paletteItems: ReadonlyArray<{ item: PaletteItem; label: string }> = [
  { item: 'input-string', label: 'Text input' },
  { item: 'input-image', label: 'Image input' },
  { item: 'text', label: 'Text' },
  { item: 'template', label: 'Template' },
  { item: 'image', label: 'Image' },
  { item: 'output', label: 'Output' },
];

/** The palette item a drop carries, or undefined when the drag came from elsewhere (another page, a file). */
export function paletteItemOf(dragged: string): PaletteItem | undefined {
  return paletteItems.find((entry) => entry.item === dragged)?.item;
}

/** The drag-and-drop type the palette's items carry. */
export const paletteDragType = 'application/x-imagegate-node';

/**
 * The document with a palette item placed: a node with the fields its type needs (left empty where
 * only the user knows them, so the side panel shows what is missing) at `position`, or a new input
 * of the trigger. Returns the id to select.
 */
export function placeItem(
  document: FlowDocumentJson,
  item: PaletteItem,
  position: { x: number; y: number },
): { document: FlowDocumentJson; selected: string } {
  if (item === 'input-string' || item === 'input-image') {
    const inputs = document.inputs ?? {};
    const name = freeName(item === 'input-image' ? 'image' : 'text', (candidate) => candidate in inputs);
    return {
      document: {
        ...document,
        inputs: { ...inputs, [name]: item === 'input-image' ? { type: 'image' } : { type: 'string' } },
      },
      selected: triggerId,
    };
  }
  const id = freeName(item, (candidate) => candidate in document.nodes);
  const fresh: Record<FlowNodeType, FlowNodeDocument> = {
    text: { type: 'text', model: 'text_fast', prompt: '' },
    template: { type: 'template', template: '' },
    image: { type: 'image', model: 'image_fast', prompt: '', variants: 1 },
    output: { type: 'output', results: {} },
  };
  return {
    document: {
      ...document,
      nodes: { ...document.nodes, [id]: fresh[item] },
      layout: { ...document.layout, [id]: { x: Math.round(position.x), y: Math.round(position.y) } },
    },
    selected: id,
  };
}

/**
 * Renames an input and every reference to it, so the wiring follows the name. The new name must be
 * free; its shape is checked by the server's validator like any other field.
 */
export function renameInput(document: FlowDocumentJson, from: string, to: string): FlowDocumentJson {
  const inputs = Object.fromEntries(
    Object.entries(document.inputs ?? {}).map(([name, input]) => [name === from ? to : name, input]),
  );
  const pattern = new RegExp(`\\{\\{\\s*inputs\\.${escapeRegExp(from)}\\s*\\}\\}`, 'g');
  const rewrite = (value: unknown): unknown =>
    typeof value === 'string'
      ? value.replace(pattern, `{{inputs.${to}}}`)
      : Array.isArray(value)
        ? value.map(rewrite)
        : isRecord(value)
          ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rewrite(item)]))
          : value;
  const nodes = Object.fromEntries(
    Object.entries(document.nodes).map(([id, node]) => [id, rewrite(node) as FlowNodeDocument]),
  );
  return { ...document, inputs, nodes };
}

/**
 * The document without a node (and its position). References to it elsewhere are left as written: the
 * validator then names each one, so nothing disappears from a field without the user seeing it.
 */
export function removeNode(document: FlowDocumentJson, id: string): FlowDocumentJson {
  const { [id]: _removed, ...nodes } = document.nodes;
  const { [id]: _position, ...layout } = document.layout ?? {};
  return { ...document, nodes, ...(document.layout ? { layout } : {}) };
}

/** The document without an input of the trigger; references to it are flagged by the validator. */
export function removeInput(document: FlowDocumentJson, name: string): FlowDocumentJson {
  const { [name]: _removed, ...inputs } = document.inputs ?? {};
  return { ...document, inputs };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
