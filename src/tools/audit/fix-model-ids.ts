import type { AuditFinding } from './run-audit.js';
import type { ScannedFile } from './scan-tree.js';

export interface Replacement {
  offset: number;
  /** The ID as written. */
  from: string;
  to: string;
  line: number;
  column: number;
}

export interface FilePatch {
  path: string;
  absolutePath: string;
  before: string;
  after: string;
  replacements: Replacement[];
}

export interface FixOptions {
  /**
   * `logical`: a logical name where the config routes to the successor, else the successor's ID;
   * `model`: always the successor's ID. Default 'logical'.
   */
  target?: 'logical' | 'model';
}

/**
 * What `--fix` would write: retired and preview IDs replaced by their successor (or logical name),
 * nothing else touched. An ID inside a resource path (`models/…`) always becomes a model ID, since a
 * logical name there would reach Google as a model name.
 */
export function planFixes(
  findings: AuditFinding[],
  files: ScannedFile[],
  options: FixOptions = {},
): FilePatch[] {
  const byPath = new Map<string, AuditFinding[]>();
  for (const finding of findings) {
    if (finding.allowed || !(finding.kind === 'retired' || finding.kind === 'preview')) continue;
    if (!finding.gaSuccessor) continue;
    byPath.set(finding.path, [...(byPath.get(finding.path) ?? []), finding]);
  }
  const patches: FilePatch[] = [];
  for (const file of files) {
    const fileFindings = byPath.get(file.path);
    if (!fileFindings) continue;
    const replacements = fileFindings
      .map((finding): Replacement => {
        const inResourcePath = file.text[finding.offset - 1] === '/';
        const to =
          options.target === 'model' || inResourcePath || finding.useInsteadKind !== 'logical-name'
            ? finding.gaSuccessor!
            : finding.useInstead!;
        return { offset: finding.offset, from: finding.id, to, line: finding.line, column: finding.column };
      })
      .sort((a, b) => a.offset - b.offset);
    patches.push({
      path: file.path,
      absolutePath: file.absolutePath,
      before: file.text,
      after: applyReplacements(file.text, replacements),
      replacements,
    });
  }
  return patches;
}

/** Replaces each `from` at its offset; throws if the text there is not what was found. */
export function applyReplacements(text: string, replacements: readonly Replacement[]): string {
  const parts: string[] = [];
  let cursor = 0;
  for (const replacement of [...replacements].sort((a, b) => a.offset - b.offset)) {
    if (text.slice(replacement.offset, replacement.offset + replacement.from.length) !== replacement.from) {
      throw new Error(
        `expected "${replacement.from}" at line ${replacement.line}, column ${replacement.column}; the file changed since it was scanned`,
      );
    }
    parts.push(text.slice(cursor, replacement.offset), replacement.to);
    cursor = replacement.offset + replacement.from.length;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

/** The replacements that turn the patched text back into the original (offsets in the patched text). */
export function reverseReplacements(replacements: readonly Replacement[]): Replacement[] {
  let shift = 0;
  return [...replacements]
    .sort((a, b) => a.offset - b.offset)
    .map((replacement) => {
      const reversed = {
        ...replacement,
        offset: replacement.offset + shift,
        from: replacement.to,
        to: replacement.from,
      };
      shift += replacement.to.length - replacement.from.length;
      return reversed;
    });
}

/**
 * A unified diff of a patch. Replacements never add or remove lines, so changed lines are compared
 * one to one and grouped into hunks with `contextLines` of context (default 3).
 */
export function unifiedDiff(patch: Pick<FilePatch, 'path' | 'before' | 'after'>, contextLines = 3): string {
  const before = lines(patch.before);
  const after = lines(patch.after);
  const changed = before.flatMap((line, index) => (line !== after[index] ? [index] : []));
  if (changed.length === 0) return '';
  const hunks: Array<{ start: number; end: number }> = [];
  for (const index of changed) {
    const start = Math.max(0, index - contextLines);
    const end = Math.min(before.length, index + contextLines + 1);
    const last = hunks.at(-1);
    if (last && start <= last.end) last.end = end;
    else hunks.push({ start, end });
  }
  const output = [`--- a/${patch.path}`, `+++ b/${patch.path}`];
  for (const hunk of hunks) {
    const length = hunk.end - hunk.start;
    output.push(`@@ -${hunk.start + 1},${length} +${hunk.start + 1},${length} @@`);
    for (let index = hunk.start; index < hunk.end; index++) {
      if (before[index] === after[index]) output.push(` ${before[index]}`);
      else output.push(`-${before[index]}`, `+${after[index]}`);
    }
  }
  return `${output.join('\n')}\n`;
}

/** Lines of a text; the empty string after a final newline is not a line. */
function lines(text: string): string[] {
  const split = text.split('\n');
  if (text.endsWith('\n')) split.pop();
  return split;
}
