import { spawnSync } from 'node:child_process';

/**
 * Whether `command` runs here (found on PATH and answers `--version`). Where it does not, the tests that
 * need it skip with one printed line, except under `CI=true`, where a missing tool is a failure.
 */
export function commandAvailable(command: string, neededFor: string): boolean {
  const result = spawnSync(command, ['--version'], { stdio: 'ignore' });
  if (result.status === 0) return true;
  const why = result.error ? result.error.message : `exit ${String(result.status)}`;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but ${command} does not run (${why}): ${neededFor} needs it`);
  console.warn(`${neededFor} skipped: ${command} does not run here (${why}).`);
  return false;
}
