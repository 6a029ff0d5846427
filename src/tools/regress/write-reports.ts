import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport } from './html-report.js';
import { reportJson } from './report-json.js';
import type { RegressResult } from './run-regress.js';
import { thumbnailDataUrl } from './thumbnail.js';

export const htmlReportFileName = 'report.html';
export const jsonReportFileName = 'report.json';

export interface WrittenReports {
  htmlPath: string;
  jsonPath: string;
}

/** Writes report.html and report.json into the out directory, each through a temporary file. */
export async function writeReports(
  result: RegressResult,
  outDir: string,
  generatedAt: string,
): Promise<WrittenReports> {
  const imagePaths = result.pairs.flatMap((pair) =>
    [pair.baseline.image?.path, pair.candidate.image?.path].filter(
      (path): path is string => path !== undefined,
    ),
  );
  const thumbnails = new Map<string, string>();
  for (const path of imagePaths) {
    const bytes = await readFile(join(outDir, path)).catch(() => undefined);
    if (bytes) thumbnails.set(path, await thumbnailDataUrl(bytes));
  }
  const htmlPath = join(outDir, htmlReportFileName);
  const jsonPath = join(outDir, jsonReportFileName);
  await writeAtomically(htmlPath, renderHtmlReport(result, thumbnails, generatedAt));
  await writeAtomically(jsonPath, `${JSON.stringify(reportJson(result, generatedAt), null, 2)}\n`);
  return { htmlPath, jsonPath };
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.partial`;
  await writeFile(temporary, text);
  await rename(temporary, path);
}
