/**
 * `npm run fuzz [-- --requests N --seed S]`: the long fuzz run (default 10 000 generated requests plus the
 * hand-made attacks at full size). Prints the figures docs/fuzz.md publishes; exits 1 on any 5xx, crash
 * or finding. Run with `--expose-gc` (the npm script does) so RSS is read after a full collection.
 */
import { arch, cpus, platform, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { runFuzz } from './fuzz-requests.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '10000' }, seed: { type: 'string', default: '20261129' } },
});
const generated = Number(values.requests);
const seed = Number(values.seed);
if (!Number.isInteger(generated) || generated < 1 || !Number.isInteger(seed)) {
  console.error(
    `Invalid --requests "${values.requests}" or --seed "${values.seed}": whole numbers expected.`,
  );
  process.exit(2);
}
const collect = (globalThis as { gc?: () => void }).gc;
const gc = collect
  ? async () => {
      collect();
      await new Promise((resolve) => setImmediate(resolve));
      collect();
    }
  : undefined;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const startedMs = performance.now();
const run = await runFuzz({ generated, seed, attackScale: 1, ...(gc ? { gc } : {}) });
const seconds = ((performance.now() - startedMs) / 1000).toFixed(1);
console.log(
  `machine:        ${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}, ${mb(totalmem())}, ${platform()} ${arch()}, Node ${process.version}`,
);
console.log(`seed:           ${seed}`);
console.log(
  `requests:       ${run.requests} (${generated} generated from the OpenAPI document + the hand-made attacks) in ${seconds} s`,
);
console.log(
  `statuses:       ${Object.entries(run.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ')}`,
);
console.log(`5xx:            ${run.serverErrors}`);
console.log(`crashes:        ${run.crashes}`);
console.log(`findings:       ${run.findings.length}`);
console.log(
  `RSS:            ${mb(run.rssBeforeBytes)} before, ${mb(run.rssAfterAttacksBytes)} after the attacks, ${mb(run.rssAfterBytes)} after all${gc ? '' : ' (no --expose-gc: figures include garbage)'}`,
);
for (const finding of run.findings.slice(0, 20)) console.log(`  ${finding.problem}\n    ${finding.request}`);
process.exitCode = run.serverErrors + run.crashes + run.findings.length === 0 ? 0 : 1;
