/**
 * `imagegate audit`'s scanner against ripgrep, both searching the same regex over the same generated
 * tree of 100,000 small files (a few hundred with planted IDs). Prints both wall times and the ratio.
 * ripgrep: `apt-get install -y ripgrep` (Debian/Ubuntu) or `brew install ripgrep`; skipped when absent.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtInCatalog } from '../src/catalog/index.js';
import { modelIdCandidatePattern, runAudit } from '../src/tools/audit/index.js';

const folderCount = 1_000;
const filesPerFolder = 100;
/** Every this many files gets a planted ID. */
const plantEvery = 333;
const extensions = ['ts', 'py', 'json', 'yaml', 'go', 'md'];
/** Preview IDs and aliases from the catalog (no model ID is written in code outside the catalog). */
const plantedIds = builtInCatalog()
  .models.filter((model) => model.id.endsWith('-preview'))
  .flatMap((model) => [model.id, ...model.aliases]);

async function generateTree(root: string): Promise<number> {
  let planted = 0;
  for (let folder = 0; folder < folderCount; folder++) {
    const directory = join(root, `package-${folder}`, 'src');
    await mkdir(directory, { recursive: true });
    const writes: Promise<void>[] = [];
    for (let file = 0; file < filesPerFolder; file++) {
      const index = folder * filesPerFolder + file;
      const extension = extensions[index % extensions.length]!;
      const plant = index % plantEvery === 0 ? plantedIds[planted++ % plantedIds.length] : undefined;
      const body = [
        `// module ${index}: gemini-api client helpers`,
        `export const value${index} = ${index};`,
        ...(plant
          ? [extension === 'md' ? `\`\`\`\nmodel: ${plant}\n\`\`\`` : `const model = "${plant}";`]
          : []),
        'x'.repeat(200),
        '',
      ].join('\n');
      writes.push(writeFile(join(directory, `file-${file}.${extension}`), body));
    }
    await Promise.all(writes);
  }
  return planted;
}

async function timeAudit(root: string): Promise<{ ms: number; hits: number }> {
  const start = performance.now();
  const { report } = await runAudit({ cwd: root, catalog: builtInCatalog(), atMs: Date.now() });
  return { ms: performance.now() - start, hits: report.findings.length };
}

function timeRipgrep(root: string): { ms: number; hits: number } | undefined {
  const start = performance.now();
  // --pcre2 for the look-behind; -o -c counts every candidate (gemini-api included: ripgrep cannot ask
  // the catalog, so its count is higher than the audit's classified hits).
  const result = spawnSync(
    'rg',
    ['--pcre2', '-o', '--no-heading', '-c', modelIdCandidatePattern.source, '.'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const ms = performance.now() - start;
  if (result.error) return undefined;
  const hits = result.stdout
    .split('\n')
    .filter(Boolean)
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(':') + 1)), 0);
  return { ms, hits };
}

export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'imagegate-audit-bench-'));
  try {
    const planted = await generateTree(root);
    console.log(
      `tree: ${folderCount * filesPerFolder} files in ${folderCount} folders, ${planted} planted IDs; ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node ${process.version}`,
    );
    // One untimed pass each so both read from a warm page cache.
    await timeAudit(root);
    const ripgrepAvailable = timeRipgrep(root) !== undefined;
    const audit = await timeAudit(root);
    console.log(`imagegate audit scanner: ${audit.ms.toFixed(0)} ms, ${audit.hits} hits`);
    if (!ripgrepAvailable) {
      console.log('ripgrep: not installed, skipped (apt-get install -y ripgrep, or brew install ripgrep)');
      return;
    }
    const ripgrep = timeRipgrep(root)!;
    console.log(`ripgrep --pcre2:         ${ripgrep.ms.toFixed(0)} ms, ${ripgrep.hits} hits`);
    console.log(`ratio audit / ripgrep:   ${(audit.ms / ripgrep.ms).toFixed(2)}x`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
