import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * The published package holds product code only: no test, no test helper, nothing that imports vitest
 * (a dev dependency a user of the package does not have).
 */
const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);
const testOnly = /(\.test\.|\/test-support\/|\/testing\.)/;

describe('the npm package', () => {
  it('builds no test file or test helper into dist', async () => {
    const tsc = join(repositoryRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const { stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], {
      cwd: repositoryRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    const sources = stdout.split('\n').filter((file) => file.startsWith(join(repositoryRoot, 'src')));
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((file) => testOnly.test(file))).toEqual([]);
    const importingVitest: string[] = [];
    for (const file of sources) {
      if (/from 'vitest'/.test(await readFile(file, 'utf8'))) importingVitest.push(file);
    }
    expect(importingVitest).toEqual([]);
  });

  it('packs only dist and schema (npm pack --dry-run)', async () => {
    const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repositoryRoot,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [packed] = JSON.parse(stdout) as [{ files: { path: string }[] }];
    const paths = packed.files.map((file) => file.path);
    expect(paths.filter((path) => testOnly.test(path))).toEqual([]);
    expect(
      paths.filter(
        (path) => !/^(dist|schema)\//.test(path) && !/^(package\.json|README\.md|LICENSE)$/.test(path),
      ),
    ).toEqual([]);
  });
});
