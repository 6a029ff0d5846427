import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock/index.js';
import {
  ConfigError,
  configSchema,
  defaultConfig,
  parseConfig,
  type ImagegateConfigInput,
} from '../config/index.js';
import { Registry } from './registry.js';
import { NoUsableCandidateError, UnknownModelError } from './resolve-errors.js';

const june1 = Date.UTC(2026, 5, 1);
const june26 = Date.UTC(2026, 5, 26);

function registryAt(atMs: number, config: ImagegateConfigInput = {}) {
  return new Registry({ config: configSchema.parse(config), clock: new ManualClock(atMs) });
}

const summary = (route: ReturnType<Registry['resolve']>) =>
  route.candidates.map((candidate) => `${candidate.modelId}@${candidate.platform}`);

describe('Registry.resolve: logical names', () => {
  it('resolves the built-in image_fast route with lifecycle status and the default policy', () => {
    const route = new Registry({ config: defaultConfig, clock: new ManualClock(june1) }).resolve(
      'image_fast',
    );
    expect(route.isLogical).toBe(true);
    expect(summary(route)).toEqual(['gemini-3.1-flash-image@gemini-api', 'gemini-3-pro-image@gemini-api']);
    expect(route.candidates[0]?.lifecycle).toMatchObject({ stage: 'ga', isRetired: false });
    expect(route.policy).toEqual({
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
    expect(route.warnings).toEqual([]);
  });

  it('resolves image_quality to the Pro model first', () => {
    expect(summary(registryAt(june1).resolve('image_quality'))).toEqual([
      'gemini-3-pro-image@gemini-api',
      'gemini-3.1-flash-image@gemini-api',
    ]);
  });

  it('keeps a preview primary before its shutdown, warning with the days left', () => {
    const route = registryAt(june1, {
      routes: {
        seeds: { candidates: [{ model: 'gemini-3.1-flash-image-preview' }, { model: 'gemini-3-pro-image' }] },
      },
    }).resolve('seeds');
    expect(summary(route)).toEqual([
      'gemini-3.1-flash-image-preview@gemini-api',
      'gemini-3-pro-image@gemini-api',
    ]);
    expect(route.candidates[0]?.lifecycle.daysToShutdown).toBe(24);
    expect(route.warnings).toEqual([
      'gemini-3.1-flash-image-preview on gemini-api is a preview and shuts down on 2026-06-25 (in 24 days); successor gemini-3.1-flash-image',
    ]);
  });

  it('replaces a retired preview primary by its GA successor, naming the shutdown date', () => {
    const route = registryAt(june26, {
      routes: {
        seeds: { candidates: [{ model: 'gemini-3.1-flash-image-preview' }, { model: 'gemini-3-pro-image' }] },
      },
    }).resolve('seeds');
    expect(summary(route)).toEqual(['gemini-3.1-flash-image@gemini-api', 'gemini-3-pro-image@gemini-api']);
    expect(route.warnings).toEqual([
      'gemini-3.1-flash-image-preview on gemini-api was shut down on 2026-06-25; successor gemini-3.1-flash-image; using gemini-3.1-flash-image instead',
    ]);
  });

  it('drops a retired preview whose successor is already in the route', () => {
    const route = registryAt(june26, {
      routes: {
        seeds: {
          candidates: [{ model: 'gemini-3.1-flash-image-preview' }, { model: 'gemini-3.1-flash-image' }],
        },
      },
    }).resolve('seeds');
    expect(summary(route)).toEqual(['gemini-3.1-flash-image@gemini-api']);
    expect(route.warnings[0]).toContain('was shut down on 2026-06-25');
    expect(route.warnings[0]).toContain('skipped (gemini-3.1-flash-image is already in the route)');
  });

  it('judges retirement per platform: the Vertex preview lives longer', () => {
    const route = registryAt(june26, {
      routes: { seeds: { candidates: [{ model: 'gemini-3.1-flash-image-preview', platform: 'vertex-ai' }] } },
    }).resolve('seeds');
    expect(summary(route)).toEqual(['gemini-3.1-flash-image-preview@vertex-ai']);
    expect(route.warnings[0]).toContain('shuts down on 2026-07-17 (in 21 days)');
  });

  it('expands nested routes and merges duplicates', () => {
    const route = registryAt(june1, {
      routes: {
        layered: { candidates: [{ model: 'gemini-3-pro-image' }, { route: 'image_fast' }] },
      },
    }).resolve('layered');
    expect(summary(route)).toEqual(['gemini-3-pro-image@gemini-api', 'gemini-3.1-flash-image@gemini-api']);
  });

  it('skips a preview that would be a fallback', () => {
    // The config loader rejects this; a registry built on an unchecked config still never falls back to a preview.
    const route = registryAt(june1, {
      routes: { r: { candidates: [{ model: 'gemini-3-pro-image' }, { model: 'nano-banana-pro-preview' }] } },
    }).resolve('r');
    expect(summary(route)).toEqual(['gemini-3-pro-image@gemini-api']);
    expect(route.warnings[0]).toContain('a fallback must be GA, so it is skipped');
  });

  it('applies route policy over the defaults, field by field', () => {
    const route = registryAt(june1, {
      defaults: { parameterPolicy: 'refuse', retry: { maxAttempts: 2 } },
      routes: {
        r: {
          candidates: [{ model: 'gemini-3-pro-image' }],
          fallbackOn: ['unavailable'],
          retry: { maxTotalWaitMs: 5_000 },
          totalBudgetMs: 20_000,
        },
      },
    }).resolve('r');
    expect(route.policy).toEqual({
      fallbackOn: ['unavailable'],
      parameterPolicy: 'refuse',
      retry: { maxAttempts: 2, maxTotalWaitMs: 5_000, baseDelayMs: 1_000, maxDelayMs: 30_000 },
      totalBudgetMs: 20_000,
    });
  });

  it('runs every candidate on the platform asked for, skipping models it does not offer', () => {
    const route = registryAt(june1, {
      routes: {
        r: { candidates: [{ model: 'gemini-3-pro-image-preview' }, { model: 'gemini-3-pro-image' }] },
      },
    }).resolve('r', { platform: 'vertex-ai' });
    expect(summary(route)).toEqual(['gemini-3-pro-image@vertex-ai']);
    expect(route.warnings).toEqual(['gemini-3-pro-image-preview is not offered on vertex-ai; skipped']);
  });

  it('throws NoUsableCandidateError, with every reason, when nothing is left', () => {
    const registry = registryAt(june26, {
      routes: { only_preview: { candidates: [{ model: 'gemini-3-pro-image-preview' }] } },
    });
    const error = (() => {
      try {
        registry.resolve('only_preview', { platform: 'vertex-ai' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(NoUsableCandidateError);
    expect((error as NoUsableCandidateError).reasons).toEqual([
      'gemini-3-pro-image-preview is not offered on vertex-ai; skipped',
    ]);
  });
});

describe('Registry.resolve: concrete model IDs', () => {
  it('resolves an alias to its canonical ID with the default policy', () => {
    const route = registryAt(june1, { defaults: { parameterPolicy: 'drop-with-warning' } }).resolve(
      'nano-banana-pro-preview',
    );
    expect(route.isLogical).toBe(false);
    expect(summary(route)).toEqual(['gemini-3-pro-image-preview@gemini-api']);
    expect(route.policy.parameterPolicy).toBe('drop-with-warning');
    expect(route.warnings[0]).toContain('shuts down on 2026-06-25');
  });

  it('accepts a models/ prefix and a platform', () => {
    expect(
      summary(registryAt(june1).resolve('models/gemini-3-pro-image', { platform: 'vertex-ai' })),
    ).toEqual(['gemini-3-pro-image@vertex-ai']);
  });

  it('gives a retired preview ID the same treatment as a route', () => {
    const route = registryAt(june26).resolve('gemini-3-pro-image-preview');
    expect(summary(route)).toEqual(['gemini-3-pro-image@gemini-api']);
    expect(route.warnings[0]).toContain('using gemini-3-pro-image instead');
  });

  it('does not replace a retired GA model by a model of another family', () => {
    const afterGaShutdown = Date.UTC(2026, 9, 3);
    expect(() => registryAt(afterGaShutdown).resolve('gemini-2.5-flash-image')).toThrow(
      /No usable model for "gemini-2\.5-flash-image": gemini-2\.5-flash-image on gemini-api was shut down on 2026-10-02; successor gemini-3\.1-flash-image; skipped/,
    );
  });

  it('rejects an unknown name with suggestions and the known logical names', () => {
    const registry = registryAt(june1);
    const error = (() => {
      try {
        registry.resolve('gemini-3.1-pro-image');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UnknownModelError);
    expect((error as UnknownModelError).requested).toBe('gemini-3.1-pro-image');
    expect((error as UnknownModelError).suggestions[0]).toBe('gemini-3-pro-image');
    expect((error as UnknownModelError).message).toMatch(
      /^Unknown model or logical name "gemini-3\.1-pro-image"\. Did you mean "gemini-3-pro-image".*\? Known logical names: image_fast, image_quality, text_fast\.$/,
    );
    expect(() => registry.resolve('image_fats')).toThrow(/Did you mean "image_fast"/);
  });
});

describe('Registry: limits, names and credentials', () => {
  const { config } = parseConfig(
    `
limits:
  - { platform: gemini-api, concurrency: 8, requestsPerMinute: 100 }
  - { platform: gemini-api, model: nano-banana-pro-preview, requestsPerMinute: 10 }
credentials:
  vertex-ai: { project: my-project, apiKeyEnv: VERTEX_EXPRESS_KEY }
routes:
  posters:
    candidates: [{ model: gemini-3-pro-image }]
`,
    { fileName: 'test.yaml', clock: new ManualClock(june1) },
  );
  const registry = new Registry({ config, clock: new ManualClock(june1) });

  it('merges a model limit over the platform-wide one, matching aliases', () => {
    expect(registry.limitsFor('gemini-api', 'gemini-3-pro-image-preview')).toEqual({
      concurrency: 8,
      requestsPerMinute: 10,
    });
    expect(registry.limitsFor('gemini-api', 'gemini-3-pro-image')).toEqual({
      concurrency: 8,
      requestsPerMinute: 100,
    });
    expect(registry.limitsFor('vertex-ai', 'gemini-3-pro-image')).toEqual({});
  });

  it('lists logical names, built-in ones included', () => {
    expect(registry.logicalNames()).toEqual(['image_fast', 'image_quality', 'text_fast', 'posters']);
  });

  it('returns credential sources, never values', () => {
    expect(registry.credentialsFor('gemini-api')).toEqual({
      platform: 'gemini-api',
      apiKeyEnv: 'GEMINI_API_KEY',
    });
    expect(registry.credentialsFor('vertex-ai')).toEqual({
      platform: 'vertex-ai',
      project: 'my-project',
      projectEnv: 'GOOGLE_CLOUD_PROJECT',
      locationEnv: 'GOOGLE_CLOUD_LOCATION',
      apiKeyEnv: 'VERTEX_EXPRESS_KEY',
    });
  });
});

describe('Registry.resolve: a config object that skipped load-time validation', () => {
  it('reports a route cycle as a ConfigError naming the route', () => {
    const registry = registryAt(june1, {
      routes: {
        loop_a: { candidates: [{ route: 'loop_b' }] },
        loop_b: { candidates: [{ route: 'loop_a' }] },
      },
    });
    expect(() => registry.resolve('loop_a')).toThrow(ConfigError);
    expect(() => registry.resolve('loop_a')).toThrow(/routes\.loop_a: route "loop_a" is part of a cycle/);
  });
});
