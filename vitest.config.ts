import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{src,views,web,checks,test}/**/*.test.{ts,tsx}'],
    // The fault suite (kills, failing peers, full disks, hostile input) has its own run:
    // `npm run test:faults` (vitest.faults.config.ts).
    exclude: [...configDefaults.exclude, 'test/faults/**'],
    globalSetup: ['test/helpers/global-setup.ts'],
    // A hang bound, not a speed limit: tests that start processes, consoles and databases take
    // several times longer on a loaded machine (load 20 on two cores) than on an idle one.
    testTimeout: 60_000,
    // Hooks start PostgreSQL clusters (initdb alone may take a minute on a loaded machine), browsers
    // and bundles.
    hookTimeout: 120_000,
    // Tests start real processes, servers and databases: two cores, so keep the pool small.
    maxWorkers: 2,
  },
});
