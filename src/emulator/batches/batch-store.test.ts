import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock/index.js';
import { BatchStore, batchId } from './batch-store.js';

const input = {
  modelId: 'm',
  displayName: 'd',
  items: [{ request: {} }],
  outputKind: 'inline' as const,
  resourceBaseUrl: 'http://h/v1beta',
};

describe('BatchStore', () => {
  it('moves PENDING → RUNNING → SUCCEEDED with the emulated clock', () => {
    const clock = new ManualClock(0);
    const store = new BatchStore(clock, { batchDurationMs: 40_000 });
    const batch = store.add(input);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_PENDING');
    clock.advance(10_000);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_RUNNING');
    clock.advance(29_999);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_RUNNING');
    clock.advance(1);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_SUCCEEDED');
    expect(store.endTimeMs(batch)).toBe(40_000);
  });

  it('stays CANCELLED once cancelled, ending at the cancel time', () => {
    const clock = new ManualClock(0);
    const store = new BatchStore(clock, { batchDurationMs: 40_000 });
    const batch = store.add(input);
    batch.cancelledAtMs = 5_000;
    clock.advance(100_000);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_CANCELLED');
    expect(store.endTimeMs(batch)).toBe(5_000);
  });

  it('ends EXPIRED instead of SUCCEEDED when told to expire batches', () => {
    const clock = new ManualClock(0);
    const store = new BatchStore(clock, { batchDurationMs: 40_000, expireBatches: true });
    const batch = store.add(input);
    clock.advance(39_999);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_RUNNING');
    clock.advance(1);
    expect(store.stateOf(batch)).toBe('BATCH_STATE_EXPIRED');
  });

  it('fails each batch results download the configured number of times, per batch', () => {
    const store = new BatchStore(new ManualClock(0), { resultDownloadFailures: 2 });
    const [a, b] = [store.add(input), store.add(input)];
    expect([1, 2, 3].map(() => store.failResultDownload(a.id))).toEqual([true, true, false]);
    expect(store.failResultDownload(b.id)).toBe(true);
    expect(store.failResultDownload('unknown')).toBe(false);
  });

  it('gives each job the scenario settings in force at its creation, over the options', () => {
    const clock = new ManualClock(0);
    let live: {
      duration?: string;
      end?: 'succeeded' | 'expired' | 'failed';
      resultDownloadFailures?: number;
    } = { duration: '2m', end: 'failed', resultDownloadFailures: 1 };
    const store = new BatchStore(clock, { batchDurationMs: 40_000 }, () => live);
    const failing = store.add(input);
    live = {};
    const plain = store.add(input);
    expect(failing.settings).toEqual({ durationMs: 120_000, end: 'failed', resultDownloadFailures: 1 });
    expect(plain.settings).toEqual({ durationMs: 40_000, end: 'succeeded', resultDownloadFailures: 0 });
    clock.advance(40_000);
    expect([store.stateOf(failing), store.stateOf(plain)]).toEqual([
      'BATCH_STATE_RUNNING',
      'BATCH_STATE_SUCCEEDED',
    ]);
    clock.advance(80_000);
    expect(store.stateOf(failing)).toBe('BATCH_STATE_FAILED');
    expect(store.endTimeMs(failing)).toBe(120_000);
  });

  it('lists newest first and deletes', () => {
    const clock = new ManualClock(0);
    const store = new BatchStore(clock);
    const first = store.add(input);
    clock.advance(1);
    const second = store.add(input);
    expect(store.list().map((batch) => batch.id)).toEqual([second.id, first.id]);
    expect(store.delete(first.id)).toBe(true);
    expect(store.get(first.id)).toBeUndefined();
  });

  it('makes reproducible lowercase IDs', () => {
    expect(batchId(1)).toMatch(/^[a-z0-9]{16}$/);
    expect(batchId(1)).toBe(batchId(1));
  });
});
