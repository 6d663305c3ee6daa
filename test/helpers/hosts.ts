// Processes that each run on a "host" of their own: a UTS namespace (`unshare --uts`) whose host
// name is set before the program starts, so `os.hostname()` in the product is what a second
// machine would report. Process ids stay in the shared pid namespace (the test can kill them).
// Needs CAP_SYS_ADMIN (root here); `hostsAvailable()` says whether this machine allows it.
import { spawnSync, type SpawnOptions } from 'node:child_process';
import { startProcess, type WorkerProcess } from './build-worker.js';

let probed: string | null | undefined;

/** Null when processes can be given their own host name here; otherwise why not. */
export function hostsUnavailable(): string | null {
  if (probed !== undefined) return probed;
  const probe = spawnSync('unshare', ['--uts', 'sh', '-c', 'hostname imos-probe && hostname'], { encoding: 'utf8', timeout: 10_000 });
  probed =
    probe.status === 0 && probe.stdout.trim() === 'imos-probe'
      ? null
      : `cannot give a process its own host name (unshare --uts: ${(probe.error?.message ?? probe.stderr.trim()) || `exit ${probe.status}`})`;
  return probed;
}

/** `argv` run as a process whose host name is `host`; its pid is the program's own (exec, no fork). */
export function startOnHost(host: string, argv: string[], options: SpawnOptions = {}): WorkerProcess {
  if (!/^[a-z0-9-]{1,63}$/.test(host)) throw new Error(`not a host name for a test: ${host}`);
  // sh -c '…' NAME ARGS: $0 is the host name, "$@" the program; exec keeps the pid.
  return startProcess('unshare', ['--uts', 'sh', '-c', 'hostname "$0" && exec "$@"', host, ...argv], options);
}
