import { describe, expect, it } from 'vitest';
import { TaskEventHub } from './task-event-hub.js';

describe('TaskEventHub', () => {
  it('notifies only the listeners of that task until they unsubscribe', () => {
    const hub = new TaskEventHub();
    const heard: string[] = [];
    const stop = hub.subscribe('a', (id) => heard.push(`first:${id}`));
    hub.subscribe('a', (id) => heard.push(`second:${id}`));
    hub.subscribe('b', (id) => heard.push(`other:${id}`));
    hub.notify('a');
    stop();
    hub.notify('a');
    expect(heard).toEqual(['first:a', 'second:a', 'second:a']);
    expect(hub.listenerCount('a')).toBe(1);
  });

  it('keeps notifying when one listener throws, and forgets tasks without listeners', () => {
    const hub = new TaskEventHub();
    const heard: string[] = [];
    const stopThrowing = hub.subscribe('a', () => {
      throw new Error('stream closed');
    });
    const stopHearing = hub.subscribe('a', (id) => heard.push(id));
    expect(() => hub.notify('a')).not.toThrow();
    expect(heard).toEqual(['a']);
    stopThrowing();
    stopHearing();
    expect(hub.listenerCount('a')).toBe(0);
    hub.notify('nobody-listens');
  });
});
