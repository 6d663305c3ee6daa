// The fault suite: the product under kills, failing peers, disk trouble and hostile input.
// `npm run test:faults`; each file prints its figures (kills survived, notices counted, inputs
// tried) as it goes. Kept out of `npm test` (vitest.config.ts) because it is long by design.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.{ts,tsx}'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Figures are printed with console.log; show them even when the tests pass.
    silent: false,
    reporters: ['verbose'],
    // Two files at a time (two cores): each file's processes, cluster and servers are its own
    // (temporary directories, free ports, its own tmux socket), and its bounds are generous enough
    // for a neighbour's load.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
