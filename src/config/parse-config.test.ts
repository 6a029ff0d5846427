import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import { ConfigError } from './config-error.js';
import { parseConfig } from './parse-config.js';

const beforePreviewShutdown = new ManualClock(Date.UTC(2026, 5, 1));
const afterPreviewShutdown = new ManualClock(Date.UTC(2026, 5, 26));

function parse(text: string, clock = beforePreviewShutdown) {
  return parseConfig(text, { fileName: 'imagegate.config.yaml', clock });
}

function errorOf(text: string, clock = beforePreviewShutdown): ConfigError {
  try {
    parse(text, clock);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig: shape and defaults', () => {
  it('gives the built-in routes and every default for an empty file', () => {
    const { config, warnings, source } = parse('');
    expect(source).toBe('imagegate.config.yaml');
    expect(warnings).toEqual([]);
    expect(config.routes.image_fast?.candidates.map((candidate) => candidate.model)).toEqual([
      'gemini-3.1-flash-image',
      'gemini-3-pro-image',
    ]);
    expect(config.routes.image_quality?.candidates.map((candidate) => candidate.model)).toEqual([
      'gemini-3-pro-image',
      'gemini-3.1-flash-image',
    ]);
    expect(config.defaults).toEqual({
      fallbackOn: [
        'no_image',
        'wrong_output',
        'rate_limited',
        'quota_exhausted',
        'unavailable',
        'model_retired',
        'region_blocked',
      ],
      parameterPolicy: 'translate',
      retry: { maxAttempts: 3, maxTotalWaitMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
      totalBudgetMs: 180_000,
    });
    expect(config.credentials).toEqual({
      'gemini-api': { apiKeyEnv: 'GEMINI_API_KEY' },
      'vertex-ai': { projectEnv: 'GOOGLE_CLOUD_PROJECT', locationEnv: 'GOOGLE_CLOUD_LOCATION' },
    });
    expect(config.lifecycle.warnDays).toEqual([90, 30, 7]);
  });

  it('keeps the built-in routes beside routes of the file, and lets a route of the same name replace one', () => {
    const { config } = parse(`
routes:
  image_fast:
    candidates:
      - { model: gemini-3-pro-image }
  posters:
    candidates:
      - { model: gemini-3-pro-image, platform: vertex-ai }
`);
    expect(Object.keys(config.routes).sort()).toEqual([
      'image_fast',
      'image_quality',
      'posters',
      'text_fast',
    ]);
    expect(config.routes.image_fast?.candidates).toEqual([{ model: 'gemini-3-pro-image' }]);
  });

  it('merges a partial defaults section with the built-in defaults', () => {
    const { config } = parse('defaults:\n  parameterPolicy: refuse\n  retry: { maxAttempts: 5 }\n');
    expect(config.defaults.parameterPolicy).toBe('refuse');
    expect(config.defaults.retry).toEqual({
      maxAttempts: 5,
      maxTotalWaitMs: 60_000,
      baseDelayMs: 1_000,
      maxDelayMs: 30_000,
    });
    expect(config.defaults.totalBudgetMs).toBe(180_000);
  });

  it('names the line and field of an unknown key and suggests the nearest allowed one', () => {
    const error = errorOf(
      'version: 1\nlimits:\n  - platform: gemini-api\n    requestsPerMinute: 5\n    concurency: 2\n',
    );
    expect(error.line).toBe(5);
    expect(error.field).toBe('limits[0].concurency');
    expect(error.message).toContain('unknown key "concurency". Did you mean "concurrency"?');
    expect(error.message).toContain('Allowed keys: platform, model, concurrency, requestsPerMinute');
  });

  it('names the bad value and the allowed ones for an enum', () => {
    const error = errorOf(
      'routes:\n  image_fast:\n    candidates: [{ model: gemini-3-pro-image }]\n    parameterPolicy: transl\n',
    );
    expect(error.line).toBe(4);
    expect(error.field).toBe('routes.image_fast.parameterPolicy');
    expect(error.message).toContain('"translate"|"drop-with-warning"|"refuse"');
    expect(error.message).toContain('(got "transl")');
  });

  it('rejects a fallback outcome the design never falls back on', () => {
    const error = errorOf('defaults:\n  fallbackOn: [unavailable, auth_failed]\n');
    expect(error.field).toBe('defaults.fallbackOn[1]');
    expect(error.message).toContain('(got "auth_failed")');
  });

  it('reports a YAML syntax error with its line', () => {
    const error = errorOf('routes:\n  image_fast:\n    candidates: [\n  bad: : :\n');
    expect(error.file).toBe('imagegate.config.yaml');
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.message).toContain('YAML syntax');
  });

  it('reports one syntax error once, not the knock-on errors the YAML parser adds after it', () => {
    const error = errorOf('routes:\n  image_fast: 1\n   extra: 2\n');
    expect(error.message).toContain('YAML syntax');
    expect(error.message.match(/YAML syntax/g)).toHaveLength(1);
    expect(errorOf('key: [1, 2\nother: }\n').message.match(/YAML syntax/g)).toHaveLength(1);
  });

  it('rejects a file that is not a mapping', () => {
    expect(errorOf('- just\n- a list\n').message).toContain('must hold a mapping');
  });

  it('lists every error in one ConfigError, in file order', () => {
    const error = errorOf('lifecycle:\n  warnDays: []\nversion: 2\n');
    expect(error.issues.map((issue) => issue.field)).toEqual(['lifecycle.warnDays', 'version']);
    expect(error.message).toContain('imagegate.config.yaml:2: lifecycle.warnDays');
    expect(error.message).toContain('imagegate.config.yaml:3: version');
  });
});

