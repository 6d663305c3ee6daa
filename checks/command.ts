// Check kind `command`: runs a program (argv, no shell unless asked) and reports its exit code,
// its duration and, with `capture`, a number read from its output.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { redactSecrets } from '../src/text/redact.js';
import { sanitizeLine } from '../src/text/sanitize.js';
import { SECRET_NAME } from '../src/text/secrets.js';
import { THIS_MACHINE, lastMeaningfulLine, runProcess } from './shared/process.js';
import type { CheckContext, CheckKind, CheckOutcome } from './types.js';
import { formatDuration } from '../src/text/durations.js';

const envValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));

const schema = z
  .looseObject({
    run: z.union([
      // YAML reads `run: [true]` and `[echo, false]` as booleans: they are words here.
      z.array(z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v))).min(1, 'give at least the program name'),
      z.string().min(1, 'must not be empty'),
    ]),
    shell: z.boolean().default(false),
    cwd: z.string().optional(),
    env: z.record(z.string(), envValue).default({}),
    capture: z
      .string()
      .refine(isValidRegExp, { message: 'not a valid regular expression' })
      .optional(),
  })
  .superRefine((value, ctx) => {
    if (typeof value.run === 'string' && !value.shell) {
      ctx.addIssue({
        code: 'custom',
        path: ['run'],
        message: 'a command line as one string needs `shell: true`; otherwise write it as a list [program, arg, …]',
      });
    }
    if (Array.isArray(value.run) && value.shell && value.run.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['run'],
        message: 'with `shell: true` write the command line as one string',
      });
    }
  });

export type CommandCheckConfig = z.output<typeof schema>;

function isValidRegExp(source: string): boolean {
  try {
    new RegExp(source, 'm');
    return true;
  } catch {
    return false;
  }
}

/** The number the last match of `pattern` shows: its first group, else the whole match. */
export function captureNumber(output: string, pattern: string): { value?: number; matched?: string; problem?: string } {
  const regex = new RegExp(pattern, 'gm');
  let last: RegExpExecArray | undefined;
  let guard = 0;
  for (let m = regex.exec(output); m && guard < 100_000; m = regex.exec(output), guard++) {
    last = m;
    if (m[0] === '') regex.lastIndex++; // an empty match must not loop forever
  }
  if (!last) return { problem: `capture /${pattern}/ found no match` };
  const text = (last[1] ?? last[0]).trim();
  const value = Number(text.replace(/[,_](?=\d{3}\b)/g, '').replace(/%$/, ''));
  if (text === '' || !Number.isFinite(value)) {
    return { matched: text, problem: `capture /${pattern}/ matched "${sanitizeLine(text, 40)}", not a number` };
  }
  return { value, matched: text };
}

async function runCommand(config: CommandCheckConfig, ctx: CheckContext): Promise<CheckOutcome> {
  const cwd = path.resolve(ctx.baseDir, config.cwd ?? '.');
  const secrets = Object.entries(config.env)
    .filter(([name]) => SECRET_NAME.test(name))
    .map(([, value]) => value);
  const clean = (text: string) => sanitizeLine(redactSecrets(text, secrets));
  const program = typeof config.run === 'string' ? config.run : config.run[0]!;
  const error = (message: string, metrics: Record<string, unknown> = {}): CheckOutcome => ({
    value: null,
    metrics,
    message: clean(message),
    status: 'error',
  });

  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) return error(`working directory not found: ${cwd}`);

  const result = await runProcess({
    file: typeof config.run === 'string' ? config.run : program,
    args: typeof config.run === 'string' ? [] : config.run.slice(1),
    shell: config.shell,
    cwd,
    env: { ...ctx.env, ...config.env },
    signal: ctx.signal,
  });
  const duration = result.durationMs;

  if (result.outcome === 'aborted') {
    const elapsed = formatDuration(duration, 'measured');
    const reason = duration >= ctx.timeoutMs * 0.9 ? `timed out after ${formatDuration(ctx.timeoutMs, 'measured')}` : `aborted after ${elapsed}`;
    const line = lastMeaningfulLine(result.all);
    return error(`${program}: ${reason}${line ? ` (last output: ${line})` : ''}`, { duration });
  }
  if (result.outcome === 'spawn-failed') {
    const code = result.spawnError?.code;
    if (code === 'ENOENT') return error(`program not found: ${program}`, { duration });
    if (code === 'EACCES') return error(`cannot execute ${program}: permission denied`, { duration });
    return error(`could not start ${program}: ${result.spawnError?.message ?? 'unknown error'}`, { duration });
  }

  const exit = result.exitCode ?? signalExitCode(result.killedBy);
  const metrics: Record<string, unknown> = { exit, duration };
  const notes: string[] = [];
  let value: number | null = exit;
  if (config.capture !== undefined) {
    const captured = captureNumber(result.all, config.capture);
    if (captured.value !== undefined) {
      metrics.value = captured.value;
      value = captured.value;
    } else {
      value = null;
      notes.push(captured.problem!);
    }
  }

  const status = result.killedBy && result.exitCode === undefined ? `killed by ${result.killedBy}` : `exit ${exit}`;
  const head = metrics.value !== undefined ? `${metrics.value} · ${status}` : status;
  const line = lastMeaningfulLine(result.all);
  const message = [head + (line ? `: ${line}` : ''), ...notes].join(' — ');
  return {
    value,
    metrics,
    message: clean(message),
    detail: {
      command: typeof config.run === 'string' ? config.run : config.run.join(' '),
      cwd,
      exit,
      signal: result.killedBy,
      durationMs: duration,
      outputTail: sanitizeTail(redactSecrets(result.all, secrets)),
      truncated: result.truncated,
    },
  };
}

/** Shell convention: a program ended by signal N reports 128 + N. */
function signalExitCode(signal: string | undefined): number {
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGTERM: 15 };
  return 128 + (signal ? (numbers[signal] ?? 0) : 0);
}

/** The last lines of the output, sanitised, for the detail view. */
function sanitizeTail(text: string, lines = 20): string[] {
  return text
    .split(/\r?\n|\r/)
    .map((l) => sanitizeLine(l, 300))
    .filter((l) => l !== '')
    .slice(-lines);
}

export const commandCheck: CheckKind<CommandCheckConfig> = {
  kind: 'command',
  description: 'Runs a program; reports its exit code, duration and a number captured from its output',
  alertType: 'COMMAND_FAILED',
  metrics: {
    exit: { unit: 'count', description: 'exit code (128 + N when killed by signal N)' },
    value: { unit: 'count', description: 'number captured from the output by `capture` (first group, else the match)' },
    duration: { unit: 'ms', description: 'how long the program ran' },
  },
  schema: schema as unknown as z.ZodType<CommandCheckConfig>,
  target: () => THIS_MACHINE,
  defaultExpect: ['exit == 0'],
  run: async (config, ctx) => {
    try {
      return await runCommand(config, ctx);
    } catch (error) {
      return { value: null, metrics: {}, message: sanitizeLine(`command check failed: ${String(error)}`), status: 'error' };
    }
  },
};
