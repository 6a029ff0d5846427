import { useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect } from 'react';
import { followStream, readEventStream } from './read-event-stream.js';
import type { Page, Task } from './types.js';

/** What a task list is filtered by; a live task enters a list only if it matches. */
export interface TaskFilter {
  status?: string | undefined;
  model?: string | undefined;
  /** The owner's key id (`api_key_id`); the server narrows it to what the caller may see. */
  apiKeyId?: string | undefined;
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
}

export function matchesFilter(task: Task, filter: TaskFilter): boolean {
  return (
    (!filter.status || task.status === filter.status) &&
    (!filter.model || task.model === filter.model) &&
    (!filter.apiKeyId || task.api_key_id === filter.apiKeyId) &&
    (filter.createdAfter === undefined || task.created_at > filter.createdAfter) &&
    (filter.createdBefore === undefined || task.created_at < filter.createdBefore)
  );
}

/**
 * Follows `GET /v1/task-events` while mounted and folds each changed task into every cached task list
 * (`['tasks', filter]`) and task (`['task', id]`), so lists and pages update without polling.
 */
export function useLiveTasks(): void {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      followStream((signal) =>
        readEventStream(
          '/v1/task-events',
          ({ event, data }) => {
            if (event !== 'task') return;
            const task = JSON.parse(data) as Task;
            queryClient.setQueryData(['task', task.id], task);
            for (const [key, list] of queryClient.getQueriesData<InfiniteData<Page<Task>>>({
              queryKey: ['tasks'],
            })) {
              if (!list) continue;
              const filter = (key[1] ?? {}) as TaskFilter;
              queryClient.setQueryData(key, mergeTask(list, task, filter));
            }
            void queryClient.invalidateQueries({ queryKey: ['usage'] });
          },
          signal,
        ),
      ),
    [queryClient],
  );
}

/** The list with the task replaced where it is, added on top when new and matching, dropped when it no longer matches. */
export function mergeTask(
  list: InfiniteData<Page<Task>>,
  task: Task,
  filter: TaskFilter,
): InfiniteData<Page<Task>> {
  const matches = matchesFilter(task, filter);
  let found = false;
  const pages = list.pages.map((page) => {
    const index = page.data.findIndex((entry) => entry.id === task.id);
    if (index === -1) return page;
    found = true;
    const data = matches
      ? page.data.map((entry) => (entry.id === task.id ? task : entry))
      : page.data.filter((entry) => entry.id !== task.id);
    return { ...page, data };
  });
  if (!found && matches && pages[0]) {
    const newest = pages[0].data[0];
    if (!newest || task.created_at >= newest.created_at)
      pages[0] = { ...pages[0], data: [task, ...pages[0].data] };
  }
  return { ...list, pages };
}
