// Run the built `imos` binary as a user would, with a bounded time.
import { execa } from 'execa';
import path from 'node:path';
import { CLI_HANG_MS } from './bounds.js';

export const IMOS_BIN = path.resolve(import.meta.dirname, '../../bin/imos.js');

export interface CliRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runImos(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<CliRun> {
  const env = { ...process.env, ...options.env };
  delete env.CI;
  const result = await execa(process.execPath, [IMOS_BIN, ...args], {
    cwd: options.cwd,
    env,
    extendEnv: false,
    reject: false,
    timeout: options.timeoutMs ?? CLI_HANG_MS,
    input: options.input,
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}
