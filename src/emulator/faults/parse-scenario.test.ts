import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from './parse-scenario.js';
import { ScenarioError } from './scenario-error.js';

const exampleScenarioPath = fileURLToPath(new URL('../../../docs/examples/scenario.yaml', import.meta.url));

function problemsOf(text: string, fileName = 'drill.yaml') {
  try {
    parseScenario(text, fileName);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('parseScenario', () => {
  it('reads an empty document as the well-behaved emulator, with every default written out', () => {
    expect(parseScenario('')).toEqual({
      seed: 1,
      latency: { scale: 1, default: { medianMs: 0, p95Ms: 0 }, models: {} },
      streaming: { default: { firstChunkMs: 0, chunkGapMs: 0 }, models: {} },
      quotas: [],
      errors: [],
      outages: [],
      network: [],
      safety: [],
      downgrades: [],
      scripted: [],
      batches: { itemErrors: [] },
    });
  });

  it('reads the batches section and names a bad end or duration', () => {
    const scenario = parseScenario(
      'batches: { duration: 10m, end: expired, resultDownloadFailures: 2, itemErrors: [{ pattern: fox, status: 503, times: 1 }] }',
    );
    expect(scenario.batches).toEqual({
      duration: '10m',
      end: 'expired',
      resultDownloadFailures: 2,
      itemErrors: [{ model: '*', pattern: 'fox', status: 503, rate: 1, times: 1 }],
    });
    expect(() => parseScenario('batches: { end: lost }', 'b.yaml')).toThrow(/batches\.end/);
    expect(() => parseScenario('batches: { duration: soon }', 'b.yaml')).toThrow(/batches\.duration/);
    expect(() =>
      parseScenario('batches: { itemErrors: [{ status: 503, retryDelay: 1s }] }', 'b.yaml'),
    ).toThrow(/retryDelay is only allowed with status 429/);
  });

  it('reads JSON as well as YAML', () => {
    const scenario = parseScenario('{"seed": 5, "scripted": [{"model": "m", "responses": [503, "ok"]}]}');
    expect(scenario.seed).toBe(5);
    expect(scenario.scripted).toEqual([{ model: 'm', responses: [503, 'ok'], repeat: false }]);
  });

  it('reads an unquoted 512 as the image size "512"', () => {
    expect(parseScenario('downgrades: [{ from: 1K, to: 512 }]').downgrades[0]?.to).toBe('512');
  });

  it('names the file, line, column and field of an unknown key, with the allowed keys', () => {
    const error = problemsOf('seed: 3\nquotas:\n  - model: m\n    rpm: 5\n    burst: 3\n');
    expect(error.problems).toEqual([
      {
        path: 'quotas[0].burst',
        line: 5,
        column: 5,
        message:
          'unknown key "burst"; allowed keys: model, platform, methods, apiKey, rpm, rpd, retryDelay, retryAfterHeader',
      },
    ]);
    expect(error.message).toContain('drill.yaml:5:5 quotas[0].burst: unknown key "burst"');
  });

  it('points at the bad value and says what is allowed', () => {
    const error = problemsOf('errors:\n  - status: 502\n    rate: 1.5\n');
    expect(error.problems).toEqual([
      expect.objectContaining({
        path: 'errors[0].status',
        line: 2,
        message: expect.stringContaining('expected an HTTP error status, one of 400, 401, 403'),
      }),
      expect.objectContaining({ path: 'errors[0].rate', line: 3, message: 'expected a rate from 0 to 1' }),
    ]);
  });

  it('rejects an invalid regular expression, naming it', () => {
    const error = problemsOf('safety:\n  - pattern: "(?i)[weapon"\n    verdict: IMAGE_SAFETY\n');
    expect(error.problems[0]).toMatchObject({
      path: 'safety[0].pattern',
      line: 2,
      message: expect.stringContaining('pattern "(?i)[weapon" is not a valid regular expression'),
    });
  });

  it('explains what a scripted response may be', () => {
    const error = problemsOf('scripted:\n  - responses: [503, sometimes, {status: 429, quota: weekly}]\n');
    expect(error.problems).toEqual([
      expect.objectContaining({
        path: 'scripted[0].responses[1]',
        line: 2,
        message: expect.stringContaining('expected "ok", an HTTP error status such as 503'),
      }),
      expect.objectContaining({
        path: 'scripted[0].responses[2].quota',
        line: 2,
        message: expect.stringContaining('"per-minute"|"per-day"'),
      }),
    ]);
  });

  it('rejects a scripted object with two kinds of answer, and quota fields without a 429', () => {
    const error = problemsOf(
      'scripted:\n  - responses:\n      - { status: 503, fault: connection-reset }\n      - { status: 503, quota: per-day }\n',
    );
    expect(error.problems.map((problem) => [problem.path, problem.line, problem.message])).toEqual([
      [
        'scripted[0].responses[0]',
        3,
        'a scripted response needs exactly one of status, fault, verdict, servedImageSize; got status, fault',
      ],
      ['scripted[0].responses[1].quota', 4, 'quota is only allowed with status 429, not with 503'],
    ]);
  });

  it('checks time windows and instants', () => {
    const error = problemsOf(
      'clock: { now: tomorrow }\noutages:\n  - { from: "2026-06-26", until: "2026-06-25T00:00:00Z" }\n',
    );
    expect(error.problems.map((problem) => [problem.path, problem.line])).toEqual([
      ['clock.now', 1],
      ['outages[0].until', 3],
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = problemsOf('seed: 1\nquotas: [ { rpm: 1 }\n');
    expect(error.problems[0]).toMatchObject({ path: '', line: expect.any(Number) });
    expect(error.message).toMatch(/^Invalid scenario drill\.yaml:\n {2}drill\.yaml:\d+:\d+: /);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseScenario('seed: 1\nseed: 2\n')).toThrow(ScenarioError);
  });
});

describe('loadScenarioFile', () => {
  it('parses the documented example scenario', async () => {
    const scenario = await loadScenarioFile(exampleScenarioPath);
    expect(scenario.seed).toBe(42);
    expect(scenario.scripted.length).toBeGreaterThan(0);
    expect(scenario.clock).toEqual({ now: '2026-06-26T00:00:00Z', frozen: false });
  });

  it('names the file in errors', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'scenario-'));
    const path = join(directory, 'bad.yaml');
    await writeFile(path, 'seeds: 1\n');
    await expect(loadScenarioFile(path)).rejects.toThrow(`${path}:1:1 seeds: unknown key "seeds"`);
    await expect(loadScenarioFile(join(directory, 'missing.yaml'))).rejects.toThrow(
      /missing\.yaml: cannot read the scenario file \(ENOENT/,
    );
  });
});

describe('docs/emulator-scenarios.md', () => {
  it('shows only YAML scenarios that parse', async () => {
    const markdown = await readFile(
      fileURLToPath(new URL('../../../docs/emulator-scenarios.md', import.meta.url)),
      'utf8',
    );
    const yamlBlocks = [...markdown.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
    expect(yamlBlocks.length).toBeGreaterThanOrEqual(2);
    for (const block of yamlBlocks)
      expect(() => parseScenario(block, 'docs/emulator-scenarios.md')).not.toThrow();
  });
});
