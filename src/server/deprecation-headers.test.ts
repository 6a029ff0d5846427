import { describe, expect, it } from 'vitest';
import { builtInCatalog, findModel, knownValue, platforms } from '../catalog/index.js';
import { deprecationHeaders } from './deprecation-headers.js';

const catalog = builtInCatalog();

describe('deprecationHeaders', () => {
  it('gives Deprecation, Sunset and Link for every model with an announced shutdown', () => {
    let checked = 0;
    for (const model of catalog.models) {
      for (const platform of platforms) {
        const lifecycle = model.platforms[platform];
        const shutdownDate = lifecycle && knownValue(lifecycle.shutdownDate);
        const headers = deprecationHeaders(model, platform);
        if (!shutdownDate) {
          expect(headers).toEqual({});
          continue;
        }
        checked += 1;
        const sunsetMs = Date.parse(headers.Sunset!);
        expect(sunsetMs).toBe(Date.parse(`${shutdownDate}T00:00:00Z`));
        expect(Number(headers.Deprecation!.slice(1)) * 1000).toBeLessThanOrEqual(sunsetMs);
        expect(headers.Link).toContain(`</v1/models/${model.id}>; rel="sunset"`);
        const successor = knownValue(lifecycle.successor);
        if (successor) expect(headers.Link).toContain(`</v1/models/${successor}>; rel="successor-version"`);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('uses the given models path in links', () => {
    const model = findModel(catalog, 'gemini-3-pro-image-preview')!;
    expect(deprecationHeaders(model, 'gemini-api', '/api/models').Link).toContain(
      '</api/models/gemini-3-pro-image>',
    );
  });
});
