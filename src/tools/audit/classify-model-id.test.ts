import { describe, expect, it } from 'vitest';
import { builtInCatalog } from '../../catalog/index.js';
import { defaultConfig, parseConfig } from '../../config/index.js';
import { classifyModelId, liveGaSuccessor, logicalNameFor } from './classify-model-id.js';

const catalog = builtInCatalog();
const atMs = Date.parse('2026-05-01T12:00:00Z');
const context = { catalog, atMs, config: defaultConfig };

describe('classifyModelId', () => {
  it('calls a model past its shutdown retired and suggests the logical name routing to its GA successor', () => {
    expect(classifyModelId('gemini-2.5-flash-image-preview', context)).toMatchObject({
      kind: 'retired',
      level: 'error',
      failsAudit: true,
      shutdownDate: '2025-10-31',
      // 2.5 Flash Image is GA but has a shutdown date itself, so the link is followed to 3.1 Flash Image.
      gaSuccessor: 'gemini-3.1-flash-image',
      useInstead: 'image_fast',
      useInsteadKind: 'logical-name',
    });
  });

  it('fails a preview with a shutdown date and resolves aliases', () => {
    expect(classifyModelId('nano-banana-pro-preview', context)).toMatchObject({
      kind: 'preview',
      canonicalId: 'gemini-3-pro-image-preview',
      daysLeft: 55,
      failsAudit: true,
      useInstead: 'image_quality',
    });
  });

  it('warns about a preview without a date, notes GA models, and suggests the successor ID without a config', () => {
    expect(classifyModelId('gemini-2.0-flash-exp-image-generation', { catalog, atMs })).toMatchObject({
      kind: 'preview',
      level: 'warning',
      failsAudit: false,
      useInstead: 'gemini-3.1-flash-image',
      useInsteadKind: 'model',
    });
    expect(classifyModelId('gemini-3-pro-image', context)).toMatchObject({
      kind: 'ga',
      level: 'note',
      useInstead: 'image_quality',
    });
  });

  it('flags unknown Gemini-shaped IDs with a suggestion and ignores other gemini- words', () => {
    const unknown = classifyModelId('gemini-3-pro-imge', context);
    expect(unknown).toMatchObject({ kind: 'unknown', level: 'warning', failsAudit: false });
    expect(unknown?.message).toContain('did you mean gemini-3-pro-image?');
    expect(classifyModelId('gemini-api', context)).toBeUndefined();
    expect(classifyModelId('nano-banana-3', context)).toBeUndefined();
  });

  it('judges on the requested platform', () => {
    const later = Date.parse('2026-11-01T00:00:00Z');
    expect(classifyModelId('gemini-2.5-flash-image', { catalog, atMs: later })?.kind).toBe('retired');
    expect(
      classifyModelId('gemini-2.5-flash-image', { catalog, atMs: later, platform: 'vertex-ai' })?.kind,
    ).toBe('ga');
  });
});

describe('liveGaSuccessor and logicalNameFor', () => {
  it('returns null when there is no successor', () => {
    const model = catalog.models.find((entry) => entry.id === 'gemini-3-pro-image')!;
    expect(liveGaSuccessor(catalog, model, 'gemini-api', atMs)).toBeNull();
  });

  it('prefers the route whose primary is the model', () => {
    const { config } = parseConfig(
      'routes:\n  backup:\n    candidates: [{ model: gemini-3-pro-image }, { model: gemini-3.1-flash-image }]\n  quick:\n    candidates: [{ model: gemini-3.1-flash-image }]\n',
      { fileName: 'test.yaml', catalog },
    );
    expect(logicalNameFor(config, 'gemini-3.1-flash-image')).toBe('image_fast');
    const onlyCustom = { ...config, routes: { backup: config.routes.backup!, quick: config.routes.quick! } };
    expect(logicalNameFor(onlyCustom, 'gemini-3.1-flash-image')).toBe('quick');
    expect(logicalNameFor(onlyCustom, 'gemini-2.5-flash-image')).toBeUndefined();
  });
});
