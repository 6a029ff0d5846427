import { nearestNames } from '../catalog/index.js';
import { didYouMean, parseYamlSource, type FieldPath } from '../config/index.js';
import {
  flowDocumentSchema,
  flowLimits,
  nodeTypes,
  type FlowDocument,
  type FlowInput,
  type FlowNode,
} from './flow-document-schema.js';
import { findReferences, parseReference, type FlowReference } from './flow-references.js';
import type { FlowModelNames } from './flow-models.js';
import { previewValue, type FlowProblem } from './flow-problem.js';

export type FlowValidation =
  { ok: true; document: FlowDocument; warnings: FlowProblem[] } | { ok: false; problems: FlowProblem[] };

/** What a reference carries: scalar text-like values, a list of images, or an integer. */
type ValueType = 'text' | 'images' | 'integer' | 'number' | 'boolean';

/** Where a field takes its references from and which types it accepts. */
interface ReferenceSite {
  path: FieldPath;
  text: string;
  accepts: readonly ValueType[];
  /** How the field is described in a type error ("a text prompt"). */
  role: string;
  /** The whole value must be one reference. */
  single: boolean;
}

const textLike: readonly ValueType[] = ['text', 'integer', 'number', 'boolean'];

/**
 * Parses a flow document (YAML or JSON: YAML is a superset) and checks everything that can be checked
 * without running it: the schema, references (dangling, mistyped: an image into a text prompt), cycles,
 * model names (with did-you-mean) and whether a text node names a text model and an image node an image
 * model, and variant counts. Problems carry the file, line, node and field.
 */
export function validateFlowDocument(
  text: string,
  options: { file: string; models?: FlowModelNames },
): FlowValidation {
  const source = parseYamlSource(text);
  const problemAt = (
    path: FieldPath,
    message: string,
    severity: FlowProblem['severity'] = 'error',
  ): FlowProblem => {
    const line = source.lineOf(path);
    const node = path[0] === 'nodes' || path[0] === 'layout' ? path[1] : undefined;
    return {
      file: options.file,
      ...(line !== undefined ? { line } : {}),
      ...(typeof node === 'string' ? { node } : {}),
      field: path.map(String).join('.') || '(document)',
      message,
      severity,
    };
  };
  if (source.syntaxErrors.length > 0) {
    return {
      ok: false,
      problems: source.syntaxErrors.map((error) => ({
        file: options.file,
        line: error.line,
        field: '(document)',
        message: `not valid YAML or JSON: ${error.message}`,
        severity: 'error' as const,
      })),
    };
  }
  return validateFlowData(source.data, problemAt, options.models);
}

/** The same checks on already-parsed data (an HTTP body); problems are placed by field only. */
export function validateFlowObject(
  data: unknown,
  options: { file: string; models?: FlowModelNames },
): FlowValidation {
  return validateFlowData(
    data,
    (path, message, severity = 'error') => {
      const node = path[0] === 'nodes' ? path[1] : undefined;
      return {
        file: options.file,
        ...(typeof node === 'string' ? { node } : {}),
        field: path.map(String).join('.') || '(document)',
        message,
        severity,
      };
    },
    options.models,
  );
}

type ProblemAt = (path: FieldPath, message: string, severity?: FlowProblem['severity']) => FlowProblem;

function validateFlowData(
  data: unknown,
  problemAt: ProblemAt,
  models: FlowModelNames | undefined,
): FlowValidation {
  const problems: FlowProblem[] = [];
  // Unknown node types are reported by name (with did-you-mean) instead of as a failed union.
  const unknownTypeNodes = new Set<string>();
  const rawNodes = isRecord(data) && isRecord(data.nodes) ? data.nodes : {};
  for (const [id, node] of Object.entries(rawNodes)) {
    const type = isRecord(node) ? node.type : undefined;
    if (typeof type === 'string' && !(nodeTypes as readonly string[]).includes(type)) {
      unknownTypeNodes.add(id);
      problems.push(
        problemAt(
          ['nodes', id, 'type'],
          `unknown node type ${previewValue(type)}; allowed: ${nodeTypes.join(', ')}.${didYouMean(nearestNames(nodeTypes, type, { minimumTolerance: 2 }))}`,
        ),
      );
    }
  }
  const parsed = flowDocumentSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.filter((segment): segment is string | number => typeof segment !== 'symbol');
      if (path[0] === 'nodes' && typeof path[1] === 'string' && unknownTypeNodes.has(path[1])) continue;
      const value = valueAt(data, path);
      problems.push(problemAt(path, `${issue.message} (got ${previewValue(value)})`));
    }
    return { ok: false, problems };
  }
  if (problems.length > 0) return { ok: false, problems };
  const document = parsed.data;
  const nodeCount = Object.keys(document.nodes).length;
  if (nodeCount > flowLimits.maxNodes) {
    problems.push(problemAt(['nodes'], `${nodeCount} nodes; at most ${flowLimits.maxNodes} are allowed`));
  }
  const warnings: FlowProblem[] = [];
  checkReferences(document, problemAt, problems);
  checkCycles(document, problemAt, problems);
  checkVariants(document, problemAt, problems);
  checkLanes(document, problemAt, problems);
  checkOutputs(document, problemAt, problems, warnings);
  if (models) checkModels(document, models, problemAt, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, document, warnings };
}

