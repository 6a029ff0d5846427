import { knownValue } from './queries.js';
import { platforms, UNKNOWN, type Catalog, type CatalogModel, type Fact, type Platform } from './schema.js';

/** One model as a row of plain text cells, for docs/catalog.md and `imagegate models`. */
export interface CatalogSummaryRow {
  id: string;
  geminiApiStage: string;
  geminiApiShutdown: string;
  vertexAiStage: string;
  vertexAiShutdown: string;
  successor: string;
  imageSizes: string;
  pricePer1KImage: string;
}

/** Column order and headings of the summary table. */
export const catalogSummaryColumns: readonly { key: keyof CatalogSummaryRow; heading: string }[] = [
  { key: 'id', heading: 'model' },
  { key: 'geminiApiStage', heading: 'Gemini API stage' },
  { key: 'geminiApiShutdown', heading: 'Gemini API shutdown' },
  { key: 'vertexAiStage', heading: 'Vertex AI stage' },
  { key: 'vertexAiShutdown', heading: 'Vertex AI shutdown' },
  { key: 'successor', heading: 'successor' },
  { key: 'imageSizes', heading: 'image sizes' },
  { key: 'pricePer1KImage', heading: 'price per 1K image' },
];

/** Cell text for a platform that does not offer the model. */
export const NOT_OFFERED = '–';
/** Cell text for a `null` date or successor. */
export const NONE_ANNOUNCED = 'none announced';

/** The announced facts, not today's derived stage, so the table only changes when the data does. */
export function catalogSummaryRows(catalog: Catalog): CatalogSummaryRow[] {
  return catalog.models.map((model) => ({
    id: model.id,
    geminiApiStage: lifecycleCell(model, 'gemini-api', (lifecycle) => lifecycle.stage),
    geminiApiShutdown: lifecycleCell(model, 'gemini-api', (lifecycle) => lifecycle.shutdownDate),
    vertexAiStage: lifecycleCell(model, 'vertex-ai', (lifecycle) => lifecycle.stage),
    vertexAiShutdown: lifecycleCell(model, 'vertex-ai', (lifecycle) => lifecycle.shutdownDate),
    successor: successorCell(model),
    imageSizes: imageSizesCell(model),
    pricePer1KImage: pricePer1KImageCell(model),
  }));
}

/** The summary as a Markdown table (unpadded; a formatter may align it). */
export function catalogSummaryMarkdown(catalog: Catalog): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    line(catalogSummaryColumns.map((column) => column.heading)),
    line(catalogSummaryColumns.map(() => '---')),
    ...catalogSummaryRows(catalog).map((row) => line(catalogSummaryColumns.map((column) => row[column.key]))),
  ].join('\n');
}

type Lifecycle = NonNullable<CatalogModel['platforms'][Platform]>;

function lifecycleCell(
  model: CatalogModel,
  platform: Platform,
  pick: (lifecycle: Lifecycle) => Fact<string | null>,
): string {
  const lifecycle = model.platforms[platform];
  return lifecycle ? factCell(pick(lifecycle)) : NOT_OFFERED;
}

function factCell(fact: Fact<string | null>): string {
  if (fact.value === UNKNOWN) return UNKNOWN;
  return fact.value ?? NONE_ANNOUNCED;
}

/** Platforms usually agree on the successor; when they do not, both are shown in platform order. */
function successorCell(model: CatalogModel): string {
  const cells = platforms.flatMap((platform) => {
    const lifecycle = model.platforms[platform];
    return lifecycle ? [factCell(lifecycle.successor)] : [];
  });
  return [...new Set(cells)].join(' / ') || NOT_OFFERED;
}

function imageSizesCell(model: CatalogModel): string {
  return knownValue(model.capabilities.imageSizes)?.join(', ') ?? UNKNOWN;
}

function pricePer1KImageCell(model: CatalogModel): string {
  const imageSizes = knownValue(model.capabilities.imageSizes);
  if (imageSizes && !imageSizes.includes('1K')) return NOT_OFFERED;
  const price = knownValue(model.pricing.perImageUsd)?.['1K'];
  return price === undefined ? UNKNOWN : `$${price}`;
}
