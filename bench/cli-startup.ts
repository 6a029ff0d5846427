/**
 * CLI cold start: wall time of `imagegate --version` and `imagegate models` (no GEMINI_API_KEY, so the
 * built-in emulator answers models.list) from the built package (`dist/`, run `npm run build` first),
 * against bare `node -e 0` measured in the same run. Runs alternate, one process at a time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';

const REPEATS = Number(process.env.CLI_BENCH_REPEATS ?? 15);
const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function timeMs(args: string[]): number {
  const env = { ...process.env };
  delete env.GEMINI_API_KEY;
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsedMs = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsedMs;
}

export async function run(): Promise<void> {
  if (!existsSync(main)) {
    console.log('skipped: dist/cli/main.js is missing; run `npm run build` first');
    return;
  }
  const runs = {
    'baseline: node -e 0': ['-e', '0'],
    'imagegate --version': [main, '--version'],
    'imagegate models': [main, 'models'],
  };
  const samples = new Map<string, number[]>(Object.keys(runs).map((label) => [label, []]));
  for (let round = 0; round < REPEATS; round += 1) {
    for (const [label, args] of Object.entries(runs)) samples.get(label)!.push(timeMs(args));
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const baseline = median(samples.get('baseline: node -e 0')!);
  console.log(`${REPEATS} runs each, alternating`);
  console.log('| command | min | median | max | median ratio to node -e 0 |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [label, values] of samples) {
    console.log(
      `| ${label} | ${Math.min(...values).toFixed(0)} ms | ${median(values).toFixed(0)} ms | ${Math.max(...values).toFixed(0)} ms | ${(median(values) / baseline).toFixed(2)}x |`,
    );
  }
  const version = median(samples.get('imagegate --version')!);
  const models = median(samples.get('imagegate models')!);
  console.log(
    `goal --version ≤ 2x node -e 0: ${version <= 2 * baseline ? 'met' : 'missed'} (${(version / baseline).toFixed(2)}x); issue 12 when filed: 0.56 s, 8x`,
  );
  console.log(
    `goal models ≤ 0.3 s: ${models <= 300 ? 'met' : `missed by ${(models - 300).toFixed(0)} ms`} (${(models / 300).toFixed(2)}x the goal); issue 12 when filed: 0.76 s`,
  );
  console.log(
    `load average ${loadavg()
      .map((value) => value.toFixed(2))
      .join(' ')}`,
  );
}