describe('parseConfig: credentials', () => {
  it('rejects an API key written where the variable name belongs, without echoing it', () => {
    const secret = 'AIzaSyA1234567890abcdefghijklmnopqrstu';
    const error = errorOf(`credentials:\n  gemini-api:\n    apiKeyEnv: ${secret}\n`);
    expect(error.line).toBe(3);
    expect(error.field).toBe('credentials.gemini-api.apiKeyEnv');
    expect(error.message).toContain('write the NAME of the environment variable');
    expect(error.message).not.toContain(secret);
  });

  it('points a literal apiKey key to apiKeyEnv', () => {
    const error = errorOf('credentials:\n  vertex-ai:\n    apiKey: abc\n');
    expect(error.field).toBe('credentials.vertex-ai.apiKey');
    expect(error.message).toContain('apiKeyEnv');
    expect(error.message).not.toContain('abc');
  });

  it('accepts variable names and a literal project and location', () => {
    const { config } = parse(
      'credentials:\n  gemini-api: { apiKeyEnv: MY_KEY }\n  vertex-ai: { project: my-project, location: us-central1 }\n',
    );
    expect(config.credentials['gemini-api'].apiKeyEnv).toBe('MY_KEY');
    expect(config.credentials['vertex-ai']).toMatchObject({ project: 'my-project', location: 'us-central1' });
  });
});