/** Every field that holds references, with what it accepts. */
export function referenceSites(document: FlowDocument): Array<ReferenceSite & { node: string }> {
  const sites: Array<ReferenceSite & { node: string }> = [];
  for (const [id, node] of Object.entries(document.nodes)) {
    const at = (field: string, ...rest: Array<string | number>): FieldPath => ['nodes', id, field, ...rest];
    const textSite = (field: string, text: string | undefined) => {
      if (text !== undefined) {
        sites.push({
          node: id,
          path: at(field),
          text,
          accepts: textLike,
          role: 'a text field',
          single: false,
        });
      }
    };
    switch (node.type) {
      case 'text':
        textSite('prompt', node.prompt);
        textSite('system', node.system);
        break;
      case 'template':
        textSite('template', node.template);
        break;
      case 'image':
        textSite('prompt', node.prompt);
        if (typeof node.variants === 'string') {
          sites.push({
            node: id,
            path: at('variants'),
            text: node.variants,
            accepts: ['integer'],
            role: 'variants (an integer)',
            single: true,
          });
        }
        node.references.forEach((reference, index) =>
          sites.push({
            node: id,
            path: at('references', index),
            text: reference,
            accepts: ['images'],
            role: 'references (images)',
            single: true,
          }),
        );
        break;
      case 'output':
        for (const [name, reference] of Object.entries(node.results)) {
          sites.push({
            node: id,
            path: at('results', name),
            text: reference,
            accepts: ['text', 'images', 'integer', 'number', 'boolean'],
            role: 'a result',
            single: true,
          });
        }
        break;
    }
  }
  return sites;
}

/** What each node offers to others, by port name. */
export function nodePorts(node: FlowNode): Record<string, ValueType> {
  switch (node.type) {
    case 'text':
    case 'template':
      return { text: 'text' };
    case 'image':
      return { images: 'images' };
    case 'output':
      return {};
  }
}

export function inputValueType(input: FlowInput): ValueType {
  switch (input.type) {
    case 'image':
      return 'images';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'text';
  }
}

function describeType(type: ValueType): string {
  return type === 'images'
    ? 'images'
    : type === 'text'
      ? 'text'
      : type === 'integer'
        ? 'an integer'
        : `a ${type}`;
}

function describeAccepted(accepts: readonly ValueType[]): string {
  return accepts === textLike ? 'text, numbers or booleans' : accepts.map(describeType).join(' or ');
}

function checkReferences(document: FlowDocument, problemAt: ProblemAt, problems: FlowProblem[]): void {
  const inputNames = Object.keys(document.inputs);
  const nodeIds = Object.keys(document.nodes);
  for (const site of referenceSites(document)) {
    const references = site.single
      ? [parseReference(site.text.replace(/^\{\{\s*|\s*\}\}$/g, ''), site.text)]
      : findReferences(site.text);
    for (const reference of references) {
      if (reference.kind === 'invalid') {
        problems.push(problemAt(site.path, `${previewValue(reference.raw)}: ${reference.problem}`));
        continue;
      }
      const type = referenceType(document, reference);
      if (type.status === 'dangling') {
        const known = reference.kind === 'input' ? inputNames : nodeIds;
        const wanted = reference.kind === 'input' ? reference.name : reference.node;
        const what = reference.kind === 'input' ? 'input' : 'node';
        problems.push(
          problemAt(
            site.path,
            `${reference.raw} refers to the unknown ${what} "${wanted}"; known ${what}s: ${known.join(', ') || 'none'}.${didYouMean(nearestNames(known, wanted, { minimumTolerance: 2 }))}`,
          ),
        );
        continue;
      }
      if (type.status === 'no-port') {
        problems.push(
          problemAt(
            site.path,
            `${reference.raw}: node "${type.node}" (${type.nodeType}) has no output "${type.port}"; it offers ${type.offers.join(', ') || 'nothing'}`,
          ),
        );
        continue;
      }
      if (!site.accepts.includes(type.type)) {
        problems.push(
          problemAt(
            site.path,
            `${reference.raw} is ${describeType(type.type)}, but ${site.role} takes ${describeAccepted(site.accepts)}`,
          ),
        );
      }
      if (reference.kind === 'node' && reference.node === site.node) {
        problems.push(problemAt(site.path, `${reference.raw}: a node cannot use its own output`));
      }
    }
  }
}

