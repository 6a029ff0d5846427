import { describe, expect, it } from 'vitest';
import { knownValue } from '../queries.js';
import { catalogSchema, platforms, type AspectRatio, type CatalogModel } from '../schema.js';
import { catalogData } from './models.js';

const catalog = catalogSchema.parse(catalogData);
const modelById = (id: string): CatalogModel => {
  const model = catalog.models.find((candidate) => candidate.id === id);
  if (!model) throw new Error(`test expects ${id} in the catalog`);
  return model;
};

/** Nominal width / height of an aspect ratio such as "16:9". */
const nominalRatio = (aspectRatio: AspectRatio): number => {
  const [width, height] = aspectRatio.split(':').map(Number);
  return width! / height!;
};

const RATIO_TOLERANCE = 0.03;

describe('built-in catalog data', () => {
  it('passes the catalog schema', () => {
    expect(catalogSchema.safeParse(catalogData).success).toBe(true);
  });

  it('holds every image model ID named in the reference, and the pro preview alias', () => {
    const ids = catalog.models.map((model) => model.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'gemini-2.0-flash-exp-image-generation',
        'gemini-2.0-flash-preview-image-generation',
        'gemini-2.5-flash-image-preview',
        'gemini-2.5-flash-image',
        'gemini-3-pro-image-preview',
        'gemini-3-pro-image',
        'gemini-3.1-flash-image-preview',
        'gemini-3.1-flash-image',
        'gemini-3.1-flash-lite-image',
      ]),
    );
    expect(modelById('gemini-3-pro-image-preview').aliases).toContain('nano-banana-pro-preview');
  });

  it('uses every ID and alias once', () => {
    const names = catalog.models.flatMap((model) => [model.id, ...model.aliases]);
    expect(new Set(names).size).toBe(names.length);
  });

  it('never checked a fact after the catalog review date', () => {
    const checkedOnDates = JSON.stringify(catalogData).match(/"checkedOn":"[\d-]+"/g) ?? [];
    expect(checkedOnDates.length).toBeGreaterThan(100);
    for (const entry of checkedOnDates) {
      expect(entry.slice(-11, -1) <= catalog.reviewedOn, entry).toBe(true);
    }
  });

  describe('pixel tables', () => {
    const modelsWithTables = catalog.models.filter((model) => knownValue(model.capabilities.pixelSizes));

    it('exist for every model the reference documents sizes for', () => {
      expect(modelsWithTables.map((model) => model.id)).toEqual(
        expect.arrayContaining([
          'gemini-2.5-flash-image',
          'gemini-3-pro-image',
          'gemini-3.1-flash-image',
          'gemini-3.1-flash-lite-image',
        ]),
      );
    });

    it.each(modelsWithTables.map((model) => [model.id, model] as const))(
      '%s covers every supported size and ratio with correctly shaped pixels',
      (_id, model) => {
        const pixelSizes = knownValue(model.capabilities.pixelSizes)!;
        const imageSizes = knownValue(model.capabilities.imageSizes) ?? [];
        const aspectRatios = knownValue(model.capabilities.aspectRatios) ?? [];
        expect(imageSizes.length).toBeGreaterThan(0);
        expect(aspectRatios.length).toBeGreaterThan(0);
        for (const imageSize of imageSizes) {
          for (const aspectRatio of aspectRatios) {
            const pixels = pixelSizes[imageSize]?.[aspectRatio];
            const label = `${model.id} ${imageSize} ${aspectRatio}`;
            expect(pixels, label).toBeDefined();
            const nominal = nominalRatio(aspectRatio);
            const actual = pixels!.width / pixels!.height;
            expect(Math.sign(actual - 1), `${label} orientation`).toBe(Math.sign(nominal - 1));
            expect(Math.abs(actual / nominal - 1), `${label} ratio`).toBeLessThanOrEqual(RATIO_TOLERANCE);
          }
        }
      },
    );

    it('records the documented 512 21:9 typo as a 21:9 size, with a note saying so', () => {
      const model = modelById('gemini-3.1-flash-image');
      expect(knownValue(model.capabilities.pixelSizes)?.['512']?.['21:9']).toEqual({
        width: 792,
        height: 336,
      });
      expect(model.capabilities.pixelSizes.note).toMatch(/792x168/);
    });

    it('grows with the image size tier', () => {
      for (const model of modelsWithTables) {
        const pixelSizes = knownValue(model.capabilities.pixelSizes)!;
        const tiers = (['512', '1K', '2K', '4K'] as const).filter((tier) => pixelSizes[tier]);
        for (let index = 1; index < tiers.length; index++) {
          const smaller = pixelSizes[tiers[index - 1]!]!['1:1']!;
          const larger = pixelSizes[tiers[index]!]!['1:1']!;
          expect(larger.width, `${model.id} ${tiers[index]}`).toBeGreaterThan(smaller.width);
        }
      }
    });
  });

  describe('lifecycle', () => {
    it('gives every preview a successor on every platform that offers it', () => {
      for (const model of catalog.models) {
        for (const platform of platforms) {
          const lifecycle = model.platforms[platform];
          if (lifecycle?.stage.value !== 'preview') continue;
          expect(knownValue(lifecycle.successor), `${model.id} on ${platform}`).toEqual(expect.any(String));
        }
      }
    });

    it('points every successor at a GA model of the catalog', () => {
      const successors = catalog.models.flatMap((model) =>
        platforms.flatMap((platform) => {
          const successor = model.platforms[platform]?.successor.value;
          return successor && successor !== 'unknown' ? [successor] : [];
        }),
      );
      expect(successors.length).toBeGreaterThan(5);
      for (const successorId of successors) {
        const successor = modelById(successorId);
        const stages = platforms.map((platform) => successor.platforms[platform]?.stage.value);
        expect(stages, successorId).toContain('ga');
        expect(stages, successorId).not.toContain('preview');
      }
    });

    it('puts each preview in its GA twin family', () => {
      const twins = [
        ['gemini-2.5-flash-image-preview', 'gemini-2.5-flash-image'],
        ['gemini-3-pro-image-preview', 'gemini-3-pro-image'],
        ['gemini-3.1-flash-image-preview', 'gemini-3.1-flash-image'],
      ] as const;
      for (const [preview, ga] of twins) {
        expect(modelById(preview).family).toBe(modelById(ga).family);
        expect(knownValue(modelById(preview).platforms['gemini-api']!.successor)).toBe(ga);
      }
      expect(modelById('gemini-3-pro-image').family).not.toBe(modelById('gemini-3.1-flash-image').family);
    });

    it('keeps the earliest of conflicting shutdown dates and notes the other', () => {
      const shutdown = modelById('gemini-2.5-flash-image-preview').platforms['gemini-api']!.shutdownDate;
      expect(shutdown.value).toBe('2025-10-31');
      expect(shutdown.note).toMatch(/2026-01-15/);
    });

    it('does not state the unverified 2026-10-29 shutdown of gemini-3.1-flash-image as fact', () => {
      const shutdown = modelById('gemini-3.1-flash-image').platforms['gemini-api']!.shutdownDate;
      expect(shutdown.value).not.toBe('2026-10-29');
      expect(shutdown.note).toMatch(/2026-10-29/);
    });

    it('keeps the Vertex AI dates that differ from the Gemini API', () => {
      const flashPreview = modelById('gemini-3.1-flash-image-preview').platforms;
      expect(flashPreview['gemini-api']!.shutdownDate.value).toBe('2026-06-25');
      expect(flashPreview['vertex-ai']!.shutdownDate.value).toBe('2026-07-17');
      expect(modelById('gemini-3-pro-image').platforms['vertex-ai']!.gaDate.value).toBe('2026-05-28');
    });
  });

  describe('prices and tokens', () => {
    it('prices each image at its output tokens times the image output rate', () => {
      const priced = catalog.models.filter((model) => knownValue(model.pricing.perImageUsd));
      expect(priced.length).toBeGreaterThanOrEqual(6);
      for (const model of priced) {
        const perImage = knownValue(model.pricing.perImageUsd)!;
        const tokens = knownValue(model.capabilities.outputTokensPerImage)!;
        const ratePerMillion = knownValue(model.pricing.imageOutputPerMillionTokensUsd)!;
        for (const [imageSize, priceUsd] of Object.entries(perImage)) {
          const tokenCount = tokens[imageSize as keyof typeof tokens]!;
          expect(
            Math.abs((tokenCount * ratePerMillion) / 1e6 - priceUsd),
            `${model.id} ${imageSize}`,
          ).toBeLessThan(0.001);
        }
      }
    });

    it('halves prices in batch wherever a price is known', () => {
      for (const model of catalog.models) {
        if (!knownValue(model.pricing.perImageUsd)) continue;
        expect(model.pricing.batchPriceFactor.value, model.id).toBe(0.5);
      }
    });

    it('leaves unconfirmed prices unknown rather than guessing', () => {
      for (const id of ['gemini-3.1-flash-lite-image', 'gemini-2.0-flash-preview-image-generation']) {
        expect(modelById(id).pricing.perImageUsd.value, id).toBe('unknown');
      }
    });
  });
});
