// Whether a process is still there, for the poller lease and the outbox claims (a holder or a
// claimant that died on this host is taken over at once). A leaf: it imports nothing of imos.
import { readFileSync } from 'node:fs';

/** `process.kill(pid, 0)`: ESRCH means gone; EPERM means alive but someone else's. */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** Alive and not a zombie waiting for its reaper (a killed child that nobody waited for yet). */
export function isProcessRunning(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // No /proc (not Linux), or the process went away meanwhile.
    return isProcessAlive(pid);
  }
}
