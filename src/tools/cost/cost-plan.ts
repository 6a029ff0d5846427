import { z } from 'zod';
import { findModel, imageSizeSchema, knownValue, type Catalog, type ImageSize } from '../../catalog/index.js';
import type { Registry } from '../../registry/index.js';
import { estimateImageCostUsd, MissingPriceError } from './estimate-image-cost.js';

/** One line of a plan: how a logical name (or a model ID) will be used. */
export const planUsageSchema = z.strictObject({
  imagesPerDay: z.number().nonnegative().describe('Images generated per day.'),
  imageSize: imageSizeSchema.optional().describe("Default: the served model's default size."),
  mode: z.enum(['online', 'batch']).default('online').describe('Default online.'),
});

/**
 * `cost plan plan.yaml`:
 *   daysPerMonth: 30
 *   usage:
 *     image_fast: { imagesPerDay: 30 }
 *     image_quality: { imagesPerDay: 3, imageSize: 2K, mode: batch }
 */
export const costPlanSchema = z.strictObject({
  daysPerMonth: z
    .number()
    .positive()
    .max(31)
    .default(30)
    .describe('Days in the projected month. Default 30.'),
  usage: z
    .record(z.string().min(1), planUsageSchema)
    .refine((usage) => Object.keys(usage).length > 0, 'a plan needs at least one entry under "usage"'),
});
export type CostPlan = z.infer<typeof costPlanSchema>;
export type CostPlanInput = z.input<typeof costPlanSchema>;

export interface PriceSource {
  source: string;
  checkedOn: string;
}

export interface CostPlanRow {
  /** The logical name or model ID from the plan. */
  name: string;
  /** The model that serves it: the route's first live candidate. */
  model: string;
  imageSize: ImageSize;
  mode: 'online' | 'batch';
  imagesPerDay: number;
  /** The price of one image, batch factor applied. */
  unitPriceUsd: number;
  dailyUsd: number;
  monthlyUsd: number;
  /** Where the per-image price (and the batch factor) come from. */
  priceSources: PriceSource[];
}

export interface CostPlanProjection {
  daysPerMonth: number;
  rows: CostPlanRow[];
  totalDailyUsd: number;
  totalMonthlyUsd: number;
}

/**
 * A month projected from a plan at catalog list prices. Each entry is priced on the model its route
 * would serve first. Throws `MissingPriceError` listing every unknown price: a plan is never priced
 * partly.
 */
export function projectCostPlan(plan: CostPlan, registry: Registry, catalog: Catalog): CostPlanProjection {
  const rows: CostPlanRow[] = [];
  const missing: string[] = [];
  for (const [name, usage] of Object.entries(plan.usage)) {
    const candidate = registry.resolve(name).candidates[0]!;
    const model = findModel(catalog, candidate.modelId) ?? candidate.model;
    const imageSize = usage.imageSize ?? knownValue(model.capabilities.defaultImageSize) ?? '1K';
    const batch = usage.mode === 'batch';
    const estimate = estimateImageCostUsd({ model, imageSize, imageCount: 1, batch });
    if ('missingPrice' in estimate) {
      missing.push(`${estimate.missingPrice} (for ${name})`);
      continue;
    }
    const { perImageUsd, batchPriceFactor } = model.pricing;
    rows.push({
      name,
      model: model.id,
      imageSize,
      mode: usage.mode,
      imagesPerDay: usage.imagesPerDay,
      unitPriceUsd: estimate.costUsd,
      dailyUsd: estimate.costUsd * usage.imagesPerDay,
      monthlyUsd: estimate.costUsd * usage.imagesPerDay * plan.daysPerMonth,
      priceSources: [
        { source: perImageUsd.source, checkedOn: perImageUsd.checkedOn },
        ...(batch ? [{ source: batchPriceFactor.source, checkedOn: batchPriceFactor.checkedOn }] : []),
      ],
    });
  }
  if (missing.length > 0) throw new MissingPriceError(missing);
  return {
    daysPerMonth: plan.daysPerMonth,
    rows,
    totalDailyUsd: rows.reduce((sum, row) => sum + row.dailyUsd, 0),
    totalMonthlyUsd: rows.reduce((sum, row) => sum + row.monthlyUsd, 0),
  };
}

/** The projection as a table, in the shape of "30 images a day on the fast model, 3 a day on the quality model". */
export function renderCostPlanText(projection: CostPlanProjection): string {
  const lines = [`Projected month (${projection.daysPerMonth} days) at list prices`, ''];
  const header = ['name', 'model', 'size', 'mode', 'per day', 'unit USD', 'per day USD', 'per month USD'];
  const table = projection.rows.map((row) => [
    row.name,
    row.model,
    row.imageSize,
    row.mode,
    String(row.imagesPerDay),
    usd(row.unitPriceUsd, 4),
    usd(row.dailyUsd),
    usd(row.monthlyUsd),
  ]);
  table.push(['total', '', '', '', '', '', usd(projection.totalDailyUsd), usd(projection.totalMonthlyUsd)]);
  const widths = header.map((_, column) =>
    Math.max(...[header, ...table].map((cells) => cells[column]!.length)),
  );
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 4 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ');
  lines.push(format(header), ...table.map(format), '', 'Prices');
  const seen = new Set<string>();
  for (const row of projection.rows) {
    for (const price of row.priceSources) {
      const line = `  ${row.model}: ${price.source} (checked ${price.checkedOn})`;
      if (!seen.has(line)) lines.push(line);
      seen.add(line);
    }
  }
  return `${lines.join('\n')}\n`;
}

function usd(value: number, decimals = 2): string {
  return `$${value.toFixed(decimals)}`;
}
