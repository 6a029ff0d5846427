import type { TaskStore } from './task-store.js';

/**
 * The store as a worker should see it while `paused()` may say a dependency is down: claims answer
 * "nothing to do" without touching the store, so the worker stops taking work (and stops logging a
 * failed claim every poll) and picks up again once `paused()` turns false. Every other method passes
 * through: running tasks still try to finish.
 */
export function pauseClaimsWhile(store: TaskStore, paused: () => boolean): TaskStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'claim') {
        return (...args: Parameters<TaskStore['claim']>) =>
          paused() ? Promise.resolve(undefined) : target.claim(...args);
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
