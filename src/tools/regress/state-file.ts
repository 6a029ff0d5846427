import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pairRecordSchema, type PairRecord } from './pair-record.js';
import { ImagegateError, type ImagegateErrorOptions } from '../../errors/index.js';

/** Name of the resume file inside the out directory. */
export const stateFileName = 'state.jsonl';

export class StateFileError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('invalid_input', message, options);
  }
}

/**
 * Finished pairs by key. A last line cut short (the run was killed while writing it) is ignored, so its
 * pair runs again; any other bad line is an error that names it.
 */
export async function readFinishedPairs(path: string): Promise<Map<string, PairRecord>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw error;
  }
  const lines = text.split('\n');
  const finished = new Map<string, PairRecord>();
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    const isLastLine = lines.slice(index + 1).every((rest) => rest.trim() === '');
    const record = parseLine(line);
    if (record.ok) finished.set(record.value.key, record.value);
    else if (!(isLastLine && !text.endsWith('\n'))) {
      throw new StateFileError(
        `${path}:${index + 1}: not a finished pair (${record.problem}); delete the line or the file to run it again`,
      );
    }
  }
  return finished;
}

/** Appends one finished pair as a single line, so an interrupt loses at most the pair being written. */
export async function appendFinishedPair(path: string, record: PairRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, `${JSON.stringify(record)}\n`);
}

function parseLine(line: string): { ok: true; value: PairRecord } | { ok: false; problem: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (error) {
    return { ok: false, problem: `invalid JSON: ${(error as Error).message}` };
  }
  const result = pairRecordSchema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  return { ok: false, problem: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
}