function referenceType(
  document: FlowDocument,
  reference: FlowReference,
):
  | { status: 'ok'; type: ValueType }
  | { status: 'dangling' }
  | { status: 'no-port'; node: string; nodeType: string; port: string; offers: string[] } {
  if (reference.kind === 'input') {
    const input = document.inputs[reference.name];
    return input ? { status: 'ok', type: inputValueType(input) } : { status: 'dangling' };
  }
  const node = document.nodes[reference.node];
  if (!node) return { status: 'dangling' };
  const ports = nodePorts(node);
  const type = ports[reference.port];
  return type
    ? { status: 'ok', type }
    : {
        status: 'no-port',
        node: reference.node,
        nodeType: node.type,
        port: reference.port,
        offers: Object.keys(ports),
      };
}

/** The nodes each node reads from (its direct upstream), from the references in its fields. */
export function upstreamOf(document: FlowDocument): Map<string, Set<string>> {
  const upstream = new Map<string, Set<string>>(Object.keys(document.nodes).map((id) => [id, new Set()]));
  for (const site of referenceSites(document)) {
    for (const reference of findReferences(site.text)) {
      if (reference.kind === 'node' && document.nodes[reference.node] && reference.node !== site.node) {
        upstream.get(site.node)?.add(reference.node);
      }
    }
  }
  return upstream;
}

function checkCycles(document: FlowDocument, problemAt: ProblemAt, problems: FlowProblem[]): void {
  const upstream = upstreamOf(document);
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(id)), id];
      problems.push(
        problemAt(['nodes', id], `nodes form a cycle: ${cycle.join(' → ')}; a flow must be acyclic`),
      );
      return true;
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const next of upstream.get(id) ?? []) if (visit(next)) return true;
    stack.pop();
    state.set(id, 'done');
    return false;
  };
  for (const id of Object.keys(document.nodes)) {
    if (visit(id)) return;
  }
}

function checkVariants(document: FlowDocument, problemAt: ProblemAt, problems: FlowProblem[]): void {
  for (const [id, node] of Object.entries(document.nodes)) {
    if (node.type !== 'image' || typeof node.variants !== 'number') continue;
    if (node.variants < flowLimits.minVariants || node.variants > flowLimits.maxVariants) {
      problems.push(
        problemAt(
          ['nodes', id, 'variants'],
          `${node.variants} is out of range; allowed ${flowLimits.minVariants}–${flowLimits.maxVariants}`,
        ),
      );
    }
  }
}

/** The batch lane sends PNG requests only (src/batch): a JPEG node there would quietly run online. */
function checkLanes(document: FlowDocument, problemAt: ProblemAt, problems: FlowProblem[]): void {
  for (const [id, node] of Object.entries(document.nodes)) {
    if (node.type !== 'image' || node.lane !== 'batch' || node.format === 'png') continue;
    problems.push(
      problemAt(
        ['nodes', id, 'lane'],
        `"batch" needs format png (the Batch API lane sends PNG requests only); got format ${previewValue(node.format)}`,
      ),
    );
  }
}

function checkOutputs(
  document: FlowDocument,
  problemAt: ProblemAt,
  problems: FlowProblem[],
  warnings: FlowProblem[],
): void {
  const outputs = Object.entries(document.nodes).filter(([, node]) => node.type === 'output');
  if (outputs.length === 0) {
    warnings.push(
      problemAt(
        ['nodes'],
        'no output node: a run will have no result (add a node of type output)',
        'warning',
      ),
    );
  }
  for (const [id, node] of outputs) {
    if (node.type === 'output' && Object.keys(node.results).length === 0) {
      problems.push(problemAt(['nodes', id, 'results'], 'an output node needs at least one result'));
    }
  }
}

function checkModels(
  document: FlowDocument,
  models: FlowModelNames,
  problemAt: ProblemAt,
  problems: FlowProblem[],
): void {
  for (const [id, node] of Object.entries(document.nodes)) {
    if (node.type !== 'text' && node.type !== 'image') continue;
    const check = models.check(node.model);
    const path: FieldPath = ['nodes', id, 'model'];
    if (check.status === 'unknown') {
      problems.push(
        problemAt(
          path,
          `unknown model or logical name ${previewValue(node.model)}.${didYouMean(check.suggestions)}`,
        ),
      );
    } else if (check.modality !== undefined && check.modality !== node.type) {
      problems.push(
        problemAt(
          path,
          `${previewValue(node.model)} is ${check.modality === 'text' ? 'a text' : 'an image'} model, but a ${node.type} node needs ${node.type === 'text' ? 'a text' : 'an image'} model (for example ${node.type === 'text' ? 'text_fast' : 'image_fast'})`,
        ),
      );
    }
  }
}

function valueAt(data: unknown, path: ReadonlyArray<string | number>): unknown {
  let value = data;
  for (const segment of path) {
    if (!isRecord(value) && !Array.isArray(value)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
