import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '../clock/index.js';
import { finalStatuses, type TaskRecord } from '../tasks/index.js';
import type { TaskStore } from '../tasks/index.js';

/** What the server needs of the event hub: a wake-up when a task changes. */
export interface TaskChangeSource {
  subscribe(taskId: string, listener: () => void): () => void;
}

export interface WaitForTaskOptions {
  store: TaskStore;
  events: TaskChangeSource;
  clock: Clock;
  /**
   * How often the store is read even without an event, since a task may be finished by another
   * process whose events this hub never sees. Default 1000 ms.
   */
  pollIntervalMs?: number;
  /** Stops waiting early (the client hung up). Default: never. */
  signal?: AbortSignal;
}

export function isFinal(task: TaskRecord): boolean {
  return finalStatuses.includes(task.status);
}

/**
 * Resolves with the task once it is final, or as it stands when `timeoutMs` of clock time has passed
 * (undefined if it does not exist). Wakes on the task's events, with a periodic store read as a fallback.
 */
export async function waitForTask(
  taskId: string,
  timeoutMs: number,
  options: WaitForTaskOptions,
): Promise<TaskRecord | undefined> {
  const { store, clock } = options;
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  const deadlineMs = clock.nowMs() + timeoutMs;
  for (;;) {
    const task = await store.get(taskId);
    const remainingMs = deadlineMs - clock.nowMs();
    if (!task || isFinal(task) || remainingMs <= 0 || options.signal?.aborted) return task;
    await nextChange(taskId, Math.min(remainingMs, pollIntervalMs), options);
  }
}

/** Resolves on the task's next event or after `durationMs`, whichever comes first; never rejects. */
export async function nextChange(
  taskId: string,
  durationMs: number,
  options: Pick<WaitForTaskOptions, 'events' | 'clock' | 'signal'>,
): Promise<void> {
  const wake = new AbortController();
  const onOuterAbort = () => wake.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const unsubscribe = options.events.subscribe(taskId, () => wake.abort());
  try {
    await options.clock.sleep(durationMs, wake.signal);
  } catch {
    // Woken early by an event or by the caller: either way, look again.
  } finally {
    unsubscribe();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  // A clock whose sleep resolves at once (a manual clock in tests) must not starve I/O callbacks.
  await yieldToEventLoop();
}
