/**
 * Runs every benchmark in this folder (each file exports `run()`), or only those whose file name
 * contains one of the arguments: `npm run bench -- regress`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const folder = fileURLToPath(new URL('.', import.meta.url));
const filters = process.argv.slice(2);
const files = (await readdir(folder))
  .filter((name) => name.endsWith('.ts') && name !== 'run.ts' && !name.endsWith('.test.ts'))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();
for (const name of files) {
  const bench = (await import(pathToFileURL(`${folder}/${name}`).href)) as { run?: () => Promise<void> };
  if (typeof bench.run !== 'function') throw new Error(`bench/${name} does not export run()`);
  console.log(`\n# ${name}`);
  await bench.run();
}
