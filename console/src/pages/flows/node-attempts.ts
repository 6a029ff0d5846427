import { useQueries } from '@tanstack/react-query';
import { api } from '../../api/api-client.js';
import type { NodeRunView } from '../../api/flows.js';
import { isFinal } from '../../api/use-task.js';
import type { Task } from '../../api/types.js';

/** What a node's calls went through: every attempt of its tasks, the retries and the fallbacks among them. */
export interface NodeAttempts {
  attempts: number;
  /** Attempts that ran the same model again after a failure. */
  retries: number;
  /** Each move to another model, `from → to`. */
  fallbacks: string[];
}

/** Reads retries and fallbacks from the attempts the engine recorded on each task (the one place that decides them). */
export function summarizeAttempts(tasks: Array<Pick<Task, 'attempts'>>): NodeAttempts {
  let retries = 0;
  const fallbacks: string[] = [];
  let attempts = 0;
  for (const task of tasks) {
    task.attempts.forEach((attempt, index) => {
      attempts += 1;
      const previous = task.attempts[index - 1];
      if (!previous) return;
      if (previous.model === attempt.model) retries += 1;
      else fallbacks.push(`${previous.model} → ${attempt.model}`);
    });
  }
  return { attempts, retries, fallbacks: [...new Set(fallbacks)] };
}

/** `3 attempts · 1 retry · fallback a → b`. */
export function describeAttempts(summary: NodeAttempts): string {
  const parts = [`${summary.attempts} attempt${summary.attempts === 1 ? '' : 's'}`];
  parts.push(`${summary.retries} retr${summary.retries === 1 ? 'y' : 'ies'}`);
  parts.push(summary.fallbacks.length === 0 ? 'no fallback' : `fallback ${summary.fallbacks.join(', ')}`);
  return parts.join(' · ');
}

/** How often the tasks of a running node are read again, so retries and fallbacks show while they happen. */
export const runningTaskRefreshMs = 1000;

/**
 * The attempts of every model node of a run that has tasks, by node id, from its tasks
 * (`GET /v1/tasks/{id}`). A task still running is read again every `runningTaskRefreshMs`; a finished
 * one no longer changes and is not.
 */
export function useNodeAttempts(nodes: NodeRunView[]): Map<string, NodeAttempts> {
  const withTasks = nodes.filter((node) => node.task_ids.length > 0);
  const taskIds = withTasks.flatMap((node) => node.task_ids);
  const tasks = useQueries({
    queries: taskIds.map((id) => ({
      queryKey: ['task', id],
      queryFn: ({ signal }: { signal: AbortSignal }) => api<Task>(`/v1/tasks/${id}`, { signal }),
      staleTime: Infinity,
      refetchInterval: (query: { state: { data?: Task | undefined } }) =>
        isFinal(query.state.data) ? false : runningTaskRefreshMs,
    })),
  });
  const byId = new Map(taskIds.map((id, index) => [id, tasks[index]?.data]));
  const summaries = new Map<string, NodeAttempts>();
  for (const node of withTasks) {
    const loaded = node.task_ids.map((id) => byId.get(id));
    if (loaded.every((task): task is Task => task !== undefined))
      summaries.set(node.node, summarizeAttempts(loaded));
  }
  return summaries;
}
