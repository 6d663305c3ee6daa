// A check that failed once, with failure_threshold 2, has not alerted: `imos check` shows the
// run's CRITICAL and says it is short of the threshold; `imos status` says "failing 1 of 2 before
// alerting" instead of "pending"; the second failure alerts and the words go.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImos } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imos-thresholds-'));
  fs.writeFileSync(
    path.join(dir, 'imos.yaml'),
    `project: Thresholds
people: { manager: { name: Manager } }
systems:
  pms: { name: PMS, leader: manager }
checks:
  - { id: sync, system: pms, kind: command, run: [node, -e, "process.exit(1)"], failure_threshold: 2 }
store: ./state/imos.json
`,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('failures short of the threshold', () => {
  it('check and status say the same thing', async () => {
    const config = ['--config', path.join(dir, 'imos.yaml'), '--as', 'manager'];
    const first = await runImos([...config, 'check']);
    expect(first.exitCode).toBe(2);
    expect(first.stderr).toContain('imos: sync: failing 1 of 2 before alerting (failure_threshold 2): CRITICAL in this run, no alert yet');
    const status = await runImos([...config, 'status']);
    expect(status.stdout).toMatch(/sync\s+failing 1 of 2 before alerting \(CRITICAL\)/);
    expect(status.stdout).toContain('open alerts: 0 CRITICAL');
    const json = JSON.parse((await runImos([...config, 'status', '--json'])).stdout);
    expect(json.systems[0].checks[0].failing).toEqual({ runs: 1, threshold: 2, runStatus: 'CRITICAL' });

    const second = await runImos([...config, 'check']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).not.toContain('before alerting');
    const after = await runImos([...config, 'status']);
    expect(after.stdout).not.toContain('before alerting');
    expect(after.stdout).toContain('open alerts: 1 CRITICAL');
    expect(JSON.parse((await runImos([...config, 'status', '--json'])).stdout).systems[0].checks[0].failing).toBeUndefined();
  });
});
