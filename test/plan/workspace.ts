// A throwaway workspace for plan tests: an imos.yaml for the hotel project, a copy of the example
// matrix, and a real JSON store, plus a CliContext whose output is collected.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFile } from '../../src/config/load.js';
import { openStore } from '../../src/store/open.js';
import { ManualClock } from '../../src/time/clock.js';
import type { CliContext } from '../../src/cli/context.js';
import type { ImosConfig } from '../../src/config/types.js';
import type { Store } from '../../src/store/types.js';

export const EXAMPLE_MATRIX = path.resolve(import.meta.dirname, '../../data/example/Integration_Management_Matrix.md');

export const HOTEL_YAML = `project: Hotel integration
timezone: Asia/Tokyo
people:
  manager: { name: Integration manager }
  owner: { name: Project owner }
  suno: { name: Suno }
  luna: { name: Luna }
  sun: { name: Sun }
systems:
  hotel-common: { name: Unified platform, leader: manager }
  hotel-member: { name: Members (FastAPI), leader: suno, depends_on: [hotel-common] }
  hotel-pms: { name: PMS, leader: luna, depends_on: [hotel-common] }
  hotel-saas: { name: Orders SaaS, leader: sun, depends_on: [hotel-common] }
matrix: ./Integration_Management_Matrix.md
phases:
  - { name: "Phase 1: unified database", start: 2025-01-20, end: 2025-01-31 }
  - { name: "Phase 2: system connections", start: 2025-01-27, end: 2025-02-21 }
store: ./data/imos.json
`;

/** The fixture's checks (never run: their results are seeded) and three gates over them, one per level (README, Quality gates). */
export const GATES_YAML = `checks:
  - { id: unified-db, system: hotel-common, kind: postgres, url: "postgres://imos@127.0.0.1:1/unified" }
  - { id: reservation-sync, system: hotel-pms, kind: sync-lag, url: "postgres://imos@127.0.0.1:1/unified", query: "select 1" }
  - { id: saas-typescript, system: hotel-saas, kind: typescript, project: tsconfig.json }
  - { id: saas-coverage, system: hotel-saas, kind: coverage, report: coverage/lcov.info }
  - { id: member-api, system: hotel-member, kind: http, url: "http://127.0.0.1:1/health" }
gates:
  code:
    - id: code-quality
      name: TypeScript errors 0, coverage ≥ 80 %
      phase: Phase 2
      require:
        - { kind: typescript, that: errors == 0 }
        - { kind: coverage, that: lines >= 80% }
  integration:
    - id: connected
      name: every API connected, sync delay < 5 s
      phase: Phase 2
      require:
        - { kind: http }
        - { kind: sync-lag, that: lag < 5s }
`;

export interface Workspace {
  dir: string;
  configFile: string;
  matrixFile: string;
  config: ImosConfig;
  store: Store;
  clock: ManualClock;
  output: string[];
  ctx(actor?: string): CliContext;
  cleanup(): Promise<void>;
}

export async function makeWorkspace(options: { yaml?: string; now?: string } = {}): Promise<Workspace> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'imos-plan-'));
  const configFile = path.join(dir, 'imos.yaml');
  const matrixFile = path.join(dir, 'Integration_Management_Matrix.md');
  await fs.writeFile(configFile, options.yaml ?? HOTEL_YAML);
  await fs.copyFile(EXAMPLE_MATRIX, matrixFile);
  await fs.mkdir(path.join(dir, 'data'));
  const config = loadConfigFile(configFile, { env: {} });
  const store = await openStore(config.store);
  const clock = new ManualClock(options.now ?? '2025-01-29T00:30:00Z');
  const output: string[] = [];
  return {
    dir,
    configFile,
    matrixFile,
    config,
    store,
    clock,
    output,
    ctx: (actor = 'manager') => ({
      config,
      store,
      actor,
      clock,
      json: false,
      out: (text: string) => output.push(text),
      outPieces: (pieces: Iterable<string>) => output.push([...pieces].join('')),
    }),
    cleanup: async () => {
      await store.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
