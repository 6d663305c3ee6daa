// Running a configured command (argv, no shell) within the check's budget, output sanitised.
import { execFile } from 'node:child_process';
import { redactSecrets } from '../../src/text/redact.js';
import { sanitizeText } from '../../src/text/sanitize.js';

export interface CommandResult {
  /** Exit code; null when the process could not start or was killed. */
  exit: number | null;
  output: string;
  /** Why it did not finish normally: not found, timed out, … */
  problem?: string;
}

export function runCommand(
  argv: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; signal: AbortSignal; timedOut: () => boolean; timeoutMs: number },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const [file, ...args] = argv;
    execFile(
      file!,
      args,
      { cwd: options.cwd, env: options.env, signal: options.signal, maxBuffer: 4 * 1024 * 1024, windowsHide: true },
      (error, stdout, stderr) => {
        const output = redactSecrets(sanitizeText(`${stdout ?? ''}${stderr ? `\n${stderr}` : ''}`));
        if (!error) return resolve({ exit: 0, output });
        const e = error as NodeJS.ErrnoException & { code?: unknown };
        if (e.name === 'AbortError' || options.signal.aborted) {
          const seconds = Math.round(options.timeoutMs / 100) / 10;
          return resolve({ exit: null, output, problem: options.timedOut() ? `timed out after ${seconds}s` : 'cancelled' });
        }
        if (e.code === 'ENOENT') return resolve({ exit: null, output, problem: `command not found: ${file}` });
        if (e.code === 'EACCES') return resolve({ exit: null, output, problem: `not executable: ${file}` });
        if (typeof e.code === 'number') return resolve({ exit: e.code, output });
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ exit: null, output, problem: 'output too large' });
        resolve({ exit: null, output, problem: `could not run ${file}: ${e.message}` });
      },
    );
  });
}

/** The last non-empty line of an output, for messages. */
export function lastLine(output: string): string {
  const lines = output.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '';
}
