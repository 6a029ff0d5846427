/**
 * Which parts of a file are scanned. Code and config files are scanned whole; Markdown only inside
 * fenced code blocks (prose mentions a model without hard-coding it); notebooks only inside cell
 * sources, with offsets into the raw file so lines and fixes point at the file as stored.
 */

export type FileKind = 'code' | 'markdown' | 'notebook';

export interface TextRegion {
  start: number;
  end: number;
}

/** Regions of a Markdown text that lie inside ``` or ~~~ fenced blocks (the fence lines excluded). */
export function markdownCodeBlockRegions(text: string): TextRegion[] {
  const regions: TextRegion[] = [];
  const fence = /^ {0,3}(`{3,}|~{3,})[^\n]*$/gm;
  let open: { marker: string; contentStart: number } | undefined;
  for (const match of text.matchAll(fence)) {
    const marker = match[1]!;
    const lineEnd = match.index + match[0].length;
    if (!open) {
      // An opening backtick fence may not contain backticks in its info string.
      if (marker.startsWith('`') && match[0].slice(match[0].indexOf(marker) + marker.length).includes('`'))
        continue;
      open = { marker, contentStart: Math.min(lineEnd + 1, text.length) };
    } else if (
      marker[0] === open.marker[0] &&
      marker.length >= open.marker.length &&
      match[0].trim() === marker
    ) {
      regions.push({ start: open.contentStart, end: match.index });
      open = undefined;
    }
  }
  // An unclosed fence runs to the end of the document (CommonMark).
  if (open) regions.push({ start: open.contentStart, end: text.length });
  return regions;
}

type JsonPath = Array<string | number>;

/**
 * Offsets of the string values inside the cells' `source` of a Jupyter notebook. Throws when the
 * text is not JSON, so a broken notebook is reported instead of silently skipped.
 */
export function notebookSourceRegions(text: string): TextRegion[] {
  const regions: TextRegion[] = [];
  for (const span of jsonStringValues(text)) {
    if (span.path[0] === 'cells' && typeof span.path[1] === 'number' && span.path[2] === 'source') {
      regions.push({ start: span.start, end: span.end });
    }
  }
  return regions;
}

/**
 * Walks a JSON text once and yields every string value with its raw offsets (quotes excluded) and its
 * path. A tiny hand-written scanner because JSON.parse forgets where values came from.
 */
export function* jsonStringValues(text: string): Generator<{ start: number; end: number; path: JsonPath }> {
  JSON.parse(text);
  const stack: Array<{ kind: 'object'; key: string | undefined } | { kind: 'array'; index: number }> = [];
  const path = (): JsonPath =>
    stack.map((frame) => (frame.kind === 'array' ? frame.index : (frame.key ?? '')));
  let expectingKey = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '"') {
      const start = index + 1;
      index = start;
      while (text[index] !== '"') index += text[index] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && expectingKey) {
        top.key = JSON.parse(text.slice(start - 1, index + 1)) as string;
        expectingKey = false;
      } else {
        yield { start, end: index, path: path() };
      }
    } else if (character === '{') {
      stack.push({ kind: 'object', key: undefined });
      expectingKey = true;
    } else if (character === '[') {
      stack.push({ kind: 'array', index: 0 });
    } else if (character === '}' || character === ']') {
      stack.pop();
    } else if (character === ',') {
      const top = stack.at(-1);
      if (top?.kind === 'array') top.index++;
      else expectingKey = true;
    }
  }
}
