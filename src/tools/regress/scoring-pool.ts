import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { scoreImagePair, type ImagePairScores } from './score-pair.js';

/**
 * Scores pairs on worker threads (piscina), one per core up to `maxThreads` (default: every core), so
 * pairs that finish together are scored at once instead of one after another on the event loop, which also
 * keeps the run's model calls and progress output moving. The scores are those of `scoreImagePair`: the
 * workers call it.
 */
export class ScoringPool {
  private readonly pool: Piscina | undefined;

  constructor(options: { maxThreads?: number } = {}) {
    const threads = Math.max(1, options.maxThreads ?? availableParallelism());
    // Built, this module and its worker are .js. Run from the TypeScript source, a worker thread can load
    // the .ts worker only when tsx's loader is in the process's flags (`tsx`, `node --import tsx`, which
    // worker threads inherit); elsewhere (vitest transforms in-process) pairs are scored on this thread.
    const fromSource = import.meta.url.endsWith('.ts');
    if (threads === 1 || (fromSource && !process.execArgv.some((flag) => flag.includes('tsx')))) {
      this.pool = undefined;
      return;
    }
    const extension = fromSource ? 'ts' : 'js';
    this.pool = new Piscina({
      filename: new URL(`./score-pair-worker.${extension}`, import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 5_000,
    });
  }

  score(baselineBytes: Uint8Array, candidateBytes: Uint8Array): Promise<ImagePairScores> {
    if (!this.pool) return scoreImagePair(baselineBytes, candidateBytes);
    return this.pool.run({ baselineBytes, candidateBytes }) as Promise<ImagePairScores>;
  }

  /** Whether pairs are scored on worker threads (false: on the calling thread). */
  get threaded(): boolean {
    return this.pool !== undefined;
  }

  async close(): Promise<void> {
    await this.pool?.destroy();
  }
}