describe('parseConfig: semantic checks against the catalog and the clock', () => {
  it('suggests the nearest model for an unknown ID', () => {
    const error = errorOf(
      'routes:\n  image_fast:\n    candidates:\n      - { model: gemini-3.1-pro-image }\n',
    );
    expect(error.line).toBe(4);
    expect(error.field).toBe('routes.image_fast.candidates[0].model');
    expect(error.message).toMatch(
      /unknown model "gemini-3\.1-pro-image"\. Did you mean "gemini-3-pro-image"/,
    );
  });

  it('rejects a preview as a fallback, naming its successor', () => {
    const error = errorOf(
      'routes:\n  image_fast:\n    candidates:\n      - model: gemini-3-pro-image\n      - model: gemini-3.1-flash-image-preview\n',
    );
    expect(error.line).toBe(5);
    expect(error.field).toBe('routes.image_fast.candidates[1].model');
    expect(error.message).toContain('a fallback must be GA');
    expect(error.message).toContain('successor gemini-3.1-flash-image');
  });

  it('rejects a retired fallback, naming the shutdown date', () => {
    const error = errorOf(
      'routes:\n  image_fast:\n    candidates:\n      - model: gemini-3-pro-image\n      - model: gemini-2.5-flash-image-preview\n',
    );
    expect(error.message).toContain('was shut down on 2025-10-31');
  });

  it('warns, with the days left, when the primary is a preview', () => {
    const { warnings } = parse(
      'routes:\n  image_fast:\n    candidates:\n      - model: gemini-3.1-flash-image-preview\n      - model: gemini-3-pro-image\n',
    );
    expect(warnings).toEqual([
      'imagegate.config.yaml:4: routes.image_fast.candidates[0].model: the primary candidate is not GA: gemini-3.1-flash-image-preview on gemini-api is a preview and shuts down on 2026-06-25 (in 24 days); successor gemini-3.1-flash-image; requests fall back once it is gone',
    ]);
  });

  it('warns when the primary is already retired but a fallback is live', () => {
    const { warnings } = parse(
      'routes:\n  image_fast:\n    candidates:\n      - model: gemini-3.1-flash-image-preview\n      - model: gemini-3-pro-image\n',
      afterPreviewShutdown,
    );
    expect(warnings[0]).toContain('the primary candidate is gone');
    expect(warnings[0]).toContain('was shut down on 2026-06-25');
  });

  it('rejects a route whose every candidate is retired', () => {
    const error = errorOf(
      'routes:\n  old:\n    candidates:\n      - model: gemini-3-pro-image-preview\n',
      afterPreviewShutdown,
    );
    expect(error.field).toBe('routes.old.candidates');
    expect(error.line).toBe(3);
    expect(error.message).toContain('every candidate of route "old" is retired');
  });

  it('rejects a platform the catalog does not offer the model on', () => {
    const error = errorOf(
      'routes:\n  r:\n    candidates:\n      - { model: gemini-3-pro-image-preview, platform: vertex-ai }\n',
    );
    expect(error.field).toBe('routes.r.candidates[0].platform');
    expect(error.message).toContain('not offered on vertex-ai; it is offered on: gemini-api');
  });

  it('expands a route reference and reports a cycle once, at its first route', () => {
    const error = errorOf(`
routes:
  loop_a:
    candidates:
      - route: loop_b
  loop_b:
    candidates:
      - route: loop_a
  caller:
    candidates:
      - route: loop_a
`);
    expect(error.issues).toHaveLength(1);
    expect(error.field).toBe('routes.loop_a.candidates[0].route');
    expect(error.line).toBe(5);
    expect(error.message).toContain('loop_a → loop_b → loop_a');
  });

  it('suggests the nearest logical name for an unknown route reference', () => {
    const error = errorOf('routes:\n  r:\n    candidates:\n      - route: image_fats\n');
    expect(error.message).toContain('unknown logical name "image_fats". Did you mean "image_fast"?');
  });

  it('rejects a referenced route whose preview primary would become a fallback', () => {
    const error = errorOf(`
routes:
  previewed:
    candidates:
      - model: gemini-3.1-flash-image-preview
      - model: gemini-3.1-flash-image
  outer:
    candidates:
      - model: gemini-3-pro-image
      - route: previewed
`);
    expect(error.field).toBe('routes.outer.candidates[1].route');
    expect(error.message).toContain('reached through previewed');
  });

  it('rejects a logical name that is a model ID', () => {
    const error = errorOf(
      'routes:\n  gemini-3-pro-image:\n    candidates:\n      - model: gemini-3-pro-image\n',
    );
    expect(error.message).toContain('is also a model ID');
  });

  it('checks limits: unknown model, and duplicates', () => {
    const error = errorOf(`
limits:
  - { platform: gemini-api, model: gemini-3-pro-imag, concurrency: 2 }
  - { platform: gemini-api, model: gemini-3-pro-image, concurrency: 2 }
  - { platform: gemini-api, model: gemini-3-pro-image, requestsPerMinute: 10 }
`);
    expect(error.issues.map((issue) => [issue.field, issue.line])).toEqual([
      ['limits[0].model', 3],
      ['limits[2]', 5],
    ]);
    expect(error.issues[1]?.message).toContain('already set at limits[1]');
  });

  it('marks problems in built-in routes as such, without a line', () => {
    const afterEveryShutdown = new ManualClock(Date.UTC(2040, 0, 1));
    const catalog = {
      reviewedOn: '2026-01-01',
      models: [],
    };
    // An empty catalog makes the built-in models unknown: the error must point at the built-in route.
    expect(() => parseConfig('', { fileName: 'f.yaml', clock: afterEveryShutdown, catalog })).toThrow(
      /f\.yaml: routes\.image_fast\.candidates\[0\]\.model: unknown model .*\(built-in route; define a route named "image_fast" to replace it\)/,
    );
  });
});
