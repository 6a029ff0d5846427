import type { TaskListFilter, TaskRecord, TaskStore } from '../tasks/index.js';

/** Every task matching a filter, newest first, read page by page (for summaries over a bounded window). */
export async function collectTasks(
  store: TaskStore,
  filter: Omit<TaskListFilter, 'cursor' | 'limit'>,
  maxTasks = 100_000,
): Promise<TaskRecord[]> {
  const tasks: TaskRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list({ ...filter, limit: 100, ...(cursor ? { cursor } : {}) });
    tasks.push(...page.tasks);
    cursor = page.nextCursor;
  } while (cursor && tasks.length < maxTasks);
  return tasks;
}
