// The built binary keeps a large configuration's parsed data between runs (src/config/parse-cache.ts):
// a run after an edit reads the edited file, never the data kept from before.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';

let dir: string;
let cacheDir: string;
let file: string;

function configText(count: number, system: (i: number) => string) {
  const lines = ['project: Kept', 'systems:', '  app: { name: App }', '  db: { name: DB }', 'store: ./state/imos.json', 'checks:'];
  for (let i = 0; i < count; i++) lines.push(`  - id: check-${i}`, `    system: ${system(i)}`, '    kind: command', '    run: [node, -e, "process.exit(0)"]');
  return `${lines.join('\n')}\n`;
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-cli-parse-cache-'));
  cacheDir = path.join(dir, 'cache');
  file = path.join(dir, 'imos.yaml');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const imos = (args: string[]) => runImos([...args, '--config', file], { cwd: dir, env: { IMOS_CACHE_DIR: cacheDir } });
const entries = () => fs.readdirSync(cacheDir).filter((n) => n.startsWith('config-'));

describe('a large configuration, run after run', () => {
  it('is parsed once and read back after; an edit is seen at once, a mistake reported with its line', async () => {
    fs.writeFileSync(file, configText(1500, () => 'app'));
    const first = await imos(['validate']);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain('1500 checks');
    expect(entries()).toHaveLength(1);
    const kept = fs.statSync(path.join(cacheDir, entries()[0]!)).mtimeMs;

    const again = await imos(['status', '--json']);
    expect(again.exitCode).toBe(0);
    expect(new Set(JSON.parse(again.stdout).systems[0].checks.map((c: { system: string }) => c.system))).toEqual(new Set(['app']));
    // Read back, not written again.
    expect(fs.statSync(path.join(cacheDir, entries()[0]!)).mtimeMs).toBe(kept);

    // The same length and shape, one word changed: the edit is what the next run reads.
    fs.writeFileSync(file, configText(1500, (i) => (i === 700 ? 'dbx' : i % 2 ? 'db' : 'app')));
    const mistake = await imos(['validate']);
    expect(mistake.exitCode).toBe(78);
    expect(mistake.stderr).toMatch(/imos\.yaml:\d+.*dbx/);
    fs.writeFileSync(file, configText(1500, (i) => (i % 2 ? 'db' : 'app')));
    const status = await imos(['status', '--json']);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout).systems.map((s: { checks: unknown[] }) => s.checks.length)).toEqual([750, 750]);
    expect(entries()).toHaveLength(1);
  });
});
