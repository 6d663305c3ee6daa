// End-to-end: the built binary in tmux. Two consoles on one workspace, an alert with a playbook:
// the first runs the action (x, its number, y — the confirmation names the exact command) and
// watches its output stream; the second, trying the same action meanwhile, is refused with who
// runs it; when the run ends, the alert's check runs at once and the alert resolves. A read-only
// console runs nothing; quitting a console while its action runs asks once, then stops the action
// (its process group) and records it before the console ends; `imos run` in a terminal names the
// exact command and asks first.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEnv, hasTmux, imosCommand, Tmux } from '../helpers/tmux.js';
import { runImos } from '../helpers/cli.js';
import { openStore } from '../../src/store/open.js';
import { isProcessRunning } from '../../src/processes.js';
import { HANG_MS, waitUntil } from '../helpers/bounds.js';

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
    every: 1h                       # only the run right after the action can resolve it
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
    const first = await tmux.waitFor('luna', /CRIT\w* +A\d+ /);
    const id = /CRIT\w* +(A\d+) /.exec(first)![1]!;
    const row = new RegExp(`CRIT\\w* +${id} `);
    tmux.start('manager', workspace, imos('console --config imos.yaml --as manager'), { x: 120, y: 40 });
    await tmux.waitFor('manager', row);

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
    screen = await tmux.waitFor('manager', /fix is already running \(started by luna/);
    expect(existsSync(path.join(workspace, 'state', 'fixed'))).toBe(false);

    writeFileSync(path.join(workspace, 'state', 'release'), '');
    screen = await tmux.waitFor('luna', /fix: exit 0 after/);
    expect(screen).toContain('feed fixed');
    expect(screen).not.toMatch(/\[31m/);
    // One Esc at a time: two in one write reach the console as one Meta-Esc.
    tmux.keys('luna', 'Escape');
    // Back in the alert's detail, whose history now lists the run with its last lines.
    await tmux.waitFor('luna', (s) => !s.includes('▶ Fix the feed') && s.includes('Esc: back to the list'));
    screen = await tmux.waitFor('luna', 'Runs (newest first)');
    expect(screen).toMatch(/luna ran feed-recovery\.fix: \.\/fix\.sh — exit 0/);
    tmux.keys('luna', 'Escape');
    // The alert's check ran again at once: the alert is resolved, in both consoles.
    await tmux.waitFor('luna', (s) => !row.test(s) && s.includes('Alert center'));
    await tmux.waitFor('manager', (s) => !row.test(s));
  }, 120_000);
});

