// `npm start` (imos demo) in tmux, as a newcomer sees it: within 15 s the console shows the four
// systems and at least one alert, and the web dashboard is served beside it; `q` quits, and
// nothing the demo started is left: no PostgreSQL, no temporary directory (the demo runs with its
// own TMPDIR so that this can be checked).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HANG_MS } from '../helpers/bounds.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SOCKET = `imos-demo-e2e-${process.pid}`;
const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const tmp = mkdtempSync(path.join(tmpdir(), 'imos-demo-console-e2e-'));
chmodSync(tmp, 0o755); // the postgres user must reach its cluster directory inside

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}
const capture = () => tmux('capture-pane', '-p', '-t', 'demo');

async function waitForPane(test: (screen: string) => boolean, what: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (let i = 0; i < 1000; i++) {
    const screen = capture();
    if (test(screen)) return screen;
    if (Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}:\n${capture()}`);
}

/** Postmasters of clusters under our TMPDIR (their command line names the data directory). */
function postmasters(): number[] {
  return execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && !m[2]!.startsWith('Z') && m[3]!.includes(`-D ${tmp}`))
    .map((m) => Number(m[1]));
}

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no server left
  }
  for (const pid of postmasters()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('npm start in tmux', () => {
  // How fast the console's first frame comes is measured by `npm run bench` (startup).
  it('shows the four systems and an alert, serves the web dashboard beside the console, and quits cleanly on q', async () => {
    const ci = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
    const env = ['env', ...ci.map((k) => `-u ${k}`), 'TERM=xterm-256color', `TMPDIR=${tmp}`].join(' ');
    tmux('new-session', '-d', '-s', 'demo', '-x', '120', '-y', '40', '-c', ROOT, `${env} npm start --silent; echo EXITED-$?; sleep 60`);

    const screen = await waitForPane(
      (s) => ['hotel-member', 'hotel-pms', 'hotel-saas', 'hotel-common'].every((id) => s.includes(id)) && /\b(CRIT|HIGH) +A\d+/.test(s),
      'the four systems and an alert',
      4 * HANG_MS, // the demo starts PostgreSQL (a fresh initdb: tens of seconds on a loaded machine) and its services first
    );
    expect(screen).toContain('Hotel integration');
    // Beside the console the demo serves the web dashboard; its address was printed before the
    // console took the screen (tmux keeps that screen while the console draws on the alternate one).
    const before = tmux('capture-pane', '-p', '-a', '-t', 'demo');
    const dashboard = /the web dashboard: (http:\/\/127\.0\.0\.1:\d+\/dashboard)/.exec(before)?.[1];
    expect(dashboard, before).toBeDefined();
    const page = await fetch(dashboard!);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Hotel integration');
    for (const name of ['Unified platform', 'Members (FastAPI)', 'PMS', 'Orders SaaS']) expect(html).toContain(name);
    expect(postmasters().length).toBe(1);

    tmux('send-keys', '-t', 'demo', 'q');
    const after = await waitForPane((s) => /EXITED-\d+/.test(s), 'the demo to exit', HANG_MS);
    expect(after).toContain('EXITED-0');
    expect(postmasters()).toEqual([]);
    expect(readdirSync(tmp).filter((name) => !name.startsWith('imos-pg-template-'))).toEqual([]);
  }, 6 * HANG_MS);
});
