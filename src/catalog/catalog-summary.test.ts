import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  catalogSummaryColumns,
  catalogSummaryMarkdown,
  catalogSummaryRows,
  NONE_ANNOUNCED,
  NOT_OFFERED,
  type CatalogSummaryRow,
} from './catalog-summary.js';
import { builtInCatalog } from './load-catalog.js';
import type { Catalog } from './schema.js';

const docsPath = new URL('../../docs/catalog.md', import.meta.url);

/** The cells of the first Markdown table whose header row starts with `firstHeading`. */
function markdownTableStartingWith(markdown: string, firstHeading: string): string[][] {
  const lines = markdown.split('\n');
  const headerIndex = lines.findIndex((line) => splitRow(line)[0] === firstHeading);
  if (headerIndex < 0) throw new Error(`no table starting with "${firstHeading}"`);
  const tableLines: string[] = [];
  for (const line of lines.slice(headerIndex)) {
    if (!line.trim().startsWith('|')) break;
    tableLines.push(line);
  }
  return tableLines.filter((_, index) => index !== 1).map(splitRow);
}

function splitRow(line: string): string[] {
  const trimmed = line.trim();
  if (!trimmed.startsWith('|')) return [];
  return trimmed
    .slice(1, trimmed.endsWith('|') ? -1 : undefined)
    .split('|')
    .map((cell) => cell.trim());
}

const asCells = (row: CatalogSummaryRow) => catalogSummaryColumns.map((column) => row[column.key]);

describe('docs/catalog.md', () => {
  it('shows exactly the models of the built-in catalog, in order, with their current data', () => {
    const [header, ...rows] = markdownTableStartingWith(readFileSync(docsPath, 'utf8'), 'model');
    expect(header).toEqual(catalogSummaryColumns.map((column) => column.heading));
    expect(rows).toEqual(catalogSummaryRows(builtInCatalog()).map(asCells));
  });
});

describe('catalogSummaryRows', () => {
  const catalog = builtInCatalog();
  const rowFor = (id: string) => catalogSummaryRows(catalog).find((row) => row.id === id)!;

  it('shows announced stages and dates per platform, and a dash where a platform does not offer the model', () => {
    expect(rowFor('gemini-3.1-flash-image-preview')).toMatchObject({
      geminiApiStage: 'preview',
      geminiApiShutdown: '2026-06-25',
      vertexAiStage: 'preview',
      vertexAiShutdown: '2026-07-17',
      successor: 'gemini-3.1-flash-image',
    });
    expect(rowFor('gemini-3-pro-image-preview')).toMatchObject({
      vertexAiStage: NOT_OFFERED,
      vertexAiShutdown: NOT_OFFERED,
    });
  });

  it('tells "none announced" apart from "unknown"', () => {
    expect(rowFor('gemini-3-pro-image').geminiApiShutdown).toBe(NONE_ANNOUNCED);
    expect(rowFor('gemini-3.1-flash-image').geminiApiShutdown).toBe('unknown');
  });

  it('lists sizes and the 1K price, unknown when the data does not say', () => {
    expect(rowFor('gemini-3.1-flash-image')).toMatchObject({
      imageSizes: '512, 1K, 2K, 4K',
      pricePer1KImage: '$0.067',
    });
    expect(rowFor('gemini-2.0-flash-preview-image-generation')).toMatchObject({
      imageSizes: 'unknown',
      pricePer1KImage: 'unknown',
    });
  });

  it('shows both successors when the platforms disagree', () => {
    const edited: Catalog = structuredClone(catalog);
    const model = edited.models.find((candidate) => candidate.id === 'gemini-2.5-flash-image')!;
    model.platforms['vertex-ai']!.successor.value = 'gemini-3-pro-image';
    const row = catalogSummaryRows(edited).find((candidate) => candidate.id === 'gemini-2.5-flash-image')!;
    expect(row.successor).toBe('gemini-3.1-flash-image / gemini-3-pro-image');
  });

  it('marks the 1K price as not offered for a model without a 1K tier', () => {
    const edited: Catalog = structuredClone(catalog);
    const model = edited.models.find((candidate) => candidate.id === 'gemini-3-pro-image')!;
    model.capabilities.imageSizes.value = ['2K', '4K'];
    const row = catalogSummaryRows(edited).find((candidate) => candidate.id === 'gemini-3-pro-image')!;
    expect(row.pricePer1KImage).toBe(NOT_OFFERED);
  });
});

describe('catalogSummaryMarkdown', () => {
  it('renders a header, a separator and one line per model that parse back to the rows', () => {
    const markdown = catalogSummaryMarkdown(builtInCatalog());
    const lines = markdown.split('\n');
    expect(lines).toHaveLength(builtInCatalog().models.length + 2);
    expect(splitRow(lines[1]!).every((cell) => cell === '---')).toBe(true);
    const [header, ...rows] = markdownTableStartingWith(markdown, 'model');
    expect(header).toEqual(catalogSummaryColumns.map((column) => column.heading));
    expect(rows).toEqual(catalogSummaryRows(builtInCatalog()).map(asCells));
  });
});
