import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The emulator renders real images with sharp; give slow CI cores room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Vitest's default (one worker fewer than the cores) runs one file at a time on a 2-core CI machine,
    // while most of the slow files wait on child processes, browsers and sockets rather than compute.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
