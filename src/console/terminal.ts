// The terminal around the console: the alternate screen and a hidden cursor while it runs, and
// the terminal given back as it was on quit, on a crash and on SIGINT / SIGTERM / SIGHUP (an SSH
// connection that drops). Ink 6 does none of this itself.
import { writeSync } from 'node:fs';

export const ENTER_ALT_SCREEN = '\u001b[?1049h\u001b[H\u001b[2J\u001b[?25l';
export const LEAVE_ALT_SCREEN = '\u001b[?25h\u001b[?1049l';

export interface TerminalSession {
  /** Give the terminal back (idempotent). */
  restore(): void;
  /** The console still has the screen: false from the moment it is given back (quit, signal, crash). */
  active(): boolean;
}

export interface TerminalOptions {
  /** File descriptor of the terminal (1: stdout). */
  fd?: number;
  /** Called once on a signal or a crash, after the terminal is restored: stop the engine, exit. */
  onSignal(signal: NodeJS.Signals | 'crash', error?: unknown): void;
  proc?: NodeJS.Process;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function enterTerminal(options: TerminalOptions): TerminalSession {
  const fd = options.fd ?? 1;
  const proc = options.proc ?? process;
  let restored = false;
  const write = (text: string) => {
    try {
      writeSync(fd, text);
    } catch {
      // The terminal may be gone (SIGHUP): nothing left to restore.
    }
  };
  const restoreTerminal = () => {
    if (restored) return;
    restored = true;
    try {
      if (proc.stdin.isTTY && proc.stdin.isRaw) proc.stdin.setRawMode(false);
    } catch {
      // stdin already closed
    }
    write(LEAVE_ALT_SCREEN);
  };
  const restore = () => {
    restoreTerminal();
    for (const s of SIGNALS) proc.off(s, handlers[s]!);
    proc.off('exit', restore);
    proc.off('uncaughtException', onCrash);
    proc.off('unhandledRejection', onCrash);
  };
  // On a signal our handlers stay installed while the console stops (hands the lease over):
  // were they removed, signal-exit (Ink's) would re-raise the signal and kill the process first.
  let signalled = false;
  const handlers: Partial<Record<NodeJS.Signals, () => void>> = {};
  for (const s of SIGNALS) {
    handlers[s] = () => {
      restoreTerminal();
      if (signalled) return;
      signalled = true;
      options.onSignal(s);
    };
    proc.on(s, handlers[s]!);
  }
  const onCrash = (error: unknown) => {
    // The terminal went away under us (the SSH session dropped, the tmux pane closed): reading or
    // drawing fails with EIO, often before the SIGHUP arrives. That is a hangup, not a crash.
    if ((error as { code?: unknown } | null)?.code === 'EIO') {
      handlers.SIGHUP!();
      return;
    }
    // Like a signal: our handlers stay installed while the console stops (hands the lease over).
    restoreTerminal();
    if (signalled) return;
    signalled = true;
    options.onSignal('crash', error);
  };
  proc.on('exit', restore);
  proc.on('uncaughtException', onCrash);
  proc.on('unhandledRejection', onCrash);
  write(ENTER_ALT_SCREEN);
  return { restore, active: () => !restored };
}

/** Conventional exit code for a signal: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals | 'crash'): number {
  switch (signal) {
    case 'SIGHUP':
      return 129;
    case 'SIGINT':
      return 130;
    case 'SIGTERM':
      return 143;
    default:
      return 1;
  }
}
