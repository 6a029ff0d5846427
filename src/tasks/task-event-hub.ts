export type TaskEventListener = (taskId: string) => void;

/**
 * In-process "something new happened to task X" notifications. It carries no event data: listeners read
 * the events themselves with `store.eventsAfter`, so a listener that misses a notification loses nothing.
 * Across processes, listeners poll the store instead.
 */
export class TaskEventHub {
  private readonly listeners = new Map<string, Set<TaskEventListener>>();
  private readonly everyTaskListeners = new Set<TaskEventListener>();

  /** Hears about every task (a live task list); returns the function that unsubscribes. */
  subscribeAll(listener: TaskEventListener): () => void {
    this.everyTaskListeners.add(listener);
    return () => {
      this.everyTaskListeners.delete(listener);
    };
  }

  /** Returns the function that unsubscribes. */
  subscribe(taskId: string, listener: TaskEventListener): () => void {
    const forTask = this.listeners.get(taskId) ?? new Set<TaskEventListener>();
    forTask.add(listener);
    this.listeners.set(taskId, forTask);
    return () => {
      forTask.delete(listener);
      if (forTask.size === 0 && this.listeners.get(taskId) === forTask) this.listeners.delete(taskId);
    };
  }

  /** Calls every listener of the task; one listener throwing does not keep the others from hearing it. */
  notify(taskId: string): void {
    for (const listener of [...(this.listeners.get(taskId) ?? []), ...this.everyTaskListeners]) {
      try {
        listener(taskId);
      } catch {
        // A listener's failure is its own (a closed SSE stream); the task goes on.
      }
    }
  }

  /** How many listeners a task has (for tests and metrics). */
  listenerCount(taskId: string): number {
    return this.listeners.get(taskId)?.size ?? 0;
  }
}
