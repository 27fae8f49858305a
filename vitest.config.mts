import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'broker/**/*.test.ts', 'app/**/*.test.ts'],
    // Builds the console once (when the run includes test/api or test/e2e) before workers start.
    globalSetup: ['test/api/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real brokers on port 0; two workers match this 2-core machine.
    pool: 'forks',
    maxWorkers: 2,
  },
});
