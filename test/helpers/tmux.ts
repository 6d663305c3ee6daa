// The real binary in tmux, on a tmux server of the test's own (its own socket: other tests' and
// other people's sessions are never touched): start a session, send keys, read the screen.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();

const ROOT = path.resolve(import.meta.dirname, '../..');
export const IMOS_BIN = path.join(ROOT, 'bin/imos.js');

/** The environment of a console: no CI markers (Ink prints only the last frame under CI), a known terminal. */
export function consoleEnvPrefix(): string {
  const ci = Object.keys(process.env).filter((k) => k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_'));
  return ['env', ...ci.map((k) => `-u ${k}`), 'TERM=xterm-256color', 'TZ=UTC'].join(' ');
}

export class TmuxServer {
  readonly socket: string;
  constructor(name: string) {
    this.socket = `${name}-${process.pid}`;
  }

  run(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
  }

  /** `imos ARGS` in a new session of columns × rows, in `cwd`; the shell says EXITED-<code> after it. */
  startImos(session: string, cwd: string, args: string, size: { x: number; y: number }): void {
    const command = `${consoleEnvPrefix()} ${JSON.stringify(process.execPath)} ${JSON.stringify(IMOS_BIN)} ${args}; echo EXITED-$?; sleep 60`;
    this.run('new-session', '-d', '-s', session, '-x', String(size.x), '-y', String(size.y), '-c', cwd, command);
  }

  capture(session: string): string {
    return this.run('capture-pane', '-p', '-t', session);
  }

  /** Wait (bounded in time and tries) until the screen passes `test`. */
  async waitFor(session: string, test: string | RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    for (let i = 0; ; i++) {
      const screen = this.capture(session);
      const ok = typeof test === 'function' ? test(screen) : typeof test === 'string' ? screen.includes(test) : test.test(screen);
      if (ok) return screen;
      if (Date.now() > until || i > 1000) throw new Error(`timed out waiting for ${String(test)} in ${session}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  keys(session: string, ...list: string[]): void {
    for (const k of list) this.run('send-keys', '-t', session, k);
  }

  kill(): void {
    try {
      this.run('kill-server');
    } catch {
      // no server left
    }
  }
}
