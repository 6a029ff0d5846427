import { resolve } from 'node:path';
import type { Catalog } from '../../catalog/index.js';
import type { ImagegateConfig } from '../../config/index.js';
import { classifyModelId, type ModelIdClassification } from './classify-model-id.js';
import { scanTree, type ScannedFile, type ScanStatistics } from './scan-tree.js';

export interface AuditFinding extends ModelIdClassification {
  /** Relative to the working directory, `/`-separated. */
  path: string;
  /** 1-based. */
  line: number;
  /** 1-based, UTF-16 code units. */
  column: number;
  /** Column just after the ID. */
  endColumn: number;
  id: string;
  /** UTF-16 offset of the ID in the file's text (used by --fix). */
  offset: number;
  /** In the project's own config file: listed, never a problem, never rewritten. */
  allowed: boolean;
}

export interface AuditReport {
  at: string;
  findings: AuditFinding[];
  /** Files that could not be read or parsed. */
  problems: Array<{ path: string; reason: string }>;
  statistics: ScanStatistics;
  counts: Record<ModelIdClassification['kind'], number>;
  /** 1 when any non-allowed hit is retired or a preview with a shutdown date, else 0. */
  exitCode: 0 | 1;
}

export interface AuditOptions {
  /** Files and folders to scan. Default: the working directory. */
  paths?: string[];
  cwd: string;
  catalog: Catalog;
  /** Its routes give the logical names to suggest. Default: none. */
  config?: ImagegateConfig;
  /** The project's config file: its hits are allowed. Default: none. */
  configFile?: string;
  /** When lifecycle is judged. */
  atMs: number;
  /** Extra gitignore-style rules (`--exclude`). Default: none. */
  excludeRules?: string[];
  /** Parallel file system operations. Default 64. */
  concurrency?: number;
}

export interface AuditResult {
  report: AuditReport;
  /** The files with hits, text included, for --fix. */
  files: ScannedFile[];
}

/** Scans a tree and classifies every model-ID literal against the catalog. */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const classifyContext = {
    catalog: options.catalog,
    atMs: options.atMs,
    ...(options.config ? { config: options.config } : {}),
  };
  const cache = new Map<string, ModelIdClassification | undefined>();
  const classify = (id: string) => {
    if (!cache.has(id)) cache.set(id, classifyModelId(id, classifyContext));
    return cache.get(id);
  };
  const scan = await scanTree({
    paths: options.paths?.length ? options.paths : ['.'],
    cwd: options.cwd,
    keepCandidate: (id) => classify(id) !== undefined,
    ...(options.excludeRules ? { excludeRules: options.excludeRules } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
  });
  const configFile = options.configFile ? resolve(options.cwd, options.configFile) : undefined;
  const findings: AuditFinding[] = [];
  const filesWithFindings: ScannedFile[] = [];
  for (const file of scan.files) {
    const allowed = file.absolutePath === configFile;
    const before = findings.length;
    for (const match of file.matches) {
      const classification = classify(match.id);
      if (!classification) continue;
      findings.push({
        ...classification,
        path: file.path,
        line: match.line,
        column: match.column,
        endColumn: match.column + match.id.length,
        id: match.id,
        offset: match.start,
        allowed,
      });
    }
    if (findings.length > before) filesWithFindings.push(file);
  }
  const counts = { retired: 0, preview: 0, ga: 0, 'stage-unknown': 0, unknown: 0 };
  for (const finding of findings) if (!finding.allowed) counts[finding.kind]++;
  return {
    report: {
      at: new Date(options.atMs).toISOString(),
      findings,
      problems: scan.problems,
      statistics: scan.statistics,
      counts,
      exitCode: findings.some((finding) => finding.failsAudit && !finding.allowed) ? 1 : 0,
    },
    files: filesWithFindings,
  };
}
