// Where the JSON store keeps its files. The configured path is the core snapshot; everything else
// sits beside it, named from its base name (data/imos.json → data/imos.core.jsonl, …). The layout is
// documented in docs/CONTRACT.md ("The store").
import path from 'node:path';
import type { SectionName } from './records.js';
import type { SectionFiles } from './journal.js';

export interface StorePaths {
  dir: string;
  sections: Record<SectionName, SectionFiles>;
  lease: string;
  audit: string;
}

export function storePaths(configuredPath: string): StorePaths {
  const core = path.resolve(configuredPath);
  const dir = path.dirname(core);
  const base = path.basename(core).replace(/\.json$/i, '');
  const at = (suffix: string) => path.join(dir, `${base}.${suffix}`);
  return {
    dir,
    sections: {
      core: { snapshot: core, journal: at('core.jsonl') },
      results: { snapshot: at('results.json'), journal: at('results.jsonl') },
      history: { snapshot: at('history.json'), journal: at('history.jsonl') },
    },
    lease: at('lease.json'),
    audit: at('audit.jsonl'),
  };
}

/** Every file of the store with the name a watcher reports for it. */
export function watchedFiles(paths: StorePaths): Array<[SectionName | 'lease' | 'audit', string]> {
  const out: Array<[SectionName | 'lease' | 'audit', string]> = [];
  for (const [section, files] of Object.entries(paths.sections) as Array<[SectionName, SectionFiles]>) {
    out.push([section, files.snapshot], [section, files.journal]);
  }
  out.push(['lease', paths.lease], ['audit', paths.audit]);
  return out;
}
