import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { expect } from 'vitest';

/** Finding a Chromium for the browser tests: on PATH only, as `which` would, never a fixed install path. */

/** Executable names Chromium goes by across distributions. */
export const chromiumNames = [
  'chromium',
  'chromium-browser',
  'google-chrome-stable',
  'google-chrome',
] as const;

/** The first executable named `names[i]` in the PATH directories, in PATH order for each name. */
export function findOnPath(
  names: readonly string[],
  environment: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const directories = (environment.PATH ?? '').split(delimiter).filter((directory) => directory !== '');
  for (const name of names) {
    for (const directory of directories) {
      const candidate = join(directory, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here; keep looking.
      }
    }
  }
  return undefined;
}

/**
 * Chromium's path for a browser test, or undefined to skip it with one printed line. Under CI=true a
 * missing Chromium fails instead, so that a broken runner image cannot silently skip the suite.
 */
export function chromiumForTests(): string | undefined {
  const found = findOnPath(chromiumNames);
  if (found === undefined) {
    const message = `Chromium not found on PATH (${chromiumNames.join(', ')}): browser tests are skipped`;
    if (process.env.CI === 'true') expect.fail(`${message}, which CI does not allow`);
    console.warn(message);
  }
  return found;
}

/** Launch flags for a headless Chromium in a container: no sandbox, GPU or background traffic. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
