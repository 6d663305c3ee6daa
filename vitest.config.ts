import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,views,web,checks,test}/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests start real processes, servers and databases: two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
