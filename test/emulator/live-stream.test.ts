import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock/index.js';
import { parseScenario, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { readWithin } from '../support/wait-until.js';
import { beforeShutdowns, startTestEmulator, type TestEmulator } from './sdk-harness.js';

/**
 * Streams are streamed: events leave the emulator one by one as they are produced. The emulator waits on
 * a clock the test steps by hand, so the test knows exactly what has been produced when it reads — no
 * wall-clock timing is asserted.
 */

/** A clock whose sleeps end only when the test releases them, one at a time. */
class SteppedClock implements Clock {
  readonly waits: number[] = [];
  private readonly sleepers: (() => void)[] = [];
  private readonly sleepListeners: (() => void)[] = [];

  nowMs(): number {
    return beforeShutdowns;
  }

  sleep(durationMs: number): Promise<void> {
    this.waits.push(durationMs);
    return new Promise((resolve) => {
      this.sleepers.push(resolve);
      this.sleepListeners.splice(0).forEach((listener) => listener());
    });
  }

  /** Resolves once some code is waiting on the clock. */
  someoneWaiting(): Promise<void> {
    if (this.sleepers.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.sleepListeners.push(resolve));
  }

  get waiting(): number {
    return this.sleepers.length;
  }

  releaseOne(): void {
    this.sleepers.shift()?.();
  }
}

const streamBody = JSON.stringify({
  contents: [{ parts: [{ text: 'a paper boat on a pond' }] }],
  generationConfig: { imageConfig: { aspectRatio: '1:1' } },
});

describe('a stream over HTTP', () => {
  let clock: SteppedClock;
  let emulator: RunningEmulator;

  beforeAll(async () => {
    clock = new SteppedClock();
    emulator = await startEmulator({
      clock,
      scenario: parseScenario(
        'streaming:\n  models:\n    "gemini-3-pro-image*": { firstChunkMs: 800, chunkGapMs: 40 }\n',
      ),
    });
    emulator.clock.setNow(beforeShutdowns, { frozen: true });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('delivers the first event while the last one has not been produced yet', async () => {
    const response = await fetch(
      `${emulator.url}/v1beta/models/gemini-3-pro-image-preview:streamGenerateContent?alt=sse`,
      {
        method: 'POST',
        headers: { 'x-goog-api-key': 'k', 'content-type': 'application/json' },
        body: streamBody,
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.headers.get('transfer-encoding')).toBe('chunked');

    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const events: string[] = [];
    let buffered = '';
    /** Reads until one more whole event has arrived. */
    const nextEvent = async (): Promise<Record<string, unknown> | undefined> => {
      while (!buffered.includes('\r\n\r\n')) {
        const { done, value } = await readWithin(reader, {
          what: `event ${events.length + 1}`,
          timeoutMs: 10_000,
        });
        if (done) return undefined;
        buffered += value;
      }
      const end = buffered.indexOf('\r\n\r\n');
      const event = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      events.push(event);
      return JSON.parse(event.slice('data: '.length)) as Record<string, unknown>;
    };

    // Time to first chunk: nothing is produced until the clock lets the first wait end.
    await clock.someoneWaiting();
    expect(clock.waits).toEqual([800]);
    clock.releaseOne();
    const first = await nextEvent();
    expect(JSON.stringify(first)).toContain('"text"');

    // The first event is in hand; the emulator now waits before producing the second, so the last
    // (the finish reason) cannot have been produced.
    await clock.someoneWaiting();
    expect(clock.waiting).toBe(1);
    expect(events).toHaveLength(1);

    let finished: Record<string, unknown> | undefined;
    for (let step = 0; step < 10 && !finished; step++) {
      clock.releaseOne();
      const event = await nextEvent();
      if (JSON.stringify(event).includes('"finishReason"')) finished = event;
      if (!finished) await clock.someoneWaiting();
    }
    expect(finished, 'a final event with the finish reason').toBeDefined();
    expect(await nextEvent()).toBeUndefined();
    // One wait per event: the first chunk's, then a gap before each later event.
    expect(clock.waits).toEqual([800, ...Array.from({ length: events.length - 1 }, () => 40)]);
    expect(events.some((event) => event.includes('"inlineData"'))).toBe(true);
  });
});

describe('streams through @google/genai', () => {
  let harness: TestEmulator;

  beforeAll(async () => {
    harness = await startTestEmulator({
      scenarioYaml: 'streaming: { default: { firstChunkMs: 500, chunkGapMs: 20 } }',
    });
  });

  afterAll(async () => {
    await harness.emulator.close();
  });

  it('yields thought parts first, then the signed answer and the image, with thinking tokens counted', async () => {
    const stream = await harness.client().models.generateContentStream({
      model: 'gemini-3-pro-image-preview',
      contents: 'a paper boat on a pond',
      config: { thinkingConfig: { includeThoughts: true } },
    });
    const parts: { thought?: boolean; text?: string; signed: boolean; image: boolean }[] = [];
    let thoughtsTokenCount: number | undefined;
    for await (const chunk of stream) {
      for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
        parts.push({
          ...(part.thought ? { thought: true } : {}),
          signed: part.thoughtSignature !== undefined,
          image: part.inlineData !== undefined,
        });
      }
      thoughtsTokenCount = chunk.usageMetadata?.thoughtsTokenCount ?? thoughtsTokenCount;
    }
    const firstAnswer = parts.findIndex((part) => !part.thought);
    expect(firstAnswer).toBeGreaterThan(0);
    expect(parts.slice(0, firstAnswer).every((part) => !part.signed)).toBe(true);
    expect(parts[firstAnswer]!.signed).toBe(true);
    expect(parts.filter((part) => part.image).every((part) => part.signed && !part.thought)).toBe(true);
    expect(thoughtsTokenCount).toBeGreaterThan(0);
    // The base clock is a manual one: the pacing waits were asked for, and cost no real time.
    expect(harness.baseClock.sleepsMs.slice(0, 2)).toEqual([500, 20]);
  });
});
