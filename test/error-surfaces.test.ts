import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { describeError } from '../src/cli/describe-error.js';
import { errorJson } from '../src/cli/error-json.js';
import { exitCodeFor } from '../src/cli/exit-codes.js';
import { ConfigError } from '../src/config/index.js';
import { ImageGenerationError, type Attempt } from '../src/engine/index.js';
import {
  errorAnswers,
  errorKinds,
  ExitCode,
  failureOutcomeKinds,
  type FailureOutcomeKind,
  ImagegateError,
  InvalidInputError,
  type ErrorKind,
} from '../src/errors/index.js';
import { FlowNotFoundError, InvalidFlowError } from '../src/flows/index.js';
import { apiErrorFor } from '../src/http/index.js';
import { FfmpegNotFoundError, MediaInputError } from '../src/media/index.js';
import { SafeFetchError, SsrfRefusedError } from '../src/net/index.js';
import { outcomeOf, outcomeRules } from '../src/outcome/index.js';
import { NoUsableCandidateError, UnknownModelError } from '../src/registry/index.js';
import { openAiErrorFor, openAiErrorForTask } from '../src/server/openai/openai-error.js';
import {
  BudgetExceededError,
  decideFailure,
  IdempotencyConflictError,
  UnsupportedSchemaVersionError,
  type TaskRecord,
} from '../src/tasks/index.js';
import { MissingPriceError } from '../src/tools/cost/index.js';

const attempt: Attempt = {
  modelId: 'gemini-3.1-flash-image',
  platform: 'gemini-api',
  outcome: 'unavailable',
  startedAtMs: 0,
  latencyMs: 10,
  waitedBeforeMs: 0,
};

/** A real error of each kind, thrown the way the code that owns it throws it. Exhaustive by type. */
const examples: { [Kind in ErrorKind]: () => unknown } = {
  ...(Object.fromEntries(
    failureOutcomeKinds.map((kind) => [
      kind,
      () => new ImageGenerationError(outcomeOf(kind, `${kind} happened`), [attempt], []),
    ]),
  ) as Record<FailureOutcomeKind, () => unknown>),
  invalid_input: () => new InvalidInputError('Invalid n: 9 is above 8', 'n'),
  invalid_media: () => new MediaInputError('refs/cat.txt is not an image', 'images[0]'),
  unknown_model: () => new UnknownModelError('imgae_fast', ['image_fast'], ['image_fast']),
  no_usable_model: () => new NoUsableCandidateError('old', ['retired on gemini-api']),
  invalid_config: () =>
    new ConfigError([{ severity: 'error', file: 'x.yaml', field: 'routes', message: 'required' }]),
  missing_tool: () => new FfmpegNotFoundError('ffmpeg was not found'),
  url_refused: () => new SsrfRefusedError('http://10.0.0.1/ is a private address', 'http://10.0.0.1/'),
  fetch_failed: () => new SafeFetchError('timed out', 'https://example.com/a.png', 'timeout'),
  invalid_flow: () =>
    new InvalidFlowError([{ file: 'f.yaml', field: 'nodes', message: 'empty', severity: 'error' }]),
  not_found: () => new FlowNotFoundError('run', 'run_1'),
  conflict: () => new IdempotencyConflictError('task_1'),
  budget_exceeded: () => new BudgetExceededError({ apiKeyId: 'key_1', limitUsd: 1 }, 0.99, 0.04),
  missing_price: () => new MissingPriceError(['price of 4K output']),
  incompatible_storage: () => new UnsupportedSchemaVersionError('schema version 9 is newer than 3'),
  internal_error: () => new Error('SQLITE_CORRUPT at /var/lib/imagegate/tasks.sqlite'),
};

function failedTask(error: TaskRecord['error']): TaskRecord {
  return { error } as TaskRecord;
}

describe.each(errorKinds.map((kind) => [kind] as const))('the %s kind', (kind) => {
  const error = examples[kind]();
  const row = errorAnswers[kind];

  it('is the kind the error carries', () => {
    if (kind === 'internal_error') expect(error).not.toBeInstanceOf(ImagegateError);
    else expect(error).toMatchObject({ kind });
  });

  it('exits the CLI with its code and says what to do next', () => {
    const retryable = error instanceof ImagegateError && error.isRetryable;
    expect(exitCodeFor(error)).toBe(retryable ? ExitCode.transientExhausted : row.exitCode);
    expect(errorJson(error)).toMatchObject({ ok: false, kind, exitCode: exitCodeFor(error) });
    const described = describeError(error);
    expect(described).toMatch(/^error: /);
    if (row.exitCode !== ExitCode.badInput && error instanceof ImagegateError) {
      expect(described).toContain(row.nextStep);
    }
  });

  it('answers both HTTP APIs with its status, type and code', () => {
    for (const answer of [apiErrorFor(error), openAiErrorFor(error)]) {
      expect(answer.status).toBe(row.status);
      expect(answer.type).toBe(row.type);
      const ownCode = error instanceof ImagegateError ? error.code : undefined;
      expect(answer.code).toBe(ownCode ?? row.code);
      expect(answer.message).not.toContain('SQLITE');
    }
  });

  it('fails a task with its task error type, which the OpenAI task route answers alike', () => {
    const decision = decideFailure(error);
    expect(decision.error.type).toBe(row.taskErrorType);
    const retryable = error instanceof ImagegateError && error.isRetryable;
    expect(decision.action).toBe(retryable ? 'retry' : 'fail');
    const answer = openAiErrorForTask(failedTask(decision.error));
    const taskRow = errorAnswers[row.taskErrorType];
    expect(answer.status).toBe(taskRow.status);
    expect(answer.code).toBe(taskRow.code);
  });
});

describe('the error table', () => {
  it('exits transient outcome kinds with 4 and permanent ones otherwise', () => {
    for (const kind of failureOutcomeKinds) {
      const transient = outcomeRules[kind].retryable;
      expect(errorAnswers[kind].exitCode === ExitCode.transientExhausted, kind).toBe(transient);
    }
  });

  it('is printed in docs/error-handling.md row for row', async () => {
    const documentation = await readFile(new URL('../docs/error-handling.md', import.meta.url), 'utf8');
    const rows = new Map(
      documentation
        .split('\n')
        .filter((line) => /^\| `[a-z_]+` +\|/.test(line))
        .map((line) => line.split('|').map((cell) => cell.trim().replace(/`/g, '')))
        .filter((cells) => cells.length === 9)
        .map((cells) => [cells[1], cells.slice(2, 8)] as const),
    );
    for (const kind of errorKinds) {
      const row = errorAnswers[kind];
      expect(rows.get(kind), `docs/error-handling.md has no row for ${kind}`).toEqual([
        String(row.exitCode),
        String(row.status),
        row.type,
        row.code,
        row.taskErrorType,
        row.nextStep.replace(/`/g, ''),
      ]);
    }
  });
});
