import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/global-setup.ts'],
    // Starting containers on a cold Docker cache can take a while; env services answer at once.
    hookTimeout: 60_000,
  },
});
