import type { TaskRecord } from '../../tasks/index.js';

export type CostGrouping = 'day' | 'key' | 'model' | 'logical' | 'lane';

export interface CostReportGroup {
  /** The UTC day, the API key id, the served model, the requested name or the lane asked for. */
  key: string;
  tasks: number;
  images: number;
  estimatedUsd: number;
  actualUsd: number;
  /** Finished tasks with no actual cost recorded (their usage was not priced). */
  tasksWithoutActualCost: number;
}

export interface CostReport {
  by: CostGrouping;
  fromMs?: number;
  toMs?: number;
  groups: CostReportGroup[];
  total: Omit<CostReportGroup, 'key'>;
}

/** Tasks with no key (submitted without auth) are grouped under this name. */
export const noKeyGroup = '(no key)';

/**
 * Spend from task records, grouped by UTC day, API key, served model, requested logical name or requested
 * lane (a batch task that ran online counts under `batch`, at what it cost), with
 * the submit-time estimate beside the actual cost. Tasks created outside [fromMs, toMs) are left out.
 */
export function aggregateCosts(
  tasks: readonly TaskRecord[],
  options: { by: CostGrouping; fromMs?: number; toMs?: number },
): CostReport {
  const groups = new Map<string, CostReportGroup>();
  const empty = (key: string): CostReportGroup => ({
    key,
    tasks: 0,
    images: 0,
    estimatedUsd: 0,
    actualUsd: 0,
    tasksWithoutActualCost: 0,
  });
  for (const task of tasks) {
    if (options.fromMs !== undefined && task.createdAtMs < options.fromMs) continue;
    if (options.toMs !== undefined && task.createdAtMs >= options.toMs) continue;
    const key = groupKey(task, options.by);
    const group = groups.get(key) ?? empty(key);
    addTask(group, task);
    groups.set(key, group);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const total = empty('');
  for (const group of sorted) {
    total.tasks += group.tasks;
    total.images += group.images;
    total.estimatedUsd += group.estimatedUsd;
    total.actualUsd += group.actualUsd;
    total.tasksWithoutActualCost += group.tasksWithoutActualCost;
  }
  const { key: _key, ...totals } = total;
  return {
    by: options.by,
    ...(options.fromMs !== undefined ? { fromMs: options.fromMs } : {}),
    ...(options.toMs !== undefined ? { toMs: options.toMs } : {}),
    groups: sorted,
    total: totals,
  };
}

function groupKey(task: TaskRecord, by: CostGrouping): string {
  switch (by) {
    case 'day':
      return new Date(task.createdAtMs).toISOString().slice(0, 10);
    case 'key':
      return task.apiKeyId ?? noKeyGroup;
    case 'model':
      return task.servedBy?.modelId ?? `${task.request.model} (not served)`;
    case 'logical':
      return task.request.model;
    case 'lane':
      return task.lane ?? 'online';
  }
}

function addTask(group: CostReportGroup, task: TaskRecord): void {
  group.tasks++;
  group.images += task.result?.images.length ?? 0;
  group.estimatedUsd += task.estimatedCostUsd ?? 0;
  if (task.actualCostUsd !== undefined) group.actualUsd += task.actualCostUsd;
  else if (task.status === 'success' || task.status === 'failed') group.tasksWithoutActualCost++;
}

/** Spend per group as a table, estimate against actual. */
export function renderCostReportText(report: CostReport): string {
  const header = [report.by, 'tasks', 'images', 'estimated USD', 'actual USD', 'actual - estimated'];
  const row = (key: string, group: Omit<CostReportGroup, 'key'>) => [
    key,
    String(group.tasks),
    String(group.images),
    group.estimatedUsd.toFixed(4),
    group.actualUsd.toFixed(4),
    (group.actualUsd - group.estimatedUsd).toFixed(4),
  ];
  const table = [header, ...report.groups.map((group) => row(group.key, group)), row('total', report.total)];
  const widths = header.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const lines = table.map((cells) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  '),
  );
  if (report.total.tasksWithoutActualCost > 0) {
    lines.push(
      '',
      `${report.total.tasksWithoutActualCost} finished tasks have no actual cost (a price was unknown)`,
    );
  }
  return `${lines.join('\n')}\n`;
}
