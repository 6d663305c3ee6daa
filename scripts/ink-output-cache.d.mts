// Types of scripts/ink-output-cache.mjs for the test that imports it.
import type { Plugin } from 'esbuild';
export declare const inkOutputCache: Plugin;
