// Runs TypeScript worker scripts as real node processes in tests. A worker is bundled once with
// esbuild (dependencies stay external, so they load from node_modules like in production) into
// node_modules/.cache/imos-test/, under a name derived from its content: parallel test files
// building the same worker never see a half-written bundle.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { HANG_MS } from './bounds.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKER_CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules/.cache/imos-test');

const built = new Map<string, Promise<string>>();
let pruned = false;

/** Bundles of old worker versions pile up under content-hash names: drop those a day old. */
async function pruneOldBundles(): Promise<void> {
  if (pruned) return;
  pruned = true;
  const names = await fs.readdir(WORKER_CACHE_DIR).catch(() => [] as string[]);
  const dayAgo = Date.now() - 24 * 3600_000;
  for (const name of names) {
    const full = path.join(WORKER_CACHE_DIR, name);
    const stat = await fs.stat(full).catch(() => null);
    if (stat?.isFile() && stat.mtimeMs < dayAgo) await fs.rm(full, { force: true }).catch(() => {});
  }
}

/** Bundles `entry` (absolute, or relative to the project root) and returns the .mjs path. */
export function buildWorker(entry: string): Promise<string> {
  const absolute = path.resolve(PROJECT_ROOT, entry);
  let pending = built.get(absolute);
  if (!pending) {
    pending = bundle(absolute);
    built.set(absolute, pending);
    pending.catch(() => built.delete(absolute));
  }
  return pending;
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  const contents = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(contents).digest('hex').slice(0, 12);
  const name = path.basename(entry).replace(/\.[cm]?tsx?$/, '');
  const out = path.join(WORKER_CACHE_DIR, `${name}.${hash}.mjs`);
  await fs.mkdir(WORKER_CACHE_DIR, { recursive: true });
  await pruneOldBundles();
  const exists = await fs.stat(out).then(
    () => true,
    () => false,
  );
  if (exists) {
    const now = new Date();
    await fs.utimes(out, now, now).catch(() => {});
  } else {
    const temp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await fs.writeFile(temp, contents);
    await fs.rename(temp, out);
  }
  return out;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** stderr so far (for assertion messages). */
  stderr(): string;
  /** Resolves with the first line (past or future) matching `predicate`; rejects after `timeoutMs`. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves when the process exits, with its code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `node <bundled worker> ...args` and collects its output line by line. */
export async function startWorker(
  entry: string,
  args: string[] = [],
  options: SpawnOptions = {},
): Promise<WorkerProcess> {
  const script = await buildWorker(entry);
  return startProcess(process.execPath, [script, ...args], options);
}

/** Starts any command (cwd: the project root unless given) and collects its output line by line. */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}): WorkerProcess {
  const child = spawn(command, args, {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  const lines: string[] = [];
  const waiters = new Set<{ predicate: (line: string) => boolean; resolve: (line: string) => void }>();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitForLine(predicate, timeoutMs = HANG_MS) {
      const found = lines.find(predicate);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise<string>((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (line: string) => {
            clearTimeout(timer);
            resolve(line);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching line within ${timeoutMs} ms; stdout: ${lines.slice(-5).join(' | ')}; stderr: ${stderr.slice(-500)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
}

export interface WorkerStore {
  /** The temporary directory of the current test. */
  readonly dir: string;
  /** `imos.json` inside it. */
  readonly storePath: string;
  /** Starts a worker that is killed (SIGKILL) after the test. */
  start(entry: string, args: string[]): Promise<WorkerProcess>;
}

/**
 * For a test file whose workers share a store: builds the workers once, gives each test a fresh
 * temporary directory, and kills every worker it started and removes the directory after it.
 */
export function useWorkerStore(prefix: string, entries: string[]): WorkerStore {
  const running: WorkerProcess[] = [];
  let dir = '';
  beforeAll(async () => {
    await Promise.all(entries.map((entry) => buildWorker(entry)));
  });
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  });
  afterEach(async () => {
    for (const worker of running.splice(0)) {
      worker.kill('SIGKILL');
      await worker.exited;
    }
    await fs.rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get storePath() {
      return path.join(dir, 'imos.json');
    },
    async start(entry, args) {
      const worker = await startWorker(entry, args);
      running.push(worker);
      return worker;
    },
  };
}
