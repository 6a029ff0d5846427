import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { api } from './api-client.js';
import { followStream, readEventStream } from './read-event-stream.js';
import type { Task } from './types.js';

const finalStatuses = new Set(['success', 'failed', 'cancelled']);

export function isFinal(task: Task | undefined): boolean {
  return task !== undefined && finalStatuses.has(task.status);
}

/** One task, kept current by its own event stream (`/v1/tasks/{id}/events`) until it is final. */
export function useTask(id: string | undefined) {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: ['task', id],
    queryFn: ({ signal }) => api<Task>(`/v1/tasks/${id}`, { signal }),
    enabled: id !== undefined,
  });
  const final = isFinal(query.data);
  useEffect(() => {
    if (!id || final) return;
    return followStream((signal) =>
      readEventStream(
        `/v1/tasks/${id}/events`,
        ({ event, data }) => {
          if (event === 'task') queryClient.setQueryData(['task', id], JSON.parse(data) as Task);
          else void queryClient.invalidateQueries({ queryKey: ['task', id] });
        },
        signal,
      ),
    );
  }, [id, final, queryClient]);
  return query;
}
