import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { builtInCatalog } from '../../catalog/index.js';
import { ManualClock } from '../../clock/index.js';
import { defaultConfig } from '../../config/index.js';
import { Registry } from '../../registry/index.js';
import { costPlanSchema, projectCostPlan, renderCostPlanText } from './cost-plan.js';
import { MissingPriceError } from './estimate-image-cost.js';

const catalog = builtInCatalog();
const registry = new Registry({
  config: defaultConfig,
  catalog,
  clock: new ManualClock(Date.UTC(2026, 10, 21)),
});

describe('projectCostPlan', () => {
  it('projects the seed table: 30 a day on the fast model, 3 a day on the quality model', () => {
    const plan = costPlanSchema.parse(
      parse(
        'usage:\n  image_fast: { imagesPerDay: 30 }\n  image_quality: { imagesPerDay: 3, imageSize: 4K, mode: batch }\n',
      ),
    );
    const projection = projectCostPlan(plan, registry, catalog);
    // By hand from the catalog: 3.1 Flash Image 1K $0.067; 3 Pro Image 4K $0.24 at the 0.5 batch factor.
    // fast: 30 x 0.067 = 2.01 a day, x 30 days = 60.30; quality: 3 x 0.12 = 0.36 a day, x 30 = 10.80.
    expect(
      projection.rows.map(({ name, model, imageSize, mode }) => ({ name, model, imageSize, mode })),
    ).toEqual([
      { name: 'image_fast', model: 'gemini-3.1-flash-image', imageSize: '1K', mode: 'online' },
      { name: 'image_quality', model: 'gemini-3-pro-image', imageSize: '4K', mode: 'batch' },
    ]);
    expect(projection.rows[0]!.dailyUsd).toBeCloseTo(2.01, 10);
    expect(projection.rows[0]!.monthlyUsd).toBeCloseTo(60.3, 10);
    expect(projection.rows[1]!.unitPriceUsd).toBeCloseTo(0.12, 10);
    expect(projection.rows[1]!.monthlyUsd).toBeCloseTo(10.8, 10);
    expect(projection.totalMonthlyUsd).toBeCloseTo(71.1, 10);
    expect(projection.rows[1]!.priceSources).toHaveLength(2);
    expect(projection.rows[0]!.priceSources[0]!.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = renderCostPlanText(projection);
    expect(text).toContain('$60.30');
    expect(text).toMatch(/total .*\$71\.10/);
  });

  it('uses a configurable month and model IDs as well as logical names', () => {
    const plan = costPlanSchema.parse({
      daysPerMonth: 31,
      usage: { 'gemini-3-pro-image': { imagesPerDay: 10, imageSize: '2K' } },
    });
    // 10 x $0.134 x 31 = $41.54
    expect(projectCostPlan(plan, registry, catalog).totalMonthlyUsd).toBeCloseTo(41.54, 10);
  });

  it('fails closed on an unknown price, naming it', () => {
    const plan = costPlanSchema.parse({ usage: { 'gemini-3.1-flash-lite-image': { imagesPerDay: 5 } } });
    expect(() => projectCostPlan(plan, registry, catalog)).toThrow(MissingPriceError);
    expect(() => projectCostPlan(plan, registry, catalog)).toThrow(
      'pricing.perImageUsd of gemini-3.1-flash-lite-image (for gemini-3.1-flash-lite-image)',
    );
  });

  it('rejects a plan with unknown keys or no usage', () => {
    expect(costPlanSchema.safeParse({ usage: {} }).success).toBe(false);
    expect(costPlanSchema.safeParse({ usage: { image_fast: { imagesPerDay: 1, size: '1K' } } }).success).toBe(
      false,
    );
    expect(
      costPlanSchema.safeParse({ usage: { image_fast: { imagesPerDay: 1, mode: 'later' } } }).success,
    ).toBe(false);
  });
});
