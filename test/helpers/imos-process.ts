// Long-running `imos` processes for end-to-end tests (the demo, `imos serve`, `imos daemon`): the
// built binary, its output collected, bounded waits, and a clean-up that leaves nothing running.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IMOS_BIN } from './cli.js';
import { CLI_HANG_MS } from './bounds.js';

export interface Running {
  child: ChildProcess;
  /** Its own TMPDIR (the demo's workspace and PostgreSQL live there), removed by `cleanUp`. */
  tmp: string;
  env: NodeJS.ProcessEnv;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];

/** Start `imos ARGS…` (CI removed from its environment, as a user's shell has it). */
export function startImos(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Running {
  const tmp = mkdtempSync(join(tmpdir(), 'imos-e2e-'));
  chmodSync(tmp, 0o755); // the postgres user must reach its cluster directory inside
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, ...options.env };
  delete env.CI;
  const child = spawn(process.execPath, [IMOS_BIN, ...args], { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += String(d)));
  child.stderr!.on('data', (d) => (err += String(d)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const run = { child, tmp, env, stdout: () => out, stderr: () => err, exited };
  running.push(run);
  return run;
}

/** `imos demo --headless --port 0 ARGS…` in its own TMPDIR. */
export function startDemo(args: string[]): Running {
  return startImos(['demo', '--headless', '--port', '0', ...args]);
}

/** Poll `probe` until it gives a value, while the process lives; bounded in time and attempts. */
export async function waitFor<T>(what: string, run: Running, timeoutMs: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; Date.now() < deadline && attempt < 1000; attempt++) {
    if (run.child.exitCode !== null) throw new Error(`imos exited (${run.child.exitCode}) while waiting for ${what}\n${run.stderr()}`);
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}\nstdout:\n${run.stdout()}\nstderr:\n${run.stderr()}`);
}

/**
 * SIGTERM, then SIGKILL if it has not left within `graceMs` (a hang bound: stopping a daemon or a
 * demo, its PostgreSQL with it, takes seconds on a loaded machine); resolves with how it ended.
 */
export async function stopImos(run: Running, graceMs = CLI_HANG_MS): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return run.exited;
  run.child.kill('SIGTERM');
  const exit = await Promise.race([run.exited, new Promise<null>((r) => setTimeout(() => r(null), graceMs))]);
  if (exit === null) {
    run.child.kill('SIGKILL');
    await run.exited;
  }
  return exit;
}

/** Pids of live processes whose command line mentions `text` (a postmaster names its data dir). */
export function processesMentioning(text: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null && m[3]!.includes(text) && !m[2]!.startsWith('Z'))
    .map((m) => Number(m[1]));
}

/** After each test: kill what is still running, stop what it left (PostgreSQL), remove its TMPDIR. */
export async function cleanUpProcesses(): Promise<void> {
  for (const run of running.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) {
      run.child.kill('SIGKILL');
      await run.exited;
    }
    for (const pid of processesMentioning(run.tmp)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(run.tmp, { recursive: true, force: true });
  }
}
