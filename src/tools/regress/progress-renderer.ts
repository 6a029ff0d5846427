import type { JudgedPair } from './summary.js';

export interface ProgressRendererOptions {
  write: (text: string) => void;
  /** A terminal redraws one bar in place; anything else gets a plain line every `lineEveryPairs` pairs. */
  isInteractive: boolean;
  /** Default 10. */
  lineEveryPairs?: number;
  /** Width of the bar in characters. Default 24. */
  barWidth?: number;
}

/** Progress of a regress run on stderr; never writes to stdout, so `--json` output stays clean. */
export class ProgressRenderer {
  private flagged = 0;
  private total = 0;
  private lastDone = 0;
  private readonly lineEveryPairs: number;
  private readonly barWidth: number;

  constructor(private readonly options: ProgressRendererOptions) {
    this.lineEveryPairs = options.lineEveryPairs ?? 10;
    this.barWidth = options.barWidth ?? 24;
  }

  start(progress: { total: number; resumed: number }): void {
    this.total = progress.total;
    this.lastDone = progress.resumed;
    const resumed = progress.resumed > 0 ? ` (${progress.resumed} already done, skipped)` : '';
    this.options.write(`Comparing ${progress.total} prompts${resumed}\n`);
    if (this.options.isInteractive && progress.resumed < progress.total)
      this.options.write(this.bar(progress.resumed));
  }

  pairFinished(progress: { done: number; total: number; pair: JudgedPair }): void {
    this.lastDone = progress.done;
    if (progress.pair.category !== 'indistinguishable') this.flagged++;
    if (this.options.isInteractive) {
      this.options.write(`\r${this.bar(progress.done)}`);
      if (progress.done === progress.total) this.options.write('\n');
    } else if (progress.done % this.lineEveryPairs === 0 || progress.done === progress.total) {
      this.options.write(`${progress.done}/${progress.total} pairs, ${this.flagged} flagged\n`);
    }
  }

  /** Ends an interactive bar that stopped short (cancelled). */
  finish(): void {
    if (this.options.isInteractive && this.lastDone < this.total) this.options.write('\n');
  }

  private bar(done: number): string {
    const filled = this.total === 0 ? this.barWidth : Math.round((done / this.total) * this.barWidth);
    return `[${'#'.repeat(filled)}${'-'.repeat(this.barWidth - filled)}] ${done}/${this.total} pairs · ${this.flagged} flagged`;
  }
}
