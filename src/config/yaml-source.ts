import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { FieldPath } from './field-path.js';

/** A parsed YAML file that still knows where each value was written. */
export interface YamlSource {
  /** The plain data; `undefined` for an empty file. */
  data: unknown;
  /** Syntax errors, each with the line it was found on. */
  syntaxErrors: Array<{ line: number; message: string }>;
  /**
   * The 1-based line of the field at `path` (of its key, where it has one). A path that is not in the
   * file maps to the line of its nearest written ancestor; an empty document maps to nothing.
   */
  lineOf(path: FieldPath): number | undefined;
}

export function parseYamlSource(text: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const syntaxErrors = document.errors.map((error) => ({
    line: lineAt(error.pos[0]),
    message: error.message.split('\n')[0] ?? error.message,
  }));
  return {
    data: syntaxErrors.length > 0 ? undefined : (document.toJS() as unknown),
    syntaxErrors,
    lineOf(path) {
      let node: unknown = document.contents;
      let line = rangeStart(node);
      for (const segment of path) {
        if (isMap(node)) {
          const pair = node.items.find(
            (item) => isPair(item) && isScalar(item.key) && item.key.value === segment,
          );
          if (!pair) break;
          line = rangeStart(pair.key) ?? line;
          node = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          const item = node.items[segment];
          if (item === undefined) break;
          node = item;
          line = rangeStart(item) ?? line;
        } else {
          break;
        }
      }
      return line === undefined ? undefined : lineAt(line);
    },
  };
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null | undefined)?.range?.[0];
}
