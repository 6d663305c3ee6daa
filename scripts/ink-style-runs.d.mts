// Types of scripts/ink-style-runs.mjs for the test that imports it.
import type { Plugin } from 'esbuild';
export declare const inkStyleRuns: Plugin;
