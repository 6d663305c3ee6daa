// Where each section lives on disk. The configured path holds `core`; the others sit beside it,
// named from its base name: data/imos.json → imos.results.json, imos.lease.json, imos.audit.jsonl.
import path from 'node:path';
import type { SectionName } from './types.js';

export interface StorePaths {
  dir: string;
  sections: Record<SectionName, string>;
  audit: string;
}

export function storePaths(configuredPath: string): StorePaths {
  const core = path.resolve(configuredPath);
  const dir = path.dirname(core);
  const base = path.basename(core).replace(/\.json$/i, '');
  return {
    dir,
    sections: {
      core,
      results: path.join(dir, `${base}.results.json`),
      lease: path.join(dir, `${base}.lease.json`),
    },
    audit: path.join(dir, `${base}.audit.jsonl`),
  };
}
