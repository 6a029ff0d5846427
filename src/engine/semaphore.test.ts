import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore.js';

describe('Semaphore', () => {
  it('hands out at most `limit` slots and passes a released slot to the next waiter', async () => {
    const semaphore = new Semaphore(1);
    const releaseFirst = await semaphore.acquire();
    let secondGranted = false;
    const second = semaphore.acquire().then((release) => {
      secondGranted = true;
      return release;
    });
    await Promise.resolve();
    expect(secondGranted).toBe(false);
    releaseFirst();
    releaseFirst();
    const releaseSecond = await second;
    expect(semaphore.available).toBe(0);
    releaseSecond();
    expect(semaphore.available).toBe(1);
  });

  it('drops a waiter whose signal aborts', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    const controller = new AbortController();
    const waiting = semaphore.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    release();
    expect(semaphore.available).toBe(1);
  });

  it('refuses a limit below one', () => {
    expect(() => new Semaphore(0)).toThrow('concurrency must be a positive integer, got 0');
  });
});