describe.skipIf(!hasTmux)('a read-only console and quitting during a run, in tmux', () => {
  const tmux2 = new Tmux(`imos-playbook-quit-${process.pid}`);
  let dir = '';
  beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/imos.js'))) throw new Error('dist/imos.js is missing: run npm run build');
    dir = mkdtempSync(path.join(tmpdir(), 'imos-playbook-quit-'));
    mkdirSync(path.join(dir, 'state'));
    writeFileSync(
      path.join(dir, 'drain.sh'),
      '#!/bin/sh\necho $$ > ./state/drain.pid\necho "draining the queue"\ni=0\nwhile [ ! -f ./state/drained ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i+1)); done\n',
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(dir, 'imos.yaml'),
      `project: Playbook quit e2e
people:
  luna: { name: Luna }
systems:
  queue: { name: Queue, leader: luna }
checks:
  - id: queue-ok
    system: queue
    kind: command
    run: [test, -f, ./state/drained]
    every: 1h
    failure_threshold: 1
playbooks:
  queue-recovery:
    checks: [queue-ok]
    coordinate: [leader]
    runbook: Drain the queue.
    actions:
      drain: { title: Drain the queue, run: [./drain.sh], timeout: 1m }
      careful: { title: Drain it carefully, run: [./drain.sh], timeout: 1m, confirm: drain it now }
store: ./state/imos.json
`,
    );
  });

  afterAll(() => {
    // A drain left running (a failed test) ends at once.
    if (dir) writeFileSync(path.join(dir, 'state', 'drained'), '');
    tmux2.kill();
    if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  });

  it('a read-only console runs nothing; quitting while an action runs asks once, then stops it and records it', async () => {
    tmux2.start('luna', dir, imos('console --config imos.yaml --as luna'), { x: 120, y: 40 });
    const first = await tmux2.waitFor('luna', /CRIT\w* +A\d+ /);
    const id = /CRIT\w* +(A\d+) /.exec(first)![1]!;

    tmux2.start('ro', dir, imos('console --config imos.yaml --as luna --readonly'), { x: 120, y: 40 });
    await tmux2.waitFor('ro', new RegExp(`CRIT\\w* +${id} `));
    tmux2.keys('ro', '4', 'Enter');
    await tmux2.waitFor('ro', 'Actions (read-only console: run them elsewhere)');
    tmux2.keys('ro', 'x', '1', 'y');
    await new Promise((r) => setTimeout(r, 1000));
    expect(tmux2.capture('ro')).not.toContain('run which action');
    expect(existsSync(path.join(dir, 'state', 'drain.pid'))).toBe(false);

    tmux2.keys('luna', '4', 'Enter');
    await tmux2.waitFor('luna', 'Playbook queue-recovery');
    tmux2.keys('luna', 'x', '1');
    await tmux2.waitFor('luna', new RegExp(`run \\./drain\\.sh for ${id}\\?`));
    tmux2.keys('luna', 'y');
    await tmux2.waitFor('luna', 'draining the queue');
    const pid = Number(readFileSync(path.join(dir, 'state', 'drain.pid'), 'utf8'));
    tmux2.keys('luna', 'Escape');
    await tmux2.waitFor('luna', 'drain still runs');
    tmux2.keys('luna', 'Escape');
    await tmux2.waitFor('luna', (s) => s.includes('Alert center') && !s.includes('Esc: back to the list'));
    tmux2.keys('luna', 'q');
    await tmux2.waitFor('luna', 'drain still running: q again stops it and quits');
    expect(isProcessRunning(pid)).toBe(true);
    tmux2.keys('luna', 'q');
    await tmux2.waitFor('luna', 'EXITED-0');
    expect(isProcessRunning(pid)).toBe(false);
    const stoppedRuns = async () => {
      const store = await openStore(path.join(dir, 'state', 'imos.json'));
      try {
        return (await store.readAudit()).filter((e) => e.action === 'action-run' && e.target === id && e.detail?.outcome === 'stopped');
      } finally {
        await store.close();
      }
    };
    expect(await stoppedRuns()).toMatchObject([{ actor: 'luna', detail: { action: 'drain', outcome: 'stopped' } }]);

    // The terminal hangs up while an action runs (an SSH session dropped): stopped and recorded too.
    rmSync(path.join(dir, 'state', 'drain.pid'), { force: true });
    tmux2.start('hup', dir, imos('console --config imos.yaml --as luna'), { x: 120, y: 40 });
    await tmux2.waitFor('hup', new RegExp(`CRIT\\w* +${id} `));
    tmux2.keys('hup', '4', 'Enter');
    await tmux2.waitFor('hup', 'Playbook queue-recovery');
    tmux2.keys('hup', 'x', '1');
    await tmux2.waitFor('hup', new RegExp(`run \\./drain\\.sh for ${id}\\?`));
    tmux2.keys('hup', 'y');
    // (The alert's history already shows the first run's output: wait for this run's own pid.)
    await tmux2.waitFor('hup', '▶ Drain the queue');
    await waitUntil('the second drain to start', () => existsSync(path.join(dir, 'state', 'drain.pid')));
    const second = Number(readFileSync(path.join(dir, 'state', 'drain.pid'), 'utf8'));
    tmux2.run('kill-session', '-t', 'hup');
    await waitUntil('the second drain stopped and recorded', async () => !isProcessRunning(second) && (await stoppedRuns()).length >= 2, HANG_MS, 100);
    expect(await stoppedRuns()).toHaveLength(2);
  }, 120_000);

  it('imos run in a terminal names the exact command and asks first: n and a wrong phrase run nothing, y runs it', async () => {
    const alerts = await runImos(['alerts', '--json'], { cwd: dir });
    const id = (JSON.parse(alerts.stdout) as Array<{ id: string; checkId: string }>).find((a) => a.checkId === 'queue-ok')!.id;
    rmSync(path.join(dir, 'state', 'drain.pid'), { force: true });

    tmux2.start('no', dir, imos(`run ${id} drain --as luna`), { x: 120, y: 20 });
    let screen = await tmux2.waitFor('no', 'Run it? [y/N]');
    expect(screen).toContain(`Drain the queue (queue-recovery.drain) for ${id}:`);
    expect(screen).toContain('  ./drain.sh');
    expect(screen).toMatch(/in .*imos-playbook-quit-.*, timeout 60s/);
    tmux2.type('no', 'n');
    tmux2.keys('no', 'Enter');
    await tmux2.waitFor('no', /not run\s+EXITED-1/);

    tmux2.start('phrase', dir, imos(`run ${id} careful --as luna`), { x: 120, y: 20 });
    await tmux2.waitFor('phrase', 'Type "drain it now" to run it:');
    tmux2.type('phrase', 'drain it');
    tmux2.keys('phrase', 'Enter');
    await tmux2.waitFor('phrase', /not run\s+EXITED-1/);
    expect(existsSync(path.join(dir, 'state', 'drain.pid'))).toBe(false);

    tmux2.start('yes', dir, imos(`run ${id} drain --as luna`), { x: 120, y: 20 });
    await tmux2.waitFor('yes', 'Run it? [y/N]');
    tmux2.type('yes', 'y');
    tmux2.keys('yes', 'Enter');
    await tmux2.waitFor('yes', 'draining the queue');
    writeFileSync(path.join(dir, 'state', 'drained'), '');
    screen = await tmux2.waitFor('yes', /EXITED-0/);
    expect(screen).toMatch(/drain: exit 0 after/);
    expect(screen).toContain('queue-ok checked again: ok');
  }, 120_000);
});
