// Runs one program for a check, with the guarantees checks need and execa alone does not give:
// - the program runs in its own process group, so an abort kills it AND its children (a
//   grandchild holding the output pipe would otherwise keep the check waiting until it exits);
// - SIGTERM first, SIGKILL after a grace period for a program that ignores SIGTERM;
// - output is kept bounded (the last `maxOutputBytes` of each stream), so a chatty program can
//   neither exhaust memory nor be killed for talking too much;
// - leftovers of the group still holding the pipes after the program exits are killed too.
// Never throws: spawn failures come back as `spawnError`.
import type { execa as Execa } from 'execa';

export interface ProcessRequest {
  file: string;
  args: string[];
  cwd: string;
  /** The whole environment of the program (not merged with imos' own). */
  env: Record<string, string | undefined>;
  /** Run `file` as a shell command line (args must then be empty). */
  shell?: boolean;
  signal: AbortSignal;
  /** Time between SIGTERM and SIGKILL after an abort. */
  killGraceMs?: number;
  /** Output kept per stream (the tail). */
  maxOutputBytes?: number;
  /** Every chunk of output as it arrives (stdout and stderr, in arrival order), raw. */
  onOutput?: (chunk: Buffer) => void;
}

export interface ProcessResult {
  /** `exited`: ran to its end (any exit code or signal); `aborted`: stopped by `signal`; `spawn-failed`: never ran. */
  outcome: 'exited' | 'aborted' | 'spawn-failed';
  exitCode?: number;
  /** Signal that ended the program (when not ended by our abort). */
  killedBy?: string;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in arrival order. */
  all: string;
  /** Some output was dropped to stay within the bound. */
  truncated: boolean;
  durationMs: number;
  spawnError?: { code?: string; message: string };
}

/** The target of checks that run programs here (command, typescript): they share this machine's CPUs. */
export const THIS_MACHINE = 'programs on this machine';

/** Time between SIGTERM and SIGKILL after an abort, unless the request says otherwise. */
export const DEFAULT_KILL_GRACE_MS = 2000;
const DEFAULT_MAX_OUTPUT = 1024 * 1024;
/** After the program exits, how long its leftovers may keep the pipes open before we stop reading. */
const DRAIN_AFTER_EXIT_MS = 500;

/** Keeps the last `limit` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.limit && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.size - this.limit;
      this.truncated = true;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }

  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export async function runProcess(request: ProcessRequest): Promise<ProcessResult> {
  const started = Date.now();
  const limit = request.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const grace = request.killGraceMs ?? DEFAULT_KILL_GRACE_MS;
  const stdout = new TailBuffer(limit);
  const stderr = new TailBuffer(limit);
  const all = new TailBuffer(limit);
  const finish = (partial: Partial<ProcessResult> & Pick<ProcessResult, 'outcome'>): ProcessResult => ({
    stdout: stdout.text(),
    stderr: stderr.text(),
    all: all.text(),
    truncated: stdout.truncated || stderr.truncated || all.truncated,
    durationMs: Date.now() - started,
    ...partial,
  });

  if (request.signal.aborted) return finish({ outcome: 'aborted' });
  // Loaded on the first run, not with the check kinds: validating a configuration (and the
  // console's first frame) needs the kinds' schemas, not execa.
  const { execa } = await import('execa');
  if (request.signal.aborted) return finish({ outcome: 'aborted' });

  let subprocess: ReturnType<typeof Execa>;
  try {
    subprocess = execa(request.file, request.args, {
      cwd: request.cwd,
      env: request.env,
      extendEnv: false,
      shell: request.shell ?? false,
      detached: true, // own process group: see killGroup
      stdin: 'ignore',
      buffer: false,
      reject: false,
      cancelSignal: request.signal,
      forceKillAfterDelay: grace,
      windowsHide: true,
    });
  } catch (error) {
    return finish({ outcome: 'spawn-failed', spawnError: describeError(error) });
  }

  const timers: NodeJS.Timeout[] = [];
  const killGroup = (signal: NodeJS.Signals) => {
    const pid = subprocess.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  };
  const onAbort = () => {
    killGroup('SIGTERM');
    timers.push(setTimeout(() => killGroup('SIGKILL'), grace));
  };
  request.signal.addEventListener('abort', onAbort, { once: true });

  subprocess.stdout?.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
    all.push(chunk);
    request.onOutput?.(chunk);
  });
  subprocess.stderr?.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
    all.push(chunk);
    request.onOutput?.(chunk);
  });
  subprocess.on('exit', () => {
    // Background leftovers of the program must not outlive the check or hold its pipes open.
    killGroup('SIGKILL');
    timers.push(
      setTimeout(() => {
        subprocess.stdout?.destroy();
        subprocess.stderr?.destroy();
      }, DRAIN_AFTER_EXIT_MS),
    );
  });

  try {
    const result = await subprocess;
    if (result.isCanceled || request.signal.aborted) return finish({ outcome: 'aborted' });
    if (result.exitCode === undefined && result.signal === undefined) {
      return finish({ outcome: 'spawn-failed', spawnError: describeError(result) });
    }
    return finish({ outcome: 'exited', exitCode: result.exitCode, killedBy: result.signal });
  } catch (error) {
    // reject: false makes this rare (e.g. an option execa refuses).
    if (request.signal.aborted) return finish({ outcome: 'aborted' });
    return finish({ outcome: 'spawn-failed', spawnError: describeError(error) });
  } finally {
    request.signal.removeEventListener('abort', onAbort);
    for (const timer of timers) clearTimeout(timer);
  }
}

function describeError(error: unknown): { code?: string; message: string } {
  const e = error as { code?: unknown; originalMessage?: unknown; shortMessage?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : undefined;
  const message =
    typeof e?.originalMessage === 'string' && e.originalMessage
      ? e.originalMessage
      : typeof e?.shortMessage === 'string'
        ? e.shortMessage
        : String(e?.message ?? error);
  return { code, message };
}

/** Last non-empty line of a text (trailing whitespace ignored). */
export function lastMeaningfulLine(text: string): string | undefined {
  const lines = text.split(/\r?\n|\r/);
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (line) return line;
  }
  return undefined;
}
