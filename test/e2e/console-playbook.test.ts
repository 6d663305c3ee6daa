// End-to-end: the built binary in tmux. Two consoles on one workspace, an alert with a playbook:
// the first runs the action (x, its number, y — the confirmation names the exact command) and
// watches its output stream; the second, trying the same action meanwhile, is refused with who
// runs it; when the run ends, the alert's check runs at once and the alert resolves.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmux = new Tmux(`imos-playbook-${process.pid}`);
const imos = (args: string) => `${consoleEnv()} ${imosCommand()} ${args}`;
let workspace = '';

describe.skipIf(!hasTmux)('a playbook action from the real console in tmux', () => {
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    workspace = mkdtempSync(path.join(tmpdir(), 'imos-playbook-e2e-'));
    mkdirSync(path.join(workspace, 'state'));
    writeFileSync(
      path.join(workspace, 'fix.sh'),
      '#!/bin/sh\necho "fixing the feed"\ni=0\nwhile [ ! -f ./state/release ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\nprintf \'\\033[31mfeed fixed\\033[0m\\n\'\ntouch ./state/fixed\n',
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(workspace, 'imos.yaml'),
      `project: Playbook e2e
people:
  luna: { name: Luna }
  manager: { name: Manager }
systems:
  feed: { name: Feed, leader: luna }
checks:
  - id: feed-ok
    system: feed
    kind: command
    run: [test, -f, ./state/fixed]
    every: 1s
    failure_threshold: 1
playbooks:
  feed-recovery:
    checks: [feed-ok]
    coordinate: [leader, manager]
    runbook: Restart the feed with fix.
    actions:
      fix: { title: Fix the feed, run: [./fix.sh], timeout: 1m }
store: ./state/imos.json
`,
    );
  });

  afterAll(() => {
    tmux.kill();
    // The consoles may still be writing as they quit: retry a directory that is not empty yet.
    if (workspace) rmSync(workspace, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('runs once at a time across consoles, streams the output, and the alert resolves', async () => {
    tmux.start('luna', workspace, imos('console --config imos.yaml --as luna'), { x: 120, y: 40 });
    const first = await tmux.waitFor('luna', /CRIT\w* +A\d+ /, 20_000);
    const id = /CRIT\w* +(A\d+) /.exec(first)![1]!;
    const row = new RegExp(`CRIT\\w* +${id} `);
    tmux.start('manager', workspace, imos('console --config imos.yaml --as manager'), { x: 120, y: 40 });
    await tmux.waitFor('manager', row, 20_000);

    tmux.keys('luna', '4', 'Enter');
    await tmux.waitFor('luna', 'Playbook feed-recovery · brought together: Luna, Manager');
    tmux.keys('luna', 'x');
    await tmux.waitFor('luna', `run which action for ${id}? 1 Fix the feed`);
    tmux.keys('luna', '1');
    await tmux.waitFor('luna', new RegExp(`run \\./fix\\.sh for ${id}\\? \\(in .*\\) y runs`));
    tmux.keys('luna', 'y');
    let screen = await tmux.waitFor('luna', 'fixing the feed');
    expect(screen).toContain(`▶ Fix the feed (${id}): ./fix.sh`);
    expect(screen).toContain('running…');

    // The other console tries the same action while it runs: refused, naming who runs it.
    tmux.keys('manager', '4', 'Enter');
    await tmux.waitFor('manager', 'Playbook feed-recovery');
    tmux.keys('manager', 'x', '1');
    await tmux.waitFor('manager', new RegExp(`for ${id}\\? \\(in .*\\) y runs`));
    tmux.keys('manager', 'y');
    screen = await tmux.waitFor('manager', /fix is already running \(started by luna/, 15_000);
    expect(existsSync(path.join(workspace, 'state', 'fixed'))).toBe(false);

    writeFileSync(path.join(workspace, 'state', 'release'), '');
    screen = await tmux.waitFor('luna', /fix: exit 0 after/, 20_000);
    expect(screen).toContain('feed fixed');
    expect(screen).not.toMatch(/\[31m/);
    // One Esc at a time: two in one write reach the console as one Meta-Esc.
    tmux.keys('luna', 'Escape');
    await tmux.waitFor('luna', (s) => !s.includes('feed fixed') && s.includes('Esc: back to the list'), 20_000);
    tmux.keys('luna', 'Escape');
    // The alert's check ran again at once: the alert is resolved, in both consoles.
    await tmux.waitFor('luna', (s) => !row.test(s) && s.includes('Alert center'), 20_000);
    await tmux.waitFor('manager', (s) => !row.test(s), 20_000);
  }, 120_000);
});
