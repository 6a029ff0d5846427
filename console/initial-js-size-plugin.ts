import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The budget for the JavaScript a first visit loads, gzipped. */
export const initialJsBudgetKb = 250;

interface ChunkLike {
  type: 'chunk' | 'asset';
  isEntry?: boolean;
  imports?: string[];
  code?: string;
}

/** Gzipped bytes of the JavaScript a first visit loads: the entry chunks and every chunk they import statically. */
export function initialJsGzipBytes(bundle: Record<string, ChunkLike>): number {
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    const chunk = bundle[fileName];
    if (seen.has(fileName) || chunk?.type !== 'chunk') return;
    seen.add(fileName);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [fileName, chunk] of Object.entries(bundle))
    if (chunk.type === 'chunk' && chunk.isEntry) visit(fileName);
  return [...seen].reduce(
    (sum, fileName) => sum + gzipSync(bundle[fileName]?.code ?? '', { level: 9 }).length,
    0,
  );
}

/** Prints the console's initial JavaScript, gzipped, after each build, and warns over the budget. */
export function initialJsSize(options: { budgetKb: number }): Plugin {
  return {
    name: 'imagegate-initial-js-size',
    apply: 'build',
    // writeBundle, not generateBundle: Vite's own generateBundle still rewrites the entry (its list of
    // chunks to preload) after ours would run, so only the written bundle is what a browser loads.
    writeBundle(_output, bundle) {
      const kb = initialJsGzipBytes(bundle as unknown as Record<string, ChunkLike>) / 1024;
      const verdict = kb <= options.budgetKb ? 'within' : 'OVER';
      console.log(
        `console: initial JavaScript ${kb.toFixed(1)} KB gzipped (${verdict} the ${options.budgetKb} KB budget)`,
      );
    },
  };
}
