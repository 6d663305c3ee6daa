// A demo killed outright (kill -9, the OOM killer) runs no exit hook: its PostgreSQL would keep
// running and its temporary directory would stay. A small detached watchdog outlives it: once the
// demo's process is gone it stops the recorded postmasters (SIGQUIT: immediate shutdown) and
// deletes the directories. It exits by itself as soon as the demo's directory is gone (a normal
// stop), and the demo kills it on a normal stop anyway.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LIST = 'reap.json';

// CommonJS for `node -e`. Every loop is bounded: the poll ends when the owner or the directory is
// gone, the wait for the postmasters after 10 s.
const SCRIPT = `
const fs = require('fs'), path = require('path');
const owner = Number(process.env.IMOS_REAP_OWNER), dir = process.env.IMOS_REAP_DIR;
const zombie = (pid) => { try { return /^\\d+ \\(.*\\) Z/.test(fs.readFileSync('/proc/' + pid + '/stat', 'utf8')); } catch { return false; } };
const alive = (pid) => { try { process.kill(pid, 0); return !zombie(pid); } catch (e) { return e.code === 'EPERM'; } };
const timer = setInterval(() => {
  if (!dir || !fs.existsSync(dir)) { clearInterval(timer); return; }
  if (alive(owner)) return;
  clearInterval(timer);
  let dataDirs = [];
  try { dataDirs = JSON.parse(fs.readFileSync(path.join(dir, '${LIST}'), 'utf8')); } catch {}
  const pids = [];
  for (const data of dataDirs) {
    try {
      const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\\n')[0]);
      if (pid > 0) { process.kill(pid, 'SIGQUIT'); pids.push(pid); }
    } catch {}
  }
  const until = Date.now() + 10000;
  const finish = () => {
    if (pids.some(alive) && Date.now() < until) return void setTimeout(finish, 100);
    // Asynchronous: Node retries such a removal as a whole when a file appears in it meanwhile.
    for (const d of [...dataDirs.map((data) => path.dirname(data)), dir]) {
      fs.rm(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 }, () => {});
    }
  };
  finish();
}, 500);
`;

export interface Reaper {
  /** Record a cluster's data directory: its postmaster is stopped and its parent directory removed. */
  protect(dataDirs: string[]): void;
  /** The demo stopped normally: the watchdog is no longer needed. */
  stop(): void;
}

export function startReaper(dir: string): Reaper {
  let child: ReturnType<typeof spawn> | null = null;
  try {
    child = spawn(process.execPath, ['-e', SCRIPT], {
      detached: true,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', IMOS_REAP_OWNER: String(process.pid), IMOS_REAP_DIR: dir },
    });
    child.on('error', () => {});
    child.unref();
  } catch {
    child = null; // best effort: without it, only a killed demo leaves things behind
  }
  return {
    protect(dataDirs) {
      writeFileSync(join(dir, LIST), JSON.stringify(dataDirs));
    },
    stop() {
      try {
        child?.kill('SIGKILL');
      } catch {
        // already gone
      }
      child = null;
    },
  };
}
