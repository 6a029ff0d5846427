/**
 * `npm run drill -- crash|retire [--json] [--repetitions N] [--tasks N]`: failure drills that take
 * minutes, never part of `npm test`. Figures and their conditions go in docs/benchmarks.md.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { crashDrill } from './crash-drill.js';
import { retireDrill } from './retire-drill.js';

const argumentsSchema = z.object({
  drill: z.enum(['crash', 'retire'], { error: 'name a drill: crash or retire' }),
  json: z.boolean().default(false),
  repetitions: z.coerce.number().int().min(1).max(100).default(10),
  tasks: z.coerce.number().int().min(10).max(100_000).default(1000),
});

const { values, positionals } = parseArgs({
  options: {
    json: { type: 'boolean' },
    repetitions: { type: 'string' },
    tasks: { type: 'string' },
  },
  allowPositionals: true,
});
const parsed = argumentsSchema.safeParse({ drill: positionals[0], ...values });
if (!parsed.success) {
  const issue = parsed.error.issues[0];
  console.error(`drill: ${issue?.path.join('.') || 'arguments'}: ${issue?.message ?? 'invalid'}`);
  process.exit(2);
}
const settings = parsed.data;
const onProgress = (line: string) => console.error(line);

if (settings.drill === 'crash') {
  const runs = await crashDrill({
    repetitions: settings.repetitions,
    tasksPerRepetition: settings.tasks,
    drainDeadlineMs: 180_000,
    onProgress,
  });
  const total = (key: 'lost' | 'duplicated' | 'stuck' | 'failed') =>
    runs.reduce((sum, run) => sum + run[key], 0);
  const summary = {
    runs: runs.length,
    tasksPerRun: settings.tasks,
    lost: total('lost'),
    duplicated: total('duplicated'),
    stuck: total('stuck'),
    failed: total('failed'),
    killedAfterCalls: runs.map((run) => run.callsBeforeKill),
    drainSeconds: runs.map((run) => Number((run.drainMs / 1000).toFixed(1))),
  };
  console.log(
    settings.json
      ? JSON.stringify({ summary, runs }, null, 2)
      : `crash drill: ${summary.runs} runs of ${summary.tasksPerRun} tasks — lost ${summary.lost}, duplicated ${summary.duplicated}, stuck ${summary.stuck} (failed after retries: ${summary.failed})`,
  );
  process.exitCode = summary.lost + summary.duplicated + summary.stuck === 0 ? 0 : 1;
} else {
  const result = await retireDrill({
    fromDate: '2025-07-01',
    toDate: '2026-11-01',
    tasksPerRoutePerWeek: 2,
    onProgress,
  });
  if (settings.json) console.log(JSON.stringify(result, null, 2));
  else {
    console.log(`retire drill: ${result.weeks} weeks, ${result.tasks} tasks, ${result.failed} failed`);
    console.log(`served by: ${JSON.stringify(result.servedBy)}`);
    for (const warning of result.warnings) {
      console.log(
        `  ${warning.model}: shutdown ${warning.shutdownDate}, guard warned from ${warning.firstWarnedOn ?? 'never'}` +
          (warning.daysAhead === null ? '' : ` (${warning.daysAhead} days ahead)`),
      );
    }
  }
  process.exitCode = result.failed === 0 ? 0 : 1;
}
