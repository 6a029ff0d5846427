import { readFile } from 'node:fs/promises';
import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ScenarioError, type ScenarioProblem } from './scenario-error.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

type PathSegment = string | number;

/**
 * Parses YAML or JSON scenario text (JSON is YAML). Errors name the file, line and field path and say
 * what is allowed.
 * @param fileName used in error messages (default `scenario`)
 */
export function parseScenario(text: string, fileName = 'scenario'): Scenario {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ScenarioError(
      fileName,
      document.errors.map((error) => ({
        path: '',
        line: error.linePos?.[0].line,
        column: error.linePos?.[0].col,
        message: (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  }
  const data: unknown = document.toJS() ?? {};
  const parsed = scenarioSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  const problems = flattenIssues(parsed.error.issues, []).map((problem) => ({
    ...problem,
    ...locate(document, lineCounter, problem.segments),
  }));
  problems.sort(
    (first, second) => (first.line ?? 0) - (second.line ?? 0) || (first.column ?? 0) - (second.column ?? 0),
  );
  throw new ScenarioError(
    fileName,
    problems.map(({ segments, ...problem }) => ({ ...problem, path: formatPath(segments) })),
  );
}

/** Reads and parses a scenario file; errors name the file. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError(path, [{ path: '', message: `cannot read the scenario file (${reason})` }]);
  }
  return parseScenario(text, path);
}

interface LocatedIssue {
  segments: PathSegment[];
  message: string;
}

/**
 * Turns zod issues into one problem per offending field. An unknown key points at the key itself; a
 * union whose alternatives all failed points into the one alternative that got past the type check
 * (a malformed object step), otherwise it keeps the union's own "expected …" message.
 */
function flattenIssues(issues: readonly z.core.$ZodIssue[], prefix: PathSegment[]): LocatedIssue[] {
  return issues.flatMap((issue): LocatedIssue[] => {
    const segments = [
      ...prefix,
      ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment)),
    ];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeysAt(segments);
      return issue.keys.map((key) => ({
        segments: [...segments, key],
        message: `unknown key "${key}"${allowed ? `; allowed keys: ${allowed.join(', ')}` : ''}`,
      }));
    }
    if (issue.code === 'invalid_union') {
      const deeper = issue.errors.filter((branch) => branch.some((inner) => !isShallowMismatch(inner)));
      if (deeper.length === 1 && deeper[0]) return flattenIssues(deeper[0], segments);
    }
    return [{ segments, message: issue.message }];
  });
}

function isShallowMismatch(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

/** The keys the schema allows for the object at `segments`, for "unknown key" messages. */
function allowedKeysAt(segments: PathSegment[]): string[] | undefined {
  let schema: z.core.$ZodType | undefined = scenarioSchema;
  for (const segment of [...segments, undefined]) {
    schema = unwrap(schema);
    if (!schema) return undefined;
    if (segment === undefined) break;
    const def = schema._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'object') schema = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === 'array') schema = def.element as z.core.$ZodType;
    else if (def.type === 'record') schema = def.valueType as z.core.$ZodType;
    else return undefined;
  }
  const def = schema?._zod.def as unknown as Record<string, unknown> | undefined;
  return def?.type === 'object' ? Object.keys(def.shape as object) : undefined;
}

/** Looks through optional/default wrappers and into the object alternative of a union. */
function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    if ('innerType' in def) current = def.innerType as z.core.$ZodType;
    else if (def.type === 'union') {
      current = (def.options as z.core.$ZodType[]).find(
        (option) => (unwrap(option)?._zod.def as unknown as Record<string, unknown>).type === 'object',
      );
    } else return current;
  }
  return current;
}

/** The line and column of the deepest node on the path that exists in the document. */
function locate(
  document: Document,
  lineCounter: LineCounter,
  segments: PathSegment[],
): Pick<ScenarioProblem, 'line' | 'column'> {
  for (let length = segments.length; length >= 0; length--) {
    const offset = nodeOffset(document, segments.slice(0, length));
    if (offset !== undefined) {
      const position = lineCounter.linePos(offset);
      return { line: position.line, column: position.col };
    }
  }
  return {};
}

/** Where a key's entry starts (for a map member) or where a node starts (for anything else). */
function nodeOffset(document: Document, segments: PathSegment[]): number | undefined {
  if (segments.length === 0) return document.contents?.range?.[0];
  const parent = document.getIn(segments.slice(0, -1), true);
  const last = segments[segments.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find(
      (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(last),
    );
    if (pair && isNode(pair.key)) return pair.key.range?.[0];
    return undefined;
  }
  const node = document.getIn(segments, true);
  return isNode(node) ? node.range?.[0] : undefined;
}

function formatPath(segments: PathSegment[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('');
}
