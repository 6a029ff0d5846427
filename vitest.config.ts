import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The emulator renders real images with sharp; give slow CI cores room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
