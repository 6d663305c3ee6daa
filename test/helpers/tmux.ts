// The real binary in tmux, on a private server (`tmux -L`): start a session, read the screen,
// type, wait for text with a bounded poll. `CI` and friends are removed from the environment
// (Ink prints only the last frame under CI).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { isProcessAlive } from '../../src/processes.js';
import { CLI_HANG_MS } from './bounds.js';

export const IMOS_BIN = path.resolve(import.meta.dirname, '../../bin/imos.js');

export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

/** `env -u CI … TERM=xterm-256color TZ=UTC`, then whatever follows. */
export function consoleEnv(extra: Record<string, string> = {}): string {
  const ci = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
  return ['env', ...ci.map((k) => `-u ${k}`), 'TERM=xterm-256color', 'TZ=UTC', ...Object.entries(extra).map(([k, v]) => `${k}=${JSON.stringify(v)}`)].join(' ');
}

/** `node bin/imos.js`, quoted for a shell command line. */
export const imosCommand = (): string => `${JSON.stringify(process.execPath)} ${JSON.stringify(IMOS_BIN)}`;

export class Tmux {
  constructor(readonly socket: string) {}

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** A detached session running `command` in `cwd`; it stays open after the command ends. */
  start(session: string, cwd: string, command: string, size = { x: 120, y: 40 }): void {
    this.run('new-session', '-d', '-s', session, '-x', String(size.x), '-y', String(size.y), '-c', cwd, `${command}; echo EXITED-$?; sleep 120`);
    // tmux holds an Esc for 500 ms to see whether a key follows: Esc then q would arrive as Meta-q.
    this.run('set-option', '-sg', 'escape-time', '10');
  }

  capture(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  keys(session: string, ...list: string[]): void {
    for (const k of list) this.run('send-keys', '-t', session, k);
  }

  type(session: string, text: string): void {
    this.run('send-keys', '-t', session, '-l', text);
  }

  /**
   * The screen once it passes `test`. The default bound is a whole process's (CLI_HANG_MS): a
   * console that starts, or quits, takes tens of seconds on a loaded machine.
   */
  async waitFor(session: string, test: string | RegExp | ((screen: string) => boolean), timeoutMs = CLI_HANG_MS): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const screen = this.capture(session);
      const ok = typeof test === 'function' ? test(screen) : typeof test === 'string' ? screen.includes(test) : test.test(screen);
      if (ok) return screen;
      if (Date.now() > until || i > 2000) throw new Error(`timed out waiting for ${String(test)} in ${session}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Ends the server and waits (bounded) until every process its panes started has exited, so a
   * test may remove the workspace next: a console quitting on SIGHUP may still be writing there.
   */
  kill(): void {
    const pids = this.paneProcesses();
    try {
      this.run('kill-server');
    } catch {
      // no server left
    }
    waitUntilGone(pids, 10_000);
  }

  /** Every process running under the panes: the shells and their descendants. */
  private paneProcesses(): number[] {
    let shells: number[];
    try {
      shells = this.run('list-panes', '-a', '-F', '#{pane_pid}').split('\n').filter(Boolean).map(Number);
    } catch {
      return [];
    }
    const children = new Map<number, number[]>();
    for (const line of execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' }).split('\n')) {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      if (!pid || ppid === undefined) continue;
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    }
    const all: number[] = [];
    const queue = [...shells];
    while (queue.length > 0 && all.length < 1000) {
      const pid = queue.shift()!;
      all.push(pid);
      queue.push(...(children.get(pid) ?? []));
    }
    return all;
  }
}

/** Blocks until none of `pids` is alive; SIGKILLs what is left after `timeoutMs`. */
function waitUntilGone(pids: number[], timeoutMs: number): void {
  const until = Date.now() + timeoutMs;
  while (pids.some(isProcessAlive) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
  for (const pid of pids.filter(isProcessAlive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}
