import { findIdCandidates, prefilterNeedles, type IdMatch } from './model-id-pattern.js';
import { markdownCodeBlockRegions, notebookSourceRegions, type FileKind } from './text-regions.js';

/** Bytes looked at for a NUL to decide a file is binary (what git and grep do). */
export const binarySniffBytes = 8192;

export interface TextMatch extends IdMatch {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (SARIF's default column kind). */
  column: number;
}

export type BufferScan =
  | { status: 'binary' }
  | { status: 'no-candidates' }
  | { status: 'unreadable'; reason: string }
  | { status: 'scanned'; text: string; matches: TextMatch[] };

export function isBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, binarySniffBytes).includes(0);
}

/** Finds candidate IDs in a file's bytes, cheapest checks first. */
export function scanBuffer(bytes: Buffer, kind: FileKind): BufferScan {
  if (isBinary(bytes)) return { status: 'binary' };
  if (!prefilterNeedles.some((needle) => bytes.includes(needle))) return { status: 'no-candidates' };
  const text = bytes.toString('utf8');
  let matches: IdMatch[];
  if (kind === 'code') {
    matches = findIdCandidates(text);
  } else {
    let regions;
    try {
      regions = kind === 'markdown' ? markdownCodeBlockRegions(text) : notebookSourceRegions(text);
    } catch (error) {
      return { status: 'unreadable', reason: `not a valid notebook: ${(error as Error).message}` };
    }
    matches = regions.flatMap((region) => findIdCandidates(text, region.start, region.end));
  }
  return { status: 'scanned', text, matches: withPositions(text, matches) };
}

function withPositions(text: string, matches: IdMatch[]): TextMatch[] {
  if (matches.length === 0) return [];
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lineStarts.push(index + 1);
  }
  return matches.map((match) => {
    const lineIndex = lastLineStartAtOrBefore(lineStarts, match.start);
    return { ...match, line: lineIndex + 1, column: match.start - lineStarts[lineIndex]! + 1 };
  });
}

function lastLineStartAtOrBefore(lineStarts: number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}
